use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;
use crate::text::Span;

declare_rule! {
    /// `image` starting with the registry server: Kamal prepends the server again.
    ///
    /// ## What it does
    /// Reports an `image` (root or accessory) that begins with its registry's `server`.
    ///
    /// ## Why is this bad?
    /// Kamal builds the repository name as `SERVER/IMAGE`, so `server: ghcr.io` with
    /// `image: ghcr.io/me/app` pushes and pulls `ghcr.io/ghcr.io/me/app`, which does not exist:
    /// the deploy fails to pull.
    ///
    /// ## Example
    /// ```yaml
    /// image: ghcr.io/me/app
    /// registry:
    ///   server: ghcr.io
    /// ```
    /// Use instead:
    /// ```yaml
    /// image: me/app
    /// registry:
    ///   server: ghcr.io
    /// ```
    ///
    /// ## Fix
    /// Removes the server from the image (safe).
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.1 (`image`) and §3.5 (registry)
    pub static IMAGE_REPEATS_REGISTRY = {
        code: "C006",
        name: "image-repeats-registry",
        category: Config,
        severity: Error,
        fix: Always,
    };
}

fn check_one(cx: &LoadContext, image: &Node, registry: Option<&Node>, out: &mut Vec<Diagnostic>) {
    let Some(server) = registry
        .and_then(|r| r.get("server"))
        .filter(|s| !s.is_erb())
        .and_then(Node::as_str)
    else {
        return;
    };
    let Some(text) = image.as_str().filter(|_| !image.is_erb()) else {
        return;
    };
    let server = server.trim_end_matches('/');
    let prefix = format!("{server}/");
    if server.is_empty() || !text.starts_with(&prefix) {
        return;
    }
    let source = cx.project.slice(image.span);
    let mut d = Diagnostic::new(
        &IMAGE_REPEATS_REGISTRY,
        image.span,
        format!("`image` already starts with the registry server `{server}`: Kamal pulls `{server}/{text}`"),
    )
    .with_help(format!("write the image without `{prefix}`"));
    if let Some(at) = source.find(&prefix) {
        d = d.with_fix(Fix {
            applicability: Applicability::Safe,
            message: format!("remove `{prefix}`"),
            edits: vec![Edit {
                span: Span {
                    file: image.span.file,
                    start: image.span.start + at as u32,
                    end: image.span.start + (at + prefix.len()) as u32,
                },
                content: String::new(),
            }],
        });
    }
    out.push(d);
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    if let Some(image) = cx.config.get("image") {
        check_one(cx, image, cx.config.get("registry"), out);
    }
    for (_, acc) in walk::accessories(cx.config) {
        if let Some(image) = acc.get("image") {
            check_one(cx, image, acc.get("registry"), out);
        }
    }
}
