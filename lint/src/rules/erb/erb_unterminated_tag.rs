declare_rule! {
    /// `<%` without a closing `%>`.
    pub static ERB_UNTERMINATED = {
        code: "E003",
        name: "erb-unterminated-tag",
        category: Erb,
        severity: Error,
        fix: None,
    };
}
