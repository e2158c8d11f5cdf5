use super::{active, shown};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::ProjectContext;
use crate::syntax::shell::Script;
use crate::text::Span;

declare_rule! {
    /// A hook without a `#!` line: it runs with `/bin/sh`, whatever it is written in.
    ///
    /// ## What it does
    /// Reports hooks whose first line is not a shebang (`#!/bin/sh`, `#!/usr/bin/env ruby`).
    ///
    /// ## Why is this bad?
    /// Kamal runs a hook as `/usr/bin/env .kamal/hooks/NAME`. The kernel refuses a file without
    /// a shebang, and `env` (through `execvp`) then falls back to running it with `/bin/sh`. A
    /// POSIX shell script survives that, but a script written for bash (`[[ ]]`, arrays,
    /// `source`, `<<<`) fails where `/bin/sh` is dash (Debian and Ubuntu CI runners), and a Ruby
    /// or Python script fails everywhere. The file also gives readers and shellcheck no hint of
    /// its language.
    ///
    /// ## Example
    /// ```sh
    /// set -e
    /// kamal proxy boot_config set --registry registry:4443
    /// ```
    /// Use instead:
    /// ```sh
    /// #!/bin/sh
    /// set -e
    /// kamal proxy boot_config set --registry registry:4443
    /// ```
    ///
    /// ## Fix
    /// Inserts `#!/bin/sh`, the shell that runs the script today (safe: nothing changes).
    /// Choose `#!/usr/bin/env bash` yourself when the script needs bash. The inserted line ends
    /// with LF even in a file with CRLF line endings (a `#!/bin/sh\r` line would name an
    /// interpreter `sh\r` that does not exist). A file that starts with a UTF-8 byte order mark
    /// gets the line in place of the mark, and that fix is unsafe: `/bin/sh` read the mark as
    /// part of the first command's name, so that command did not run before and runs after.
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1 (hooks run as `/usr/bin/env HOOKS_PATH/NAME`)
    /// - `execvp` (glibc and the BSDs, used by `env`): a file the system cannot execute is run
    ///   by `/bin/sh`; Kamal's own integration tests run a hook without a shebang this way
    /// - [`lib/kamal/commands/hook.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/commands/hook.rb)
    pub static HOOK_MISSING_SHEBANG = {
        code: "H005",
        name: "hook-missing-shebang",
        category: Hooks,
        severity: Warning,
        fix: Always,
    };
}

/// Something only bash (or another shell than `sh`) understands, if the script uses it.
pub(crate) fn bashism(script: &Script, text: &str) -> Option<&'static str> {
    for c in &script.commands {
        match c.name().map(|w| w.text.as_str()) {
            Some("[[") => return Some("`[[ ]]`"),
            Some("source") => return Some("`source`"),
            Some("declare" | "typeset" | "shopt" | "mapfile" | "readarray") => {
                return Some("bash builtins")
            }
            _ => {}
        }
        if c.redirects.iter().any(|r| r.operator == "<<<") {
            return Some("`<<<` here-strings");
        }
    }
    if script.assignments.iter().any(|a| {
        a.value
            .as_ref()
            .is_some_and(|v| text.get(v.span.clone()).is_some_and(|t| t.starts_with('(')))
    }) {
        return Some("arrays");
    }
    if script.variables.iter().any(|v| {
        matches!(
            v.operator.as_deref(),
            Some("//" | "/" | "^" | "^^" | "," | ",," | "[")
        )
    }) {
        return Some("bash parameter expansions");
    }
    None
}

/// The fix: `#!/bin/sh` on a line of its own at the very start. The line ends with LF even in a
/// CRLF file: `#!/bin/sh\r` would make the kernel look for an interpreter named `sh\r` and the
/// hook would fail where it runs today. A UTF-8 byte order mark (which hides the first command
/// from `/bin/sh`) is replaced by the line, which changes what runs: then the fix is unsafe.
fn fix(file: crate::text::FileId, text: &str) -> Fix {
    let bom = text.starts_with('\u{feff}');
    Fix {
        applicability: if bom {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        message: if bom {
            "replace the byte order mark with `#!/bin/sh` (the first command, hidden from `/bin/sh` by the mark, then runs)".into()
        } else {
            "add `#!/bin/sh` (what runs it today)".into()
        },
        edits: vec![Edit {
            span: Span::new(file, 0..if bom { 3 } else { 0 }),
            content: "#!/bin/sh\n".into(),
        }],
    }
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (_, hook) in active(cx) {
        if hook.script.shebang.is_some() {
            continue;
        }
        let text = &cx.files.get(hook.file).text;
        if text.trim().is_empty() {
            continue;
        }
        let path = shown(cx, hook);
        let mut message = format!(
            "`{path}` has no `#!` line: `/usr/bin/env` falls back to running it with `/bin/sh`"
        );
        let ruby = text.contains("require ") || text.contains("puts ");
        if let Some(what) = bashism(&hook.script, text) {
            message.push_str(&format!(
                ", which does not understand its {what} where `/bin/sh` is dash"
            ));
        } else if ruby {
            message.push_str(", but it looks like Ruby");
        }
        out.push(
            Diagnostic::new(&HOOK_MISSING_SHEBANG, super::first_line(hook, text), message)
                .with_help("start the file with the interpreter it is written for: `#!/bin/sh`, `#!/usr/bin/env bash`, `#!/usr/bin/env ruby`")
                .with_fix(fix(hook.file, text)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::fix::{fix_files, FixMode};
    use crate::syntax::shell;

    const BASE: &str = "service: app\nimage: user/app\nregistry:\n  username: u\n  password: [P]\nbuilder:\n  arch: amd64\nservers:\n  - 10.0.0.1\n";

    fn fixed(hook: &str, mode: FixMode) -> Option<String> {
        let done = fix_files(
            &[
                ("config/deploy.yml", BASE),
                (".kamal/hooks/pre-deploy", hook),
            ],
            mode,
        );
        assert!(done.dropped.is_empty(), "{hook:?}: {:?}", done.dropped);
        done.files
            .iter()
            .find(|(p, _)| p.ends_with("pre-deploy"))
            .map(|(_, (_, new))| new.clone())
    }

    #[test]
    fn the_fix_adds_a_working_shebang_in_every_shape() {
        for body in [
            "echo deploying\n",
            "echo deploying\r\necho done\r\n",
            "\n\nset -e\necho deploying",
            "require 'net/http'\r\nputs 1\r\n",
        ] {
            let got = fixed(body, FixMode::Safe).expect("fixed");
            assert_eq!(got, format!("#!/bin/sh\n{body}"));
            let script = shell::parse(&got);
            let sb = script.shebang.expect("a shebang");
            assert_eq!(sb.path, "/bin/sh");
            assert!(!sb.carriage_return && !sb.bom, "{got:?}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_replaced_only_by_the_unsafe_fix() {
        for body in ["\u{feff}echo deploying\n", "\u{feff}echo deploying\r\n"] {
            assert_eq!(fixed(body, FixMode::Safe), None, "{body:?}");
            let got = fixed(body, FixMode::Unsafe).expect("fixed");
            assert_eq!(got, format!("#!/bin/sh\n{}", &body[3..]));
            let sb = shell::parse(&got).shebang.expect("a shebang");
            assert!(!sb.bom && sb.path == "/bin/sh");
        }
    }
}
