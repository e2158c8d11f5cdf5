declare_rule! {
    /// A `restart` policy in docker `options` (Kamal manages restarts).
    pub static RESTART_IN_OPTIONS = {
        code: "K029",
        name: "restart-in-options",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
