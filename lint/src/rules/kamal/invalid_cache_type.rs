declare_rule! {
    /// `builder.cache.type` other than `gha` or `registry`.
    pub static INVALID_CACHE_TYPE = {
        code: "K025",
        name: "invalid-cache-type",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
