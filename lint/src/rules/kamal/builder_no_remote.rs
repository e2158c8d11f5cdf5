declare_rule! {
    /// `builder.local: false` without a `remote`.
    pub static BUILDER_NO_REMOTE = {
        code: "K027",
        name: "builder-no-remote",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
