use crate::diagnostic::Diagnostic;
use crate::text::Span;
use sextant_schema::Version;

declare_rule! {
    /// `minimum_version` is above the Kamal version checked against.
    ///
    /// ## What it does
    /// Compares `minimum_version` (as RubyGems compares versions) with the Kamal version sextant
    /// checks against: `--kamal-version`, else `kamal-version` in `.sextant.toml`, else the
    /// `kamal` entry of `Gemfile.lock`. Without any of these, sextant takes `minimum_version`
    /// itself when it names a Kamal release it knows (2.8.2 otherwise), so the rule fires when the
    /// project says which Kamal it runs.
    ///
    /// ## Why is this bad?
    /// Kamal refuses to run: `Current version is 2.8.2, minimum required is 2.9.0`. Usually
    /// `minimum_version` was raised while `Gemfile.lock`, and so `bin/kamal`, still pins the older
    /// Kamal. Quote the version: unquoted, `minimum_version: 2.10` is the number 2.1.
    ///
    /// ## Example
    /// ```yaml
    /// # Gemfile.lock pins kamal (2.8.2)
    /// minimum_version: "2.9.0"
    /// ```
    /// Use instead:
    /// ```yaml
    /// # Gemfile.lock pins kamal (2.9.0), after `bundle update kamal`
    /// minimum_version: "2.9.0"
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.1 (`minimum_version`) and §4.1 (step 15)
    /// - [Kamal docs: configuration overview](https://kamal-deploy.org/docs/configuration/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static MINIMUM_VERSION_NOT_MET = {
        code: "K011",
        name: "minimum-version-not-met",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `minimum_version: required` is above the Kamal `version` checked against; `unquoted_float`
/// is the version's text when YAML read it as a number.
pub(crate) fn diagnostic(
    span: Span,
    required: &str,
    version: Version,
    unquoted_float: Option<&str>,
) -> Diagnostic {
    let d = Diagnostic::new(
        &MINIMUM_VERSION_NOT_MET,
        span,
        format!(
            "this configuration requires Kamal {required} or later; checking against Kamal {version}"
        ),
    )
    .with_kamal(format!(
        "Current version is {version}, minimum required is {required}"
    ));
    match unquoted_float {
        Some(text) => d.with_help(format!(
            "unquoted, `{text}` is read as a number: quote the version"
        )),
        None => {
            d.with_help("upgrade Kamal, or tell sextant which Kamal you run with `--kamal-version`")
        }
    }
}
