declare_rule! {
    /// A key Kamal does not know in this section (Kamal: `unknown key: K`).
    pub static UNKNOWN_KEY = {
        code: "K001",
        name: "unknown-key",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
