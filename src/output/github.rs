//! `--output-format github`: GitHub Actions workflow commands, one per diagnostic, which GitHub
//! shows as annotations on the run and on the pull request's changed files:
//!
//! ```text
//! ::error file=config/deploy.yml,line=14,col=13,endLine=14,endColumn=19,title=K003 invalid-type::`proxy/app_port` should be an integer, found a string
//! ```
//!
//! `error`, `warning` or `notice` follows the severity. Columns count characters and the end is
//! exclusive (as in the JSON output). The message carries the destinations, then the help and
//! Kamal's own message on lines of their own.
//!
//! **Limits.** GitHub shows at most 10 annotations of each type (error, warning, notice) per
//! step and 50 per job; the rest are dropped silently. On a project with many problems, pair
//! this format with a SARIF upload (`--output-format sarif` and
//! `github/codeql-action/upload-sarif`), which has no such limit and keeps alerts across runs.
//!
//! Escaping, as GitHub's runner decodes it: in property values `%`, `\r`, `\n`, `:` and `,`;
//! in the message `%`, `\r` and `\n`.

use std::io::{self, Write};

use sextant_lint::text::ColumnUnit;
use sextant_lint::{Diagnostic, Report, Severity};

use super::Position;

pub fn render(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    for (r, d) in super::diagnostics(reports) {
        let p = Position::of(&r.files, d.span, ColumnUnit::Char);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&r.files.get(d.span.file).name),
            p.line,
            p.col,
            p.end_line,
            p.end_col,
            property(&format!("{} {}", d.code(), d.name())),
            data(&message(d)),
        )?;
    }
    Ok(())
}

/// The annotation text: the message with its destinations, then help and Kamal's message.
fn message(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if let Some(dests) = super::destinations(d) {
        text.push_str(&format!(" [{dests}]"));
    }
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    if let Some(kamal) = &d.kamal_message {
        text.push_str(&format!("\nkamal: {kamal}"));
    }
    text
}

/// Escapes a message (the text after `::`).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=…`, `title=…`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::report;
    use sextant_lint::registry::find;

    #[test]
    fn escaping() {
        assert_eq!(data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_command_per_diagnostic() {
        let rule = find("K001").unwrap();
        let r = report("config/a,b:c.yml", "x: 1\n", |_, find| {
            let mut d = Diagnostic::new(rule, find("x"), "unknown key `x`: 100%")
                .with_help("remove it")
                .with_kamal("unknown key: x");
            d.destination = Some("staging".into());
            d.destinations = vec!["staging".into(), "production".into()];
            vec![d]
        });
        let mut out = Vec::new();
        render(&[r], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            format!(
                "::error file=config/a%2Cb%3Ac.yml,line=1,col=1,endLine=1,endColumn=2,title={} {}::unknown key `x`: 100%25 [staging, production]%0Ahelp: remove it%0Akamal: unknown key: x\n",
                rule.code, rule.name
            )
        );
    }
}
