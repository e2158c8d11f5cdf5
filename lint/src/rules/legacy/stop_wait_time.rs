declare_rule! {
    /// Kamal 1's `stop_wait_time`: Kamal 2 calls it `drain_timeout`.
    ///
    /// ## What it does
    /// Reports a root `stop_wait_time` key.
    ///
    /// ## Why is this bad?
    /// Kamal 2 rejects it (`unknown key: stop_wait_time`). The same setting — seconds requests
    /// get to finish before an old container stops — is `drain_timeout`.
    ///
    /// ## Example
    /// ```yaml
    /// stop_wait_time: 30
    /// ```
    /// Use instead:
    /// ```yaml
    /// drain_timeout: 30
    /// ```
    ///
    /// ## Fix
    /// Renames the key (safe, offered when there is no `drain_timeout` yet).
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (Kamal 1 → Kamal 2)
    pub static STOP_WAIT_TIME = {
        code: "L004",
        name: "stop-wait-time",
        category: Legacy,
        severity: Error,
        fix: Sometimes,
    };
}
