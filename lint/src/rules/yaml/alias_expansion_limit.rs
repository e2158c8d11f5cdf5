use crate::diagnostic::Diagnostic;
use crate::syntax::yaml;
use crate::text::Span;

declare_rule! {
    /// Aliases that expand to more than a million nodes (a YAML bomb).
    ///
    /// ## What it does
    /// Counts the nodes that aliases stand for while a file is parsed, stops expanding once the
    /// total passes 1,000,000, and reports the alias where that happened. What lies beyond the
    /// limit is not checked.
    ///
    /// ## Why is this bad?
    /// A few lines of nested aliases (the "billion laughs" pattern) describe an exponentially large
    /// document. Psych shares aliased values instead of copying them, but anything that walks the
    /// result in full visits every copy: Kamal, where such a value sits in a section it validates
    /// or turns into command-line arguments, a tool printing the configuration, an editor. No
    /// configuration needs this; it is an accident or an attack.
    ///
    /// ## Example
    /// ```yaml
    /// x-a: &a [x, x, x, x, x, x, x, x, x, x]
    /// x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// # … x-d, x-e and x-f repeat the pattern: 10^6 copies of `x`
    /// ```
    /// Use instead: anchors to share a block of settings, the way they are meant to be used.
    /// ```yaml
    /// x-env: &default_env
    ///   RAILS_LOG_TO_STDOUT: "1"
    /// env:
    ///   clear:
    ///     <<: *default_env
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (loading pipeline, step 5: anchors and aliases)
    /// - [Billion laughs attack](https://en.wikipedia.org/wiki/Billion_laughs_attack)
    pub static ALIAS_EXPANSION_LIMIT = {
        code: "Y004",
        name: "alias-expansion-limit",
        category: Yaml,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::new(
        &ALIAS_EXPANSION_LIMIT,
        span,
        format!(
            "aliases expand to more than {} nodes (a YAML bomb?): sextant stops expanding them here",
            yaml::ALIAS_EXPANSION_LIMIT
        ),
    )
}
