declare_rule! {
    /// `service` with characters other than letters, digits, `-` and `_`.
    pub static INVALID_SERVICE_NAME = {
        code: "K010",
        name: "invalid-service-name",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
