declare_rule! {
    /// A key that only exists in a later Kamal version than the one checked against.
    pub static REQUIRES_NEWER_KAMAL = {
        code: "K002",
        name: "requires-newer-kamal",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
