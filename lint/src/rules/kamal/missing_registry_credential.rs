declare_rule! {
    /// Registry username or password missing for a registry that needs them.
    pub static MISSING_REGISTRY_CREDENTIAL = {
        code: "K006",
        name: "missing-registry-credential",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
