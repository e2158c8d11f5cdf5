//! Applying fixes: non-overlapping text edits on the original text, so comments, quoting, key
//! order and ERB survive everything a fix does not touch.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::engine::{check, LoadError, Report, Settings};
use crate::project::Project;
use crate::redact;
use crate::registry::INVALID_UTF8;
use crate::text::FileId;
use crate::vfs::{OverlayVfs, Vfs};

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Safe fixes only.
    Safe,
    /// Safe and unsafe fixes.
    Unsafe,
}

impl FixMode {
    pub fn allows(self, applicability: Applicability) -> bool {
        match self {
            FixMode::Safe => applicability == Applicability::Safe,
            FixMode::Unsafe => true,
        }
    }
}

/// Applies the fixes of `diagnostics` that belong to `file` and `mode` allows, in position
/// order; a fix overlapping one already taken is left for the next round. Returns the new text
/// and the number of fixes applied.
pub fn apply(
    text: &str,
    file: FileId,
    diagnostics: &[Diagnostic],
    mode: FixMode,
) -> (String, usize) {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| mode.allows(f.applicability))
        .filter(|f| !f.edits.is_empty() && f.edits.iter().all(|e| e.span.file == file))
        .map(|f| f.edits.as_slice())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| (e.span.start, e.span.end)).min());
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for edits in fixes {
        let overlaps = edits.iter().any(|e| {
            taken.iter().any(|t| {
                let (a, b) = (e.span.range(), t.span.range());
                a.start < b.end && b.start < a.end
                    || (a.start == b.start && (a.is_empty() || b.is_empty()))
            })
        });
        let valid = edits.iter().all(|e| {
            e.span.end as usize <= text.len()
                && text.is_char_boundary(e.span.start as usize)
                && text.is_char_boundary(e.span.end as usize)
        });
        if overlaps || !valid {
            continue;
        }
        taken.extend(edits.iter());
        applied += 1;
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in taken {
        let r = e.span.range();
        if r.start < at {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&e.content);
        at = r.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// Rounds of fixing before giving up (a fix that keeps producing fixes is a bug; stop anyway).
const MAX_ROUNDS: usize = 10;

/// A project fixed in memory.
pub struct Fixed {
    /// Every changed file: its original and its fixed text.
    pub files: BTreeMap<PathBuf, (String, String)>,
    /// Fixes applied.
    pub fixed: usize,
    /// The report of the fixed project.
    pub report: Report,
    /// The secret values of the original files, for masking any output that shows their text.
    pub secret_values: Vec<String>,
}

/// Fixes a project round after round (each round re-checks the fixed text) until nothing
/// changes. Nothing is written: the caller decides.
pub fn fix_project(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    mode: FixMode,
) -> Result<Fixed, LoadError> {
    let mut overlay = OverlayVfs::new(vfs);
    let mut originals: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut fixed = 0;
    let mut secret_values: Vec<String> = Vec::new();
    for round in 0..MAX_ROUNDS {
        let report = check(&overlay, project, settings)?;
        if round == 0 {
            secret_values = redact::values(&report.files, &report.redactions);
        }
        let mut changed = false;
        for (id, file) in report.files.iter() {
            if file.missing {
                continue;
            }
            // a file with bytes that are not UTF-8 is never rewritten
            let lossy = report
                .diagnostics
                .iter()
                .any(|d| d.span.file == id && d.rule.code == INVALID_UTF8.code);
            if lossy {
                continue;
            }
            let (text, n) = apply(&file.text, id, &report.diagnostics, mode);
            if n == 0 || text == file.text {
                continue;
            }
            originals
                .entry(file.path.clone())
                .or_insert_with(|| file.text.clone());
            overlay.files.insert(file.path.clone(), text.into_bytes());
            fixed += n;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    let report = check(&overlay, project, settings)?;
    let files = originals
        .into_iter()
        .map(|(path, original)| {
            let new = String::from_utf8_lossy(overlay.files.get(&path).map_or(&[][..], |v| v))
                .into_owned();
            (path, (original, new))
        })
        .collect();
    Ok(Fixed {
        files,
        fixed,
        report,
        secret_values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Fix;
    use crate::registry::UNKNOWN_KEY;
    use crate::text::Span;

    fn diag(start: usize, end: usize, content: &str, applicability: Applicability) -> Diagnostic {
        Diagnostic::new(&UNKNOWN_KEY, Span::new(FileId(0), start..end), "x").with_fix(Fix {
            applicability,
            message: "fix".into(),
            edits: vec![Edit {
                span: Span::new(FileId(0), start..end),
                content: content.into(),
            }],
        })
    }

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let text = "abcdef";
        let ds = vec![
            diag(4, 5, "E", Applicability::Safe),
            diag(0, 2, "AB", Applicability::Safe),
            diag(1, 3, "zz", Applicability::Safe),
            diag(5, 6, "F", Applicability::Unsafe),
        ];
        assert_eq!(
            apply(text, FileId(0), &ds, FixMode::Safe),
            ("ABcdEf".into(), 2)
        );
        assert_eq!(
            apply(text, FileId(0), &ds, FixMode::Unsafe),
            ("ABcdEF".into(), 3)
        );
    }
}
