//! `--output-format json`: a JSON array, one object per diagnostic (ruff-like field names).
//! [`object`] builds the object; `json-lines` prints the same objects one per line.

use std::io::{self, Write};

use serde_json::{json, Value};
use sextant_lint::files::Files;
use sextant_lint::text::{ColumnUnit, Span};
use sextant_lint::{Diagnostic, Report};

pub fn render(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<Value> = super::diagnostics(reports)
        .map(|(r, d)| object(r, d))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::from)?;
    writeln!(out)
}

/// The JSON object of one diagnostic.
pub fn object(r: &Report, d: &Diagnostic) -> Value {
    let (start, end) = location(&r.files, d.span);
    json!({
        "code": d.code(),
        "name": d.name(),
        "severity": d.severity.as_str(),
        "message": d.message,
        "filename": r.files.get(d.span.file).name,
        "location": start,
        "end_location": end,
        "destination": d.destination,
        "destinations": d.destinations,
        "kamal_message": d.kamal_message,
        "help": d.help,
        "labels": d.labels.iter().map(|l| {
            let (s, e) = location(&r.files, l.span);
            json!({
                "message": l.message,
                "filename": r.files.get(l.span.file).name,
                "location": s,
                "end_location": e,
            })
        }).collect::<Vec<_>>(),
        "fix": d.fix.as_ref().map(|f| json!({
            "applicability": f.applicability.as_str(),
            "message": f.message,
            "edits": f.edits.iter().map(|e| {
                let (s, en) = location(&r.files, e.span);
                json!({"content": e.content, "location": s, "end_location": en})
            }).collect::<Vec<_>>(),
        })),
    })
}

/// 1-based row and column (columns count characters).
pub fn location(files: &Files, span: Span) -> (Value, Value) {
    let (s, e) = files.range(span, ColumnUnit::Char);
    (
        json!({"row": s.line + 1, "column": s.col + 1}),
        json!({"row": e.line + 1, "column": e.col + 1}),
    )
}
