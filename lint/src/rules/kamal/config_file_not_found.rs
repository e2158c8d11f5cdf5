declare_rule! {
    /// The configuration file of the destination given with `-d` does not exist.
    ///
    /// ## What it does
    /// With `-d DEST`, reports a missing `config/deploy.DEST.yml`: the base file's name with its
    /// extension replaced by `.DEST.yml` (also for a `deploy.yaml` base, or the file given with
    /// `-c`). Without `-d`, sextant checks the destination files it finds, so this cannot happen.
    ///
    /// ## Why is this bad?
    /// Kamal stops before reading anything, with a `RuntimeError` naming the absolute path:
    /// `Configuration file not found in /home/me/storefront/config/deploy.staging.yml`. Usually the
    /// destination name is misspelt, or the file was never committed.
    ///
    /// ## Example
    /// ```text
    /// $ sextant check -d staging     # and there is no config/deploy.staging.yml
    /// ```
    /// Use instead:
    /// ```yaml
    /// # config/deploy.staging.yml: only what differs from config/deploy.yml
    /// servers:
    ///   web:
    ///     - 10.0.2.10
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (steps 1 and 3) and §6 (destinations)
    /// - [Kamal docs: configuration overview](https://kamal-deploy.org/docs/configuration/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static CONFIG_FILE_NOT_FOUND = {
        code: "K032",
        name: "config-file-not-found",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
