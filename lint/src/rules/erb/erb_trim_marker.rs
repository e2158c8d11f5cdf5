declare_rule! {
    /// `<%-` or `-%>`: Kamal renders ERB without trim mode, so Ruby fails to parse it.
    pub static ERB_TRIM_MARKER = {
        code: "E001",
        name: "erb-trim-marker",
        category: Erb,
        severity: Error,
        fix: None,
    };
}
