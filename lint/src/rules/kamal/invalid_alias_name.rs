declare_rule! {
    /// An alias name with characters other than lowercase letters, digits, `-` and `_`.
    pub static INVALID_ALIAS_NAME = {
        code: "K022",
        name: "invalid-alias-name",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
