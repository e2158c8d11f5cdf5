use crate::diagnostic::Diagnostic;
use crate::rules::kamal::ctx::Ctx;
use crate::text::Span;

declare_rule! {
    /// Kamal 1's `healthcheck` section: Kamal 2 checks health through kamal-proxy.
    ///
    /// ## What it does
    /// Reports a `healthcheck:` key at the root or in a role.
    ///
    /// ## Why is this bad?
    /// Kamal 2 rejects it (`unknown key: healthcheck`). Health checks moved to
    /// `proxy.healthcheck` (`path`, `interval`, `timeout`), and they now target `proxy.app_port`,
    /// which defaults to **80** — Kamal 1 checked port 3000. Roles without the proxy use a
    /// Docker healthcheck through `options` (`health-cmd`, …) and `readiness_delay`.
    ///
    /// ## Example
    /// ```yaml
    /// healthcheck:
    ///   path: /up
    ///   port: 3000
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   app_port: 3000
    ///   healthcheck:
    ///     path: /up
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (Kamal 1 → Kamal 2)
    /// - <https://kamal-deploy.org/docs/configuration/proxy/#healthcheck>
    pub static KAMAL1_HEALTHCHECK = {
        code: "L003",
        name: "kamal1-healthcheck",
        category: Legacy,
        severity: Error,
        fix: None,
    };
}

/// A root or role `healthcheck` (its key at `span`), among the unknown keys Kamal names in
/// `kamal`.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, kamal: &str) -> Diagnostic {
    Diagnostic::new(
        &KAMAL1_HEALTHCHECK,
        span,
        "`healthcheck` is Kamal 1 configuration: Kamal 2 checks health through kamal-proxy",
    )
    .with_kamal(ctx.message(kamal))
    .with_help("move `path`/`interval`/`timeout` to `proxy.healthcheck`, and the port to `proxy.app_port` (default 80, where Kamal 1 used 3000)")
}
