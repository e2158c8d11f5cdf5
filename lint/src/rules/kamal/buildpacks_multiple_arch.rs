declare_rule! {
    /// `builder.pack` with more than one arch.
    pub static BUILDPACKS_MULTIPLE_ARCH = {
        code: "K026",
        name: "buildpacks-multiple-arch",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
