use super::{active, kamal_calls, KamalCall};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::ProjectContext;

declare_rule! {
    /// A hook that runs a `kamal` command which runs the same hook again, without end.
    ///
    /// ## What it does
    /// Reports `kamal …` commands that a hook runs unconditionally (not inside an `if`, a
    /// `case`, a loop, a function or after `&&`/`||`) and without `--skip-hooks` (`-H`), when
    /// that command fires the hook that contains it:
    /// - in `pre-connect`: any command that connects to the hosts (`kamal app exec`,
    ///   `kamal proxy …`, `kamal deploy`, …), since every Kamal process runs `pre-connect`
    ///   before its first connection;
    /// - in `pre-deploy`/`post-deploy`: `kamal deploy`, `redeploy`, `setup`, `rollback`;
    /// - in `pre-build`: `kamal deploy`, `redeploy`, `setup` (unless `--skip-push`),
    ///   `kamal build push`;
    /// - in `pre-app-boot`/`post-app-boot`: `kamal app boot` and the commands that boot;
    /// - in `docker-setup`: `kamal setup`, `kamal server bootstrap`;
    /// - in `pre-proxy-reboot`/`post-proxy-reboot`: `kamal proxy reboot`, `proxy upgrade`,
    ///   `upgrade`.
    ///
    /// ## Why is this bad?
    /// The nested `kamal` is a new process: it runs its hooks like any other, including the one
    /// that started it, which starts it again. Each level waits for the next, opens SSH
    /// connections and (outside the lock) may take the deploy lock; the deploy hangs or fails
    /// with a confusing error far from the cause.
    ///
    /// ## Example
    /// ```sh
    /// #!/bin/sh
    /// # .kamal/hooks/pre-connect
    /// kamal app exec 'bin/rails runner "Maintenance.check"'
    /// ```
    /// Use instead:
    /// ```sh
    /// kamal app exec --skip-hooks 'bin/rails runner "Maintenance.check"'
    /// ```
    ///
    /// ## Fix
    /// Adds `--skip-hooks` to the nested command (unsafe: it also skips the nested command's
    /// other hooks).
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1 (`--skip-hooks`, nested commands and `KAMAL_LOCK`) and §8.2
    ///   (when each hook runs)
    /// - [kamal-site#200: pre-connect re-entrancy](https://github.com/basecamp/kamal-site/pull/200)
    pub static NESTED_KAMAL_RECURSION = {
        code: "H012",
        name: "nested-kamal-recursion",
        category: Hooks,
        severity: Error,
        fix: Always,
    };
}

fn connects(call: &KamalCall) -> bool {
    match call.name {
        Some(
            "deploy" | "redeploy" | "rollback" | "setup" | "upgrade" | "prune" | "remove"
            | "details" | "audit" | "lock" | "app" | "accessory" | "proxy" | "server" | "registry",
        ) => true,
        Some("build") => matches!(call.subcommand, Some("push" | "deliver" | "pull")),
        _ => false,
    }
}

/// Whether the nested command runs the hook.
fn fires(hook: &str, call: &KamalCall) -> bool {
    let name = call.name.unwrap_or("");
    let sub = call.subcommand;
    match hook {
        "pre-connect" => connects(call),
        "pre-build" => {
            matches!(name, "deploy" | "redeploy" | "setup")
                && !call.has_option(Some("-P"), "--skip-push")
                && !call.has_option(None, "--skip_push")
                || name == "build" && matches!(sub, Some("push" | "deliver"))
        }
        "pre-deploy" | "post-deploy" => {
            matches!(name, "deploy" | "redeploy" | "setup" | "rollback")
        }
        "pre-app-boot" | "post-app-boot" => {
            matches!(
                name,
                "deploy" | "redeploy" | "setup" | "rollback" | "upgrade"
            ) || name == "app" && sub == Some("boot")
        }
        "docker-setup" => name == "setup" || name == "server" && sub == Some("bootstrap"),
        "pre-proxy-reboot" | "post-proxy-reboot" => {
            name == "upgrade" || name == "proxy" && matches!(sub, Some("reboot" | "upgrade"))
        }
        _ => false,
    }
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (hook_name, hook) in active(cx) {
        if !hook.script.language.is_shell() {
            continue;
        }
        for call in kamal_calls(&hook.script) {
            if call.command.conditional()
                || call.has_option(Some("-H"), "--skip-hooks")
                || call.has_option(None, "--skip_hooks")
                || !fires(hook_name, &call)
            {
                continue;
            }
            let shown = call.display();
            let message = if hook_name == "pre-connect" {
                format!("`{shown}` connects to the hosts, so it first runs `pre-connect` — this hook — which runs `{shown}` again: the hook recurses without end")
            } else {
                format!("`{shown}` runs the `{hook_name}` hook — this one — which runs `{shown}` again: the hook recurses without end")
            };
            let at = call.after_subcommand();
            out.push(
                Diagnostic::new(
                    &NESTED_KAMAL_RECURSION,
                    hook.span(call.command.span.start..at),
                    message,
                )
                .with_help("add `--skip-hooks` to the nested command, or run it only under a condition the nested run does not meet")
                .with_fix(Fix {
                    applicability: Applicability::Unsafe,
                    message: "add `--skip-hooks`".into(),
                    edits: vec![Edit {
                        span: hook.span(at..at),
                        content: " --skip-hooks".into(),
                    }],
                }),
            );
        }
    }
}
