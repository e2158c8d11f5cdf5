declare_rule! {
    /// Registry username or password that is neither a string nor a one-string list.
    pub static INVALID_REGISTRY_CREDENTIAL = {
        code: "K005",
        name: "invalid-registry-credential",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
