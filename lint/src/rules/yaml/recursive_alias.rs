declare_rule! {
    /// An alias inside the node its anchor names.
    pub static RECURSIVE_ALIAS = {
        code: "Y005",
        name: "recursive-alias",
        category: Yaml,
        severity: Error,
        fix: None,
    };
}
