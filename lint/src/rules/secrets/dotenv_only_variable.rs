use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::syntax::dotenv::{self, Part};

declare_rule! {
    /// A secret passed through from a variable that only the project's `.env` defines.
    ///
    /// ## What it does
    /// Reports `$NAME` / `${NAME}` in `.kamal/secrets*` (including inside `$(…)`) when `NAME` is
    /// not defined earlier in the same file but is defined in the project's `.env`.
    ///
    /// ## Why is this bad?
    /// Kamal 1 loaded `.env`; Kamal 2 does not. The variable now comes from your shell's
    /// environment, where it usually is not set, and dotenv silently replaces an unknown variable
    /// with an empty string: the app boots with an empty secret.
    ///
    /// ## Example
    /// ```sh
    /// # .env
    /// DATABASE_PASSWORD=…
    /// # .kamal/secrets
    /// DATABASE_PASSWORD=$DATABASE_PASSWORD
    /// ```
    /// Use instead: export the variable in your shell, read the value from a password manager
    /// (`$(kamal secrets fetch …)`), or load `.env` explicitly in the secrets file with a
    /// command you control.
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (`.env` is no longer read) and §7.2 (substitution)
    /// - <https://kamal-deploy.org/docs/upgrading/secrets-changes/>
    pub static DOTENV_ONLY_VARIABLE = {
        code: "S006",
        name: "dotenv-only-variable",
        category: Secrets,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    let Ok(bytes) = cx.vfs.read(&cx.root.join(".env")) else {
        return;
    };
    let env_file = dotenv::parse(&String::from_utf8_lossy(&bytes));
    // sets, not lists: both files may hold any number of keys
    let in_env: std::collections::HashSet<&str> =
        env_file.entries.iter().map(|e| e.key.as_str()).collect();
    if in_env.is_empty() {
        return;
    }
    for source in cx.secrets {
        let mut defined: std::collections::HashSet<&str> = Default::default();
        for entry in &source.parsed.entries {
            let mut vars: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
            for part in &entry.parts {
                match part {
                    Part::Variable { name, span, .. } => vars.push((name, span.clone())),
                    Part::Command { variables, .. } => {
                        vars.extend(variables.iter().map(|v| (v.name.as_str(), v.span.clone())))
                    }
                    Part::Literal { .. } => {}
                }
            }
            for (name, span) in vars {
                if defined.contains(name) || !in_env.contains(name) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &DOTENV_ONLY_VARIABLE,
                        source.span(span),
                        format!("`${name}` is defined only in `.env`, which Kamal 2 does not read: it becomes empty unless your shell exports it"),
                    )
                    .with_help("export it in the shell that runs Kamal, or fetch it from a password manager"),
                );
            }
            defined.insert(&entry.key);
        }
    }
}
