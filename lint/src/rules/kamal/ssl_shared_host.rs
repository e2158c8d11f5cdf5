declare_rule! {
    /// Two SSL roles serving the same proxy host.
    pub static SSL_SHARED_HOST = {
        code: "K015",
        name: "ssl-shared-host",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
