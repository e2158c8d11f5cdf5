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
