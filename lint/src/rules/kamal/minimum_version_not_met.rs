declare_rule! {
    /// `minimum_version` is above the Kamal version checked against.
    pub static MINIMUM_VERSION_NOT_MET = {
        code: "K011",
        name: "minimum-version-not-met",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
