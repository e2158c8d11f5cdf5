declare_rule! {
    /// Bytes that are not UTF-8.
    pub static INVALID_UTF8 = {
        code: "Y007",
        name: "invalid-utf8",
        category: Yaml,
        severity: Error,
        fix: None,
    };
}
