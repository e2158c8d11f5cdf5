declare_rule! {
    /// A local registry with a remote builder that is not reached over SSH.
    pub static LOCAL_REGISTRY_REMOTE_BUILDER = {
        code: "K019",
        name: "local-registry-remote-builder",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
