use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// Kamal 1 hook files `pre-traefik-reboot` or `post-traefik-reboot` under `hooks_path`.
    ///
    /// ## What it does
    /// Looks for these two files in `hooks_path` (default `.kamal/hooks`, relative to the project
    /// root, where Kamal is run) and reports each at its first line. `.sample` files do not count.
    ///
    /// ## Why is this bad?
    /// Kamal 2 replaced Traefik with kamal-proxy and renamed the hooks. Rather than skip the old
    /// ones silently, Kamal 2.8.2 refuses to run:
    /// `Found pre-traefik-reboot, post-traefik-reboot, these should be renamed to (pre|post)-proxy-reboot`
    /// (listing only the files it found).
    ///
    /// ## Example
    /// ```text
    /// .kamal/hooks/pre-traefik-reboot
    /// .kamal/hooks/post-traefik-reboot
    /// ```
    /// Use instead:
    /// ```text
    /// .kamal/hooks/pre-proxy-reboot
    /// .kamal/hooks/post-proxy-reboot
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §4.1 (step 18), §5 (Kamal 1 → Kamal 2) and §8.1 (hooks)
    /// - [Kamal docs: hooks](https://kamal-deploy.org/docs/hooks/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static TRAEFIK_HOOK_FILES = {
        code: "K031",
        name: "traefik-hook-files",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The Kamal 1 hook `name` (at `span`) in the hooks folder `path`; `found` are all the Kamal 1
/// hooks there (Kamal names them together).
pub(crate) fn diagnostic(span: Span, name: &str, path: &str, found: &[&str]) -> Diagnostic {
    let new = name.replace("traefik", "proxy");
    Diagnostic::new(
        &TRAEFIK_HOOK_FILES,
        span,
        format!("Kamal 2 refuses to run with the Kamal 1 hook `{name}`; it is now `{new}`"),
    )
    .with_kamal(format!(
        "Found {}, these should be renamed to (pre|post)-proxy-reboot",
        found.join(", ")
    ))
    .with_help(format!("rename `{path}/{name}` to `{path}/{new}`"))
}
