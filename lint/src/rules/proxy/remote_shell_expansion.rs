use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// `${VAR}` in clear env, labels, volumes or options is expanded by the server's shell.
    ///
    /// ## What it does
    /// Reports `${NAME}` in values Kamal puts on the `docker run` command line: clear env values,
    /// labels, volumes and docker options.
    ///
    /// ## Why is this bad?
    /// Kamal escapes `$` in env values, labels and options except in `${…}` (and does not
    /// escape volumes at all), so the shell on the server expands `${NAME}` when Kamal runs
    /// docker, with the environment of the SSH session (usually nearly empty), not your
    /// machine's and not the container's. Kamal's own tests rely on this, so it can be
    /// intended; often it is not.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   clear:
    ///     DATABASE_URL: postgres://app@db/${DB_NAME}
    /// ```
    /// Use instead: the literal value, or a secret (`env.secret`) resolved on your machine.
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.6 (delivery of clear env)
    pub static REMOTE_SHELL_EXPANSION = {
        code: "P004",
        name: "remote-shell-expansion",
        category: Proxy,
        severity: Info,
        fix: None,
    };
}

fn variables(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let after = &rest[at + 2..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                if !name.is_empty() {
                    out.push(name);
                }
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

fn report(out: &mut Vec<Diagnostic>, node: &Node, what: &str) {
    if node.is_erb() || !node.is_stringish() {
        return;
    }
    let text = node.ruby_to_s();
    let vars = variables(&text);
    if vars.is_empty() {
        return;
    }
    let names: Vec<String> = vars.iter().map(|v| format!("`${{{v}}}`")).collect();
    out.push(
        Diagnostic::new(
            &REMOTE_SHELL_EXPANSION,
            node.span,
            format!(
                "{} in {what} is expanded by the server's shell when Kamal runs docker",
                names.join(", ")
            ),
        )
        .with_help("if the value is meant literally or should come from your machine, write it out or use a secret"),
    );
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for env in walk::envs(cx.config, &cx.roles) {
        for e in &env.clear {
            report(out, &e.value, &format!("`{}`", env.path));
        }
    }
    for c in walk::containers(cx.config, &cx.roles) {
        if let Some(labels) = c.node.get("labels").and_then(Node::map) {
            for e in labels {
                report(out, &e.value, &format!("a label of {}", c.label));
            }
        }
        // volumes are not escaped at all: `$VAR` expands too
        for (node, text) in walk::string_items(c.node.get("volumes")) {
            let vars = crate::rules::accessories::shell_variables(&text);
            if vars.is_empty() {
                continue;
            }
            let names: Vec<String> = vars.iter().map(|v| format!("`${v}`")).collect();
            out.push(
                Diagnostic::new(
                    &REMOTE_SHELL_EXPANSION,
                    node.span,
                    format!(
                        "{} in a volume of {} is expanded by the server's shell when Kamal runs docker",
                        names.join(", "),
                        c.label
                    ),
                )
                .with_help("write the path out, as it is on the server"),
            );
        }
        if let Some(options) = c.node.get("options").and_then(Node::map) {
            for e in options {
                match e.value.seq() {
                    Some(items) => {
                        for i in items {
                            report(out, i, &format!("an option of {}", c.label));
                        }
                    }
                    None => report(out, &e.value, &format!("an option of {}", c.label)),
                }
            }
        }
    }
}
