declare_rule! {
    /// `retain_containers` below 1.
    pub static RETAIN_CONTAINERS_TOO_LOW = {
        code: "K013",
        name: "retain-containers-too-low",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
