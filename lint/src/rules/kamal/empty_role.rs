use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A role with no hosts.
    ///
    /// ## What it does
    /// Reports the primary role when it has no hosts, and any other role without hosts unless
    /// `allow_empty_roles: true`. Host entries that are neither a string nor a hash (a bare number)
    /// are dropped, as Kamal drops them; hosts written with ERB count as present.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with `No servers specified for the web primary_role`, or
    /// `No servers specified for the job role. You can ignore this with allow_empty_roles: true`.
    /// `allow_empty_roles` never excuses the primary role.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    ///   job:
    ///     cmd: bin/jobs
    /// ```
    /// Use instead:
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    ///   job:
    ///     hosts:
    ///       - 10.0.1.11
    ///     cmd: bin/jobs
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.2 (servers and roles), §4.1 (step 14) and §4.3
    /// - [Kamal docs: roles](https://kamal-deploy.org/docs/configuration/roles/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static EMPTY_ROLE = {
        code: "K009",
        name: "empty-role",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The primary role `name` has no hosts.
pub(crate) fn primary(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(
        &EMPTY_ROLE,
        span,
        format!("the primary role `{name}` has no hosts"),
    )
    .with_kamal(format!("No servers specified for the {name} primary_role"))
    .with_help("list at least one host for it (allow_empty_roles does not cover the primary role)")
}

/// The role `name` (not the primary one) has no hosts, and empty roles are not allowed.
pub(crate) fn role(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(&EMPTY_ROLE, span, format!("role `{name}` has no hosts"))
        .with_kamal(format!(
            "No servers specified for the {name} role. You can ignore this with allow_empty_roles: true"
        ))
        .with_help("list its hosts, remove the role, or set `allow_empty_roles: true`")
}
