use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::ProjectContext;
use crate::syntax::dockerfile::Args;
use crate::text::Span;

declare_rule! {
    /// Shell-form `CMD` or `ENTRYPOINT`: the app runs under `/bin/sh -c` and may miss SIGTERM.
    ///
    /// ## What it does
    /// Reports `CMD` and `ENTRYPOINT` written as plain text (`CMD bin/rails server`) instead
    /// of a JSON array, unless the text starts with `exec`.
    ///
    /// ## Why is this bad?
    /// Docker runs the shell form as `/bin/sh -c "…"`. Unless the shell replaces itself with
    /// the command — which depends on the shell and on the command (a list such as
    /// `bin/rails db:prepare && bin/rails server` keeps the shell) — the shell is PID 1, and
    /// a shell does not forward signals. When Kamal replaces a container it stops the old one
    /// with `docker stop` (after kamal-proxy drained it, for proxied roles): SIGTERM goes to
    /// PID 1 only, the app never shuts down gracefully (jobs in progress, open connections),
    /// and Docker kills everything with SIGKILL when the stop timeout runs out — Docker's 10 s,
    /// or `drain_timeout` (30 s by default) for roles without the proxy — so every deploy
    /// waits the full timeout per container. A shell-form `ENTRYPOINT` also ignores `CMD` and
    /// the role's `cmd` in deploy.yml entirely.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD bundle exec puma -C config/puma.rb
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
    /// ```
    /// or, when shell features are needed, `CMD ["sh", "-c", "… && exec bin/rails server"]`.
    ///
    /// ## Fix
    /// Rewrites a command made of plain words (no variables, quotes, operators or globs) as a
    /// JSON array (unsafe: the command no longer goes through a shell, and with an
    /// `ENTRYPOINT` the arguments it receives change).
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.1 (`drain_timeout`)
    /// - <https://docs.docker.com/reference/build-checks/json-args-recommended/>
    /// - <https://docs.docker.com/reference/dockerfile/#shell-and-exec-form>
    /// - hadolint DL3025
    pub static SHELL_FORM_CMD = {
        code: "F011",
        name: "shell-form-cmd",
        category: Dockerfile,
        severity: Warning,
        fix: Sometimes,
    };
}

/// A command of plain words: no shell syntax at all.
fn plain_words(text: &str) -> Option<Vec<&str>> {
    let special = |c: char| {
        matches!(
            c,
            '$' | '`'
                | '"'
                | '\''
                | '\\'
                | '*'
                | '?'
                | '['
                | ']'
                | '~'
                | '&'
                | '|'
                | ';'
                | '<'
                | '>'
                | '('
                | ')'
                | '{'
                | '}'
                | '#'
                | '\n'
                | '='
        )
    };
    if text.chars().any(special) {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    (!words.is_empty()).then_some(words)
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        for ins in &source.parsed.instructions {
            if !matches!(ins.keyword.as_str(), "CMD" | "ENTRYPOINT") {
                continue;
            }
            let Args::Shell(s) = &ins.args else { continue };
            let text = s.text.trim();
            if text == "exec" || text.starts_with("exec ") || text.starts_with("exec\t") {
                continue;
            }
            let keyword = ins.keyword.as_str();
            let mut d = Diagnostic::new(
                &SHELL_FORM_CMD,
                Span::new(source.file, ins.keyword_span.start..ins.span.end),
                format!("shell-form `{keyword}` runs the app under `/bin/sh -c`, which does not pass Kamal's SIGTERM on"),
            )
            .with_help(format!(
                "write it as a JSON array (`{keyword} [\"…\", \"…\"]`), or start the text with `exec` so the app replaces the shell"
            ));
            if let Some(words) = plain_words(text) {
                let json = words
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                d = d.with_fix(Fix {
                    applicability: Applicability::Unsafe,
                    message: "use the exec form".into(),
                    edits: vec![Edit {
                        span: Span::new(source.file, ins.args_span()),
                        content: format!("[{json}]"),
                    }],
                });
            }
            out.push(d);
        }
    }
}
