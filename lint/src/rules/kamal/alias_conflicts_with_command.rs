declare_rule! {
    /// An alias named like a built-in Kamal command.
    pub static ALIAS_CONFLICTS_WITH_COMMAND = {
        code: "K023",
        name: "alias-conflicts-with-command",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
