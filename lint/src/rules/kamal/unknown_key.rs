declare_rule! {
    /// A key that Kamal does not know in its section.
    ///
    /// ## What it does
    /// Reports every key missing from its section's schema for the Kamal version checked against,
    /// each at its place: at the root and inside `servers.ROLE`, `proxy`, `builder`, `registry`,
    /// `accessories.NAME`, `env`, `ssh`, `boot`, `logging` and the other sections. `x-` keys are
    /// ignored, but only at the root. The help suggests the closest known key. Kamal 1 leftovers
    /// (`traefik`, `healthcheck`, `stop_wait_time`, `multiarch`) are reported by the legacy `L`
    /// rules instead, and keys of a later Kamal by K002.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 rejects the whole configuration, naming all unknown keys of the section at once:
    /// `proxy: unknown key: app_prot`, `proxy/healthcheck: unknown keys: port, retries`. Two
    /// surprises: `x-` keys only work at the root (`proxy: unknown key: x-port`), and YAML 1.1
    /// reads a bare `on:` key as `true`, which fails as `unknown key: true`.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   app_prot: 3000
    ///   healthcheck:
    ///     path: /up
    ///     port: 3000
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   app_port: 3000
    ///   healthcheck:
    ///     path: /up
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §2 (rule 7: unknown keys) and §3.4 (proxy)
    /// - [Kamal docs: proxy](https://kamal-deploy.org/docs/configuration/proxy/)
    /// - [`validator.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator.rb)
    pub static UNKNOWN_KEY = {
        code: "K001",
        name: "unknown-key",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
