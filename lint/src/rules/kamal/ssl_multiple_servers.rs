declare_rule! {
    /// Automatic SSL on a role with several hosts.
    pub static SSL_MULTIPLE_SERVERS = {
        code: "K014",
        name: "ssl-multiple-servers",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
