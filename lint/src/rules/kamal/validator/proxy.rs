//! The Proxy validator (SPEC §3.4) and the cross-role SSL checks (§4.1 steps 19–20).

use super::common::Checker;
use crate::model::deep_merge;
use crate::model::Roles;
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
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
            v.push(rules::ssl_without_host(ssl.key.span, ctx));
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
            v.push(rules::missing_private_key(at, ctx));
        }
        if present(key) && !present(cert) {
            let at = key.map(|e| e.key.span).unwrap_or(ssl.key.span);
            v.push(rules::missing_certificate(at, ctx));
        }
    }
}

fn host_and_hosts(v: &mut Checker, host: &Entry, hosts: &Entry, ctx: &Ctx) {
    let (first, second) = if host.key.span <= hosts.key.span {
        (host, hosts)
    } else {
        (hosts, host)
    };
    v.push(rules::proxy_host_and_hosts(
        second.key.span,
        ctx,
        first.key.span,
    ));
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
            let ssl_key = merged.entry("ssl").map(|e| e.key.span);
            let at = ssl_key.or(role.key.map(|k| k.span)).unwrap_or(config.span);
            v.push(rules::ssl_multiple_servers(
                at,
                &role.name,
                role.hosts.len(),
                role.key.map(|k| k.span),
            ));
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
    for dup in &dups {
        let uses: Vec<&(String, Span, String)> =
            ssl_hosts.iter().filter(|(h, _, _)| h == dup).collect();
        let first = uses[0];
        for later in &uses[1..] {
            v.push(rules::ssl_shared_host(
                later.1, dup, &later.2, first.1, &first.2, &dups,
            ));
        }
    }
}
