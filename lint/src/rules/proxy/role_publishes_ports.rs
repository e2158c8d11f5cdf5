use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::syntax::yaml::Node;

declare_rule! {
    /// A role publishing a fixed host port: the next deploy fails with "port is already allocated".
    ///
    /// ## What it does
    /// Reports `options.publish` / `options.p` on roles when the mapping fixes a host port.
    ///
    /// ## Why is this bad?
    /// During a deploy Kamal starts the new container while the old one still runs. With a fixed
    /// host port the new container cannot bind it: the first deploy works, every later one fails
    /// (`Bind for 0.0.0.0:PORT failed: port is already allocated`). Roles behind kamal-proxy do
    /// not need published ports at all: the proxy publishes 80 and 443.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   metrics:
    ///     hosts: [10.0.0.5]
    ///     proxy: false
    ///     options:
    ///       publish: "9394:9394"
    /// ```
    /// Use instead: serve it through kamal-proxy (`proxy: true` with its own host), or run it
    /// as an accessory, which Kamal does not restart on deploys.
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.2 (role `options`)
    pub static ROLE_PUBLISHES_PORTS = {
        code: "P003",
        name: "role-publishes-ports",
        category: Proxy,
        severity: Error,
        fix: None,
    };
}

/// Whether a `-p` mapping fixes a host port (`8080:80`, `127.0.0.1:8080:80`; not `80`).
fn fixes_host_port(mapping: &str) -> bool {
    let parts: Vec<&str> = mapping.split(':').collect();
    match parts.len() {
        2 => !parts[0].is_empty(),
        3 => !parts[1].is_empty(),
        _ => false,
    }
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for role in &cx.roles.list {
        let Some(options) = role.get("options").and_then(|o| o.map()) else {
            continue;
        };
        for e in options {
            let key = e.key.ruby_to_s();
            // (`p` would become `--p`, which docker rejects outright)
            if key != "publish" {
                continue;
            }
            let values: Vec<&Node> = match e.value.seq() {
                Some(items) => items.iter().collect(),
                None => vec![&e.value],
            };
            for v in values {
                if v.is_erb() || !v.is_stringish() {
                    continue;
                }
                let mapping = v.ruby_to_s();
                if !fixes_host_port(&mapping) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &ROLE_PUBLISHES_PORTS,
                        v.span,
                        format!(
                            "role `{}` publishes `{mapping}`: the next deploy's new container cannot bind the port while the old one runs",
                            role.name
                        ),
                    )
                    .with_help("serve it through kamal-proxy, or run it as an accessory"),
                );
            }
        }
    }
}
