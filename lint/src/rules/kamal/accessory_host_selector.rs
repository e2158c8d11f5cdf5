declare_rule! {
    /// An accessory without exactly one of `host`, `hosts`, `role`, `roles`, `tag` and `tags`.
    ///
    /// ## What it does
    /// Reports an accessory that says nowhere to run, or that uses two or more of these selectors
    /// (each gets a label). A selector with an empty value still counts as given.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with
    /// ``accessories/db: specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags` ``. The
    /// selectors are alternatives, not filters to combine: `hosts:` lists several hosts, `roles:`
    /// several roles, `tags:` several host tags.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   db:
    ///     image: postgres:16
    ///     host: 10.0.1.12
    ///     role: web
    /// ```
    /// Use instead:
    /// ```yaml
    /// accessories:
    ///   db:
    ///     image: postgres:16
    ///     host: 10.0.1.12
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.8 (accessory checks, step 2)
    /// - [Kamal docs: accessories](https://kamal-deploy.org/docs/configuration/accessories/)
    /// - [`validator/accessory.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/accessory.rb)
    /// - [basecamp/kamal#1547](https://github.com/basecamp/kamal/pull/1547): accessories placed by host tags
    pub static ACCESSORY_HOST_SELECTOR = {
        code: "K020",
        name: "accessory-host-selector",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
