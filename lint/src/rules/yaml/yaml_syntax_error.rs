declare_rule! {
    /// The file is not valid YAML.
    pub static YAML_SYNTAX = {
        code: "Y001",
        name: "yaml-syntax-error",
        category: Yaml,
        severity: Error,
        fix: None,
    };
}
