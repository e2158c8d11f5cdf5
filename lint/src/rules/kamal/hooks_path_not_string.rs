use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A `hooks_path` that is not a string, on which Kamal crashes.
    ///
    /// ## What it does
    /// Reports an unquoted `hooks_path` that YAML reads as a number, `true` or a symbol. Kamal's
    /// type check lets these through (they count as strings), but they cannot be joined into a file
    /// path.
    ///
    /// ## Why is this bad?
    /// Every load of the configuration looks for legacy hook files under `hooks_path`, so Kamal
    /// 2.8.2 crashes on every command with a `TypeError` such as
    /// `no implicit conversion of Integer into String` (or `… of true into String`).
    ///
    /// ## Example
    /// ```yaml
    /// hooks_path: true
    /// ```
    /// Use instead:
    /// ```yaml
    /// hooks_path: .kamal/hooks
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.1 (`hooks_path`) and §4.1 (step 18)
    /// - [Kamal docs: hooks](https://kamal-deploy.org/docs/hooks/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static HOOKS_PATH_NOT_STRING = {
        code: "K035",
        name: "hooks-path-not-string",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `hooks_path` is a `class` (Ruby's class name of the value), not a string.
pub(crate) fn diagnostic(span: Span, class: &str) -> Diagnostic {
    Diagnostic::new(
        &HOOKS_PATH_NOT_STRING,
        span,
        "`hooks_path` must be a string: Kamal crashes on this value",
    )
    .with_kamal(format!("no implicit conversion of {class} into String"))
    .with_help("write the folder as a path, e.g. `hooks_path: .kamal/hooks`")
}
