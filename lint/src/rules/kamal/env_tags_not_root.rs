declare_rule! {
    /// `tags` in an env other than the root env.
    pub static ENV_TAGS_NOT_ROOT = {
        code: "K033",
        name: "env-tags-not-root",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
