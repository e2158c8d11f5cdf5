use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// `minimum_version` is not a version number.
    ///
    /// ## What it does
    /// Reports a `minimum_version` that RubyGems cannot read as a version: it must start with a
    /// digit, with numbers (and pre-release letters) separated by dots, such as `2.8.2` or
    /// `2.9.0.rc1`.
    ///
    /// ## Why is this bad?
    /// Kamal hands the value to `Gem::Version`, which raises an `ArgumentError` before any command
    /// runs: `Malformed version number string latest`.
    ///
    /// ## Example
    /// ```yaml
    /// minimum_version: latest
    /// ```
    /// Use instead:
    /// ```yaml
    /// minimum_version: "2.8.2"
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.1 (`minimum_version`) and §4.2 (messages without a context)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static MALFORMED_MINIMUM_VERSION = {
        code: "K012",
        name: "malformed-minimum-version",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `minimum_version: text` is not a version number.
pub(crate) fn diagnostic(span: Span, text: &str) -> Diagnostic {
    Diagnostic::new(
        &MALFORMED_MINIMUM_VERSION,
        span,
        format!("`{text}` is not a version number"),
    )
    .with_kamal(format!("Malformed version number string {text}"))
    .with_help("write a version such as `\"2.8.2\"` (quoted)")
}
