use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// `registry.server: localhost` without a port is not a local registry.
    ///
    /// ## What it does
    /// Reports a registry server written as plain `localhost` (or `localhost/…`).
    ///
    /// ## Why is this bad?
    /// Kamal 2.8 runs a local registry only for `localhost:PORT` (its test is
    /// `^localhost[:$]`). Plain `localhost` is treated as a remote registry on port 443, which
    /// needs credentials and a registry listening there: builds push nowhere.
    ///
    /// ## Example
    /// ```yaml
    /// registry:
    ///   server: localhost
    /// ```
    /// Use instead:
    /// ```yaml
    /// registry:
    ///   server: localhost:5555
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.5 (registry)
    /// - <https://kamal-deploy.org/docs/configuration/docker-registry/>
    pub static REGISTRY_LOCALHOST_WITHOUT_PORT = {
        code: "C005",
        name: "registry-localhost-without-port",
        category: Config,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let mut servers: Vec<&crate::syntax::yaml::Node> = Vec::new();
    servers.extend(cx.config.get("registry").and_then(|r| r.get("server")));
    for (_, acc) in crate::rules::walk::accessories(cx.config) {
        servers.extend(acc.get("registry").and_then(|r| r.get("server")));
    }
    for server in servers {
        let Some(text) = server.as_str().filter(|_| !server.is_erb()) else {
            continue;
        };
        let host = text.split('/').next().unwrap_or(text);
        if host == "localhost" {
            out.push(
                Diagnostic::new(
                    &REGISTRY_LOCALHOST_WITHOUT_PORT,
                    server.span,
                    "`localhost` without a port is not a local registry for Kamal: it is treated as a remote registry on port 443",
                )
                .with_help("write `localhost:5555` (any port) to run Kamal's local registry"),
            );
        }
    }
}
