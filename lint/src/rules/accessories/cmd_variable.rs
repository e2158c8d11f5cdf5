use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// `$VAR` in an accessory's or role's `cmd`: it is not taken from the container's env.
    ///
    /// ## What it does
    /// Reports `$NAME` or `${NAME}` in `cmd` of accessories and roles.
    ///
    /// ## Why is this bad?
    /// Kamal appends `cmd` to the `docker run` command it runs through the server's shell, so
    /// the variable is expanded there, from the SSH session's environment — not from the env
    /// you gave the container. `redis-server --requirepass $REDIS_PASSWORD` reaches the
    /// container as `redis-server --requirepass` (the SSH session has no `REDIS_PASSWORD`), so
    /// Redis never gets the password the accessory's env holds.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   redis:
    ///     image: redis:7
    ///     cmd: redis-server --requirepass $REDIS_PASSWORD
    /// ```
    /// Use instead: let the container's shell expand it:
    /// ```yaml
    ///     cmd: sh -c 'redis-server --requirepass "$REDIS_PASSWORD"'
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.8 (`cmd`)
    pub static CMD_VARIABLE = {
        code: "A003",
        name: "cmd-variable",
        category: Accessories,
        severity: Warning,
        fix: None,
    };
}

/// The variable names a shell would expand in `text` outside single quotes.
pub(crate) fn shell_variables(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut single = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => single = !single,
            b'\\' => i += 1,
            b'$' if !single => {
                let rest = &text[i + 1..];
                let name: String = if let Some(inner) = rest.strip_prefix('{') {
                    inner.chars().take_while(|c| *c != '}').collect()
                } else {
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect()
                };
                let name = name
                    .split([':', '-', '+', '=', '?'])
                    .next()
                    .unwrap_or("")
                    .to_string();
                if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) {
                    out.push(name);
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn check_cmd(cmd: &Node, owner: &str, out: &mut Vec<Diagnostic>) {
    if cmd.is_erb() || !cmd.is_stringish() {
        return;
    }
    let vars = shell_variables(&cmd.ruby_to_s());
    if vars.is_empty() {
        return;
    }
    let names: Vec<String> = vars.iter().map(|v| format!("`${v}`")).collect();
    out.push(
        Diagnostic::new(
            &CMD_VARIABLE,
            cmd.span,
            format!(
                "{} in the `cmd` of {owner} is expanded by the server's shell, not from the container's env",
                names.join(", ")
            ),
        )
        .with_help("wrap the command in `sh -c '…'` so the container's shell expands it"),
    );
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for (name, acc) in walk::accessories(cx.config) {
        if let Some(cmd) = acc.get("cmd") {
            check_cmd(cmd, &format!("accessory `{name}`"), out);
        }
    }
    for role in &cx.roles.list {
        if let Some(cmd) = role.get("cmd") {
            check_cmd(cmd, &format!("role `{}`", role.name), out);
        }
    }
}
