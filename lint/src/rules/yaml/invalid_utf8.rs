use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// Bytes that are not valid UTF-8.
    ///
    /// ## What it does
    /// Reports the first byte of a config file that is not valid UTF-8, typically a Latin-1
    /// character saved by an old editor. The rest of the file is still checked, with that byte
    /// replaced.
    ///
    /// ## Why is this bad?
    /// Kamal reads the file as UTF-8 and hands it to Ruby's ERB and to Psych. An invalid byte makes
    /// loading fail (`invalid byte sequence in UTF-8`) before any setting is checked, even when the
    /// byte sits in a comment.
    ///
    /// ## Example
    /// ```yaml
    /// # Deploys the café app      <- `é` saved as the single Latin-1 byte 0xE9
    /// service: storefront
    /// ```
    /// Use instead:
    /// ```yaml
    /// # Deploys the café app      <- the same text, saved as UTF-8
    /// service: storefront
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (loading pipeline, steps 4 and 5: ERB, then YAML)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb): `File.read`, then ERB and Psych
    pub static INVALID_UTF8 = {
        code: "Y007",
        name: "invalid-utf8",
        category: Yaml,
        severity: Error,
        fix: None,
    };
}

/// The first byte that is not UTF-8.
pub(crate) fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::new(&INVALID_UTF8, span, "this byte is not valid UTF-8")
        .with_kamal("invalid byte sequence in UTF-8")
        .with_help("save the file as UTF-8")
}
