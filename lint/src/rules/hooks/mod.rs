//! Hooks: the scripts Kamal runs from `hooks_path` (default `.kamal/hooks`) — their names, their
//! mode, their shebang, the variables they read and the commands they run (SPEC §8). Scripts
//! are parsed, never run; shellcheck (when installed) is the only program started.

mod hardcoded_credential;
mod hosts_as_one_host;
mod invalid_shebang;
mod kamal_recursion;
mod kamal_without_destination;
mod migration_in_post_deploy;
mod missing_shebang;
mod never_runs;
mod not_executable;
mod requires_newer_kamal;
mod sample_inactive;
mod secret_not_passed;
pub(crate) mod shellcheck;
mod unusual_interpreter;
mod variable_not_set;

pub use hardcoded_credential::HOOK_HARDCODED_CREDENTIAL;
pub use hosts_as_one_host::KAMAL_HOSTS_AS_ONE_HOST;
pub use invalid_shebang::HOOK_INVALID_SHEBANG;
pub use kamal_recursion::NESTED_KAMAL_RECURSION;
pub use kamal_without_destination::NESTED_KAMAL_WITHOUT_DESTINATION;
pub use migration_in_post_deploy::MIGRATION_IN_POST_DEPLOY;
pub use missing_shebang::HOOK_MISSING_SHEBANG;
pub use never_runs::HOOK_NEVER_RUNS;
pub use not_executable::HOOK_NOT_EXECUTABLE;
pub use requires_newer_kamal::HOOK_REQUIRES_NEWER_KAMAL;
pub use sample_inactive::HOOK_SAMPLE_INACTIVE;
pub use secret_not_passed::HOOK_SECRET_NOT_PASSED;
pub use shellcheck::{SHELLCHECK, SHELLCHECK_UNAVAILABLE};
pub use unusual_interpreter::HOOK_UNUSUAL_INTERPRETER;
pub use variable_not_set::HOOK_VARIABLE_NOT_SET;

pub(crate) use hardcoded_credential::credentials;

use std::path::PathBuf;

use sextant_schema::{Version, V2_0};

use super::ProjectRule;
use crate::project::{display_name, normalize};
use crate::rules::context::{HookSource, ProjectContext};
use crate::syntax::shell::{Command, Script, Word};
use crate::syntax::yaml::Node;
use crate::text::Span;

pub(crate) static PROJECT: &[ProjectRule] = &[
    ProjectRule(&HOOK_NEVER_RUNS, never_runs::check),
    ProjectRule(&HOOK_SAMPLE_INACTIVE, sample_inactive::check),
    ProjectRule(&HOOK_REQUIRES_NEWER_KAMAL, requires_newer_kamal::check),
    ProjectRule(&HOOK_NOT_EXECUTABLE, not_executable::check),
    ProjectRule(&HOOK_MISSING_SHEBANG, missing_shebang::check),
    ProjectRule(&HOOK_INVALID_SHEBANG, invalid_shebang::check),
    ProjectRule(&HOOK_UNUSUAL_INTERPRETER, unusual_interpreter::check),
    ProjectRule(&HOOK_VARIABLE_NOT_SET, variable_not_set::check),
    ProjectRule(&HOOK_SECRET_NOT_PASSED, secret_not_passed::check),
    ProjectRule(&KAMAL_HOSTS_AS_ONE_HOST, hosts_as_one_host::check),
    ProjectRule(
        &NESTED_KAMAL_WITHOUT_DESTINATION,
        kamal_without_destination::check,
    ),
    ProjectRule(&NESTED_KAMAL_RECURSION, kamal_recursion::check),
    ProjectRule(&MIGRATION_IN_POST_DEPLOY, migration_in_post_deploy::check),
    ProjectRule(&HOOK_HARDCODED_CREDENTIAL, hardcoded_credential::check),
];

pub(crate) use crate::hook_env::{receives, receives_secrets, HOOKS};

/// The hook a file name is, exactly (whatever the version).
pub(crate) fn hook_name(file_name: &str) -> Option<&'static str> {
    crate::hook_env::hook(file_name).map(|h| h.name)
}

/// The release that introduced a hook.
pub(crate) fn hook_since(name: &str) -> Version {
    crate::hook_env::hook(name).map_or(V2_0, |h| h.since)
}

/// The hook folders the loads use: `hooks_path` (default `.kamal/hooks`) of the base file and of
/// each destination (as merged). `None` when ERB or a non-string decides one of them.
pub(crate) fn active_dirs(cx: &ProjectContext) -> Option<Vec<PathBuf>> {
    let value = |n: Option<&Node>| -> Option<Option<String>> {
        match n {
            None => Some(None),
            Some(n) if n.is_erb() => None,
            Some(n) => n.as_str().map(|s| Some(s.to_string())),
        }
    };
    let base = match cx.base() {
        Some(b) => value(b.yaml.root.as_ref().and_then(|r| r.get("hooks_path")))?,
        None => None,
    };
    let mut paths = vec![base.clone()];
    for overlay in cx.overlays() {
        let own = value(overlay.yaml.root.as_ref().and_then(|r| r.get("hooks_path")))?;
        paths.push(own.or_else(|| base.clone()));
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    for p in paths {
        let dir = normalize(&cx.root.join(p.as_deref().unwrap_or(".kamal/hooks")));
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    Some(dirs)
}

/// The hook files Kamal runs: named exactly as a hook, in a folder some load uses.
pub(crate) fn active<'c>(
    cx: &'c ProjectContext,
) -> impl Iterator<Item = (&'static str, &'c HookSource)> {
    let dirs = active_dirs(cx);
    cx.hooks.iter().filter_map(move |h| {
        let name = hook_name(&h.name)?;
        let dir = h.path.parent().map(normalize);
        let used = match &dirs {
            None => true,
            Some(dirs) => dir.is_some_and(|d| dirs.contains(&d)),
        };
        used.then_some((name, h))
    })
}

/// The path of a hook as shown in messages (relative to the project root).
pub(crate) fn shown(cx: &ProjectContext, hook: &HookSource) -> String {
    display_name(&hook.path, cx.root)
}

/// The span of a hook's first line (where file-level problems are shown).
pub(crate) fn first_line(hook: &HookSource, text: &str) -> Span {
    let end = text.find('\n').unwrap_or(text.len());
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    hook.span(0..end)
}

/// A `kamal …` command inside a hook.
pub(crate) struct KamalCall<'s> {
    pub command: &'s Command,
    /// The words after `kamal`.
    pub args: &'s [Word],
    /// The `kamal` word itself.
    pub kamal: &'s Word,
    /// `deploy`, `app`, …
    pub name: Option<&'s str>,
    /// `exec` in `kamal app exec`.
    pub subcommand: Option<&'s str>,
}

/// Commands with a subcommand of their own.
const GROUPS: &[&str] = &[
    "app",
    "accessory",
    "proxy",
    "server",
    "build",
    "registry",
    "lock",
    "prune",
    "secrets",
];

/// Kamal options that take a value (when not written `--opt=value`).
const VALUE_OPTIONS: &[&str] = &[
    "-d",
    "--destination",
    "-c",
    "--config-file",
    "-r",
    "--roles",
    "-h",
    "--hosts",
    "--version",
    "-e",
    "--env",
];

impl KamalCall<'_> {
    /// Whether a word (after `kamal`) is one of the given options (also `-dX`, `--opt=X`).
    pub fn has_option(&self, short: Option<&str>, long: &str) -> bool {
        self.args.iter().any(|w| {
            let t = w.text.as_str();
            t == long
                || t.starts_with(&format!("{long}="))
                || short.is_some_and(|s| {
                    t == s || t.starts_with(s) && t.len() > s.len() && !t.starts_with("--")
                })
        })
    }

    /// `kamal app exec` as written (command and subcommand).
    pub fn display(&self) -> String {
        let mut out = String::from("kamal");
        for part in [self.name, self.subcommand].into_iter().flatten() {
            out.push(' ');
            out.push_str(part);
        }
        out
    }

    /// The end of the command and subcommand words (where an option can be inserted).
    pub fn after_subcommand(&self) -> usize {
        let mut end = self.kamal.span.end;
        for w in self.args {
            if Some(w.text.as_str()) == self.name || Some(w.text.as_str()) == self.subcommand {
                end = w.span.end;
                if Some(w.text.as_str()) == self.subcommand {
                    break;
                }
            }
        }
        end
    }
}

/// The literal values a variable is assigned in the script.
pub(crate) fn assigned_values<'s>(script: &'s Script, name: &str) -> Vec<&'s Word> {
    script
        .assignments
        .iter()
        .filter(|a| a.name == name)
        .filter_map(|a| a.value.as_ref())
        .collect()
}

/// The name of the variable a word consists of (`$X`, `"${X}"`, `${X[@]}`), if it is only that.
pub(crate) fn sole_variable<'s>(script: &'s Script, word: &Word) -> Option<&'s str> {
    let [v] = word.vars.as_slice() else {
        return None;
    };
    let var = script.variables.get(*v)?;
    (word.text.starts_with('$') && word.text.len() == var.span.len()).then_some(var.name.as_str())
}

/// Every `kamal` invocation of a shell script: `kamal`, `bin/kamal`, `bundle exec kamal`,
/// `exec kamal`, `env X=1 kamal`, and `"$KAMAL_CMD"` when the script sets it to `kamal`.
pub(crate) fn kamal_calls(script: &Script) -> Vec<KamalCall<'_>> {
    let mut out = Vec::new();
    for command in &script.commands {
        let words = &command.words;
        let i = after_wrappers(words, true);
        let Some(word) = words.get(i) else { continue };
        let is_kamal = |text: &str| text.rsplit('/').next() == Some("kamal");
        let kamal = if word.literal {
            is_kamal(&word.text)
        } else {
            sole_variable(script, word).is_some_and(|name| {
                let values = assigned_values(script, name);
                !values.is_empty() && values.iter().all(|v| v.literal && is_kamal(&v.text))
            })
        };
        if !kamal {
            continue;
        }
        let args = &words[i + 1..];
        let mut name = None;
        let mut subcommand = None;
        let mut skip = false;
        for a in args {
            if skip {
                skip = false;
                continue;
            }
            let t = a.text.as_str();
            if t.starts_with('-') {
                skip = VALUE_OPTIONS.contains(&t);
                continue;
            }
            if name.is_none() {
                name = Some(t);
                if !GROUPS.contains(&t) {
                    break;
                }
            } else {
                subcommand = Some(t);
                break;
            }
        }
        out.push(KamalCall {
            command,
            args,
            kamal: word,
            name,
            subcommand,
        });
    }
    out
}

/// The index of the word that names the program, after wrappers (`exec`, `env X=1`, `sudo`,
/// and `bundle exec` when `bundle` is true).
fn after_wrappers(words: &[crate::syntax::shell::Word], bundle: bool) -> usize {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        match w.text.as_str() {
            "exec" | "command" | "builtin" | "nohup" | "time" | "sudo" => i += 1,
            "env" => {
                i += 1;
                while words
                    .get(i)
                    .is_some_and(|w| w.text.starts_with('-') || w.text.contains('='))
                {
                    i += 1;
                }
            }
            "bundle" if bundle && words.get(i + 1).is_some_and(|w| w.text == "exec") => i += 2,
            _ => break,
        }
    }
    i
}

/// The command name after wrappers (`exec`, `env`, `sudo`), as its basename.
pub(crate) fn program(command: &Command) -> Option<(usize, &str)> {
    let words = &command.words;
    let i = after_wrappers(words, false);
    let w = words.get(i)?;
    Some((i, w.text.rsplit('/').next().unwrap_or(&w.text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::shell::parse;

    #[test]
    fn kamal_invocations() {
        let s = parse("#!/bin/sh\nbin/kamal app exec --reuse 'x'\nbundle exec kamal -d s deploy\nK=kamal\n\"$K\" proxy reboot\nkamal-backup x\n");
        let calls = kamal_calls(&s);
        let shown: Vec<String> = calls.iter().map(KamalCall::display).collect();
        assert_eq!(
            shown,
            ["kamal app exec", "kamal deploy", "kamal proxy reboot"]
        );
        assert!(calls[1].has_option(Some("-d"), "--destination"));
        assert!(!calls[0].has_option(Some("-d"), "--destination"));
        assert_eq!(strsim::levenshtein("pre-deply", "pre-deploy"), 1);
    }
}
