use super::{active, assigned_values, kamal_calls, sole_variable, KamalCall};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::ProjectContext;
use crate::syntax::shell::Script;

declare_rule! {
    /// A `kamal` command inside a hook that does not pass the destination on.
    ///
    /// ## What it does
    /// In projects with destination files (`config/deploy.DEST.yml`), reports `kamal …`
    /// commands run by a hook (`kamal app exec`, `bin/kamal`, `bundle exec kamal`) without `-d`
    /// / `--destination` — directly, through a variable (`$DEST_FLAG` set to
    /// `-d $KAMAL_DESTINATION`), or in a branch taken when `KAMAL_DESTINATION` is empty.
    ///
    /// ## Why is this bad?
    /// A hook runs with `KAMAL_DESTINATION` set (`kamal deploy -d staging`), but a `kamal`
    /// command it starts is a new Kamal process that only knows its own arguments: without
    /// `-d` it loads `config/deploy.yml` alone — other hosts, other image, other secrets — or
    /// fails with `ArgumentError` when the configuration has `require_destination: true`. The
    /// migration you meant for staging runs against production, or not at all.
    ///
    /// The nested command also runs the hooks again (`pre-connect` every time: see
    /// `nested-kamal-recursion`), and takes the deploy lock unless it inherits it: hooks that
    /// run while the outer command holds the lock (`pre-deploy`, `pre-app-boot`, …) receive
    /// `KAMAL_LOCK=true`, and a nested `kamal` seeing it treats the lock as held instead of
    /// deadlocking on it.
    ///
    /// ## Example
    /// ```sh
    /// #!/bin/sh
    /// # .kamal/hooks/pre-deploy
    /// kamal app exec --version="$KAMAL_VERSION" 'bin/rails db:migrate'
    /// ```
    /// Use instead:
    /// ```sh
    /// kamal app exec ${KAMAL_DESTINATION:+-d "$KAMAL_DESTINATION"} --version="$KAMAL_VERSION" 'bin/rails db:migrate'
    /// ```
    /// (`KAMAL_DESTINATION` is set only when the outer command got `-d`; `-d ""` would fail.)
    ///
    /// ## Fix
    /// Inserts `${KAMAL_DESTINATION:+-d "$KAMAL_DESTINATION"}` after the subcommand (unsafe:
    /// review where the command should run).
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1 (`KAMAL_LOCK` and nested commands) and §8.2 (`KAMAL_DESTINATION`
    ///   only with `-d`); destinations, §6
    /// - [Kamal docs: hooks overview](https://kamal-deploy.org/docs/hooks/overview/)
    pub static NESTED_KAMAL_WITHOUT_DESTINATION = {
        code: "H011",
        name: "nested-kamal-without-destination",
        category: Hooks,
        severity: Warning,
        fix: Always,
    };
}

/// Commands that do not load the configuration.
fn loads_config(call: &KamalCall) -> bool {
    match call.name {
        None => false,
        Some("version" | "docs" | "init" | "help" | "upgrade_config") => false,
        Some(n) if n.starts_with('-') => false,
        Some("secrets") => !matches!(call.subcommand, Some("fetch" | "extract")),
        Some(_) => true,
    }
}

fn passes_destination(script: &Script, text: &str, call: &KamalCall) -> bool {
    if call.has_option(Some("-d"), "--destination") {
        return true;
    }
    for w in call.args {
        if w.text.contains("$@") || w.text.contains("$*") || w.text.contains("${@") {
            return true; // arguments forwarded: unknown
        }
        let mentions = w
            .vars
            .iter()
            .filter_map(|v| script.variables.get(*v))
            .any(|v| v.name == "KAMAL_DESTINATION");
        if mentions {
            return true;
        }
        if let Some(name) = sole_variable(script, w) {
            let values = assigned_values(script, name);
            if values.iter().any(|v| {
                let t = text.get(v.span.clone()).unwrap_or("");
                t.contains("-d") || t.contains("--destination") || t.contains("KAMAL_DESTINATION")
            }) {
                return true;
            }
        }
    }
    // in a branch that depends on the destination (`if [ -n "$KAMAL_DESTINATION" ] … else`)
    if call.command.conditions().any(|r| {
        text.get(r.clone())
            .is_some_and(|t| t.contains("KAMAL_DESTINATION"))
    }) {
        return true;
    }
    let line_start = text[..call.command.span.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    call.command.after.is_some()
        && text[line_start..call.command.span.start].contains("KAMAL_DESTINATION")
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    let destinations: Vec<&str> = cx.overlays().filter_map(|c| c.destination).collect();
    if destinations.is_empty() {
        return;
    }
    let listed = destinations
        .iter()
        .map(|d| format!("`{d}`"))
        .collect::<Vec<_>>()
        .join(", ");
    for (hook_name, hook) in active(cx) {
        if !hook.script.language.is_shell() {
            continue;
        }
        let text = &cx.files.get(hook.file).text;
        for call in kamal_calls(&hook.script) {
            if !loads_config(&call) || passes_destination(&hook.script, text, &call) {
                continue;
            }
            let at = call.after_subcommand();
            out.push(
                Diagnostic::new(
                    &NESTED_KAMAL_WITHOUT_DESTINATION,
                    hook.span(call.command.span.start..at),
                    format!(
                        "`{}` in `{hook_name}` runs without `-d`: it loads `config/deploy.yml` alone, not the destination being deployed ({listed})",
                        call.display()
                    ),
                )
                .with_help("pass the destination on: `${KAMAL_DESTINATION:+-d \"$KAMAL_DESTINATION\"}` (set only when the outer command got `-d`)")
                .with_fix(Fix {
                    applicability: Applicability::Unsafe,
                    message: "pass the outer command's destination".into(),
                    edits: vec![Edit {
                        span: hook.span(at..at),
                        content: " ${KAMAL_DESTINATION:+-d \"$KAMAL_DESTINATION\"}".into(),
                    }],
                }),
            );
        }
    }
}
