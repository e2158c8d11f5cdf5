use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;

declare_rule! {
    /// An accessory without an `image`.
    ///
    /// ## What it does
    /// Reports accessories that have no `image` (or an empty one).
    ///
    /// ## Why is this bad?
    /// Kamal's validation does not require it, but `kamal accessory boot` runs `docker run`
    /// without an image, which fails.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   redis:
    ///     host: 10.0.0.7
    ///     port: "127.0.0.1:6379:6379"
    /// ```
    /// Use instead:
    /// ```yaml
    ///   redis:
    ///     image: valkey/valkey:8
    ///     host: 10.0.0.7
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.8 and §12.4
    pub static ACCESSORY_WITHOUT_IMAGE = {
        code: "A006",
        name: "accessory-without-image",
        category: Accessories,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    if cx.dynamic {
        return;
    }
    for entry in walk::accessory_entries(cx.config) {
        let image = entry.value.get("image");
        if image.is_some_and(|i| i.is_erb() || !i.is_blank()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &ACCESSORY_WITHOUT_IMAGE,
                entry.key.span,
                format!(
                    "accessory `{}` has no `image`: booting it fails",
                    entry.key.ruby_to_s()
                ),
            )
            .with_help("add `image: NAME:TAG`"),
        );
    }
}
