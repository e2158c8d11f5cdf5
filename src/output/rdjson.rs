//! `--output-format rdjson`: the reviewdog Diagnostic Format (`reviewdog -f=rdjson`).
//!
//! `{source: {name, url}, severity, diagnostics: [{message, location: {path, range: {start:
//! {line, column}, end}}, severity, source, code: {value, url}, suggestions, related_locations}]}`.
//! As the format defines it, columns count UTF-8 **bytes** (1-based) and ranges end
//! exclusively. `severity` at the top is the highest one found. Fixes become `suggestions`
//! (edits in the diagnostic's own file; reviewdog suggestions cannot name another file).

use std::io::{self, Write};

use serde_json::{json, Map, Value};
use sextant_lint::files::Files;
use sextant_lint::text::{ColumnUnit, Span};
use sextant_lint::{Report, Severity};

use super::{rule_url, Position, HOMEPAGE};

pub fn render(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let source = json!({ "name": "sextant", "url": HOMEPAGE });
    let diagnostics: Vec<Value> = super::diagnostics(reports)
        .map(|(r, d)| {
            let mut message = d.message.clone();
            if let Some(dests) = super::destinations(d) {
                message.push_str(&format!(" [{dests}]"));
            }
            let mut item = Map::new();
            item.insert("message".into(), json!(message));
            item.insert("location".into(), location(&r.files, d.span));
            item.insert("severity".into(), json!(severity(d.severity)));
            item.insert("source".into(), source.clone());
            item.insert(
                "code".into(),
                json!({ "value": d.code(), "url": rule_url(d.rule) }),
            );
            if let Some(fix) = &d.fix {
                let suggestions: Vec<Value> = fix
                    .edits
                    .iter()
                    .filter(|e| e.span.file == d.span.file)
                    .map(|e| json!({ "range": range(&r.files, e.span), "text": e.content }))
                    .collect();
                item.insert("suggestions".into(), json!(suggestions));
            }
            if !d.labels.is_empty() {
                let related: Vec<Value> = d
                    .labels
                    .iter()
                    .map(
                        |l| json!({ "message": l.message, "location": location(&r.files, l.span) }),
                    )
                    .collect();
                item.insert("related_locations".into(), json!(related));
            }
            Value::Object(item)
        })
        .collect();
    let worst = super::diagnostics(reports)
        .map(|(_, d)| d.severity)
        .max()
        .unwrap_or(Severity::Info);
    let result = json!({
        "source": source,
        "severity": severity(worst),
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &result).map_err(io::Error::from)?;
    writeln!(out)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

fn location(files: &Files, span: Span) -> Value {
    json!({
        "path": files.get(span.file).name,
        "range": range(files, span),
    })
}

fn range(files: &Files, span: Span) -> Value {
    let p = Position::of(files, span, ColumnUnit::Utf8);
    json!({
        "start": { "line": p.line, "column": p.col },
        "end": { "line": p.end_line, "column": p.end_col },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::report;
    use sextant_lint::registry::find;
    use sextant_lint::{Applicability, Diagnostic, Edit, Fix};

    #[test]
    fn fixes_become_suggestions_with_byte_columns() {
        let rule = find("K003").unwrap();
        let text = "image: ü/app\nretain: \"3\"\n";
        let r = report("config/deploy.yml", text, |_, find| {
            vec![Diagnostic::new(rule, find("ü/app"), "m").with_fix(Fix {
                applicability: Applicability::Unsafe,
                message: "rename".into(),
                edits: vec![Edit {
                    span: find("ü/app"),
                    content: "user/app".into(),
                }],
            })]
        });
        let mut out = Vec::new();
        render(&[r], &mut out).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        let d = &v["diagnostics"][0];
        // `ü` is 2 bytes: the range ends at byte column 14
        let want = json!({"start": {"line": 1, "column": 8}, "end": {"line": 1, "column": 14}});
        assert_eq!(d["location"]["range"], want);
        assert_eq!(d["suggestions"][0]["range"], want);
        assert_eq!(d["suggestions"][0]["text"], "user/app");
        assert_eq!(d["code"]["value"], "K003");
        assert_eq!(v["severity"], "ERROR");
    }
}
