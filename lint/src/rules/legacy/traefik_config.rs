use crate::diagnostic::Diagnostic;
use crate::rules::kamal::ctx::Ctx;
use crate::text::Span;

declare_rule! {
    /// Kamal 1's `traefik` section: Kamal 2 replaced Traefik with kamal-proxy.
    ///
    /// ## What it does
    /// Reports a `traefik:` key at the root or in a role.
    ///
    /// ## Why is this bad?
    /// Kamal 2 no longer runs Traefik and rejects the key: ``unknown key: traefik`` (or
    /// `servers/ROLE: unknown key: traefik`). Its settings have no direct equivalent; routing is
    /// configured under `proxy:`.
    ///
    /// ## Example
    /// ```yaml
    /// traefik:
    ///   options:
    ///     publish: ["443:443"]
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   host: app.demo.io
    ///   ssl: true
    /// ```
    /// If you need Traefik features, run Traefik as an accessory.
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (Kamal 1 → Kamal 2)
    /// - <https://kamal-deploy.org/docs/upgrading/overview/>
    pub static TRAEFIK_CONFIG = {
        code: "L001",
        name: "traefik-config",
        category: Legacy,
        severity: Error,
        fix: None,
    };
}

/// Root `traefik` (its key at `span`), among the unknown keys Kamal names in `kamal`.
pub(crate) fn root(span: Span, ctx: &Ctx, kamal: &str) -> Diagnostic {
    Diagnostic::new(
        &TRAEFIK_CONFIG,
        span,
        "`traefik` is Kamal 1 configuration: Kamal 2 routes with kamal-proxy",
    )
    .with_kamal(ctx.message(kamal))
    .with_help("configure the proxy under `proxy:` (host, ssl, app_port) and remove `traefik`")
}

/// A role's `traefik` (its key at `span`), among the unknown keys Kamal names in `kamal`.
pub(crate) fn role(span: Span, ctx: &Ctx, kamal: &str) -> Diagnostic {
    Diagnostic::new(
        &TRAEFIK_CONFIG,
        span,
        "a role's `traefik` is Kamal 1 configuration: Kamal 2 routes with kamal-proxy",
    )
    .with_kamal(ctx.message(kamal))
    .with_help("use the role's `proxy:` (true, or a hash of proxy settings)")
}
