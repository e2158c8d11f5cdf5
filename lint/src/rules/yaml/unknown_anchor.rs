declare_rule! {
    /// An alias (`*name`) with no anchor (`&name`) before it in the same file.
    pub static UNKNOWN_ANCHOR = {
        code: "Y003",
        name: "unknown-anchor",
        category: Yaml,
        severity: Error,
        fix: None,
    };
}
