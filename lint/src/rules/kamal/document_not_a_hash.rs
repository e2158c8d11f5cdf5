use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A config file that is empty, holds only comments, or is not a hash of settings.
    ///
    /// ## What it does
    /// Reports `config/deploy.yml` or a destination file whose YAML document is empty,
    /// comment-only, `null`, a list or a single value. A file that ERB writes entirely is not
    /// judged.
    ///
    /// ## Why is this bad?
    /// Kamal calls `symbolize_keys` on every parsed file, so any command crashes with a
    /// `NoMethodError`: ``undefined method `symbolize_keys' for false:FalseClass`` for an empty or
    /// comment-only file, ``…for ["a", "b"]:Array`` for a list (the wording varies with the Ruby
    /// version). A destination file that changes nothing must still hold `{}`.
    ///
    /// ## Example
    /// ```yaml
    /// # config/deploy.staging.yml
    /// # staging: same as production for now
    /// ```
    /// Use instead:
    /// ```yaml
    /// # config/deploy.staging.yml
    /// # staging: same as production for now
    /// {}
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (step 5: the document must be a mapping) and §6
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb): `YAML.unsafe_load(…).symbolize_keys`
    /// - [basecamp/kamal#682](https://github.com/basecamp/kamal/issues/682): an empty destination file needs `{}`
    pub static DOCUMENT_NOT_A_HASH = {
        code: "K034",
        name: "document-not-a-hash",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `what` the document is in words; `ruby`, Ruby's `inspect:Class` of it.
pub(crate) fn diagnostic(span: Span, what: &str, ruby: &str) -> Diagnostic {
    Diagnostic::new(
        &DOCUMENT_NOT_A_HASH,
        span,
        format!("this config file is {what}: Kamal needs a hash of settings and crashes"),
    )
    .with_kamal(format!("undefined method `symbolize_keys' for {ruby}"))
    .with_help("a destination file must at least hold `{}` — or remove it")
}
