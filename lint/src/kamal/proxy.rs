//! The Proxy validator (SPEC §3.4) and the cross-role SSL checks (§4.1 steps 19–20).

use super::{Checker, Ctx};
use crate::model::deep_merge;
use crate::model::Roles;
use crate::registry as rules;
use crate::syntax::yaml::{Entry, Node};
use crate::text::Span;

/// Step 11: the root proxy hash (an absent proxy is `{}`).
pub(super) fn check_root(v: &mut Checker, config: &Node) {
    if let Some(p) = config.get("proxy") {
        if p.is_map() {
            check_semantics(v, p, &Ctx::root().join("proxy"));
        }
    }
}

/// The Proxy validator's own checks, after the generic ones: a host for automatic SSL, not
/// both `host` and `hosts`, a complete certificate pair.
pub(super) fn check_semantics(v: &mut Checker, proxy: &Node, ctx: &Ctx) {
    let host = proxy.entry("host");
    let hosts = proxy.entry("hosts");
    let ssl = proxy.entry("ssl");
    let blank = |e: Option<&Entry>| e.is_none_or(|e| e.value.is_blank());
    if let Some(ssl) = ssl {
        // only a valid `ssl` (true or a hash): other values already failed the type check
        let truthy = ssl.value.as_bool() == Some(true) || ssl.value.is_map();
        if truthy && blank(host) && blank(hosts) {
            v.error(
                &rules::SSL_WITHOUT_HOST,
                ssl.key.span,
                ctx,
                "Must set a host to enable automatic SSL",
                format!("SSL is on in {} but no `host` is set", ctx.display()),
            )
            .help = Some(if ctx.as_str().starts_with("servers/") {
                "a role's proxy hash is checked before it is merged with the root proxy: set \
                 `host` in this role's proxy too, or use `proxy: true` to take the root settings"
                    .into()
            } else {
                "set `host: your.domain` (Let's Encrypt needs a host name)".into()
            });
        }
    }
    if let (Some(h), Some(hs)) = (host, hosts) {
        host_and_hosts(v, h, hs, ctx);
    }
    if let Some(ssl) = ssl.filter(|s| s.value.is_map()) {
        let cert = ssl.value.entry("certificate_pem");
        let key = ssl.value.entry("private_key_pem");
        let present = |e: Option<&Entry>| e.is_some_and(|e| !e.value.is_blank());
        if present(cert) && !present(key) {
            let at = cert.map(|e| e.key.span).unwrap_or(ssl.key.span);
            v.error(
                &rules::INCOMPLETE_CERTIFICATE,
                at,
                ctx,
                "Missing private_key_pem setting (required when certificate_pem is present)",
                "a custom certificate needs `private_key_pem` too",
            )
            .help = Some("add `private_key_pem: SECRET_NAME` next to `certificate_pem`".into());
        }
        if present(key) && !present(cert) {
            let at = key.map(|e| e.key.span).unwrap_or(ssl.key.span);
            v.error(
                &rules::INCOMPLETE_CERTIFICATE,
                at,
                ctx,
                "Missing certificate_pem setting (required when private_key_pem is present)",
                "a custom private key needs `certificate_pem` too",
            )
            .help = Some("add `certificate_pem: SECRET_NAME` next to `private_key_pem`".into());
        }
    }
}

fn host_and_hosts(v: &mut Checker, host: &Entry, hosts: &Entry, ctx: &Ctx) {
    let (first, second) = if host.key.span <= hosts.key.span {
        (host, hosts)
    } else {
        (hosts, host)
    };
    v.error(
        &rules::PROXY_HOST_AND_HOSTS,
        second.key.span,
        ctx,
        "Specify one of 'host' or 'hosts', not both",
        "the proxy has both `host` and `hosts`",
    )
    .label(first.key.span, "the other one is here")
    .help = Some("keep only `hosts:` and list every host name there".into());
}

/// A role's proxy after merging with the root proxy.
struct RoleProxy {
    merged: Node,
}

fn merged_proxy(config: &Node, own: Option<&Entry>) -> Option<RoleProxy> {
    let root = config.get("proxy").filter(|p| p.is_map());
    let merged = match (root, own) {
        (Some(r), Some(o)) => deep_merge(r, &o.value),
        (Some(r), None) => r.clone(),
        (None, Some(o)) => o.value.clone(),
        (None, None) => return None,
    };
    Some(RoleProxy { merged })
}

fn ssl_on(proxy: &Node) -> bool {
    proxy
        .get("ssl")
        .is_some_and(|s| s.as_bool() == Some(true) || s.is_map())
}

fn custom_certificate(proxy: &Node) -> bool {
    proxy.get("ssl").and_then(Node::map).is_some_and(|_| {
        let ssl = proxy.get("ssl").expect("checked");
        let present = |k: &str| ssl.get(k).is_some_and(|n| !n.is_blank());
        present("certificate_pem") && present("private_key_pem")
    })
}

/// The proxy host names of a proxy config, with the span of the value they come from.
fn proxy_hosts(proxy: &Node) -> Vec<(String, Span)> {
    if let Some(hosts) = proxy.get("hosts") {
        if let Some(items) = hosts.seq() {
            return items
                .iter()
                .filter(|i| !i.is_erb())
                .map(|i| (i.ruby_to_s(), i.span))
                .collect();
        }
        if !hosts.is_null() {
            return Vec::new();
        }
    }
    if let Some(host) = proxy.get("host") {
        if host.is_erb() || host.is_null() {
            return Vec::new();
        }
        return host
            .ruby_to_s()
            .split(',')
            .map(|h| (h.to_string(), host.span))
            .collect();
    }
    Vec::new()
}

/// Steps 19 and 20: merged role proxies are validated again (context `proxy`), automatic SSL
/// needs a single server per role, and SSL roles cannot share a host.
pub(super) fn check_roles(v: &mut Checker, config: &Node, roles: &Roles) {
    let mut ssl_hosts: Vec<(String, Span, String)> = Vec::new();
    for role in roles.list.iter().filter(|r| r.running_proxy) {
        let Some(RoleProxy { merged }) = merged_proxy(config, role.proxy) else {
            continue;
        };
        if role.proxy.is_some() {
            // the merged config: only `host` + `hosts` can newly fail here
            if let (Some(h), Some(hs)) = (merged.entry("host"), merged.entry("hosts")) {
                host_and_hosts(v, h, hs, &Ctx::root().join("proxy"));
            }
        }
        if !ssl_on(&merged) {
            continue;
        }
        if role.hosts.len() > 1 && !role.hosts_unknown && !custom_certificate(&merged) {
            let n = role.hosts.len();
            let kamal = format!(
                "SSL is only supported on a single server unless you provide custom certificates, found {n} servers for role {}",
                role.name
            );
            let ssl_key = merged.entry("ssl").map(|e| e.key.span);
            let at = ssl_key.or(role.key.map(|k| k.span)).unwrap_or(config.span);
            let mut d = rules_error(
                v,
                &rules::SSL_MULTIPLE_SERVERS,
                at,
                &kamal,
                format!(
                    "automatic SSL (Let's Encrypt) works on one server only, role `{}` has {n}",
                    role.name
                ),
            );
            if let Some(k) = role.key {
                d = d.with_label(k.span, format!("role `{}` has {n} hosts", role.name));
            }
            d.help = Some(
                "put a load balancer in front and turn SSL off here, or provide a certificate \
                 with `ssl: {certificate_pem: …, private_key_pem: …}` (Kamal ≥ 2.7)"
                    .into(),
            );
            v.out.push(d);
        }
        for (host, span) in proxy_hosts(&merged) {
            ssl_hosts.push((host, span, role.name.clone()));
        }
    }
    // duplicates, in first-seen order (Ruby's `tally`)
    let mut dups: Vec<&str> = Vec::new();
    for (i, (h, _, _)) in ssl_hosts.iter().enumerate() {
        if ssl_hosts[..i].iter().any(|(x, _, _)| x == h) && !dups.contains(&h.as_str()) {
            dups.push(h);
        }
    }
    if dups.is_empty() {
        return;
    }
    let kamal = format!(
        "Different roles can't share the same host for SSL: {}",
        dups.join(", ")
    );
    for dup in &dups {
        let uses: Vec<&(String, Span, String)> =
            ssl_hosts.iter().filter(|(h, _, _)| h == dup).collect();
        let first = uses[0];
        for later in &uses[1..] {
            let d = rules_error(
                v,
                &rules::SSL_SHARED_HOST,
                later.1,
                &kamal,
                format!(
                    "roles `{}` and `{}` both serve `{dup}` with SSL",
                    first.2, later.2
                ),
            )
            .with_label(first.1, format!("role `{}` serves it here", first.2))
            .with_help("give each SSL role its own host name");
            v.out.push(d);
        }
    }
}

fn rules_error(
    _v: &Checker,
    rule: &'static crate::registry::Rule,
    span: Span,
    kamal: &str,
    message: String,
) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::new(rule, span, message).with_kamal(kamal)
}
