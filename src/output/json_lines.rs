//! `--output-format json-lines`: one JSON object per line, the same objects as `json`.

use std::io::{self, Write};

use sextant_lint::Report;

pub fn render(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    for (r, d) in super::diagnostics(reports) {
        serde_json::to_writer(&mut *out, &super::json::object(r, d)).map_err(io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}
