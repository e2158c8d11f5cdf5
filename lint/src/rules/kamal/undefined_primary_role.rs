use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// `primary_role` names a role that `servers` does not define.
    ///
    /// ## What it does
    /// The primary role, `primary_role` or by default `web`, must be one of the roles under
    /// `servers`. Reported at `primary_role`, or at `servers` when the default `web` is missing.
    /// A `servers` list (no role names) defines the single role `web`.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with `The primary_role web isn't defined`. The primary role runs the proxy
    /// unless told otherwise and provides the primary host; renaming `web` (to `app`, say) without
    /// setting `primary_role` is the usual cause. An empty `servers: {}` fails the same way.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   app:
    ///     - 10.0.1.10
    /// ```
    /// Use instead:
    /// ```yaml
    /// primary_role: app
    /// servers:
    ///   app:
    ///     - 10.0.1.10
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.2 (servers and roles) and §4.1 (step 14)
    /// - [Kamal docs: roles](https://kamal-deploy.org/docs/configuration/roles/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static UNDEFINED_PRIMARY_ROLE = {
        code: "K008",
        name: "undefined-primary-role",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The primary role `primary` is not among the `defined` roles; `explicit`: whether
/// `primary_role` is set (else it defaults to `web`).
pub(crate) fn diagnostic(
    span: Span,
    primary: &str,
    defined: &[&str],
    explicit: bool,
) -> Diagnostic {
    let names: Vec<String> = defined.iter().map(|n| format!("`{n}`")).collect();
    Diagnostic::new(
        &UNDEFINED_PRIMARY_ROLE,
        span,
        format!("the primary role `{primary}` is not defined under `servers`"),
    )
    .with_kamal(format!("The primary_role {primary} isn't defined"))
    .with_help(if names.is_empty() {
        "define at least one role under `servers`".into()
    } else if !explicit {
        format!(
            "the primary role defaults to `web`; set `primary_role:` to one of {}, or name a role `web`",
            names.join(", ")
        )
    } else {
        format!("defined roles: {}", names.join(", "))
    })
}
