declare_rule! {
    /// A value of the wrong type (Kamal: `should be a string`, `should be a hash`, …).
    pub static INVALID_TYPE = {
        code: "K003",
        name: "invalid-type",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
