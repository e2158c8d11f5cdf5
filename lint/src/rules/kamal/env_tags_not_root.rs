use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// `tags` in an `env` other than the root `env`.
    ///
    /// ## What it does
    /// Reports `tags` inside a role's `env`, an accessory's `env`, or a tag's own env
    /// (`env.tags.TAG.tags`). Host tags pick their extra variables from the root `env.tags` only.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with `servers/web/env: tags are only allowed in the root env`, the path
    /// naming the env that holds them.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     hosts:
    ///       - 10.0.1.10: eu
    ///     env:
    ///       tags:
    ///         eu:
    ///           REGION: eu-west
    /// ```
    /// Use instead:
    /// ```yaml
    /// servers:
    ///   web:
    ///     hosts:
    ///       - 10.0.1.10: eu
    /// env:
    ///   tags:
    ///     eu:
    ///       REGION: eu-west
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.6 (`env`, `tags`) and §3.3 (host tags)
    /// - [Kamal docs: environment variables](https://kamal-deploy.org/docs/configuration/environment-variables/)
    /// - [`validator/env.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/env.rb)
    pub static ENV_TAGS_NOT_ROOT = {
        code: "K033",
        name: "env-tags-not-root",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `tags` (its key at `span`) in the env at `ctx`, which is not the root env.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx) -> Diagnostic {
    Diagnostic::new(
        &ENV_TAGS_NOT_ROOT,
        span,
        format!(
            "`tags` in {} has no effect: only the root `env` may have tags",
            ctx.display()
        ),
    )
    .with_kamal(ctx.message("tags are only allowed in the root env"))
    .with_help("move these tags under the root `env.tags`")
}
