//! `--output-format junit`: JUnit XML, for CI systems that show test reports (GitLab
//! `artifacts: reports: junit`, Jenkins, Azure Pipelines, …).
//!
//! `<testsuites>` holds one `<testsuite>` per file with problems, named by the file; each
//! diagnostic is a `<testcase>` (named `CODE name: message`, so that it keeps its name across
//! unrelated edits; `file` and `line` attributes say where) with a `<failure>`. A run without
//! problems is one passing test case, so the report is never empty.

use std::io::{self, Write};

use sextant_lint::text::ColumnUnit;
use sextant_lint::{Diagnostic, Report};

use super::xml::{attr, text};
use super::Position;

pub fn render(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    // diagnostics grouped by file, files in order of first appearance
    let mut files: Vec<(&str, Vec<(&Report, &Diagnostic)>)> = Vec::new();
    for (r, d) in super::diagnostics(reports) {
        let name = r.files.get(d.span.file).name.as_str();
        match files.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push((r, d)),
            None => files.push((name, vec![(r, d)])),
        }
    }
    let total: usize = files.iter().map(|(_, l)| l.len()).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="sextant" tests="{}" failures="{total}" errors="0">"#,
        total.max(1)
    )?;
    if files.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="sextant" tests="1" failures="0" errors="0" skipped="0">"#
        )?;
        writeln!(
            out,
            r#"    <testcase name="no problems found" classname="sextant"/>"#
        )?;
        writeln!(out, "  </testsuite>")?;
    }
    for (name, list) in &files {
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{n}" failures="{n}" errors="0" skipped="0">"#,
            attr(name),
            n = list.len()
        )?;
        for (r, d) in list {
            let p = Position::of(&r.files, d.span, ColumnUnit::Char);
            writeln!(
                out,
                r#"    <testcase name="{}" classname="{}" file="{}" line="{}">"#,
                attr(&format!("{} {}: {}", d.code(), d.name(), d.message)),
                attr(name),
                attr(name),
                p.line
            )?;
            let mut body = format!(
                "{name}:{}:{}: {} {} {}",
                p.line,
                p.col,
                d.severity.as_str(),
                d.code(),
                d.message
            );
            if let Some(dests) = super::destinations(d) {
                body.push_str(&format!(" [{dests}]"));
            }
            if let Some(help) = &d.help {
                body.push_str(&format!("\nhelp: {help}"));
            }
            if let Some(kamal) = &d.kamal_message {
                body.push_str(&format!("\nkamal: {kamal}"));
            }
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                attr(&d.message),
                attr(d.code()),
                text(&body)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
