use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// A placeholder left in the configuration (`192.168.0.1`, `example.com`, `my-user/my-app`).
    ///
    /// ## What it does
    /// Reports hosts, domains, images, registry users and other settings that still hold a
    /// value from `kamal init` or the Rails generator, a documentation-only address
    /// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), an `example.com` domain, or a template
    /// marker such as `<app-name>` or `CHANGE_ME`.
    ///
    /// ## Why is this bad?
    /// Kamal accepts them, then tries to SSH into a router address or a host that does not
    /// exist, requests certificates for a domain you do not own, or pushes to someone else's
    /// repository. Public projects often ship these by mistake (13 of the 91 projects of
    /// sextant's conformance corpus).
    ///
    /// ## Example
    /// ```yaml
    /// image: my-user/my-app
    /// servers:
    ///   web:
    ///     - 192.168.0.1
    /// proxy:
    ///   host: app.example.com
    /// ```
    /// Use instead: your own image, hosts and domain.
    ///
    /// ## References
    /// - Kamal 2.8.2 `kamal init` template, §10.1
    /// - RFC 5737 (documentation addresses), RFC 2606 (`example.com`)
    pub static PLACEHOLDER_VALUE = {
        code: "C007",
        name: "placeholder-value",
        category: Config,
        severity: Warning,
        fix: None,
    };
}

/// Why a value looks like a placeholder, if it does.
fn placeholder(value: &str, kind: Kind) -> Option<&'static str> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if v.starts_with('<') && v.ends_with('>') || lower.contains("change_me") || lower == "changeme"
    {
        return Some("a template placeholder");
    }
    match kind {
        Kind::Host => {
            // `user@host:port` → `host`
            let host = lower.rsplit('@').next().unwrap_or(&lower);
            let host = host.split(':').next().unwrap_or(host);
            if host == "192.168.0.1" {
                return Some("the address `kamal init` writes");
            }
            if ["192.0.2.", "198.51.100.", "203.0.113."]
                .iter()
                .any(|p| host.starts_with(p))
            {
                return Some("a documentation-only address (RFC 5737) that no server has");
            }
            if is_example_domain(host) {
                return Some("an `example` domain (RFC 2606) that nobody can deploy to");
            }
            if host.contains("your-domain")
                || host.contains("yourdomain")
                || host.contains("your.domain")
            {
                return Some("a template domain");
            }
            None
        }
        Kind::Image | Kind::User => {
            let first = lower.split('/').next().unwrap_or(&lower);
            if [
                "my-user",
                "your-user",
                "your-username",
                "your_username",
                "yourusername",
                "username",
            ]
            .contains(&first)
            {
                return Some("the user name of the Kamal/Rails template");
            }
            if lower == "my-user/my-app" {
                return Some("the image of the `kamal init` template");
            }
            None
        }
    }
}

fn is_example_domain(host: &str) -> bool {
    ["example.com", "example.org", "example.net"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

#[derive(Clone, Copy)]
enum Kind {
    Host,
    Image,
    User,
}

fn report(out: &mut Vec<Diagnostic>, node: &Node, kind: Kind, what: &str) {
    if node.is_erb() {
        return;
    }
    let Some(value) = node.as_str() else { return };
    if let Some(why) = placeholder(value, kind) {
        out.push(
            Diagnostic::new(
                &PLACEHOLDER_VALUE,
                node.span,
                format!("{what} `{value}` looks like a placeholder: {why}"),
            )
            .with_help("replace it with the real value"),
        );
    }
}

fn hosts(out: &mut Vec<Diagnostic>, list: Option<&Node>, what: &str) {
    let Some(items) = list.and_then(Node::seq) else {
        return;
    };
    for item in items {
        match item.map().and_then(|m| m.first()) {
            Some(first) => report(out, &first.key, Kind::Host, what),
            None => report(out, item, Kind::Host, what),
        }
    }
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let config = cx.config;
    if let Some(image) = config.get("image") {
        report(out, image, Kind::Image, "image");
    }
    if let Some(service) = config.get("service") {
        if service.as_str().is_some_and(|s| s.starts_with('<')) {
            report(out, service, Kind::Image, "service");
        }
    }
    for (_, host) in cx.roles.hosts() {
        if let Some(p) = placeholder(&host.name, Kind::Host) {
            out.push(
                Diagnostic::new(
                    &PLACEHOLDER_VALUE,
                    host.span,
                    format!("host `{}` looks like a placeholder: {p}", host.name),
                )
                .with_help("replace it with the real value"),
            );
        }
    }
    let mut proxies: Vec<&Node> = config.get("proxy").into_iter().collect();
    for role in &cx.roles.list {
        if let Some(p) = role.proxy {
            proxies.push(&p.value);
        }
    }
    for (_, acc) in walk::accessories(config) {
        proxies.extend(acc.get("proxy"));
        if let Some(h) = acc.get("host") {
            report(out, h, Kind::Host, "accessory host");
        }
        hosts(out, acc.get("hosts"), "accessory host");
        if let Some(image) = acc.get("image") {
            report(out, image, Kind::Image, "accessory image");
        }
    }
    for proxy in proxies {
        if let Some(h) = proxy.get("host") {
            if let Some(text) = h.as_str().filter(|_| !h.is_erb()) {
                for part in text.split(',') {
                    if let Some(why) = placeholder(part, Kind::Host) {
                        out.push(
                            Diagnostic::new(
                                &PLACEHOLDER_VALUE,
                                h.span,
                                format!(
                                    "proxy host `{}` looks like a placeholder: {why}",
                                    part.trim()
                                ),
                            )
                            .with_help("replace it with the real value"),
                        );
                    }
                }
            }
        }
        hosts(out, proxy.get("hosts"), "proxy host");
    }
    if let Some(user) = config.get("registry").and_then(|r| r.get("username")) {
        report(out, user, Kind::User, "registry username");
    }
    if let Some(proxy) = config.get("ssh").and_then(|s| s.get("proxy")) {
        report(out, proxy, Kind::Host, "SSH proxy");
    }
}
