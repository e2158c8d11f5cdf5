use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// An ERB trim marker (`<%-` or `-%>`), which Kamal 2.8.2 does not understand.
    ///
    /// ## What it does
    /// Reports `<%-` and `-%>` in `config/deploy.yml` and the destination files.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 renders each config file with `ERB.new(text).result`, without trim mode, so the
    /// `-` is not a marker but part of the Ruby code. `-%>` leaves a dangling `-` at the end of the
    /// expression and Ruby stops with a `SyntaxError` (`(erb):LINE: syntax error, …`) before Kamal
    /// reads a single setting; `<%-` slips a unary minus in front of the code, which fails to parse
    /// or, worse, changes its meaning. A change merged after 2.8.2 (basecamp/kamal#1718) turns trim
    /// mode on, so later Kamal releases may accept the markers.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   clear:
    ///     RAILS_ENV: <%= ENV.fetch("RAILS_ENV", "production") -%>
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
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb): `ERB.new(File.read(file)).result`, no trim mode
    /// - [basecamp/kamal#1718](https://github.com/basecamp/kamal/pull/1718): trim mode, after 2.8.2
    pub static ERB_TRIM_MARKER = {
        code: "E001",
        name: "erb-trim-marker",
        category: Erb,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::new(
        &ERB_TRIM_MARKER,
        span,
        "ERB trim marker: Kamal renders ERB without trim mode, so Ruby fails to parse this",
    )
    .with_kamal("SyntaxError: ERB trim markers (`<%-`, `-%>`) without trim mode")
    .with_help("use `<%` and `%>`")
}
