declare_rule! {
    /// Kamal 1's `builder.multiarch`: Kamal 2 takes the architectures in `builder.arch`.
    ///
    /// ## What it does
    /// Reports `multiarch` under `builder`.
    ///
    /// ## Why is this bad?
    /// Kamal 2 rejects it (`builder: unknown key: multiarch`) and requires `builder.arch`
    /// (`builder: Builder arch not set` otherwise). `multiarch: false` meant "build for the
    /// local architecture"; now name it.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   multiarch: false
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: amd64
    /// ```
    ///
    /// ## Fix
    /// Replaces `multiarch: false` with `arch: amd64` and `multiarch: true` with
    /// `arch: [amd64, arm64]` when no `arch` is set (unsafe: check the architecture of your
    /// servers).
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (Kamal 1 → Kamal 2) and §3.7 (builder)
    pub static BUILDER_MULTIARCH = {
        code: "L005",
        name: "builder-multiarch",
        category: Legacy,
        severity: Error,
        fix: Sometimes,
    };
}
