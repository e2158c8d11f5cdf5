declare_rule! {
    /// `hooks_path` that is not a string (Kamal crashes with a TypeError).
    pub static HOOKS_PATH_NOT_STRING = {
        code: "K035",
        name: "hooks-path-not-string",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
