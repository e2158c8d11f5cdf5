use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// Keys in `proxy.ssl` other than `certificate_pem` and `private_key_pem`, which Kamal ignores.
    ///
    /// ## What it does
    /// Reports unknown keys inside a `proxy.ssl` hash.
    ///
    /// ## Why is this bad?
    /// Kamal does not check the contents of an `ssl` hash, so a typo (`certificate: …`,
    /// `key_pem: …`) or an option from another proxy (`redirect: true`) passes validation and
    /// does nothing. When both pem keys are misspelled, Kamal sees an `ssl` hash without a
    /// certificate and silently falls back to automatic Let's Encrypt certificates; when only
    /// one is, it rejects the pair (`Missing certificate_pem setting …`, K018).
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   host: app.demo.io
    ///   ssl:
    ///     certificate: CERT_PEM
    ///     private_key: KEY_PEM
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   host: app.demo.io
    ///   ssl:
    ///     certificate_pem: CERT_PEM
    ///     private_key_pem: KEY_PEM
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §2 (special case `ssl`) and §12.6
    pub static SSL_OPTIONS_IGNORED = {
        code: "P005",
        name: "ssl-options-ignored",
        category: Proxy,
        severity: Warning,
        fix: None,
    };
}

fn check_proxy(proxy: &Node, out: &mut Vec<Diagnostic>) {
    let Some(entries) = proxy.get("ssl").and_then(Node::map) else {
        return;
    };
    for e in entries {
        if e.key.is_erb() {
            continue;
        }
        let key = e.key.ruby_to_s();
        if key == "certificate_pem" || key == "private_key_pem" {
            continue;
        }
        out.push(
            Diagnostic::new(
                &SSL_OPTIONS_IGNORED,
                e.key.span,
                format!("`ssl.{key}` is ignored: Kamal only reads `certificate_pem` and `private_key_pem`"),
            )
            .with_help("remove it, or fix its name"),
        );
    }
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    if let Some(p) = cx.config.get("proxy") {
        check_proxy(p, out);
    }
    for role in &cx.roles.list {
        if let Some(p) = role.proxy {
            check_proxy(&p.value, out);
        }
    }
    for (_, acc) in walk::accessories(cx.config) {
        if let Some(p) = acc.get("proxy") {
            check_proxy(p, out);
        }
    }
}
