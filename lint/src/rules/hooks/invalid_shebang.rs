use super::{active, shown};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::ProjectContext;

declare_rule! {
    /// A `#!` line that cannot start the hook.
    ///
    /// ## What it does
    /// Reports shebangs that fail before the script runs:
    /// - a Windows line ending: the system looks for an interpreter named `sh\r`;
    /// - a UTF-8 byte order mark before `#!`: the system does not see a shebang at all and runs
    ///   the file with `/bin/sh`;
    /// - `#!` with no interpreter, or `#!/usr/bin/env` with no program;
    /// - a relative interpreter path (`#!bash`), looked up from the working directory;
    /// - `#!/usr/bin/env bash -e`: Linux passes `bash -e` to `env` as one argument, and `env`
    ///   finds no program of that name (`env -S` splits it);
    /// - an interpreter name that is a typo of a known one (`#!/bin/bsh`, `#!/usr/bin/evn ruby`).
    ///
    /// ## Why is this bad?
    /// Kamal runs a hook as `/usr/bin/env .kamal/hooks/NAME`. With these shebangs that fails
    /// with `No such file or directory` (exit status 127), or runs the file with the wrong
    /// interpreter, and the Kamal command aborts with ``Hook `NAME` failed``. The CRLF and
    /// `env` argument cases work on some machines (an editor that hides line endings, macOS's
    /// `env`) and fail on others, typically the Linux CI runner.
    ///
    /// ## Example
    /// ```sh
    /// #!/usr/bin/env bash -euo pipefail
    /// ```
    /// Use instead:
    /// ```sh
    /// #!/usr/bin/env bash
    /// set -euo pipefail
    /// ```
    ///
    /// ## Fix
    /// For Windows line endings: converts the file to Unix line endings; for a byte order mark:
    /// removes it (both safe).
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1 (hooks run as `/usr/bin/env HOOKS_PATH/NAME`; a bad shebang
    ///   fails with 126/127)
    /// - [`env(1)`, `-S/--split-string` usage in scripts](https://manpages.ubuntu.com/manpages/focal/man1/env.1.html)
    /// - [`lib/kamal/commands/hook.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/commands/hook.rb)
    pub static HOOK_INVALID_SHEBANG = {
        code: "H006",
        name: "hook-invalid-shebang",
        category: Hooks,
        severity: Error,
        fix: Sometimes,
    };
}

/// Interpreters sextant knows (shells and common script languages).
pub(crate) const KNOWN_INTERPRETERS: &[&str] = &[
    "sh",
    "bash",
    "dash",
    "zsh",
    "ksh",
    "ksh93",
    "mksh",
    "pdksh",
    "oksh",
    "ash",
    "busybox",
    "posh",
    "yash",
    "fish",
    "ruby",
    "jruby",
    "truffleruby",
    "python",
    "python2",
    "python3",
    "pypy",
    "pypy3",
    "uv",
    "perl",
    "node",
    "nodejs",
    "bun",
    "deno",
    "tsx",
    "ts-node",
    "php",
    "lua",
    "elixir",
    "escript",
    "Rscript",
    "pwsh",
    "tclsh",
    "expect",
    "awk",
    "gawk",
    "env",
    "csh",
    "tcsh",
    "rc",
    "nu",
    "xonsh",
    "elvish",
    "make",
    "osascript",
    "java",
    "kotlin",
    "swift",
    "runghc",
    "stack",
    "crystal",
    "dart",
    "julia",
    "groovy",
    "scala",
];

/// Whether an interpreter name is one sextant knows (`python3.12` and `ruby3.3` included).
pub(crate) fn known(name: &str) -> bool {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    KNOWN_INTERPRETERS.contains(&name) || KNOWN_INTERPRETERS.contains(&base)
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (_, hook) in active(cx) {
        let Some(sb) = &hook.script.shebang else {
            continue;
        };
        let text = &cx.files.get(hook.file).text;
        let path = shown(cx, hook);
        let at = hook.span(sb.span.clone());
        if sb.bom {
            out.push(
                Diagnostic::new(
                    &HOOK_INVALID_SHEBANG,
                    hook.span(0..3),
                    format!("`{path}` starts with a byte order mark: the system does not see its `#!` line and runs it with `/bin/sh`"),
                )
                .with_help("save the file as UTF-8 without BOM")
                .with_fix(Fix {
                    applicability: Applicability::Safe,
                    message: "remove the byte order mark".into(),
                    edits: vec![Edit {
                        span: hook.span(0..3),
                        content: String::new(),
                    }],
                }),
            );
            continue;
        }
        if sb.carriage_return {
            let edits: Vec<Edit> = text
                .match_indices("\r\n")
                .map(|(i, _)| Edit {
                    span: hook.span(i..i + 1),
                    content: String::new(),
                })
                .collect();
            let name = if sb.interpreter.is_empty() {
                sb.path.as_str()
            } else {
                sb.interpreter.as_str()
            };
            let mut d = Diagnostic::new(
                &HOOK_INVALID_SHEBANG,
                super::first_line(hook, text),
                format!(
                    "the `#!` line ends with a carriage return (Windows line endings): the system looks for an interpreter named `{}\\r` and the hook fails with `No such file or directory`",
                    name.trim_end_matches('\r')
                ),
            )
            .with_help("convert the file to Unix line endings; the `.gitattributes` line `.kamal/hooks/* text eol=lf` keeps them so");
            if !edits.is_empty() {
                d = d.with_fix(Fix {
                    applicability: Applicability::Safe,
                    message: "convert to Unix line endings".into(),
                    edits,
                });
            }
            out.push(d);
            continue;
        }
        if sb.path.is_empty() {
            out.push(
                Diagnostic::new(&HOOK_INVALID_SHEBANG, at, "`#!` names no interpreter")
                    .with_help("write the interpreter: `#!/bin/sh`, `#!/usr/bin/env bash`"),
            );
            continue;
        }
        if !sb.path.starts_with('/') {
            out.push(
                Diagnostic::new(
                    &HOOK_INVALID_SHEBANG,
                    hook.span(sb.path_span.clone()),
                    format!("the interpreter `{}` is a relative path: the system looks for it in the folder Kamal runs from", sb.path),
                )
                .with_help(format!("use an absolute path or `env`: `#!/usr/bin/env {}`", sb.interpreter)),
            );
            continue;
        }
        if sb.via_env && sb.interpreter.is_empty() {
            out.push(
                Diagnostic::new(
                    &HOOK_INVALID_SHEBANG,
                    at,
                    "`#!/usr/bin/env` names no program to run",
                )
                .with_help("name the interpreter: `#!/usr/bin/env bash`"),
            );
            continue;
        }
        if sb.via_env && !sb.env_split {
            let words: Vec<&str> = sb.args.iter().map(|(w, _)| w.as_str()).collect();
            let program_at = words
                .iter()
                .position(|w| !w.starts_with('-') && !w.contains('='));
            if let Some(p) = program_at {
                if words.len() > p + 1 {
                    let joined = words[p..].join(" ");
                    let start = sb.args[p].1.start;
                    let end = sb.args.last().map_or(start, |(_, s)| s.end);
                    out.push(
                        Diagnostic::new(
                            &HOOK_INVALID_SHEBANG,
                            hook.span(start..end),
                            format!("on Linux, `env` receives `{joined}` as one program name and fails with `No such file or directory`"),
                        )
                        .with_help(format!(
                            "keep only the interpreter (`#!/usr/bin/env {}`) and set options in the script (`set -e`), or use `#!/usr/bin/env -S {joined}`",
                            words[p]
                        )),
                    );
                    continue;
                }
            }
        }
        // typos of the program or of the interpreter
        let program = sb.path.rsplit('/').next().unwrap_or(&sb.path);
        for (name, span) in [
            (program, sb.path_span.clone()),
            (sb.interpreter.as_str(), sb.interpreter_span.clone()),
        ] {
            if name.len() < 3 || known(name) {
                continue;
            }
            if let Some(meant) = typo_of(name) {
                out.push(
                    Diagnostic::new(
                        &HOOK_INVALID_SHEBANG,
                        hook.span(span),
                        format!("`{name}` is not an interpreter: a typo of `{meant}`?"),
                    )
                    .with_help(format!("write `{meant}`")),
                );
                break;
            }
        }
    }
}

/// The known interpreter a name is a typo of (one edit on four letters or more, or two letters
/// swapped).
pub(crate) fn typo_of(name: &str) -> Option<&'static str> {
    if known(name) {
        return None;
    }
    KNOWN_INTERPRETERS
        .iter()
        .filter(|k| k.len() >= 2)
        .find(|k| {
            let d = strsim::levenshtein(name, k);
            d == 1 && name.len() >= 4
                || d == 2 && name.len() == k.len() && sorted(name) == sorted(k)
        })
        .copied()
}

fn sorted(s: &str) -> Vec<char> {
    let mut c: Vec<char> = s.chars().collect();
    c.sort_unstable();
    c
}
