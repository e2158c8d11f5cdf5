use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::context::ProjectContext;
use crate::syntax::dotenv::ProblemKind;

declare_rule! {
    /// A line of a secrets file that dotenv rejects, ignores, or reads differently than it looks.
    ///
    /// ## What it does
    /// Reports problems of `.kamal/secrets*` as Kamal's dotenv (3.1) parses them: `export NAME`
    /// of an undefined name and unbalanced quotes in `kamal secrets` commands (Kamal stops:
    /// error), unterminated quotes (the value keeps the quote character), and lines dotenv
    /// silently skips (`NAME value`, `NAME:value` without a space).
    ///
    /// Messages never quote the line: dotenv's own message for an `export NAME` of an unset
    /// variable quotes it whole, with any commented-out value after it.
    ///
    /// ## Why is this bad?
    /// A skipped line means a missing secret at deploy time; a stray quote means a wrong one.
    /// Nothing reports either until the app misbehaves.
    ///
    /// ## Example
    /// ```sh
    /// RAILS_MASTER_KEY $(cat config/master.key)
    /// ```
    /// Use instead:
    /// ```sh
    /// RAILS_MASTER_KEY=$(cat config/master.key)
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 secrets, §7.2
    /// - <https://github.com/bkeepers/dotenv>
    pub static SECRETS_SYNTAX = {
        code: "S010",
        name: "secrets-syntax",
        category: Secrets,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.secrets {
        for p in &source.parsed.problems {
            // dotenv's message quotes the whole line, which may carry a commented-out value:
            // never quoted
            let message = match p.kind {
                ProblemKind::UnsetExport => "this `export NAME` line names a variable that is not set before it: dotenv raises `Line \"…\" has an unset variable`".to_string(),
                _ => p.message.clone(),
            };
            let mut d = Diagnostic::new(&SECRETS_SYNTAX, source.span(p.span.clone()), message);
            if !p.kind.is_fatal() {
                d.severity = Severity::Warning;
            }
            out.push(d);
        }
        for line in &source.parsed.ignored_lines {
            let mut d = Diagnostic::new(
                &SECRETS_SYNTAX,
                source.span(line.clone()),
                "dotenv skips this line: it is not `NAME=value`",
            )
            .with_help("write `NAME=value` (or comment the line out with `#`)");
            d.severity = Severity::Warning;
            out.push(d);
        }
    }
}
