use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// Automatic SSL on a role that has more than one host.
    ///
    /// ## What it does
    /// For each role that runs the proxy, takes the role's proxy settings merged over the root
    /// `proxy`, and reports SSL that is on without a complete custom certificate
    /// (`certificate_pem` and `private_key_pem`) when the role has more than one host. Roles whose
    /// hosts come from ERB are not checked.
    ///
    /// ## Why is this bad?
    /// With `ssl: true`, kamal-proxy on each host asks Let's Encrypt for its own certificate, which
    /// cannot work once several servers answer for one host name. Kamal 2.8.2 stops with
    /// `SSL is only supported on a single server unless you provide custom certificates, found 2 servers for role web`.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    ///     - 10.0.1.11
    /// proxy:
    ///   host: app.example.com
    ///   ssl: true
    /// ```
    /// Use instead (the two names are secrets in `.kamal/secrets`), or end TLS at a load balancer
    /// and set `ssl: false`:
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   ssl:
    ///     certificate_pem: CERTIFICATE_PEM
    ///     private_key_pem: PRIVATE_KEY_PEM
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.4 (cross-role SSL checks) and §4.1 (step 19)
    /// - [Kamal docs: proxy](https://kamal-deploy.org/docs/configuration/proxy/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    /// - [basecamp/kamal#1585](https://github.com/basecamp/kamal/pull/1585): custom certificates, used on every host
    pub static SSL_MULTIPLE_SERVERS = {
        code: "K014",
        name: "ssl-multiple-servers",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// Role `role` (its key at `role_key`) has `hosts` hosts and automatic SSL (at `span`).
pub(crate) fn diagnostic(
    span: Span,
    role: &str,
    hosts: usize,
    role_key: Option<Span>,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        &SSL_MULTIPLE_SERVERS,
        span,
        format!("automatic SSL (Let's Encrypt) works on one server only, role `{role}` has {hosts}"),
    )
    .with_kamal(format!(
        "SSL is only supported on a single server unless you provide custom certificates, found {hosts} servers for role {role}"
    ));
    if let Some(k) = role_key {
        d = d.with_label(k, format!("role `{role}` has {hosts} hosts"));
    }
    d.with_help(
        "put a load balancer in front and turn SSL off here, or provide a certificate \
         with `ssl: {certificate_pem: …, private_key_pem: …}` (Kamal ≥ 2.7)",
    )
}
