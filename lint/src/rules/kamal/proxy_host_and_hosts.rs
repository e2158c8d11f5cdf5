declare_rule! {
    /// A proxy with both `host` and `hosts`.
    pub static PROXY_HOST_AND_HOSTS = {
        code: "K016",
        name: "proxy-host-and-hosts",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
