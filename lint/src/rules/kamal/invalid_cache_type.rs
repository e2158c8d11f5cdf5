use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// `builder.cache.type` other than `gha` or `registry`.
    ///
    /// ## What it does
    /// Reports a `cache.type` that is set and is neither `gha` (the GitHub Actions cache) nor
    /// `registry` (a cache image pushed next to the app image).
    ///
    /// ## Why is this bad?
    /// Those are the two cache backends Kamal knows how to pass to `docker buildx build`; anything
    /// else stops Kamal 2.8.2 with `builder: Invalid cache type: s3`.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   arch: amd64
    ///   cache:
    ///     type: s3
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: amd64
    ///   cache:
    ///     type: registry
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.7 (builder checks, step 2)
    /// - [Kamal docs: builders](https://kamal-deploy.org/docs/configuration/builders/)
    /// - [`validator/builder.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/builder.rb)
    pub static INVALID_CACHE_TYPE = {
        code: "K025",
        name: "invalid-cache-type",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `builder.cache.type` is `name`, neither `gha` nor `registry`.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, name: &str) -> Diagnostic {
    Diagnostic::new(
        &INVALID_CACHE_TYPE,
        span,
        format!("`{name}` is not a cache type Kamal knows"),
    )
    .with_kamal(ctx.message(&format!("Invalid cache type: {name}")))
    .with_help("use `type: gha` or `type: registry`")
}
