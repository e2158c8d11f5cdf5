declare_rule! {
    /// A host-list entry written as a hash with more or fewer than one host.
    pub static MULTIPLE_HOSTS = {
        code: "K004",
        name: "multiple-hosts-in-entry",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
