use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A key given twice in one mapping: the last one silently wins.
    ///
    /// ## What it does
    /// Reports every later occurrence of a key in the same mapping, with a label at the first.
    /// Keys in alternative ERB branches (`<% if %> … <% else %> …`) and keys that override what a
    /// `<<` merge brought in are not duplicates.
    ///
    /// ## Why is this bad?
    /// Psych keeps the last value without a word, so Kamal never sees the first one. A second
    /// `proxy:` added at the end of the file does not add to the first section: it replaces it,
    /// host, SSL and health check included, and the deploy quietly runs with half the settings.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   ssl: true
    ///
    /// # … further down the file
    /// proxy:
    ///   app_port: 3000
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   ssl: true
    ///   app_port: 3000
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (loading pipeline, step 5: duplicate keys)
    /// - [YAML 1.1](https://yaml.org/spec/1.1/): mapping keys are unique
    pub static DUPLICATE_KEY = {
        code: "Y002",
        name: "duplicate-key",
        category: Yaml,
        severity: Warning,
        fix: None,
    };
}

/// `name` is given again at `span`; `first` is where it was given first.
pub(crate) fn diagnostic(span: Span, name: &str, first: Option<Span>) -> Diagnostic {
    let mut d = Diagnostic::new(
        &DUPLICATE_KEY,
        span,
        format!("key `{name}` is given twice in this mapping: this one wins, the first is ignored"),
    )
    .with_help("remove one of them (or merge their contents)");
    if let Some(first) = first {
        d = d.with_label(first, "first given here (ignored)");
    }
    d
}
