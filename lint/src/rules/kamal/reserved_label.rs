declare_rule! {
    /// A role or accessory label named `service`, `role` or `destination`.
    pub static RESERVED_LABEL = {
        code: "K028",
        name: "reserved-label",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
