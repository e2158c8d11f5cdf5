declare_rule! {
    /// `require_destination: true` and no destination given.
    pub static DESTINATION_REQUIRED = {
        code: "K030",
        name: "destination-required",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
