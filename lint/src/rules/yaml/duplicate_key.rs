declare_rule! {
    /// A key given twice in one mapping: the last one silently wins.
    pub static DUPLICATE_KEY = {
        code: "Y002",
        name: "duplicate-key",
        category: Yaml,
        severity: Warning,
        fix: None,
    };
}
