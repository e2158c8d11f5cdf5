use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// An alias inside the very node its anchor names.
    ///
    /// ## What it does
    /// Reports an alias (`*name`) written inside the mapping or list anchored as `&name`, so that
    /// the node would contain itself. sextant reads such an alias as an empty value.
    ///
    /// ## Why is this bad?
    /// Psych builds a structure that contains itself, which no Kamal setting can hold: where Kamal
    /// checks the value's type it rejects it, and code that walks it in full without guarding
    /// against cycles never finishes. It is always a mistake, usually an alias that was meant for
    /// another anchor.
    ///
    /// ## Example
    /// ```yaml
    /// x-env: &env
    ///   RAILS_ENV: production
    ///   extra: *env
    /// env:
    ///   clear: *env
    /// ```
    /// Use instead:
    /// ```yaml
    /// x-env: &env
    ///   RAILS_ENV: production
    /// env:
    ///   clear: *env
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (loading pipeline, step 5: anchors and aliases)
    /// - [YAML 1.1](https://yaml.org/spec/1.1/): anchors and aliases
    pub static RECURSIVE_ALIAS = {
        code: "Y005",
        name: "recursive-alias",
        category: Yaml,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::new(
        &RECURSIVE_ALIAS,
        span,
        "this alias points at the node that contains it; sextant reads it as an empty value",
    )
}
