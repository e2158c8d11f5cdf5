declare_rule! {
    /// `primary_role` names a role that is not defined under `servers`.
    pub static UNDEFINED_PRIMARY_ROLE = {
        code: "K008",
        name: "undefined-primary-role",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
