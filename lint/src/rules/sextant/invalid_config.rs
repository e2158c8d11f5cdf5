use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A mistake in `.sextant.toml`.
    ///
    /// ## What it does
    /// Reports TOML syntax errors, unknown settings, rule selectors that name no rule, and
    /// invalid severities or Kamal versions in sextant's configuration file, at their position.
    ///
    /// ## Why is this bad?
    /// A configuration that sextant cannot read is not applied: rules you meant to turn off
    /// still run, and the ones you meant to select may not.
    ///
    /// ## Example
    /// ```toml
    /// selct = ["K"]          # unknown setting
    /// [severity]
    /// K001 = "loud"          # not a severity
    /// ```
    /// Use instead:
    /// ```toml
    /// select = ["K"]
    /// [severity]
    /// K001 = "warning"
    /// ```
    ///
    /// ## References
    /// - The README's "Configuration" section lists every setting.
    pub static INVALID_CONFIG = {
        code: "X003",
        name: "invalid-config",
        category: Sextant,
        severity: Error,
        fix: None,
    };
}

/// A problem of the configuration file at `span`.
pub(crate) fn diagnostic(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(&INVALID_CONFIG, span, message)
}

/// `--config FILE` names no file.
pub(crate) fn missing(span: Span) -> Diagnostic {
    diagnostic(span, "the configuration file does not exist")
}
