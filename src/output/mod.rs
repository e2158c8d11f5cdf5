//! Output formats, one module each, all fed by the same reports.

mod concise;
mod full;
mod json;

use std::io::{self, Write};

use clap::ValueEnum;
use sextant_lint::Report;

use crate::CheckArgs;

/// `--output-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Source snippets with underlines, then a summary.
    Full,
    /// One line per diagnostic: `file:line:col: severity code message`.
    Concise,
    /// A JSON array of diagnostics.
    Json,
}

pub fn render(args: &CheckArgs, reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    match args.output_format {
        OutputFormat::Full => full::render(reports, args.color, args.quiet, out),
        OutputFormat::Concise => concise::render(reports, out),
        OutputFormat::Json => json::render(reports, out),
    }
}
