use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// Ruby code in an ERB tag that does not parse.
    ///
    /// ## What it does
    /// Checks the Ruby inside `<% %>` and `<%= %>` tags for the mistakes that make ERB fail: an
    /// unbalanced bracket or quote, an expression ending in an operator, an empty `<%= %>`, a block
    /// (`if`, `do`, …) never closed with `<% end %>`, or an `end` with nothing to close. The check
    /// is conservative (code it cannot follow passes), and sextant never runs the code.
    ///
    /// ## Why is this bad?
    /// Kamal renders the whole file with ERB before it parses the YAML. A Ruby syntax error stops
    /// every command with a `SyntaxError` such as `(erb):9: syntax error, unexpected ')'`: it names
    /// a line but not the file, and no setting is checked until it is fixed.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   clear:
    ///     RAILS_ENV: <%= ENV.fetch("RAILS_ENV", "production" %>
    /// ```
    /// Use instead:
    /// ```yaml
    /// env:
    ///   clear:
    ///     RAILS_ENV: <%= ENV.fetch("RAILS_ENV", "production") %>
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (loading pipeline, step 4: ERB)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb): each file goes through `ERB.new(…).result` first
    /// - [Ruby's ERB](https://docs.ruby-lang.org/en/master/ERB.html)
    pub static ERB_SYNTAX = {
        code: "E002",
        name: "erb-syntax-error",
        category: Erb,
        severity: Error,
        fix: None,
    };
}

/// `detail`: the Ruby parser's complaint about the tag's code.
pub(crate) fn diagnostic(span: Span, detail: &str) -> Diagnostic {
    Diagnostic::new(
        &ERB_SYNTAX,
        span,
        format!("Ruby syntax error in ERB: {detail}"),
    )
    .with_kamal(format!("SyntaxError: (erb): {detail}"))
}
