use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A role or accessory label named `service`, `role` or `destination`.
    ///
    /// ## What it does
    /// Reports these names under `servers.ROLE.labels` and `accessories.NAME.labels`. Root `labels`
    /// are not checked by Kamal, nor by this rule.
    ///
    /// ## Why is this bad?
    /// Kamal sets these three labels itself and filters containers by them to find the ones it
    /// manages. Since 2.7.0 it rejects them on roles and accessories:
    /// `servers/web/labels/service: invalid label. destination, role, and service are reserved labels`.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     hosts:
    ///       - 10.0.1.10
    ///     labels:
    ///       service: billing
    /// ```
    /// Use instead:
    /// ```yaml
    /// servers:
    ///   web:
    ///     hosts:
    ///       - 10.0.1.10
    ///     labels:
    ///       team: billing
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.2 (role `labels`) and §3.8 (accessory checks, step 3)
    /// - [Kamal docs: roles](https://kamal-deploy.org/docs/configuration/roles/)
    /// - [`validator.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator.rb)
    pub static RESERVED_LABEL = {
        code: "K028",
        name: "reserved-label",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The label `name` (its key at `span`, context `ctx` ending in the label) is reserved.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, name: &str) -> Diagnostic {
    Diagnostic::new(
        &RESERVED_LABEL,
        span,
        format!("label `{name}` is reserved: Kamal sets it itself to find its containers"),
    )
    .with_kamal(ctx.message("invalid label. destination, role, and service are reserved labels"))
    .with_help("rename the label")
}
