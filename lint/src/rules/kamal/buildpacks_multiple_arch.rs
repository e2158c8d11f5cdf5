use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// `builder.pack` (Cloud Native Buildpacks) with more than one `arch`.
    ///
    /// ## What it does
    /// Reports `pack` when `arch` is a list of two or more architectures, with a label at the list.
    ///
    /// ## Why is this bad?
    /// A buildpacks build produces an image for one architecture; Kamal 2.8.2 stops with
    /// `builder: buildpacks only support building for one arch`.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   arch:
    ///     - amd64
    ///     - arm64
    ///   pack:
    ///     builder: heroku/builder:24
    ///     buildpacks:
    ///       - heroku/ruby
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: amd64
    ///   pack:
    ///     builder: heroku/builder:24
    ///     buildpacks:
    ///       - heroku/ruby
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.7 (builder checks, step 4)
    /// - [Kamal docs: builders](https://kamal-deploy.org/docs/configuration/builders/)
    /// - [`validator/builder.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/builder.rb)
    pub static BUILDPACKS_MULTIPLE_ARCH = {
        code: "K026",
        name: "buildpacks-multiple-arch",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `pack` (its key at `span`) with several arches (the `arch` value at `arch`).
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, arch: Span) -> Diagnostic {
    Diagnostic::new(
        &BUILDPACKS_MULTIPLE_ARCH,
        span,
        "buildpacks (`pack`) build for one architecture only",
    )
    .with_kamal(ctx.message("buildpacks only support building for one arch"))
    .with_label(arch, "several arches here")
    .with_help("build for a single arch, or use a Dockerfile")
}
