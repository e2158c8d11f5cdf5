declare_rule! {
    /// A role with no hosts.
    pub static EMPTY_ROLE = {
        code: "K009",
        name: "empty-role",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
