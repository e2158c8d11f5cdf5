//! `--output-format checkstyle`: Checkstyle XML (read by Jenkins' warnings plugin, reviewdog
//! `-f=checkstyle`, SonarQube and others).
//!
//! `<checkstyle version="4.3">` with one `<file name=…>` per file with problems and one
//! `<error line column severity message source/>` per diagnostic: columns count characters,
//! `severity` is `error`, `warning` or `info`, `source` is the rule code.

use std::io::{self, Write};

use sextant_lint::text::ColumnUnit;
use sextant_lint::{Diagnostic, Report};

use super::xml::attr;
use super::Position;

pub fn render(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let mut files: Vec<(&str, Vec<(&Report, &Diagnostic)>)> = Vec::new();
    for (r, d) in super::diagnostics(reports) {
        let name = r.files.get(d.span.file).name.as_str();
        match files.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push((r, d)),
            None => files.push((name, vec![(r, d)])),
        }
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for (name, list) in &files {
        writeln!(out, r#"  <file name="{}">"#, attr(name))?;
        for (r, d) in list {
            let p = Position::of(&r.files, d.span, ColumnUnit::Char);
            let mut message = d.message.clone();
            if let Some(dests) = super::destinations(d) {
                message.push_str(&format!(" [{dests}]"));
            }
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="{}"/>"#,
                p.line,
                p.col,
                d.severity.as_str(),
                attr(&message),
                attr(d.code())
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
