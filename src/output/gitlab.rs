//! `--output-format gitlab`: a GitLab Code Quality report (the Code Climate JSON subset GitLab
//! reads), for `artifacts: reports: codequality`.
//!
//! An array of `{description, check_name, fingerprint, severity, location: {path, lines: {begin,
//! end}}}`. `check_name` is the rule code; `description` is `CODE name: message` with the
//! destinations. Severities: error → `critical` (Kamal rejects the config or the deploy fails),
//! warning → `major`, info → `info`; `blocker` and `minor` are not used. Fingerprints are the
//! same as SARIF's: stable across runs and unrelated edits, so GitLab tells new problems from
//! old ones.

use std::io::{self, Write};

use serde_json::{json, Value};
use sextant_lint::text::ColumnUnit;
use sextant_lint::{Report, Severity};

use super::{fingerprint, Position};

pub fn render(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<Value> = super::diagnostics(reports)
        .zip(fingerprint::fingerprints(reports))
        .map(|((r, d), fp)| {
            let p = Position::of(&r.files, d.span, ColumnUnit::Char);
            let mut description = format!("{} {}: {}", d.code(), d.name(), d.message);
            if let Some(dests) = super::destinations(d) {
                description.push_str(&format!(" [{dests}]"));
            }
            json!({
                "description": description,
                "check_name": d.code(),
                "fingerprint": fp,
                "severity": severity(d.severity),
                "location": {
                    "path": r.files.get(d.span.file).name.replace('\\', "/"),
                    "lines": { "begin": p.line, "end": p.last_line() },
                },
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::from)?;
    writeln!(out)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}
