use sextant_schema::Version;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::{Entry, Node};

declare_rule! {
    /// `proxy.host` written as a comma-separated list: use `hosts:`.
    ///
    /// ## What it does
    /// Reports a proxy `host` holding several names separated by commas.
    ///
    /// ## Why is this bad?
    /// Kamal splits `host` on commas, so it works, but it reads like one host, hides typos
    /// (Kamal does not trim the parts: a space after a comma becomes part of the next name),
    /// and other tools and people reading the file see one odd host name. `hosts:` (Kamal
    /// 2.1.0) says what it means.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   host: app.demo.io,www.demo.io
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   hosts: [app.demo.io, www.demo.io]
    /// ```
    ///
    /// ## Fix
    /// Rewrites the entry as a `hosts:` flow list (safe; offered when checking against Kamal
    /// 2.1.0 or later, and only when no other proxy in the project's files — a role's, an
    /// accessory's, a destination file's — writes `host` or `hosts`: Kamal rejects a merged
    /// proxy holding both `host` and `hosts`, K016).
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.4 (proxy)
    /// - <https://kamal-deploy.org/docs/configuration/proxy/>
    pub static PROXY_HOST_COMMA_LIST = {
        code: "P001",
        name: "proxy-host-comma-list",
        category: Proxy,
        severity: Warning,
        fix: Sometimes,
    };
}

fn check_proxy(cx: &LoadContext, proxy: &Node, out: &mut Vec<Diagnostic>) {
    let Some(Entry { key, value, .. }) = proxy.entry("host") else {
        return;
    };
    let Some(text) = value.as_str().filter(|_| !value.is_erb()) else {
        return;
    };
    if !text.contains(',') {
        return;
    }
    let hosts: Vec<&str> = text
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let mut d = Diagnostic::new(
        &PROXY_HOST_COMMA_LIST,
        value.span,
        format!(
            "`host` lists {} host names separated by commas: use `hosts:`",
            hosts.len()
        ),
    )
    .with_help(format!("write `hosts: [{}]`", hosts.join(", ")));
    // `hosts` in one place and `host` in another (a destination file, a role) is Kamal's error
    // K016: fix only when this is the only proxy `host` written anywhere
    if cx.version() >= Version::new(2, 1, 0)
        && proxy.entry("hosts").is_none()
        && key.span.file == value.span.file
        && proxy_host_keys(cx) <= 1
    {
        d = d.with_fix(Fix {
            applicability: Applicability::Safe,
            message: "use a `hosts:` list".into(),
            edits: vec![Edit {
                span: key.span.cover(value.span),
                content: format!("hosts: [{}]", hosts.join(", ")),
            }],
        });
    }
    out.push(d);
}

/// How many proxy `host`/`hosts` keys the project's config files write (root, roles,
/// accessories, in every file).
fn proxy_host_keys(cx: &LoadContext) -> usize {
    let mut n = 0;
    for config in &cx.project.configs {
        let Some(root) = &config.yaml.root else {
            continue;
        };
        let mut proxies: Vec<&Node> = root.get("proxy").into_iter().collect();
        if let Some(roles) = root.get("servers").and_then(Node::map) {
            proxies.extend(roles.iter().filter_map(|r| r.value.get("proxy")));
        }
        for (_, acc) in walk::accessories(root) {
            proxies.extend(acc.get("proxy"));
        }
        n += proxies
            .iter()
            .filter(|p| p.entry("host").is_some() || p.entry("hosts").is_some())
            .count();
    }
    n
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    if let Some(p) = cx.config.get("proxy") {
        check_proxy(cx, p, out);
    }
    for role in &cx.roles.list {
        if let Some(p) = role.proxy {
            check_proxy(cx, &p.value, out);
        }
    }
    for (_, acc) in walk::accessories(cx.config) {
        if let Some(p) = acc.get("proxy") {
            check_proxy(cx, p, out);
        }
    }
}
