declare_rule! {
    /// Proxy SSL turned on without a `host`.
    pub static SSL_WITHOUT_HOST = {
        code: "K017",
        name: "ssl-without-host",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
