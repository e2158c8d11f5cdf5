use super::{active, receives_secrets};
use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::syntax::dotenv::Part;

declare_rule! {
    /// A secret read by a hook that does not receive the secrets.
    ///
    /// ## What it does
    /// Reports variables a hook reads that are defined in the project's secrets files
    /// (`.kamal/secrets*`), when the hook is not one Kamal passes the secrets to: only
    /// `pre-deploy` and `post-deploy` receive them, and `pre-connect` from Kamal 2.11. A secret
    /// the secrets file merely copies from the environment (`NAME=$NAME`) is not reported: the
    /// hook sees the same environment.
    ///
    /// ## Why is this bad?
    /// In the other hooks the variable holds only what the shell that runs `kamal` happens to
    /// export: a value fetched by `.kamal/secrets` (`$(kamal secrets fetch …)`,
    /// `$(op read …)`) is empty there. The hook then fails, or worse, runs with an empty
    /// token.
    ///
    /// ## Example
    /// ```sh
    /// # .kamal/secrets
    /// GITHUB_TOKEN=$(gh auth token)
    /// # .kamal/hooks/pre-build
    /// curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/…
    /// ```
    /// Use instead: do the check in `pre-deploy`, which receives the secrets, or fetch the
    /// value in the hook itself.
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.2 (pre-deploy and post-deploy receive all secrets); Appendix B
    ///   (Kamal 2.11: pre-connect receives them too)
    /// - [Kamal docs: hooks overview](https://kamal-deploy.org/docs/hooks/overview/)
    pub static HOOK_SECRET_NOT_PASSED = {
        code: "H009",
        name: "hook-secret-not-passed",
        category: Hooks,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (hook_name, hook) in active(cx) {
        if receives_secrets(hook_name, cx.version) {
            continue;
        }
        let script = &hook.script;
        let mut seen: std::collections::HashSet<&str> = Default::default();
        for var in &script.variables {
            let name = var.name.as_str();
            if seen.contains(&name) || script.assigned(name) {
                continue;
            }
            let defs: Vec<(&str, &crate::syntax::dotenv::Entry)> = cx
                .secrets
                .iter()
                .filter_map(|s| s.parsed.get(name).map(|e| (s.name.as_str(), e)))
                .collect();
            if defs.is_empty() {
                continue;
            }
            seen.insert(name);
            // `NAME=$NAME`: the hook sees the same environment
            let passthrough = defs.iter().all(|(_, e)| {
                matches!(e.parts.as_slice(), [Part::Variable { name: n, .. }] if n == name)
            });
            if passthrough {
                continue;
            }
            let files: Vec<String> = defs.iter().map(|(f, _)| format!("`.kamal/{f}`")).collect();
            let since = if hook_name == "pre-connect" {
                " (it does from Kamal 2.11)"
            } else {
                ""
            };
            out.push(
                Diagnostic::new(
                    &HOOK_SECRET_NOT_PASSED,
                    hook.span(var.name_span.clone()),
                    format!(
                        "`{name}` is a secret ({}), but Kamal passes secrets only to `pre-deploy` and `post-deploy`, not to `{hook_name}`{since}: here it holds whatever the calling shell exports",
                        files.join(", ")
                    ),
                )
                .with_help("read it in `pre-deploy` or `post-deploy`, or get the value inside the hook"),
            );
        }
    }
}
