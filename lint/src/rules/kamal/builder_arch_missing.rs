declare_rule! {
    /// No `builder.arch` (required since Kamal 2).
    pub static BUILDER_ARCH_MISSING = {
        code: "K024",
        name: "builder-arch-missing",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
