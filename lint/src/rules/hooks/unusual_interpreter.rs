use super::active;
use super::invalid_shebang::{known, typo_of};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::ProjectContext;

declare_rule! {
    /// A hook whose interpreter is at a machine-specific path, or is not a script interpreter
    /// sextant knows.
    ///
    /// ## What it does
    /// Reports shebangs that name an interpreter by an absolute path that differs between
    /// machines (`/usr/local/bin/bash`, `/opt/homebrew/bin/ruby`, a home folder, `/nix/…`, and
    /// `/usr/bin/bash`, which macOS and Alpine do not have), and interpreters sextant does not
    /// know (whose hooks it cannot check further).
    ///
    /// ## Why is this bad?
    /// Hooks run on whatever machine runs `kamal`: a teammate's laptop, a CI runner. An
    /// interpreter path that exists on one of them fails on the others with
    /// `No such file or directory` (exit status 127), aborting the deploy there.
    ///
    /// ## Example
    /// ```sh
    /// #!/opt/homebrew/bin/bash
    /// ```
    /// Use instead:
    /// ```sh
    /// #!/usr/bin/env bash
    /// ```
    ///
    /// ## Fix
    /// Rewrites the line to `#!/usr/bin/env NAME` when it has no arguments (unsafe: `env` then
    /// takes the first `NAME` on `PATH`, which may be another version).
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1 (hooks run locally as `/usr/bin/env HOOKS_PATH/NAME`)
    pub static HOOK_UNUSUAL_INTERPRETER = {
        code: "H007",
        name: "hook-unusual-interpreter",
        category: Hooks,
        severity: Info,
        fix: Sometimes,
    };
}

const MACHINE_SPECIFIC: &[&str] = &[
    "/usr/local/",
    "/opt/",
    "/home/",
    "/Users/",
    "/nix/",
    "/snap/",
    "/root/",
    "~",
];

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (_, hook) in active(cx) {
        let Some(sb) = &hook.script.shebang else {
            continue;
        };
        if sb.bom || sb.carriage_return || sb.path.is_empty() || !sb.path.starts_with('/') {
            continue; // hook-invalid-shebang
        }
        if !sb.via_env
            && (MACHINE_SPECIFIC.iter().any(|p| sb.path.starts_with(p))
                || sb.path == "/usr/bin/bash")
        {
            let mut d = Diagnostic::new(
                &HOOK_UNUSUAL_INTERPRETER,
                hook.span(sb.path_span.clone()),
                format!(
                    "`{}` is where {} is on one machine: where it is installed elsewhere (a CI runner, a teammate's laptop) the hook fails with `No such file or directory`",
                    sb.path, sb.interpreter
                ),
            )
            .with_help(format!("use `#!/usr/bin/env {}`", sb.interpreter));
            if sb.args.is_empty() && !sb.interpreter.is_empty() {
                d = d.with_fix(Fix {
                    applicability: Applicability::Unsafe,
                    message: format!("use `#!/usr/bin/env {}`", sb.interpreter),
                    edits: vec![Edit {
                        span: hook.span(sb.path_span.clone()),
                        content: format!("/usr/bin/env {}", sb.interpreter),
                    }],
                });
            }
            out.push(d);
            continue;
        }
        let name = sb.interpreter.as_str();
        if name.is_empty() || known(name) {
            continue;
        }
        // typos are hook-invalid-shebang's
        if typo_of(name).is_some() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &HOOK_UNUSUAL_INTERPRETER,
                hook.span(sb.interpreter_span.clone()),
                format!("sextant does not know the interpreter `{name}`: this hook's variables and commands are not checked"),
            ),
        );
    }
}
