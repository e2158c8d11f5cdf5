//! The one writer of files (`--fix` and `--output-file`). The project is hostile: any name in it
//! may be a symlink planted to redirect a write. So:
//! - temporary files are created exclusively (`O_CREAT | O_EXCL`, which never follows a symlink)
//!   with an unpredictable name (the `tempfile` crate), in the folder of the file they replace;
//! - a project file is written only when its real path (every symlink resolved) is a regular file
//!   inside the real project root: an in-project symlink is written through to its target (the
//!   link stays a link), a path or link that leaves the project is refused;
//! - the replaced file's mode and owner are kept;
//! - every file is staged (written and synced to its temporary file) before any is renamed over
//!   its original, so a failure while staging changes nothing; when a rename fails midway, the
//!   files already renamed are put back and the error says so.
//!
//! The checks resolve paths before the rename: a process that changes the project's folders
//! while sextant runs could race them. The threat is a hostile checkout (fixed before sextant
//! starts), not a concurrent local attacker, who could change the files directly anyway.

use std::fs::{File, Metadata};
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// One file to write.
pub struct Change {
    /// The name shown in messages.
    pub name: String,
    /// The path as the engine knows it (possibly through in-project symlinks).
    pub path: PathBuf,
    /// `Some(root)`: a project file, written only if its real path is inside `root`, and only if
    /// it still holds `expected`. `None`: a path the user chose (`--output-file`): its folder
    /// is resolved, but a symlink at the file's own name is replaced, not written through.
    pub root: Option<PathBuf>,
    /// What the file held when it was read (`None`: not checked).
    pub expected: Option<Vec<u8>>,
    pub bytes: Vec<u8>,
}

/// A change whose target is resolved.
struct Target {
    /// The name to show in messages.
    shown: String,
    /// The real file to replace (symlinks resolved).
    real: PathBuf,
    /// The file it replaces, when there is one.
    meta: Option<Metadata>,
    /// Its bytes before (to put it back after a failed rename).
    before: Option<Vec<u8>>,
    bytes: Vec<u8>,
}

/// Writes every change, or none. `Err` holds the messages to print (each one line).
pub fn write_all(changes: Vec<Change>) -> Result<(), Vec<String>> {
    let mut targets: Vec<Target> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for change in changes {
        match resolve(&change) {
            Ok(t) => {
                // the same real file reached by two paths: one write, if they agree
                if let Some(other) = targets.iter().find(|o| o.real == t.real) {
                    if other.bytes != t.bytes {
                        errors.push(format!(
                            "{} and {} are the same file, fixed in two different ways: not written",
                            other.shown, t.shown
                        ));
                    }
                    continue;
                }
                targets.push(t);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        errors.push(nothing_changed());
        return Err(errors);
    }
    // stage everything
    let mut staged: Vec<(NamedTempFile, &Target)> = Vec::new();
    for t in &targets {
        match stage(&t.real, t.meta.as_ref(), &t.bytes) {
            Ok(tmp) => staged.push((tmp, t)),
            Err(e) => {
                // dropping the staged temporary files removes them
                return Err(vec![
                    format!("cannot write {}: {e}", t.shown),
                    nothing_changed(),
                ]);
            }
        }
    }
    // then rename, putting back what was renamed when one fails
    let mut done: Vec<&Target> = Vec::new();
    for (tmp, t) in staged {
        match persist(tmp, &t.real) {
            Ok(()) => done.push(t),
            Err(e) => {
                let mut messages = vec![format!("cannot write {}: {e}", t.shown)];
                let mut lost: Vec<String> = Vec::new();
                for d in &done {
                    let restored = match &d.before {
                        Some(before) => {
                            let meta = std::fs::metadata(&d.real).ok();
                            stage(&d.real, meta.as_ref().or(d.meta.as_ref()), before)
                                .and_then(|tmp| persist(tmp, &d.real))
                        }
                        // it did not exist before
                        None => std::fs::remove_file(&d.real),
                    };
                    if let Err(e) = restored {
                        lost.push(format!("{} ({e})", d.shown));
                    }
                }
                if lost.is_empty() {
                    messages.push(if done.is_empty() {
                        nothing_changed()
                    } else {
                        format!(
                            "the {} file{} already written {} restored: no file was changed",
                            done.len(),
                            if done.len() == 1 { "" } else { "s" },
                            if done.len() == 1 { "was" } else { "were" }
                        )
                    });
                } else {
                    messages.push(format!(
                        "could not restore what these files held before: {}; they hold the fixed text",
                        lost.join(", ")
                    ));
                }
                return Err(messages);
            }
        }
    }
    Ok(())
}

fn nothing_changed() -> String {
    "no file was changed".to_string()
}

/// Where a change is written, checked.
fn resolve(change: &Change) -> Result<Target, String> {
    let shown = change.name.clone();
    let refuse = |why: &str| format!("refusing to write {}: {why}", shown);
    let (real, meta) = match &change.root {
        Some(root) => {
            let root = root
                .canonicalize()
                .map_err(|e| refuse(&format!("cannot resolve the project folder ({e})")))?;
            let real = change
                .path
                .canonicalize()
                .map_err(|e| refuse(&format!("cannot resolve it ({e})")))?;
            if !real.starts_with(&root) {
                return Err(refuse(
                    "it is outside the project (through `..`, an absolute path or a symlink)",
                ));
            }
            let meta = std::fs::metadata(&real).map_err(|e| refuse(&e.to_string()))?;
            if !meta.is_file() {
                return Err(refuse("it is not a regular file"));
            }
            (real, Some(meta))
        }
        None => {
            // the user's folder is resolved; the file's own name is not followed: a link
            // there (planted in a checkout) is replaced by the file, its target left alone
            let name = change
                .path
                .file_name()
                .ok_or_else(|| refuse("it names no file"))?;
            let dir = match change.path.parent().filter(|p| !p.as_os_str().is_empty()) {
                Some(d) => d.to_path_buf(),
                None => PathBuf::from("."),
            };
            let dir = dir
                .canonicalize()
                .map_err(|e| refuse(&format!("its folder: {e}")))?;
            let real = dir.join(name);
            let meta = match std::fs::symlink_metadata(&real) {
                Ok(m) if m.file_type().is_symlink() => None,
                Ok(m) if m.is_file() => Some(m),
                Ok(_) => return Err(refuse("it is not a regular file")),
                Err(_) => None,
            };
            (real, meta)
        }
    };
    let before = match &meta {
        Some(_) => Some(std::fs::read(&real).map_err(|e| refuse(&e.to_string()))?),
        None => None,
    };
    if let (Some(expected), Some(now)) = (&change.expected, &before) {
        if expected != now {
            return Err(refuse("it changed since sextant read it"));
        }
    }
    Ok(Target {
        shown,
        real,
        meta,
        before,
        bytes: change.bytes.clone(),
    })
}

/// Writes `bytes` to a new temporary file beside `real`, with the owner and mode of the file it
/// replaces (`meta`), synced.
fn stage(real: &Path, meta: Option<&Metadata>, bytes: &[u8]) -> std::io::Result<NamedTempFile> {
    let dir = real.parent().unwrap_or(Path::new("."));
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // a short prefix from the name (a long name must not make the temporary name too long)
    let prefix: String = format!(".{}", name.chars().take(40).collect::<String>());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".sextant").rand_bytes(12);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // a new file gets what any new file gets (0666 less the umask); a replaced file gets
        // its mode below, once its owner is set
        let mode = if meta.is_some() { 0o600 } else { 0o666 };
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.as_file_mut().write_all(bytes)?;
    if let Some(meta) = meta {
        keep_owner_and_mode(tmp.as_file(), meta)?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

#[cfg(unix)]
fn keep_owner_and_mode(file: &File, meta: &Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = file.metadata()?;
    if (now.uid(), now.gid()) != (meta.uid(), meta.gid()) {
        std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot keep its owner ({}:{}): {e}", meta.uid(), meta.gid()),
            )
        })?;
    }
    // after the owner: changing the owner clears set-user-ID bits
    file.set_permissions(meta.permissions())
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &File, meta: &Metadata) -> std::io::Result<()> {
    file.set_permissions(meta.permissions())
}

/// Renames the staged file over `real`, then syncs the folder.
fn persist(tmp: NamedTempFile, real: &Path) -> std::io::Result<()> {
    tmp.persist(real).map_err(|e| e.error)?;
    if let Some(dir) = real.parent() {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn change(path: &Path, root: Option<&Path>, expected: &str, bytes: &str) -> Change {
        Change {
            name: path.display().to_string(),
            path: path.to_path_buf(),
            root: root.map(Path::to_path_buf),
            expected: Some(expected.as_bytes().to_vec()),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_inside_and_refuses_outside() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let inside = root.path().join("a.yml");
        std::fs::write(&inside, "old").unwrap();
        let victim = outside.path().join("v");
        std::fs::write(&victim, "old").unwrap();
        std::os::unix::fs::symlink(&victim, root.path().join("link.yml")).unwrap();
        // one change refused: nothing written
        let err = write_all(vec![
            change(&inside, Some(root.path()), "old", "new"),
            change(
                &root.path().join("link.yml"),
                Some(root.path()),
                "old",
                "new",
            ),
        ])
        .unwrap_err();
        assert!(err[0].contains("outside the project"), "{err:?}");
        assert_eq!(std::fs::read_to_string(&inside).unwrap(), "old");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "old");
        // `..` out of the root
        let dotdot = root
            .path()
            .join("../")
            .join(outside.path().file_name().unwrap())
            .join("v");
        assert!(write_all(vec![change(&dotdot, Some(root.path()), "old", "new")]).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "old");
        // alone, the inside change is written
        write_all(vec![change(&inside, Some(root.path()), "old", "new")]).unwrap();
        assert_eq!(std::fs::read_to_string(&inside).unwrap(), "new");
        // a file that changed since it was read is not overwritten
        let err = write_all(vec![change(&inside, Some(root.path()), "old", "newer")]).unwrap_err();
        assert!(err[0].contains("changed since"), "{err:?}");
        assert_eq!(std::fs::read_to_string(&inside).unwrap(), "new");
        // no temporary file is left behind
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn the_same_file_by_two_paths_is_written_once_or_refused() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real.yml");
        std::fs::write(&real, "old").unwrap();
        let link = root.path().join("link.yml");
        std::os::unix::fs::symlink("real.yml", &link).unwrap();
        let err = write_all(vec![
            change(&real, Some(root.path()), "old", "one"),
            change(&link, Some(root.path()), "old", "two"),
        ])
        .unwrap_err();
        assert!(err[0].contains("same file"), "{err:?}");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "old");
        write_all(vec![
            change(&real, Some(root.path()), "old", "one"),
            change(&link, Some(root.path()), "old", "one"),
        ])
        .unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "one");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[test]
    fn a_new_output_file_gets_the_usual_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        write_all(vec![Change {
            name: "out.json".into(),
            path: out.clone(),
            root: None,
            expected: None,
            bytes: b"[]".to_vec(),
        }])
        .unwrap();
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        // 0666 less the umask (Linux tells it), not the 0600 of a temporary file
        let umask = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Umask:"))
                    .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
            });
        match umask {
            Some(umask) => assert_eq!(mode, 0o666 & !umask, "{mode:o}"),
            None => assert_ne!(mode & 0o600, 0, "{mode:o}"),
        }
    }
}
