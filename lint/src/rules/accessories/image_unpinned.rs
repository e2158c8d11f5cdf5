use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;

declare_rule! {
    /// An accessory image without a tag, or tagged `latest`.
    ///
    /// ## What it does
    /// Reports accessory images with no tag or digest (`postgres`) or with `:latest`.
    ///
    /// ## Why is this bad?
    /// Accessories are booted rarely and rebooted on new hosts or after `kamal accessory
    /// reboot`: an unpinned image then pulls whatever is newest, possibly a new major version of
    /// your database that refuses your existing data directory.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   db:
    ///     image: postgres
    /// ```
    /// Use instead:
    /// ```yaml
    ///     image: postgres:16.4
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.8 (accessory `image`)
    pub static ACCESSORY_IMAGE_UNPINNED = {
        code: "A002",
        name: "accessory-image-unpinned",
        category: Accessories,
        severity: Warning,
        fix: None,
    };
}

/// The tag of an image reference (`None`: no tag and no digest).
pub(crate) fn image_tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return Some("@digest");
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, tag)| tag)
}

/// The image without its tag or digest.
fn repository(image: &str) -> &str {
    let repo = image.split('@').next().unwrap_or(image);
    match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    }
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for entry in walk::accessory_entries(cx.config) {
        let Some(image) = entry.value.get("image") else {
            continue;
        };
        let Some(text) = image.as_str().filter(|_| !image.is_erb()) else {
            continue;
        };
        let name = entry.key.ruby_to_s();
        let message = match image_tag(text) {
            None => format!(
                "accessory `{name}` image `{text}` has no tag: each boot pulls whatever is newest"
            ),
            Some("latest") => format!(
                "accessory `{name}` image `{text}` is `latest`: each boot pulls whatever is newest"
            ),
            Some(_) => continue,
        };
        out.push(
            Diagnostic::new(&ACCESSORY_IMAGE_UNPINNED, image.span, message).with_help(format!(
                "pin a version, e.g. `{}:<version>`",
                repository(text)
            )),
        );
    }
}
