//! `--fix` and `--diff`: apply fixes round after round (in memory) until nothing changes, then
//! hand the changed files to the writer ([`crate::write`]) or print a unified diff.

use std::path::Path;

use sextant_lint::fix::{fix_project, FixMode};
use sextant_lint::project::display_name;
use sextant_lint::redact;
use sextant_lint::vfs::Vfs;
use sextant_lint::{Project, Report, Settings};
use similar::TextDiff;

use crate::write::Change;

pub struct Outcome {
    /// The diagnostics that remain after fixing.
    pub report: Report,
    pub fixed: usize,
    /// Unified diff of every changed file (empty unless asked).
    pub diff: String,
    /// The files to write (empty for a diff): written by the caller, all or none.
    pub changes: Vec<Change>,
    /// Fixes not applied because the file would no longer parse (one line each).
    pub dropped: Vec<String>,
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
    let mut changes = Vec::new();
    // A config file named with `-c` outside the project is where the user said it is: its folder
    // (where its destination files are) is written too. Every other file, and a `-c` file inside
    // the project, stays confined to the project root.
    let config_dir = project
        .config
        .parent()
        .filter(|dir| !dir.starts_with(&project.root));
    for (path, (original, new)) in &done.files {
        if write {
            let root = match config_dir {
                Some(dir) if path.parent() == Some(dir) => dir,
                _ => project.root.as_path(),
            };
            changes.push(Change {
                name: display_name(path, cwd),
                path: path.clone(),
                root: Some(root.to_path_buf()),
                expected: Some(original.as_bytes().to_vec()),
                bytes: new.as_bytes().to_vec(),
            });
        } else {
            // a file name is project text: no line break or control character of it is printed
            let name = redact::escape_control(&display_name(path, cwd)).into_owned();
            let text_diff = TextDiff::from_lines(original.as_str(), new.as_str());
            let unified = text_diff
                .unified_diff()
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string();
            // the diff shows file lines: secret values in them are masked
            diff.push_str(&redact::neutralize_source(&done.redactor.scrub(&unified)));
        }
    }
    let dropped = done
        .dropped
        .iter()
        .map(|d| {
            format!(
                "{}: the {} fix was not applied: {}",
                display_name(&d.path, cwd),
                d.code,
                d.reason
            )
        })
        .collect();
    Ok(Outcome {
        report: done.report,
        fixed: done.fixed,
        diff,
        changes,
        dropped,
    })
}
