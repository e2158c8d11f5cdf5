use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// An ERB tag opened with `<%` and never closed with `%>`.
    ///
    /// ## What it does
    /// Reports a `<%`, `<%=` or `<%#` with no `%>` after it. The tag then runs to the end of the
    /// file, so nothing after it is checked.
    ///
    /// ## Why is this bad?
    /// ERB takes everything from the tag to the end of the file as Ruby code (or, after `<%#`, as a
    /// comment). The YAML that follows is not Ruby, so rendering fails with a `SyntaxError` and
    /// Kamal loads nothing; an unclosed comment tag instead makes the rest of the file silently
    /// disappear.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   clear:
    ///     RAILS_ENV: <%= ENV.fetch("RAILS_ENV", "production")
    ///     RAILS_LOG_LEVEL: info
    /// ```
    /// Use instead:
    /// ```yaml
    /// env:
    ///   clear:
    ///     RAILS_ENV: <%= ENV.fetch("RAILS_ENV", "production") %>
    ///     RAILS_LOG_LEVEL: info
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (loading pipeline, step 4: ERB)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb): each file goes through `ERB.new(…).result` first
    /// - [Ruby's ERB](https://docs.ruby-lang.org/en/master/ERB.html)
    pub static ERB_UNTERMINATED = {
        code: "E003",
        name: "erb-unterminated-tag",
        category: Erb,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::new(
        &ERB_UNTERMINATED,
        span,
        "this ERB tag is never closed with `%>`",
    )
    .with_kamal("SyntaxError: unterminated ERB tag")
}
