//! Output formats, one module each, all fed by the same reports.
//!
//! Human formats: `full`, `concise`. Machine formats: `json`, `json-lines`, `sarif`, `github`,
//! `gitlab`, `rdjson`, `junit`, `checkstyle`. `--statistics` replaces the diagnostics by a count
//! per rule (text, or JSON with the JSON formats).
//!
//! Every format renders [`Report::redacted`] copies only, never the analysis itself: sources
//! masked, messages, labels, help and fix contents scrubbed of secret values, control
//! characters and line breaks of project text escaped, file names that could start a line
//! with project-chosen text prefixed with `./`. A new format cannot forget it.

mod checkstyle;
mod concise;
mod fingerprint;
mod full;
mod github;
mod gitlab;
mod json;
mod json_lines;
mod junit;
mod rdjson;
mod sarif;
mod statistics;
mod xml;

use std::io::{self, Write};

use clap::ValueEnum;
use sextant_lint::files::Files;
use sextant_lint::registry::Rule;
use sextant_lint::text::{ColumnUnit, Span};
use sextant_lint::{Diagnostic, Report};

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
    /// One JSON object per line, the same objects as `json`.
    JsonLines,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality report (Code Climate JSON).
    Gitlab,
    /// reviewdog Diagnostic Format (rdjson).
    Rdjson,
    /// JUnit XML: one test suite per file, one failing test case per diagnostic.
    Junit,
    /// Checkstyle XML.
    Checkstyle,
}

/// The project's home page.
pub const HOMEPAGE: &str = "https://github.com/sextant-lint/sextant";

/// Where the rule pages live; a rule's page is this followed by its anchor ([`rule_url`]).
pub const RULES_DOC_URL: &str = "https://github.com/sextant-lint/sextant/blob/main/docs/rules.md#";

/// The documentation page of a rule.
pub fn rule_url(rule: &Rule) -> String {
    format!("{RULES_DOC_URL}{}", rule.anchor())
}

/// Every diagnostic with its report, in output order.
pub fn diagnostics(reports: &[Report]) -> impl Iterator<Item = (&Report, &Diagnostic)> {
    reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(move |d| (r, d)))
}

/// The destinations a diagnostic was found with (`None`: the base configuration, or a problem
/// of a file itself), as `staging` or `a, b`.
pub fn destinations(d: &Diagnostic) -> Option<String> {
    match &d.destination {
        Some(x) if d.destinations.is_empty() => Some(x.clone()),
        Some(_) => Some(d.destinations.join(", ")),
        None => None,
    }
}

/// A span's 1-based start and (exclusive) end, columns counted in some unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

impl Position {
    pub fn of(files: &Files, span: Span, unit: ColumnUnit) -> Position {
        let (s, e) = files.range(span, unit);
        Position {
            line: s.line + 1,
            col: s.col + 1,
            end_line: e.line + 1,
            end_col: e.col + 1,
        }
    }

    /// The last line the span covers (a span ending at the start of a line ends on the line
    /// before), for formats whose line ranges are inclusive.
    pub fn last_line(&self) -> u32 {
        if self.end_col == 1 && self.end_line > self.line {
            self.end_line - 1
        } else {
            self.end_line
        }
    }
}

pub fn render(args: &CheckArgs, reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let redacted: Vec<Report> = reports.iter().map(Report::redacted).collect();
    let reports = redacted.as_slice();
    if args.statistics {
        return statistics::render(args.output_format, reports, out);
    }
    match args.output_format {
        OutputFormat::Full => full::render(reports, args.color, args.quiet, out),
        OutputFormat::Concise => concise::render(reports, out),
        OutputFormat::Json => json::render(reports, out),
        OutputFormat::JsonLines => json_lines::render(reports, out),
        OutputFormat::Sarif => sarif::render(reports, out),
        OutputFormat::Github => github::render(reports, out),
        OutputFormat::Gitlab => gitlab::render(reports, out),
        OutputFormat::Rdjson => rdjson::render(reports, out),
        OutputFormat::Junit => junit::render(reports, out),
        OutputFormat::Checkstyle => checkstyle::render(reports, out),
    }
}

/// A report built by hand, for the renderers' unit tests: one file, diagnostics made by `make`.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::PathBuf;

    use sextant_lint::files::Files;
    use sextant_lint::text::{FileId, Span};
    use sextant_lint::{Diagnostic, Project, Report, Version, VersionSource};

    pub fn report(
        name: &str,
        text: &str,
        make: impl FnOnce(FileId, &dyn Fn(&str) -> Span) -> Vec<Diagnostic>,
    ) -> Report {
        let mut files = Files::default();
        let id = files.add(PathBuf::from(name), name.to_string(), text.to_string());
        // the span of the first occurrence of `needle`
        let find = |needle: &str| {
            let start = text.find(needle).expect("needle in text");
            Span::new(id, start..start + needle.len())
        };
        let diagnostics = make(id, &find);
        Report {
            project: Project::at(PathBuf::from(".")),
            files,
            diagnostics,
            version: Version::parse("2.8.2").expect("version"),
            version_source: VersionSource::Default,
            loads: vec![None],
            redactor: Default::default(),
            outline: Vec::new(),
        }
    }
}
