use crate::diagnostic::Diagnostic;
use crate::rules::kamal::ctx::Ctx;
use crate::text::Span;

declare_rule! {
    /// Kamal 1's `builder.remote` / `builder.local` hashes: Kamal 2 wants a string and a boolean.
    ///
    /// ## What it does
    /// Reports `builder.remote` or `builder.local` written as a hash (`{arch:, host:}`).
    ///
    /// ## Why is this bad?
    /// Kamal 2 rejects them: `builder/remote: should be a string`,
    /// `builder/local: should be a boolean`. The architectures now go in `builder.arch`, the
    /// remote builder is a Docker endpoint string, and `local: false` sends every build to it.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   remote:
    ///     arch: arm64
    ///     host: ssh://builder@10.0.0.9
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: arm64
    ///   remote: ssh://builder@10.0.0.9
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (Kamal 1 → Kamal 2) and §3.7 (builder)
    /// - <https://kamal-deploy.org/docs/configuration/builders/>
    pub static BUILDER_HASH_FORM = {
        code: "L006",
        name: "builder-hash-form",
        category: Legacy,
        severity: Error,
        fix: None,
    };
}

/// `builder.remote` (its key at `span`) as a hash; `host` is its `host` when a string.
pub(crate) fn remote(span: Span, ctx: &Ctx, host: Option<&str>) -> Diagnostic {
    Diagnostic::new(
        &BUILDER_HASH_FORM,
        span,
        "`builder.remote` as a hash is Kamal 1 configuration: Kamal 2 wants the remote builder's endpoint as a string",
    )
    .with_kamal(ctx.message("should be a string"))
    .with_help(match host {
        Some(host) => format!("write `remote: {host}` and move the arch to `builder.arch`"),
        None => "write `remote: ssh://user@host` and move the arch to `builder.arch`".into(),
    })
}

/// `builder.local` (its key at `span`) as a hash.
pub(crate) fn local(span: Span, ctx: &Ctx) -> Diagnostic {
    Diagnostic::new(
        &BUILDER_HASH_FORM,
        span,
        "`builder.local` as a hash is Kamal 1 configuration: Kamal 2 wants `true` or `false`",
    )
    .with_kamal(ctx.message("should be a boolean"))
    .with_help(
        "put the architectures in `builder.arch`; `local: false` sends every build to the remote",
    )
}
