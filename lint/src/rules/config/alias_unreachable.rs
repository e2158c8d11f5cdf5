use sextant_schema::kamal::COMMANDS;

use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// An alias `kamal NAME` can never run, or that runs no Kamal command.
    ///
    /// ## What it does
    /// Reports aliases that are unreachable because Kamal's command line (Thor) resolves the name
    /// first — `help`, or a name that is the beginning of a command (`ver` runs `kamal version`,
    /// `de` is ambiguous between `deploy` and `details`) — aliases whose first word is neither
    /// a Kamal command nor another alias, and aliases that expand to themselves.
    ///
    /// ## Why is this bad?
    /// Kamal's validator only rejects names equal to a command. Thor accepts any unambiguous
    /// prefix of a command, so the alias silently runs something else; an unknown first word
    /// fails with `Could not find command "X".`; a cycle recurses until the stack overflows.
    ///
    /// ## Example
    /// ```yaml
    /// aliases:
    ///   con: app exec -i --reuse "bin/rails console"
    ///   logs: app-logs -f
    /// ```
    /// Use instead:
    /// ```yaml
    /// aliases:
    ///   console: app exec -i --reuse "bin/rails console"
    ///   logs: app logs -f
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 aliases, §9
    /// - <https://kamal-deploy.org/docs/configuration/aliases/>
    pub static ALIAS_UNREACHABLE = {
        code: "C003",
        name: "alias-unreachable",
        category: Config,
        severity: Warning,
        fix: None,
    };
}

/// Thor's command names at the top level (`help` included).
fn commands() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().copied().chain(std::iter::once("help"))
}

/// What Thor makes of a command name: the commands it could mean (prefix match, `-` as `_`).
fn resolve(name: &str) -> Vec<&'static str> {
    let name = name.replace('-', "_");
    if let Some(exact) = commands().find(|c| *c == name) {
        return vec![exact];
    }
    commands().filter(|c| c.starts_with(&name)).collect()
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(aliases) = cx.config.get("aliases").and_then(|a| a.map()) else {
        return;
    };
    let names: Vec<String> = aliases
        .iter()
        .filter(|e| !e.key.is_erb())
        .map(|e| e.key.ruby_to_s())
        .collect();
    let first_word = |value: &str| value.split_whitespace().next().map(str::to_string);
    for e in aliases {
        if e.key.is_erb() {
            continue;
        }
        let name = e.key.ruby_to_s();
        let shadowed = resolve(&name);
        if name == "help" {
            out.push(
                Diagnostic::new(
                    &ALIAS_UNREACHABLE,
                    e.key.span,
                    "`kamal help` always runs Kamal's help: this alias never runs",
                )
                .with_help("rename the alias"),
            );
        } else if !shadowed.is_empty() && !COMMANDS.contains(&name.as_str()) {
            let message = if shadowed.len() == 1 {
                format!(
                    "`kamal {name}` runs `kamal {}` (Kamal accepts the start of a command name): this alias never runs",
                    shadowed[0]
                )
            } else {
                format!(
                    "`kamal {name}` fails as ambiguous ({}): this alias never runs",
                    shadowed.join(", ")
                )
            };
            out.push(
                Diagnostic::new(&ALIAS_UNREACHABLE, e.key.span, message)
                    .with_help("pick a name that does not start a Kamal command name"),
            );
        }
        if e.value.is_erb() || !e.value.is_stringish() {
            continue;
        }
        let value = e.value.ruby_to_s();
        let Some(first) = first_word(&value) else {
            continue;
        };
        let known = names.contains(&first) || resolve(&first).len() == 1;
        if !known {
            out.push(
                Diagnostic::new(
                    &ALIAS_UNREACHABLE,
                    e.value.span,
                    format!("alias `{name}` runs `kamal {first}`, which is not a Kamal command"),
                )
                .with_help(
                    "start the alias with a command such as `app`, `accessory`, `deploy` (see `kamal help`)",
                ),
            );
        }
        // a cycle: follow first words through other aliases
        let mut seen = vec![name.clone()];
        let mut next = first;
        while let Some(target) = aliases
            .iter()
            .find(|a| a.key.ruby_to_s() == next && !a.value.is_erb())
        {
            if seen.contains(&next) {
                if next == name {
                    out.push(Diagnostic::new(
                        &ALIAS_UNREACHABLE,
                        e.key.span,
                        format!(
                            "alias `{name}` expands to itself ({} → {name}): it recurses until Kamal crashes",
                            seen.join(" → ")
                        ),
                    ));
                }
                break;
            }
            seen.push(next.clone());
            match first_word(&target.value.ruby_to_s()) {
                Some(w) => next = w,
                None => break,
            }
        }
    }
}
