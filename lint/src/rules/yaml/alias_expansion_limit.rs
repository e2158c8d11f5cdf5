declare_rule! {
    /// Aliases that expand to an unreasonable number of nodes (a YAML bomb).
    pub static ALIAS_EXPANSION_LIMIT = {
        code: "Y004",
        name: "alias-expansion-limit",
        category: Yaml,
        severity: Error,
        fix: None,
    };
}
