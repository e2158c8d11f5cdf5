declare_rule! {
    /// An accessory placed on a role that is not defined.
    pub static ACCESSORY_UNKNOWN_ROLE = {
        code: "K021",
        name: "accessory-unknown-role",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
