use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A `restart` policy in the docker `options` of a role or an accessory.
    ///
    /// ## What it does
    /// Reports `restart` under `servers.ROLE.options` or `accessories.NAME.options`. Checking
    /// against Kamal 2.12 or later, where a valid policy is allowed, it reports only values that
    /// are not Docker restart policies.
    ///
    /// ## Why is this bad?
    /// Kamal runs its containers with `--restart unless-stopped`; a second `--restart` clashes, for
    /// instance with the `--rm` of `kamal app exec` (basecamp/kamal#749). Kamal 2.6.0 to 2.11 stop
    /// with this message, whose path names the role or accessory rather than `options`:
    /// `accessories/db: Cannot set restart policy in docker options, unless-stopped is required`.
    /// From 2.12.0 a bad value gives
    /// `…/options/restart: should be no, always, unless-stopped, on-failure, or on-failure:N`.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   db:
    ///     image: postgres:16
    ///     host: 10.0.1.12
    ///     options:
    ///       restart: always
    /// ```
    /// Use instead:
    /// ```yaml
    /// accessories:
    ///   db:
    ///     image: postgres:16
    ///     host: 10.0.1.12
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.2 (role `options`), §3.8 (step 4) and Appendix B (2.12.0)
    /// - [`validator.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator.rb)
    /// - [basecamp/kamal#749](https://github.com/basecamp/kamal/issues/749): `--restart` conflicts with `--rm`
    /// - [basecamp/kamal#1503](https://github.com/basecamp/kamal/pull/1503): the restart policy must be unless-stopped
    pub static RESTART_IN_OPTIONS = {
        code: "K029",
        name: "restart-in-options",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// A `restart` option (its key at `span`) before Kamal 2.12.0.
pub(crate) fn not_allowed(span: Span, ctx: &Ctx) -> Diagnostic {
    Diagnostic::new(
        &RESTART_IN_OPTIONS,
        span,
        "Kamal sets `--restart unless-stopped` itself; a `restart` option is not allowed",
    )
    .with_kamal(
        ctx.message("Cannot set restart policy in docker options, unless-stopped is required"),
    )
    .with_help("remove `restart` from `options`")
}

/// A `restart` policy that is not a string (from Kamal 2.12.0; `ctx` is `…/options/restart`).
pub(crate) fn not_a_string(span: Span, ctx: &Ctx) -> Diagnostic {
    Diagnostic::new(
        &RESTART_IN_OPTIONS,
        span,
        "the restart policy should be a string (quote `\"no\"`)",
    )
    .with_kamal(ctx.message("should be a string. Use \"no\" to disable restarts"))
}

/// A `restart` policy Docker does not know (from Kamal 2.12.0; `ctx` is `…/options/restart`).
pub(crate) fn invalid_policy(span: Span, ctx: &Ctx) -> Diagnostic {
    Diagnostic::new(&RESTART_IN_OPTIONS, span, "not a Docker restart policy").with_kamal(
        ctx.message("should be no, always, unless-stopped, on-failure, or on-failure:N"),
    )
}
