use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// No `builder.arch`, which Kamal 2 requires.
    ///
    /// ## What it does
    /// Reports a configuration without a `builder` section, or whose `builder` has no `arch`, an
    /// empty one or `[]`. The values themselves (`amd64`, `arm64`) are not checked here.
    ///
    /// ## Why is this bad?
    /// Kamal 2 builds only for the architectures you name, and stops with
    /// `builder: Builder arch not set`. It is the first error most Kamal 1 configurations meet,
    /// since Kamal 1 did not need the setting.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   dockerfile: Dockerfile
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: amd64
    ///   dockerfile: Dockerfile
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.7 (builder checks, step 3) and §5 (Kamal 1 → Kamal 2)
    /// - [Kamal docs: builders](https://kamal-deploy.org/docs/configuration/builders/)
    /// - [Kamal docs: configuration changes in Kamal 2](https://kamal-deploy.org/docs/upgrading/configuration-changes/)
    /// - [`validator/builder.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/builder.rb)
    pub static BUILDER_ARCH_MISSING = {
        code: "K024",
        name: "builder-arch-missing",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// No (or a blank) `builder.arch`; `has_builder`: whether there is a `builder` hash at all.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, has_builder: bool) -> Diagnostic {
    Diagnostic::new(
        &BUILDER_ARCH_MISSING,
        span,
        "no `builder.arch`: Kamal 2 needs to know which architecture(s) to build",
    )
    .with_kamal(ctx.message("Builder arch not set"))
    .with_help(if has_builder {
        "add `arch: amd64` (or `arm64`, or both as a list) under `builder`".into()
    } else {
        "add `builder:\\n  arch: amd64` (or arm64, or both as a list)".replace("\\n", "\n")
    })
}
