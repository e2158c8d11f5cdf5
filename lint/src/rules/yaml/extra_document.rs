use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A second YAML document (`---`), which Kamal never reads.
    ///
    /// ## What it does
    /// Reports the `---` that starts a second document in a config file. Nothing from there to the
    /// end of the file is checked.
    ///
    /// ## Why is this bad?
    /// Kamal loads the file with Psych's `unsafe_load`, which returns the first document and stops:
    /// every setting after the `---` silently does nothing. The usual cause is a staging or
    /// production variant pasted into `config/deploy.yml`; destinations belong in their own
    /// `config/deploy.DEST.yml`, which Kamal merges over the base with `-d DEST`.
    ///
    /// ## Example
    /// ```yaml
    /// service: storefront
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    /// ---
    /// # staging
    /// servers:
    ///   web:
    ///     - 10.0.2.10
    /// ```
    /// Use instead:
    /// ```yaml
    /// # config/deploy.staging.yml, used with `kamal deploy -d staging`
    /// servers:
    ///   web:
    ///     - 10.0.2.10
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (loading pipeline, step 5: YAML) and §6 (destinations)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb): `YAML.unsafe_load` of each file
    pub static EXTRA_DOCUMENT = {
        code: "Y006",
        name: "extra-document",
        category: Yaml,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::new(
        &EXTRA_DOCUMENT,
        span,
        "a second YAML document: Kamal reads only the first, everything from here is ignored",
    )
}
