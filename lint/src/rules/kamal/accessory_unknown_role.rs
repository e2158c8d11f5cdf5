use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// An accessory placed on a role that `servers` does not define.
    ///
    /// ## What it does
    /// Checks the names in an accessory's `role` and `roles` against the roles under `servers` (a
    /// `servers` list defines only `web`) and reports each unknown name at its place.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with `accessories/cache: unknown role workers` (or
    /// `accessories/cache: unknown roles workers, jobs` for several). A misspelt or renamed role
    /// would otherwise leave the accessory without the hosts it was meant for.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    ///   job:
    ///     hosts:
    ///       - 10.0.1.11
    /// accessories:
    ///   cache:
    ///     image: valkey/valkey:8
    ///     roles:
    ///       - web
    ///       - workers
    /// ```
    /// Use instead:
    /// ```yaml
    /// accessories:
    ///   cache:
    ///     image: valkey/valkey:8
    ///     roles:
    ///       - web
    ///       - job
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.8 (accessory checks, step 5)
    /// - [Kamal docs: accessories](https://kamal-deploy.org/docs/configuration/accessories/)
    /// - [`validator/accessory.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/accessory.rb)
    pub static ACCESSORY_UNKNOWN_ROLE = {
        code: "K021",
        name: "accessory-unknown-role",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// Accessory `name` runs on `role`, one of the `missing` roles (Kamal names them all); `defined`
/// are the roles under `servers`.
pub(crate) fn diagnostic(
    span: Span,
    ctx: &Ctx,
    name: &str,
    role: &str,
    missing: &[&str],
    defined: &[&str],
) -> Diagnostic {
    let kamal = if missing.len() == 1 {
        format!("unknown role {}", missing[0])
    } else {
        format!("unknown roles {}", missing.join(", "))
    };
    let defined: Vec<String> = defined.iter().map(|n| format!("`{n}`")).collect();
    Diagnostic::new(
        &ACCESSORY_UNKNOWN_ROLE,
        span,
        format!("accessory `{name}` runs on role `{role}`, which is not defined"),
    )
    .with_kamal(ctx.message(&kamal))
    .with_help(if defined.is_empty() {
        "no roles are defined under `servers`".into()
    } else {
        format!("defined roles: {}", defined.join(", "))
    })
}
