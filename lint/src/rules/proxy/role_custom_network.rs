use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// A role behind kamal-proxy with a Docker network mode that leaves the `kamal` network.
    ///
    /// ## What it does
    /// Reports `options.network` (or `options.net`) set to `host`, `none`, `bridge`, `default`
    /// or `container:NAME` on roles that run behind kamal-proxy. Other (user-defined) networks
    /// are not reported.
    ///
    /// ## Why is this bad?
    /// Kamal runs app containers with `--network kamal`, where kamal-proxy reaches them by
    /// container name, and appends the role's options, so the container gets a second
    /// `--network`. A mode that is not a user-defined network cannot be combined with
    /// `kamal`: Docker refuses to start the container (`conflicting options: cannot attach both
    /// user-defined and non-user-defined network-modes`) and the deploy fails. (A second
    /// user-defined network works from Docker 25.0 on, which attaches the container to both;
    /// older Docker refuses to create a container on two networks at once.)
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     hosts: [10.0.0.5]
    ///     options:
    ///       network: host
    /// ```
    /// Use instead: keep app roles on the `kamal` network only, and bring the services they
    /// talk to onto it: accessories join it by default, and a container Kamal does not manage
    /// can be attached once with `docker network connect kamal NAME`. (A `docker-setup` hook
    /// runs before any app container exists, so it cannot connect them to another network.)
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

/// Network modes that take a container off the `kamal` network (or cannot join it).
fn detaches(mode: &str) -> bool {
    matches!(mode, "host" | "none" | "bridge" | "default") || mode.starts_with("container:")
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
            let values: Vec<&crate::syntax::yaml::Node> = match e.value.seq() {
                Some(items) => items.iter().collect(),
                None => vec![&e.value],
            };
            for v in values {
                if v.is_erb() || !v.is_stringish() {
                    continue;
                }
                let mode = v.ruby_to_s();
                if !detaches(&mode) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &ROLE_CUSTOM_NETWORK,
                        v.span,
                        format!(
                            "role `{}` runs behind kamal-proxy with `network: {mode}`: the container leaves (or cannot join) the `kamal` network the proxy reaches it on",
                            role.name
                        ),
                    )
                    .with_help("remove the option; kamal-proxy needs the app on the `kamal` network"),
                );
            }
        }
    }
}
