declare_rule! {
    /// A `# sextant: ignore[...]` comment that suppresses nothing.
    ///
    /// ## What it does
    /// Reports suppression comments (and codes inside them) that match no diagnostic on the
    /// line they apply to, or, for `ignore-file`, anywhere in the file.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real problem on that line: once the original problem
    /// is fixed, the comment keeps silencing whatever appears there later.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   app_port: 3000  # sextant: ignore[K003]
    /// ```
    /// `app_port` is an integer here, so `K003` suppresses nothing.
    ///
    /// ## Fix
    /// Removes the comment, or just the unused codes when others in the list are used (safe).
    ///
    /// ## References
    /// - ruff's `unused-noqa` (RUF100) works the same way.
    pub static UNUSED_SUPPRESSION = {
        code: "X001",
        name: "unused-suppression",
        category: Sextant,
        severity: Warning,
        fix: Always,
    };
}
