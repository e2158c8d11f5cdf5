//! Code actions: each fix as a quick fix, "ignore this rule on this line", and
//! `source.fixAll.sextant` (every safe fix of the document, round after round).

use std::collections::HashMap;

use sextant_lint::fix::{fix_project, FixMode};
use sextant_lint::registry::{UNKNOWN_SUPPRESSION, UNUSED_SUPPRESSION};
use sextant_lint::vfs::OverlayVfs;
use sextant_lint::{Applicability, DiskVfs};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Position, TextEdit,
    WorkspaceEdit,
};

use crate::convert;
use crate::cursor::{self, At};
use crate::server::Request;
use sextant_lint::project::KamalFile;

pub const FIX_ALL: &str = "source.fixAll.sextant";

/// Whether the client asked for actions of this kind (`only` lists kinds and their parents).
fn wanted(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        })
    })
}

pub fn actions(r: &Request, params: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let project = r.project.as_ref()?;
    let report = r.report()?;
    let id = report.files.find(&r.path)?;
    let only = params.context.only.as_ref();
    let enc = r.enc();
    let mut out = Vec::new();
    let red = crate::secrets::redactor(r, Some(&report));
    // an edit that would carry a secret value is withheld (scrubbing it would write stars into
    // the file): the action says so instead
    let carries = |changes: &HashMap<_, Vec<TextEdit>>| {
        changes
            .values()
            .flatten()
            .any(|e| red.scrub(&e.new_text) != e.new_text)
    };

    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        let first = r.offset(Position::new(params.range.start.line, 0));
        let last = r.offset(Position::new(params.range.end.line + 1, 0));
        let mut ignored: Vec<(usize, String)> = Vec::new();
        for d in &report.diagnostics {
            // its own span, or (for a problem between two files) a label, in this document
            let mut here = std::iter::once(d.span)
                .chain(d.labels.iter().map(|l| l.span))
                .filter(|s| s.file == id);
            let touches = here.any(|s| {
                let (start, end) = (s.start as usize, s.end as usize);
                start >= first && start < last.max(first + 1) || start < first && end > first
            });
            if !touches {
                continue;
            }
            let start = d.span.start as usize;
            let lsp_diag = convert::diagnostic(&report.files, d, enc);
            if let Some((changes, applicability, message)) =
                convert::fix_edits(&report.files, d, enc)
            {
                let safe = applicability == Applicability::Safe;
                let message = red.scrub(&message);
                let withheld = carries(&changes);
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: if withheld {
                        format!("{message} (not offered here: the edit would show a secret value; run `sextant check --fix`)")
                    } else if safe {
                        message
                    } else {
                        format!("{message} (unsafe: review the result)")
                    },
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diag.clone()]),
                    edit: (!withheld).then(|| WorkspaceEdit::new(changes)),
                    is_preferred: Some(safe),
                    ..Default::default()
                }));
            }
            let code = d.code().to_string();
            // suppressions are written where the problem is reported, not at its labels
            let meta = d.rule.code == UNUSED_SUPPRESSION.code
                || d.rule.code == UNKNOWN_SUPPRESSION.code
                || d.span.file != id;
            let line = report.files.get(id).index.line_of(start);
            if meta || ignored.contains(&(line, code.clone())) {
                continue;
            }
            if let Some((title, edit)) = ignore_edit(r, line, &code) {
                ignored.push((line, code));
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diag]),
                    edit: Some(WorkspaceEdit::new(HashMap::from([(
                        r.doc.uri.clone(),
                        vec![edit],
                    )]))),
                    ..Default::default()
                }));
            }
        }
    }

    if wanted(only, FIX_ALL) {
        let mut vfs = OverlayVfs::new(&DiskVfs);
        vfs.files = r.buffers.clone();
        let settings = r.config.settings(&project.root);
        if let Ok(done) = fix_project(&vfs, project, &settings, FixMode::Safe) {
            let edit = done
                .files
                .get(&r.path)
                .map(|(_, new)| minimal_edit(r, &r.doc.text, new))
                .filter(|e| red.scrub(&e.new_text) == e.new_text);
            if let Some(edit) = edit {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Fix all safely fixable problems ({} fixes)", done.fixed),
                    kind: Some(CodeActionKind::new(FIX_ALL)),
                    edit: Some(WorkspaceEdit::new(HashMap::from([(
                        r.doc.uri.clone(),
                        vec![edit],
                    )]))),
                    ..Default::default()
                }));
            }
        }
    }
    Some(out)
}

/// One edit turning `old` into `new`: the changed middle only, so the cursor and folds around
/// it stay where they are.
fn minimal_edit(r: &Request, old: &str, new: &str) -> TextEdit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let old_rest = &old[prefix..];
    let new_rest = &new[prefix..];
    let suffix = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>()
        .min(old_rest.len())
        .min(new_rest.len());
    TextEdit::new(
        r.range(prefix..old.len() - suffix),
        new[prefix..new.len() - suffix].to_string(),
    )
}

/// The edit that suppresses `code` on a 0-based line of the document.
fn ignore_edit(r: &Request, line: usize, code: &str) -> Option<(String, TextEdit)> {
    // files whose comments the engine reads for suppressions
    let kind = r.kind()?;
    if !matches!(
        kind,
        KamalFile::Config(_) | KamalFile::Secrets | KamalFile::Hook(_) | KamalFile::Dockerfile
    ) {
        return None;
    }
    let text = &r.doc.text;
    let line_start = r.offset(Position::new(line as u32, 0));
    let (_, line_text) = cursor::line_at(text, line_start);
    let line_end = line_start + line_text.len();
    let title = format!("Ignore {code} on this line");

    // an existing suppression on this line, or alone on the line above: add the code to it
    let mut candidates = vec![(line_start, line_text)];
    if line > 0 {
        let above_start = r.offset(Position::new(line as u32 - 1, 0));
        let (_, above) = cursor::line_at(text, above_start);
        if above.trim_start().starts_with('#') {
            candidates.push((above_start, above));
        }
    }
    for (start, l) in candidates {
        if let Some(at) = l.find("sextant: ignore[") {
            let close = l[at..].find(']')? + at;
            let insert = start + close;
            let edit = TextEdit::new(r.range(insert..insert), format!(", {code}"));
            return Some((title, edit));
        }
    }

    let indent: String = line_text
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let comment = format!("# sextant: ignore[{code}]");
    match kind {
        // YAML: at the end of the line, unless it already has a comment or is text of a
        // multi-line scalar
        KamalFile::Config(_)
            if !line_text.contains('#')
                && !line_text.trim().is_empty()
                && cursor::at(text, line_end).at != At::Text =>
        {
            Some((
                title,
                TextEdit::new(r.range(line_end..line_end), format!("  {comment}")),
            ))
        }
        // a script's first line is its shebang: nothing can go above it or after it
        KamalFile::Hook(_) if line == 0 => {
            let directive = format!("# sextant: ignore-file[{code}]");
            let edit = match text[line_end..].find('\n') {
                Some(i) => {
                    let after = line_end + i + 1;
                    TextEdit::new(r.range(after..after), format!("{directive}\n"))
                }
                None => TextEdit::new(r.range(line_end..line_end), format!("\n{directive}")),
            };
            Some((format!("Ignore {code} in this file"), edit))
        }
        _ => Some((
            title,
            TextEdit::new(
                r.range(line_start..line_start),
                format!("{indent}{comment}\n"),
            ),
        )),
    }
}
