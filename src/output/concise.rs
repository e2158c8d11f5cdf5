//! `--output-format concise`: `file:line:col: severity code message`.

use std::io::{self, Write};

use sextant_lint::text::ColumnUnit;
use sextant_lint::Report;

pub fn render(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        for d in &r.diagnostics {
            let (s, _) = r.files.range(d.span, ColumnUnit::Char);
            let dest = match &d.destination {
                Some(x) if d.destinations.is_empty() => format!(" [{x}]"),
                Some(_) => format!(" [{}]", d.destinations.join(", ")),
                None => String::new(),
            };
            writeln!(
                out,
                "{}:{}:{}: {} {} {}{dest}",
                r.files.get(d.span.file).name,
                s.line + 1,
                s.col + 1,
                d.severity.as_str(),
                d.code(),
                d.message
            )?;
        }
    }
    Ok(())
}
