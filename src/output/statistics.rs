//! `--statistics`: the number of diagnostics per rule instead of the diagnostics, most frequent
//! first (then by code). Text (`COUNT  CODE  NAME`, counts right-aligned) for every format but
//! `json` (an array of `{code, name, count}`) and `json-lines` (one such object per line).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;
use sextant_lint::registry::Rule;
use sextant_lint::Report;

use super::OutputFormat;

pub fn render(format: OutputFormat, reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let rows = counts(reports);
    match format {
        OutputFormat::Json => {
            let items: Vec<_> = rows.iter().map(|(r, n)| object(r, *n)).collect();
            serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::from)?;
            writeln!(out)
        }
        OutputFormat::JsonLines => {
            for (r, n) in &rows {
                serde_json::to_writer(&mut *out, &object(r, *n)).map_err(io::Error::from)?;
                writeln!(out)?;
            }
            Ok(())
        }
        _ => {
            let width = rows.first().map_or(1, |(_, n)| n.to_string().len());
            for (r, n) in &rows {
                writeln!(out, "{n:>width$}  {}  {}", r.code, r.name)?;
            }
            Ok(())
        }
    }
}

fn object(rule: &Rule, count: usize) -> serde_json::Value {
    json!({ "code": rule.code, "name": rule.name, "count": count })
}

/// (rule, count), most frequent first, then by code.
fn counts(reports: &[Report]) -> Vec<(&'static Rule, usize)> {
    let mut by_code: BTreeMap<&str, (&'static Rule, usize)> = BTreeMap::new();
    for (_, d) in super::diagnostics(reports) {
        by_code.entry(d.rule.code).or_insert((d.rule, 0)).1 += 1;
    }
    let mut rows: Vec<_> = by_code.into_values().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code.cmp(b.0.code)));
    rows
}
