declare_rule! {
    /// `minimum_version` is not a version number.
    pub static MALFORMED_MINIMUM_VERSION = {
        code: "K012",
        name: "malformed-minimum-version",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
