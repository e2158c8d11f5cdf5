//! The default human output: source snippets with underlines (codespan-reporting), then a
//! summary line.

use std::io::{self, IsTerminal, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::files::Error as FilesError;
use codespan_reporting::term::{self, termcolor::Buffer, Config};
use sextant_lint::files::Files;
use sextant_lint::redact;
use sextant_lint::text::FileId;
use sextant_lint::{Report, Severity};

use crate::ColorChoice;

/// codespan-reporting's view of our files (of a [`Report::redacted`] report: secret values
/// masked, control characters neutralized).
struct Sources<'a> {
    files: &'a Files,
    masked: Vec<String>,
}

impl<'a> Sources<'a> {
    fn new(report: &'a Report) -> Sources<'a> {
        // already redacted by `output::render`; masking again is idempotent and keeps a direct
        // caller safe
        let masked = report
            .files
            .iter()
            .map(|(id, f)| redact::neutralize_source(&report.redactor.mask_source(&f.text, id)))
            .collect();
        Sources {
            files: &report.files,
            masked,
        }
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Sources<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.files.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.masked[id.0 as usize])
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.files.get(id).index.line_of(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.files.get(id);
        if line_index >= f.index.line_count() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: f.index.line_count().saturating_sub(1),
            });
        }
        let r = f.index.line_range(line_index, &f.text);
        let mut end = r.end;
        // include the line break, as codespan expects
        let bytes = f.text.as_bytes();
        while end < bytes.len() && (bytes[end] == b'\r' || bytes[end] == b'\n') {
            end += 1;
            if bytes[end - 1] == b'\n' {
                break;
            }
        }
        Ok(r.start..end)
    }
}

pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

pub fn render(
    reports: &[Report],
    color: ColorChoice,
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let color = use_color(color);
    let config = Config::default();
    for report in reports {
        let sources = Sources::new(report);
        for d in &report.diagnostics {
            let severity = match d.severity {
                Severity::Error => CsSeverity::Error,
                Severity::Warning => CsSeverity::Warning,
                Severity::Info => CsSeverity::Note,
            };
            let mut labels = vec![CsLabel::primary(d.span.file, d.span.range())];
            for l in &d.labels {
                labels
                    .push(CsLabel::secondary(l.span.file, l.span.range()).with_message(&l.message));
            }
            let mut notes = Vec::new();
            if let Some(help) = &d.help {
                notes.push(format!("help: {help}"));
            }
            if let Some(k) = &d.kamal_message {
                notes.push(format!("kamal: {k}"));
            }
            if d.destination.is_some() {
                let dests = if d.destinations.is_empty() {
                    d.destination.clone().unwrap_or_default()
                } else {
                    d.destinations.join(", ")
                };
                notes.push(format!("with destination: {dests}"));
            }
            let diagnostic = CsDiagnostic::new(severity)
                .with_message(&d.message)
                .with_code(d.code())
                .with_labels(labels)
                .with_notes(notes);
            let mut buffer = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            term::emit_to_write_style(&mut buffer, &config, &sources, &diagnostic)
                .map_err(io::Error::other)?;
            out.write_all(buffer.as_slice())?;
        }
    }
    if quiet {
        return Ok(());
    }
    summary(reports, out)
}

fn summary(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let count = |s: Severity| reports.iter().map(|r| r.count(s)).sum::<usize>();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let versions: Vec<String> = {
        let mut v: Vec<String> = reports
            .iter()
            .map(|r| format!("Kamal {} ({})", r.version, r.version_source.describe()))
            .collect();
        v.dedup();
        v
    };
    let projects = plural(reports.len(), "project");
    let against = versions.join(", ");
    if errors + warnings + infos == 0 {
        writeln!(
            out,
            "All checks passed: {projects}, checked against {against}."
        )
    } else {
        writeln!(
            out,
            "Found {}, {}, {} in {projects}, checked against {against}.",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(infos, "info")
        )
    }
}
