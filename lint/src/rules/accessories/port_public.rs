use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::psych::Typed;
use crate::syntax::yaml::Style;

declare_rule! {
    /// An accessory port published on every network interface of the host.
    ///
    /// ## What it does
    /// Reports an accessory `port` without a bind address (`5432`, `"5432:5432"`) or bound to
    /// `0.0.0.0`, except the web ports 80 and 443.
    ///
    /// ## Why is this bad?
    /// Docker publishes such a port on all interfaces and writes its own iptables rules, which
    /// bypass host firewalls such as ufw: the database is reachable from the internet. Apps on
    /// the accessory's own host reach it over the `kamal` Docker network (by the accessory's
    /// container name) and need no published port at all; apps on other hosts need the port
    /// published only on the private network interface. In sextant's conformance corpus, 17 of
    /// the 40 projects with accessories publish one on every interface, 16 of them a database.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   db:
    ///     image: postgres:16
    ///     host: 10.0.0.7
    ///     port: 5432
    /// ```
    /// Use instead, when the apps run on other hosts, the host's private address:
    /// ```yaml
    ///     port: "10.0.0.7:5432:5432"
    /// ```
    /// or, when they run on the same host, `127.0.0.1:5432:5432` or no `port` at all.
    ///
    /// ## Fix
    /// Binds the port to `127.0.0.1` (unsafe: apps on other hosts that connect to the published
    /// port would lose access).
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.8 (accessory `port`)
    /// - <https://docs.docker.com/engine/network/packet-filtering-firewalls/>
    pub static ACCESSORY_PORT_PUBLIC = {
        code: "A001",
        name: "accessory-port-public",
        category: Accessories,
        severity: Warning,
        fix: Sometimes,
    };
}

/// `(host_port, container_port)` of a port mapping published on all interfaces.
pub(crate) fn public_mapping(text: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = text.split(':').collect();
    match parts.as_slice() {
        [port] => Some((port.to_string(), port.to_string())),
        [host, container] => Some((host.to_string(), container.to_string())),
        [ip, host, container] if *ip == "0.0.0.0" || ip.is_empty() => {
            Some((host.to_string(), container.to_string()))
        }
        _ => None,
    }
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for entry in walk::accessory_entries(cx.config) {
        let Some(port) = entry.value.get("port") else {
            continue;
        };
        if port.is_erb() {
            continue;
        }
        let Some(scalar) = port.scalar() else {
            continue;
        };
        let text = match &scalar.typed {
            Typed::Str => scalar.text.clone(),
            // an unquoted `A:B` read as a base-60 number is another rule's business
            Typed::Int(Some(n)) if !scalar.text.contains(':') => n.to_string(),
            _ => continue,
        };
        let Some((host, container)) = public_mapping(text.trim()) else {
            continue;
        };
        let strip = |p: &str| p.split('/').next().unwrap_or(p).to_string();
        if ["80", "443"].contains(&strip(&host).as_str())
            || ["80", "443"].contains(&strip(&container).as_str())
        {
            continue;
        }
        let name = entry.key.ruby_to_s();
        let new = format!("127.0.0.1:{host}:{container}");
        let content = match scalar.style {
            Style::SingleQuoted => format!("'{new}'"),
            _ => format!("\"{new}\""),
        };
        out.push(
            Diagnostic::new(
                &ACCESSORY_PORT_PUBLIC,
                port.span,
                format!("accessory `{name}` publishes port {host} on every interface of its host, past the firewall"),
            )
            .with_help("bind it to 127.0.0.1 (apps on the same host reach accessories over the `kamal` network), or to the host's private address when apps on other hosts connect")
            .with_fix(Fix {
                applicability: Applicability::Unsafe,
                message: format!("bind to 127.0.0.1 (`{new}`)"),
                edits: vec![Edit {
                    span: port.span,
                    content,
                }],
            }),
        );
    }
}
