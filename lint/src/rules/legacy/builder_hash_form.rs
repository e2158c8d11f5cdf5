declare_rule! {
    /// Kamal 1's `builder.remote` / `builder.local` hashes: Kamal 2 wants a string and a boolean.
    ///
    /// ## What it does
    /// Reports `builder.remote` or `builder.local` written as a hash (`{arch:, host:}`).
    ///
    /// ## Why is this bad?
    /// Kamal 2 rejects them: `builder/remote: should be a string`,
    /// `builder/local: should be a boolean`. The architectures now go in `builder.arch`, the
    /// remote builder is a Docker endpoint string, and `local: false` sends every build to it.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   remote:
    ///     arch: arm64
    ///     host: ssh://builder@10.0.0.9
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: arm64
    ///   remote: ssh://builder@10.0.0.9
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (Kamal 1 → Kamal 2) and §3.7 (builder)
    /// - <https://kamal-deploy.org/docs/configuration/builders/>
    pub static BUILDER_HASH_FORM = {
        code: "L006",
        name: "builder-hash-form",
        category: Legacy,
        severity: Error,
        fix: None,
    };
}
