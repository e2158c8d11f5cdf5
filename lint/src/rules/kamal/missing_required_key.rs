declare_rule! {
    /// A configuration missing `service`, `image`, or both `servers` and `accessories`.
    ///
    /// ## What it does
    /// Reports, at the top of `config/deploy.yml`, a configuration (the base alone, or merged with
    /// a destination) that lacks `service`, lacks `image` (unless the registry is local, where the
    /// image defaults to the service name), or has neither `servers` nor `accessories`. When ERB
    /// may write keys of its own (a `<%= %>` tag alone on a line), nothing is reported.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with `Missing required configuration for service`,
    /// `Missing required configuration for image` or `No servers or accessories specified`. A
    /// destination file may supply what the base lacks: sextant checks each merged configuration.
    ///
    /// ## Example
    /// ```yaml
    /// service: storefront
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    /// ```
    /// Use instead:
    /// ```yaml
    /// service: storefront
    /// image: acme/storefront
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.1 (root keys) and §4.1 (step 14: required keys)
    /// - [Kamal docs: configuration overview](https://kamal-deploy.org/docs/configuration/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static MISSING_REQUIRED_KEY = {
        code: "K007",
        name: "missing-required-key",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
