declare_rule! {
    /// A value of the wrong type for its key.
    ///
    /// ## What it does
    /// Checks every value against the type Kamal's validator expects, with Kamal's own rules:
    /// strings also accept numbers, booleans and symbols; integers must be unquoted whole numbers;
    /// `servers` and role bodies are lists or hashes; `ssl` is a boolean or a hash; `arch` a string
    /// or a list. Scalars are typed as Psych types them (YAML 1.1): `"3000"` is a string,
    /// `2024-01-01` a date, an empty value `null`. Values written with ERB are not checked.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops at the first one with `PATH: should be …`, for instance
    /// `proxy/app_port: should be an integer` or `env/clear/RELEASED: should be a string`. The
    /// messages are `should be a string`, `should be an integer`, `should be a boolean`,
    /// `should be an array`, `should be a hash`, `should be an array or a hash`,
    /// `should be a string or a hash`, `should be a string or an array`,
    /// `should be an array or a string`, and for `ssl`, literally,
    /// `should be a boolean or a boolean or a hash`.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   app_port: "3000"
    /// retain_containers: "3"
    /// env:
    ///   clear:
    ///     RELEASED: 2024-01-01
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   app_port: 3000
    /// retain_containers: 3
    /// env:
    ///   clear:
    ///     RELEASED: "2024-01-01"
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §2 (the validator's type system) and §1 (step 5: YAML 1.1 typing)
    /// - [`validator.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator.rb)
    pub static INVALID_TYPE = {
        code: "K003",
        name: "invalid-type",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
