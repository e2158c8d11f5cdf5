use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// Two roles serving the same host name with SSL.
    ///
    /// ## What it does
    /// Collects the proxy host names of every role that runs the proxy with SSL on (the role's
    /// proxy merged over the root `proxy`, so a role with `proxy: true` inherits the root host) and
    /// reports each name that more than one role serves, with a label at the first.
    ///
    /// ## Why is this bad?
    /// kamal-proxy routes a host name to one service only, and both roles would request the same
    /// certificate. Kamal 2.8.2 stops with
    /// `Different roles can't share the same host for SSL: app.example.com`.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web: [10.0.1.10]
    ///   api:
    ///     hosts: [10.0.1.11]
    ///     proxy: true
    /// proxy:
    ///   host: app.example.com
    ///   ssl: true
    /// ```
    /// Use instead (the root `ssl: true` still applies to `api`):
    /// ```yaml
    /// servers:
    ///   web: [10.0.1.10]
    ///   api:
    ///     hosts: [10.0.1.11]
    ///     proxy:
    ///       host: api.example.com
    /// proxy:
    ///   host: app.example.com
    ///   ssl: true
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.4 (cross-role SSL checks) and §4.1 (step 20)
    /// - [Kamal docs: proxy](https://kamal-deploy.org/docs/configuration/proxy/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static SSL_SHARED_HOST = {
        code: "K015",
        name: "ssl-shared-host",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// Role `role` serves `host` (at `span`) with SSL, which role `first_role` serves too (at
/// `first`); `shared` are all the shared hosts (Kamal names them together).
pub(crate) fn diagnostic(
    span: Span,
    host: &str,
    role: &str,
    first: Span,
    first_role: &str,
    shared: &[&str],
) -> Diagnostic {
    Diagnostic::new(
        &SSL_SHARED_HOST,
        span,
        format!("roles `{first_role}` and `{role}` both serve `{host}` with SSL"),
    )
    .with_kamal(format!(
        "Different roles can't share the same host for SSL: {}",
        shared.join(", ")
    ))
    .with_label(first, format!("role `{first_role}` serves it here"))
    .with_help("give each SSL role its own host name")
}
