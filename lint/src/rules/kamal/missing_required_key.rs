declare_rule! {
    /// A required setting (`service`, `image`, `servers` or `accessories`) is missing.
    pub static MISSING_REQUIRED_KEY = {
        code: "K007",
        name: "missing-required-key",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
