use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::kamal::ctx::Ctx;
use crate::text::Span;

declare_rule! {
    /// Kamal 1's `stop_wait_time`: Kamal 2 calls it `drain_timeout`.
    ///
    /// ## What it does
    /// Reports a root `stop_wait_time` key.
    ///
    /// ## Why is this bad?
    /// Kamal 2 rejects it (`unknown key: stop_wait_time`). The same setting — seconds requests
    /// get to finish before an old container stops — is `drain_timeout`.
    ///
    /// ## Example
    /// ```yaml
    /// stop_wait_time: 30
    /// ```
    /// Use instead:
    /// ```yaml
    /// drain_timeout: 30
    /// ```
    ///
    /// ## Fix
    /// Renames the key (safe, offered when there is no `drain_timeout` yet).
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (Kamal 1 → Kamal 2)
    pub static STOP_WAIT_TIME = {
        code: "L004",
        name: "stop-wait-time",
        category: Legacy,
        severity: Error,
        fix: Sometimes,
    };
}

/// `stop_wait_time` (its key at `span`), among the unknown keys Kamal names in `kamal`;
/// `fixable`: no `drain_timeout` is set, so the key can be renamed.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, kamal: &str, fixable: bool) -> Diagnostic {
    let d = Diagnostic::new(
        &STOP_WAIT_TIME,
        span,
        "`stop_wait_time` is Kamal 1 configuration: Kamal 2 calls it `drain_timeout`",
    )
    .with_kamal(ctx.message(kamal))
    .with_help("rename it to `drain_timeout`");
    if !fixable {
        return d;
    }
    d.with_fix(Fix {
        applicability: Applicability::Safe,
        message: "rename to `drain_timeout`".into(),
        edits: vec![Edit {
            span,
            content: "drain_timeout".into(),
        }],
    })
}
