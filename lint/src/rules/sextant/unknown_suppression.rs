use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A suppression comment naming a rule that does not exist.
    ///
    /// ## What it does
    /// Reports codes and names inside `# sextant: ignore[...]` and `# sextant: ignore-file[...]`
    /// that are neither a rule code, a code prefix, nor a rule name.
    ///
    /// ## Why is this bad?
    /// A typo in a suppression silently suppresses nothing, while the author believes the
    /// problem is acknowledged.
    ///
    /// ## Example
    /// ```yaml
    /// retain_containers: "3"  # sextant: ignore[invalid-typ]
    /// ```
    /// Use instead:
    /// ```yaml
    /// retain_containers: 3
    /// ```
    ///
    /// ## References
    /// - `sextant rules` lists every code and name.
    pub static UNKNOWN_SUPPRESSION = {
        code: "X002",
        name: "unknown-suppression",
        category: Sextant,
        severity: Warning,
        fix: None,
    };
}

/// The code `text` (at `span`) of a suppression names no rule.
pub(crate) fn diagnostic(span: Span, text: &str) -> Diagnostic {
    Diagnostic::new(
        &UNKNOWN_SUPPRESSION,
        span,
        format!("`{text}` in this suppression names no sextant rule"),
    )
    .with_help("see `sextant rules` for the codes and names")
}
