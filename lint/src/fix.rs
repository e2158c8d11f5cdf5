//! Applying fixes: non-overlapping text edits on the original text, so comments, quoting, key
//! order and ERB survive everything a fix does not touch.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::engine::{check, LoadError, Report, Settings};
use crate::project::Project;
use crate::registry::{Category, INVALID_UTF8};
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
    let chosen = select(text, file, diagnostics.iter(), mode);
    let n = chosen.len();
    (apply_edits(text, &chosen), n)
}

/// The fixes (edits of one fix each) to apply to `file`: allowed by `mode`, valid for `text`,
/// not overlapping one taken before them in position order.
fn select<'d>(
    text: &str,
    file: FileId,
    diagnostics: impl Iterator<Item = &'d Diagnostic>,
    mode: FixMode,
) -> Vec<&'d Diagnostic> {
    let mut fixes: Vec<&Diagnostic> = diagnostics
        .filter(|d| {
            d.fix.as_ref().is_some_and(|f| {
                mode.allows(f.applicability)
                    && !f.edits.is_empty()
                    && f.edits.iter().all(|e| e.span.file == file)
            })
        })
        .collect();
    let edits =
        |d: &Diagnostic| -> Vec<Edit> { d.fix.as_ref().map_or(Vec::new(), |f| f.edits.clone()) };
    fixes.sort_by_key(|d| edits(d).iter().map(|e| (e.span.start, e.span.end)).min());
    let mut taken: Vec<Edit> = Vec::new();
    let mut chosen = Vec::new();
    for d in fixes {
        let edits = edits(d);
        let overlaps = edits.iter().any(|e| {
            taken.iter().any(|t| {
                let (a, b) = (e.span.range(), t.span.range());
                a.start < b.end && b.start < a.end
                    || (a.start == b.start && (a.is_empty() || b.is_empty()))
            })
        });
        let valid = edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end as usize <= text.len()
                && text.is_char_boundary(e.span.start as usize)
                && text.is_char_boundary(e.span.end as usize)
        });
        if overlaps || !valid {
            continue;
        }
        taken.extend(edits);
        chosen.push(d);
    }
    chosen
}

/// The text with the edits of `chosen` (non-overlapping, see [`select`]) applied.
fn apply_edits(text: &str, chosen: &[&Diagnostic]) -> String {
    let mut taken: Vec<&Edit> = chosen
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter())
        .collect();
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
    out
}

/// The parser a fixed file is read again with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Yaml,
    Toml,
    Dockerfile,
    Shell,
    Dotenv,
}

impl Syntax {
    /// The kind of a file, from its name, else from the rules that report on it (a hook rule
    /// reports on hooks, and so on). `None`: no parser is known, the file is not re-checked.
    fn of(path: &Path, categories: &[Category]) -> Option<Syntax> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if name.ends_with(".yml") || name.ends_with(".yaml") {
            return Some(Syntax::Yaml);
        }
        if name.ends_with(".toml") {
            return Some(Syntax::Toml);
        }
        let has = |c: Category| categories.contains(&c);
        if has(Category::Hooks) {
            Some(Syntax::Shell)
        } else if has(Category::Dockerfile) {
            Some(Syntax::Dockerfile)
        } else if has(Category::Secrets) {
            Some(Syntax::Dotenv)
        } else if categories.iter().any(|c| *c != Category::Sextant) {
            Some(Syntax::Yaml)
        } else {
            None
        }
    }

    /// Whether the text fails to parse (`true` first) and how many syntax problems it has.
    fn problems(self, text: &str) -> (bool, usize) {
        match self {
            Syntax::Yaml => {
                let y = crate::syntax::yaml::parse(FileId(0), text);
                (y.failed, y.problems.len())
            }
            Syntax::Toml => (text.parse::<toml::Table>().is_err(), 0),
            Syntax::Dockerfile => (false, crate::syntax::dockerfile::parse(text).problems.len()),
            Syntax::Shell => (false, crate::syntax::shell::parse(text).problems.len()),
            Syntax::Dotenv => (false, crate::syntax::dotenv::parse(text).problems.len()),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Syntax::Yaml => "YAML",
            Syntax::Toml => "TOML",
            Syntax::Dockerfile => "a Dockerfile",
            Syntax::Shell => "a script",
            Syntax::Dotenv => "a secrets file",
        }
    }

    /// Whether `after` fails to parse, or has more syntax problems than `before`.
    fn breaks(self, before: &str, after: &str) -> bool {
        let (failed_before, n_before) = self.problems(before);
        let (failed_after, n_after) = self.problems(after);
        (failed_after && !failed_before) || n_after > n_before
    }
}

/// Splits fixes that together break `text` (see [`Syntax::breaks`]) into those kept and those
/// dropped: each fix that breaks the file alone is dropped; if the others still break it
/// together, all are.
fn keep_parsing<'d>(
    syntax: Syntax,
    text: &str,
    chosen: &[&'d Diagnostic],
) -> (Vec<&'d Diagnostic>, Vec<&'d Diagnostic>) {
    let (bad, good): (Vec<&Diagnostic>, Vec<&Diagnostic>) = chosen
        .iter()
        .partition(|d| syntax.breaks(text, &apply_edits(text, &[**d])));
    if syntax.breaks(text, &apply_edits(text, &good)) {
        (Vec::new(), chosen.to_vec())
    } else {
        (good, bad)
    }
}

/// A fix that was not applied because the file would no longer parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedFix {
    pub path: PathBuf,
    /// The rule whose fix it is.
    pub code: &'static str,
    pub reason: String,
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
    /// The redactor of the original files, for any output that shows their text (a diff).
    pub redactor: crate::redact::Redactor,
    /// Fixes left out because the file would no longer parse (or would have new syntax
    /// problems) with them; the others were applied.
    pub dropped: Vec<DroppedFix>,
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
    let mut redactor = crate::redact::Redactor::default();
    let mut refused: HashSet<(PathBuf, &'static str, Vec<String>)> = HashSet::new();
    let mut dropped: Vec<DroppedFix> = Vec::new();
    for round in 0..MAX_ROUNDS {
        let report = check(&overlay, project, settings)?;
        if round == 0 {
            redactor = report.redactor.clone();
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
            let ours = || {
                report
                    .diagnostics
                    .iter()
                    .filter(|d| !refused.contains(&fix_key(&file.path, d)))
            };
            let mut chosen = select(&file.text, id, ours(), mode);
            if chosen.is_empty() {
                continue;
            }
            let mut text = apply_edits(&file.text, &chosen);
            let categories: Vec<Category> = report
                .diagnostics
                .iter()
                .filter(|d| d.span.file == id)
                .map(|d| d.rule.category)
                .collect();
            if let Some(syntax) = Syntax::of(&file.path, &categories) {
                if syntax.breaks(&file.text, &text) {
                    let (good, bad) = keep_parsing(syntax, &file.text, &chosen);
                    for d in bad {
                        refused.insert(fix_key(&file.path, d));
                        let drop = DroppedFix {
                            path: file.path.clone(),
                            code: d.rule.code,
                            reason: format!(
                                "the file would no longer parse as {} with it",
                                syntax.name()
                            ),
                        };
                        if !dropped.contains(&drop) {
                            dropped.push(drop);
                        }
                    }
                    chosen = good;
                    if chosen.is_empty() {
                        continue;
                    }
                    text = apply_edits(&file.text, &chosen);
                }
            }
            let n = chosen.len();
            if text == file.text {
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
        redactor,
        dropped,
    })
}

/// What identifies a fix from one round to the next (positions move): its file, its rule and
/// what it writes.
fn fix_key(path: &Path, d: &Diagnostic) -> (PathBuf, &'static str, Vec<String>) {
    let contents = d.fix.as_ref().map_or(Vec::new(), |f| {
        f.edits.iter().map(|e| e.content.clone()).collect()
    });
    (path.to_path_buf(), d.rule.code, contents)
}

/// Fixes an in-memory project at `/p` holding `files` (relative path, text), with the safe
/// fixes and no shellcheck: for the rules' tests of their fixes.
#[cfg(test)]
pub(crate) fn fix_files(files: &[(&str, &str)], mode: FixMode) -> Fixed {
    let mut vfs = crate::vfs::MemVfs::new();
    let root = PathBuf::from("/p");
    vfs.insert(root.join(".kamal/secrets-common"), b"P=$P\n".to_vec());
    for (path, text) in files {
        vfs.insert(root.join(path), text.as_bytes().to_vec());
    }
    let settings = Settings {
        base_dir: root.clone(),
        shellcheck: Some(false),
        ..Settings::default()
    };
    fix_project(&vfs, &Project::at(root), &settings, mode).expect("loads")
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
    fn fixes_that_break_the_syntax_are_dropped_and_the_others_kept() {
        let text = "a: 1\nb: [2]\n";
        let ds = [
            diag(3, 4, "[", Applicability::Safe),  // `a: [` no longer parses
            diag(5, 6, "c", Applicability::Safe),  // `c: [2]` is fine
            diag(9, 10, "3", Applicability::Safe), // `[3]` is fine
        ];
        let chosen: Vec<&Diagnostic> = ds.iter().collect();
        assert!(Syntax::Yaml.breaks(text, &apply_edits(text, &chosen)));
        let (good, bad) = keep_parsing(Syntax::Yaml, text, &chosen);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].fix.as_ref().unwrap().edits[0].content, "[");
        assert_eq!(apply_edits(text, &good), "a: 1\nc: [3]\n");
        // a new problem counts too: a duplicate key
        let dup = [diag(5, 6, "a", Applicability::Safe)];
        let chosen: Vec<&Diagnostic> = dup.iter().collect();
        assert!(Syntax::Yaml.breaks(text, &apply_edits(text, &chosen)));
        // and two fixes fine alone but not together are both dropped
        let pair = [
            diag(0, 1, "x", Applicability::Safe),
            diag(5, 6, "x", Applicability::Safe),
        ];
        let chosen: Vec<&Diagnostic> = pair.iter().collect();
        let (good, bad) = keep_parsing(Syntax::Yaml, text, &chosen);
        assert!(good.is_empty());
        assert_eq!(bad.len(), 2);
        // the other parsers
        assert!(Syntax::Shell.breaks("echo hi\n", "echo \"hi\n"));
        assert!(!Syntax::Shell.breaks("echo hi\n", "#!/bin/sh\necho hi\n"));
        assert!(Syntax::Toml.breaks("a = 1\n", "a = \n"));
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
