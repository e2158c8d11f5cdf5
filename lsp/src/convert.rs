//! The one place where engine values become LSP values: positions (in the negotiated encoding),
//! ranges, diagnostics, fixes.

use std::collections::HashMap;

use sextant_lint::files::Files;
use sextant_lint::text::{ColumnUnit, FileId, LineCol, LineIndex, Span};
use sextant_lint::{Applicability, Diagnostic, Severity};
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, TextEdit, Uri,
};

/// The position encoding agreed with the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf16,
    Utf8,
}

impl Encoding {
    pub fn unit(self) -> ColumnUnit {
        match self {
            Encoding::Utf16 => ColumnUnit::Utf16,
            Encoding::Utf8 => ColumnUnit::Utf8,
        }
    }
}

/// The LSP position of a byte offset.
pub fn position(text: &str, index: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let lc = index.line_col(text, offset, enc.unit());
    Position::new(lc.line, lc.col)
}

/// The byte offset of an LSP position (clamped: an invalid position never panics).
pub fn offset(text: &str, index: &LineIndex, pos: Position, enc: Encoding) -> usize {
    index.offset(
        text,
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        enc.unit(),
    )
}

pub fn range(files: &Files, span: Span, enc: Encoding) -> Range {
    let f = files.get(span.file);
    Range::new(
        position(&f.text, &f.index, span.start as usize, enc),
        position(&f.text, &f.index, span.end as usize, enc),
    )
}

pub fn uri(files: &Files, file: FileId) -> Option<Uri> {
    Uri::from_file_path(&files.get(file).path)
}

/// The rules page anchor of a rule.
pub const RULES_URL: &str = "https://github.com/sextant-lint/sextant/blob/main/docs/rules.md#";

/// An engine diagnostic as an LSP diagnostic (for the file of its primary span).
pub fn diagnostic(files: &Files, d: &Diagnostic, enc: Encoding) -> lsp::Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if let Some(k) = &d.kamal_message {
        message.push_str("\nkamal: ");
        message.push_str(k);
    }
    if let Some(dest) = &d.destination {
        let dests = if d.destinations.is_empty() {
            dest.clone()
        } else {
            d.destinations.join(", ")
        };
        message.push_str(&format!("\n(with destination {dests})"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri(files, l.span.file)?, range(files, l.span, enc)),
                message: l.message.clone(),
            })
        })
        .collect();
    let href = format!("{RULES_URL}{}", d.rule.anchor());
    lsp::Diagnostic {
        range: range(files, d.span, enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code().to_string())),
        code_description: href.parse().ok().map(|href| CodeDescription { href }),
        source: Some("sextant".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The edits of a fix, by document.
pub fn fix_edits(
    files: &Files,
    d: &Diagnostic,
    enc: Encoding,
) -> Option<(HashMap<Uri, Vec<TextEdit>>, Applicability, String)> {
    let fix = d.fix.as_ref()?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for e in &fix.edits {
        let u = uri(files, e.span.file)?;
        changes
            .entry(u)
            .or_default()
            .push(TextEdit::new(range(files, e.span, enc), e.content.clone()));
    }
    Some((changes, fix.applicability, fix.message.clone()))
}
