use super::{active, receives};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::{HookSource, ProjectContext};
use crate::syntax::shell::{Script, VarUse};

declare_rule! {
    /// A `KAMAL_*` variable the hook never receives.
    ///
    /// ## What it does
    /// Checks every `KAMAL_*` variable a hook reads (`$KAMAL_X`, `${KAMAL_X}`, and in Ruby,
    /// Python or Node hooks `ENV["KAMAL_X"]`, `os.environ["KAMAL_X"]`, `process.env.KAMAL_X`)
    /// against what Kamal sets for that hook, and reports:
    /// - `KAMAL_ROLE`: Kamal sets `KAMAL_ROLES` (comma-separated, only with `-r`);
    /// - `KAMAL_RUNTIME` outside `post-deploy`;
    /// - misspelt names (`KAMAL_DESTINATON`);
    /// - other `KAMAL_*` names Kamal never sets, when the script reads them without a default
    ///   (`${KAMAL_X:-…}`) or a test.
    ///
    /// Variables the script assigns itself and secrets (see `hook-secret-not-passed`) are not
    /// reported.
    ///
    /// ## Why is this bad?
    /// Every hook receives `KAMAL_RECORDED_AT`, `KAMAL_PERFORMER`, `KAMAL_VERSION`,
    /// `KAMAL_SERVICE_VERSION`, `KAMAL_SERVICE`, `KAMAL_HOSTS`, `KAMAL_LOCK`, `KAMAL_COMMAND`,
    /// and when they apply `KAMAL_SUBCOMMAND`, `KAMAL_DESTINATION` and `KAMAL_ROLES`; only
    /// `post-deploy` also receives `KAMAL_RUNTIME`. Any other name is empty: a check that
    /// compares it skips silently, a notification reports nothing, a `set -u` script fails.
    /// Kamal's own documentation names `KAMAL_ROLE`, which Kamal does not set.
    ///
    /// ## Example
    /// ```sh
    /// #!/bin/sh
    /// # .kamal/hooks/pre-deploy
    /// if [ "$KAMAL_ROLE" = "web" ]; then …
    /// ```
    /// Use instead:
    /// ```sh
    /// case ",$KAMAL_ROLES," in *,web,*) … ;; esac
    /// ```
    ///
    /// ## Fix
    /// Renames `KAMAL_ROLE` and misspelt names to the variable Kamal sets (unsafe: check the
    /// script's logic, `KAMAL_ROLES` is a list).
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.2 (the variables each hook receives)
    /// - [Kamal docs: hooks overview](https://kamal-deploy.org/docs/hooks/overview/) (which
    ///   lists `KAMAL_ROLE`)
    /// - [`lib/kamal/commander.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/commander.rb)
    ///   and [`lib/kamal/cli/base.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/cli/base.rb)
    pub static HOOK_VARIABLE_NOT_SET = {
        code: "H008",
        name: "hook-variable-not-set",
        category: Hooks,
        severity: Warning,
        fix: Sometimes,
    };
}

/// Whether a use is inside a test (`[ -n "$X" ]`, `test`, `[[ ]]`): the script expects it may be
/// unset.
pub(crate) fn tested(script: &Script, var: &VarUse) -> bool {
    var.guarded()
        || var
            .command
            .and_then(|c| script.commands.get(c))
            .and_then(|c| c.name())
            .is_some_and(|w| matches!(w.text.as_str(), "[" | "[[" | "test"))
}

enum Why {
    Role,
    Runtime,
    Typo(&'static str),
    Unknown,
}

fn known_names() -> impl Iterator<Item = &'static str> {
    crate::hook_env::VARIABLES.iter().map(|(n, _)| *n)
}

fn classify(hook: &str, name: &str) -> Option<Why> {
    if receives(hook, name) {
        return None;
    }
    if name == "KAMAL_ROLE" {
        return Some(Why::Role);
    }
    if name == "KAMAL_RUNTIME" {
        return Some(Why::Runtime);
    }
    let suffix = &name["KAMAL_".len()..];
    known_names()
        .filter(|k| *k != "KAMAL_RUNTIME" || hook == "post-deploy")
        .map(|k| (k, strsim::levenshtein(suffix, &k["KAMAL_".len()..])))
        .filter(|(k, d)| *d <= 1 || *d == 2 && k.len() >= 12)
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| Why::Typo(k))
        .or(Some(Why::Unknown))
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (hook_name, hook) in active(cx) {
        check_hook(cx, hook_name, hook, out);
    }
}

fn check_hook(cx: &ProjectContext, hook_name: &str, hook: &HookSource, out: &mut Vec<Diagnostic>) {
    let script = &hook.script;
    // each name with its uses, grouped once (not a scan of every use per name)
    let mut by_name: std::collections::BTreeMap<&str, Vec<&VarUse>> = Default::default();
    for v in &script.variables {
        let n = v.name.as_str();
        if n.starts_with("KAMAL_") && n.len() > "KAMAL_".len() {
            by_name.entry(n).or_default().push(v);
        }
    }
    for (name, uses) in by_name {
        if script.assigned(name) || cx.secrets.iter().any(|s| s.parsed.get(name).is_some()) {
            continue;
        }
        let Some(why) = classify(hook_name, name) else {
            continue;
        };
        let (message, rename) = match why {
            Why::Role => (
                format!("Kamal sets `KAMAL_ROLES` (comma-separated, only with `-r`), never `KAMAL_ROLE`: it is always empty in `{hook_name}`"),
                Some("KAMAL_ROLES"),
            ),
            Why::Runtime => (
                format!("only `post-deploy` receives `KAMAL_RUNTIME`: in `{hook_name}` it is always empty"),
                None,
            ),
            Why::Typo(meant) => (
                format!("Kamal sets no `{name}`: did you mean `{meant}`?"),
                Some(meant),
            ),
            Why::Unknown => {
                if uses.iter().any(|v| tested(script, v)) {
                    continue;
                }
                (
                    format!("Kamal sets no `{name}`: it is empty unless the shell that runs `kamal` exports it"),
                    None,
                )
            }
        };
        let Some(first) = uses.first() else { continue };
        let mut d = Diagnostic::new(
            &HOOK_VARIABLE_NOT_SET,
            hook.span(first.name_span.clone()),
            message,
        );
        for other in uses.iter().skip(1).take(20) {
            d = d.with_label(hook.span(other.name_span.clone()), "also here");
        }
        d = match rename {
            Some(new) => d.with_help(format!("read `{new}`")).with_fix(Fix {
                applicability: Applicability::Unsafe,
                message: format!("rename to `{new}`"),
                edits: uses
                    .iter()
                    .map(|v| Edit {
                        span: hook.span(v.name_span.clone()),
                        content: new.to_string(),
                    })
                    .collect(),
            }),
            None => d.with_help(format!(
                "the variables of `{hook_name}` are {}",
                known_names()
                    .filter(|k| receives(hook_name, k))
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        out.push(d);
    }
}
