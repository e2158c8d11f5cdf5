//! `--fix` and `--diff`: apply fixes round after round (in memory) until nothing changes, then
//! write the files atomically or print a unified diff.

use std::path::Path;

use sextant_lint::fix::{fix_project, FixMode};
use sextant_lint::project::display_name;
use sextant_lint::redact;
use sextant_lint::vfs::Vfs;
use sextant_lint::{Project, Report, Settings};
use similar::TextDiff;

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
    let done = fix_project(vfs, project, settings, mode).map_err(|e| e.to_string())?;
    let mut diff = String::new();
    for (path, (original, new)) in &done.files {
        if write {
            write_atomic(path, new.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
        } else {
            let name = display_name(path, cwd);
            let text_diff = TextDiff::from_lines(original.as_str(), new.as_str());
            let unified = text_diff
                .unified_diff()
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string();
            // the diff shows file lines: secret values in them are masked
            diff.push_str(&redact::scrub(&unified, &done.secret_values));
        }
    }
    Ok(Outcome {
        report: done.report,
        fixed: done.fixed,
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
