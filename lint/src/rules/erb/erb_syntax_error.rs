declare_rule! {
    /// Ruby code in an ERB tag that cannot parse.
    pub static ERB_SYNTAX = {
        code: "E002",
        name: "erb-syntax-error",
        category: Erb,
        severity: Error,
        fix: None,
    };
}
