declare_rule! {
    /// A custom certificate without its private key, or the reverse.
    pub static INCOMPLETE_CERTIFICATE = {
        code: "K018",
        name: "incomplete-certificate-pair",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
