declare_rule! {
    /// An alias name with characters other than lowercase letters, digits, `-` and `_`.
    ///
    /// ## What it does
    /// Checks each name under `aliases` against `\A[a-z0-9_-]+\z`; the help suggests a valid
    /// spelling.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 rejects the whole configuration, not just the alias, so every command fails:
    /// `aliases/Console: Invalid alias name: 'Console'. Must only contain lowercase letters, alphanumeric, hyphens and underscores.`
    ///
    /// ## Example
    /// ```yaml
    /// aliases:
    ///   Console: app exec --interactive --reuse "bin/rails console"
    /// ```
    /// Use instead:
    /// ```yaml
    /// aliases:
    ///   console: app exec --interactive --reuse "bin/rails console"
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §9 (aliases)
    /// - [Kamal docs: aliases](https://kamal-deploy.org/docs/configuration/aliases/)
    /// - [`validator/alias.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/alias.rb)
    pub static INVALID_ALIAS_NAME = {
        code: "K022",
        name: "invalid-alias-name",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
