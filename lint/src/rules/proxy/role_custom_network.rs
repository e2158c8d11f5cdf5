use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// A role behind kamal-proxy with its own Docker `network`.
    ///
    /// ## What it does
    /// Reports `options.network` (and `network: host`) on roles that run behind kamal-proxy.
    ///
    /// ## Why is this bad?
    /// Kamal attaches app containers and kamal-proxy to the `kamal` network, and the proxy
    /// reaches the app there by container name. Another network (or the host network, which
    /// replaces all others) takes the container off it: the health check cannot reach the app
    /// and the deploy fails with "target failed to become healthy", or traffic never arrives.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     hosts: [10.0.0.5]
    ///     options:
    ///       network: host
    /// ```
    /// Use instead: keep app roles on the default network; connect other networks with a
    /// `docker-setup` hook (`docker network connect`) or run the service as an accessory.
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (containers on the `kamal` network)
    /// - <https://kamal-deploy.org/docs/configuration/roles/>
    pub static ROLE_CUSTOM_NETWORK = {
        code: "P002",
        name: "role-custom-network",
        category: Proxy,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for role in cx.roles.list.iter().filter(|r| r.running_proxy) {
        let Some(options) = role.get("options").and_then(|o| o.map()) else {
            continue;
        };
        for e in options {
            let key = e.key.ruby_to_s();
            if key != "network" && key != "net" {
                continue;
            }
            if e.value.is_erb() {
                continue;
            }
            let value = e.value.ruby_to_s();
            if value == "kamal" {
                continue;
            }
            let message = if value == "host" {
                format!("role `{}` runs behind kamal-proxy with `network: host`: the proxy cannot reach it on the `kamal` network", role.name)
            } else {
                format!("role `{}` runs behind kamal-proxy on network `{value}`: the proxy reaches apps on the `kamal` network", role.name)
            };
            out.push(
                Diagnostic::new(&ROLE_CUSTOM_NETWORK, e.key.span, message).with_help(
                    "remove the option; connect extra networks in a `docker-setup` hook instead",
                ),
            );
        }
    }
}
