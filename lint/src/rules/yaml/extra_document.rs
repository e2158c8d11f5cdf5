declare_rule! {
    /// A second YAML document (`---`) that Kamal ignores.
    pub static EXTRA_DOCUMENT = {
        code: "Y006",
        name: "extra-document",
        category: Yaml,
        severity: Warning,
        fix: None,
    };
}
