//! `--fix` and `--diff`: apply fixes round after round (in memory) until nothing changes, then
//! write the files atomically or print a unified diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sextant_lint::fix::{apply, FixMode};
use sextant_lint::project::display_name;
use sextant_lint::redact;
use sextant_lint::registry::INVALID_UTF8;
use sextant_lint::vfs::{OverlayVfs, Vfs};
use sextant_lint::{check, Project, Report, Settings};
use similar::TextDiff;

/// Rounds of fixing before giving up (a fix that keeps producing fixes is a bug; stop anyway).
const MAX_ROUNDS: usize = 10;

pub struct Outcome {
    /// The diagnostics that remain after fixing.
    pub report: Report,
    pub fixed: usize,
    /// Unified diff of every changed file (empty unless asked).
    pub diff: String,
}

pub fn run(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    mode: FixMode,
    write: bool,
    cwd: &Path,
) -> Result<Outcome, String> {
    let mut overlay = OverlayVfs::new(vfs);
    let mut originals: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut fixed = 0;
    let mut first_values: Vec<String> = Vec::new();
    for round in 0..MAX_ROUNDS {
        let report = check(&overlay, project, settings).map_err(|e| e.to_string())?;
        if round == 0 {
            first_values = redact::values(&report.files, &report.redactions);
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
    let report = check(&overlay, project, settings).map_err(|e| e.to_string())?;
    // secrets as the original files hold them (the first round saw them all)
    let secret_values = first_values;
    let mut diff = String::new();
    for (path, original) in &originals {
        let new = String::from_utf8_lossy(overlay.files.get(path).map_or(&[][..], |v| v));
        if write {
            write_atomic(path, new.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
        } else {
            let name = display_name(path, cwd);
            let text_diff = TextDiff::from_lines(original.as_str(), new.as_ref());
            let unified = text_diff
                .unified_diff()
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string();
            // the diff shows file lines: secret values in them are masked
            diff.push_str(&redact::scrub(&unified, &secret_values));
        }
    }
    Ok(Outcome {
        report,
        fixed,
        diff,
    })
}

/// Writes through a temporary file in the same folder, renamed over the original, keeping the
/// original's permissions (hooks stay executable).
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.sextant-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
