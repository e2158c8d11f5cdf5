use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// `builder.local: false` without a `remote`.
    ///
    /// ## What it does
    /// Reports `local: false` in `builder` when `remote` is missing or empty.
    ///
    /// ## Why is this bad?
    /// `local: false` sends every build to the remote builder; without a remote there is nowhere to
    /// build, and Kamal 2.8.2 stops with `builder: Cannot disable local builds, no remote is set`.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   arch: amd64
    ///   local: false
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: amd64
    ///   local: false
    ///   remote: ssh://docker@10.0.1.20
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.7 (builder checks, step 5)
    /// - [Kamal docs: configuration changes in Kamal 2](https://kamal-deploy.org/docs/upgrading/configuration-changes/)
    /// - [`validator/builder.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/builder.rb)
    pub static BUILDER_NO_REMOTE = {
        code: "K027",
        name: "builder-no-remote",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `local: false` (its value at `span`) without a remote.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx) -> Diagnostic {
    Diagnostic::new(
        &BUILDER_NO_REMOTE,
        span,
        "`local: false` sends every build to the remote builder, but no `remote` is set",
    )
    .with_kamal(ctx.message("Cannot disable local builds, no remote is set"))
    .with_help("set `remote: ssh://user@builder-host`, or remove `local: false`")
}
