use crate::diagnostic::Diagnostic;
use crate::files::Files;
use crate::text::{ColumnUnit, Span};

declare_rule! {
    /// The file is not valid YAML.
    ///
    /// ## What it does
    /// Reports the first YAML syntax error in `config/deploy.yml` or a destination file, at its
    /// position. ERB tags are replaced by neutral filler before parsing, so what ERB would print is
    /// not judged. Nothing after the error can be checked.
    ///
    /// ## Why is this bad?
    /// Kamal parses the rendered file with Psych and stops with a `Psych::SyntaxError` such as
    /// `(<unknown>): mapping values are not allowed in this context at line 2 column 8`. The file
    /// is never named, and no other problem shows up until this one is fixed. Indentation that is
    /// off by one space and an unquoted value containing `: ` are the usual causes.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    ///    - 10.0.1.11
    /// ```
    /// Use instead:
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    ///     - 10.0.1.11
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (loading pipeline, step 5: YAML)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb): the rendered text goes to `YAML.unsafe_load`
    /// - [YAML 1.1](https://yaml.org/spec/1.1/)
    pub static YAML_SYNTAX = {
        code: "Y001",
        name: "yaml-syntax-error",
        category: Yaml,
        severity: Error,
        fix: None,
    };
}

/// A YAML syntax error: `message` is the parser's (libyaml-like) wording; Kamal's puts the
/// problem before its context, with the position.
pub(crate) fn diagnostic(files: &Files, span: Span, message: &str) -> Diagnostic {
    let (at, _) = files.range(span, ColumnUnit::Char);
    // libyaml/Psych put the problem before its context
    let psych = match message
        .strip_prefix("while ")
        .and_then(|m| m.split_once(", "))
    {
        Some((context, problem)) => format!("{problem} while {context}"),
        None => message.to_string(),
    };
    Diagnostic::new(&YAML_SYNTAX, span, format!("YAML syntax error: {message}")).with_kamal(
        format!(
            "(<unknown>): {psych} at line {} column {}",
            at.line + 1,
            at.col + 1
        ),
    )
}
