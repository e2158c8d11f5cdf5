use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// The Docker socket mounted into a container.
    ///
    /// ## What it does
    /// Reports volumes, directories, files and docker `volume`, `v` or `mount` options that
    /// mount `docker.sock` into an app or accessory container, read-only or not.
    ///
    /// ## Why is this bad?
    /// Access to the Docker socket is root on the host: anyone who gets code execution in that
    /// container (a dependency, an injection) controls every container and file on the server.
    /// Mounting it `:ro` does not help: read-only applies to the socket file, not to the API
    /// calls made through it.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   monitor:
    ///     image: some/agent:1.2
    ///     host: 10.0.0.8
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock
    /// ```
    /// Use instead: a socket proxy that exposes only the API the tool needs (the proxy itself
    /// still mounts the socket, so this rule reports it: review that one mount and suppress it
    /// with `# sextant: ignore[A004]`), or run the tool outside the containers Kamal manages.
    ///
    /// ## References
    /// - <https://docs.docker.com/engine/security/#docker-daemon-attack-surface>
    pub static DOCKER_SOCKET_MOUNT = {
        code: "A004",
        name: "docker-socket-mount",
        category: Accessories,
        severity: Warning,
        fix: None,
    };
}

fn report(out: &mut Vec<Diagnostic>, node: &Node, owner: &str) {
    if node.is_erb() || !node.is_stringish() {
        return;
    }
    if node.ruby_to_s().contains("docker.sock") {
        out.push(
            Diagnostic::new(
                &DOCKER_SOCKET_MOUNT,
                node.span,
                format!("{owner} mounts the Docker socket: that is root access to the host"),
            )
            .with_help("use a read-only socket proxy that exposes only the API the tool needs"),
        );
    }
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for c in walk::containers(cx.config, &cx.roles) {
        for key in ["volumes", "directories", "files"] {
            for (node, _) in walk::string_items(c.node.get(key)) {
                report(out, node, &c.label);
            }
        }
        if let Some(options) = c.node.get("options").and_then(Node::map) {
            for e in options {
                let k = e.key.ruby_to_s();
                if k != "volume" && k != "v" && k != "mount" {
                    continue;
                }
                match e.value.seq() {
                    Some(items) => items.iter().for_each(|i| report(out, i, &c.label)),
                    None => report(out, &e.value, &c.label),
                }
            }
        }
    }
}
