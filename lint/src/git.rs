//! The executable bit of a project file as git records it, read from the repository's index
//! (`.git/index`, versions 2, 3 and 4) without running git, so that every operating system and
//! every CI runner agrees; the file system's mode when the file is not tracked (or the project is
//! not a git checkout). Never panics: a corrupt or unknown index is simply not used.
//!
//! A `.git` *file* (`gitdir: PATH`, in worktrees and submodules) is followed to the folder that
//! holds the index.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use crate::vfs::{limits, DiskVfs, EntryKind, Vfs};

/// Where an answer about the executable bit comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeSource {
    /// The mode git records for the tracked file (what every clone checks out).
    GitIndex,
    /// The file system's permission bits (the file is untracked, or there is no repository).
    FileSystem,
}

/// Whether a file is executable, and how sextant knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecBit {
    /// What every checkout gets: the git index's mode for a tracked file, else the file
    /// system's.
    pub executable: bool,
    pub source: ModeSource,
    /// The file system's executable bit in this checkout, when known (Unix).
    pub on_disk: Option<bool>,
}

/// One entry of an index: its path (relative to the work tree, `/`-separated, as git stores it)
/// and its mode (`0o100755`, `0o100644`, `0o120000` symlink, `0o160000` submodule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    pub path: Vec<u8>,
    pub mode: u32,
    /// 0 for a normal entry, 1–3 during a merge conflict.
    pub stage: u8,
}

/// Why an index could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexError {
    NotAnIndex,
    UnsupportedVersion(u32),
    Truncated,
    Corrupt(&'static str),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::NotAnIndex => write!(f, "not a git index (no DIRC signature)"),
            IndexError::UnsupportedVersion(v) => write!(f, "index version {v} is not supported"),
            IndexError::Truncated => write!(f, "the index ends in the middle of an entry"),
            IndexError::Corrupt(what) => write!(f, "corrupt index: {what}"),
        }
    }
}

/// Parses the entries of a git index (versions 2, 3 and 4). `hash_len` is 20 for SHA-1
/// repositories, 32 for SHA-256 ones.
pub fn parse_index(bytes: &[u8], hash_len: usize) -> Result<Vec<IndexEntry>, IndexError> {
    if bytes.len() < 12 || &bytes[..4] != b"DIRC" {
        return Err(IndexError::NotAnIndex);
    }
    let be32 = |at: usize| -> Option<u32> {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let version = be32(4).ok_or(IndexError::Truncated)?;
    if !(2..=4).contains(&version) {
        return Err(IndexError::UnsupportedVersion(version));
    }
    let count = be32(8).ok_or(IndexError::Truncated)? as usize;
    // 40 bytes of stat data, the hash, 2 bytes of flags, at least one name byte
    let fixed = 40 + hash_len + 2;
    if count > bytes.len() / (fixed + 1) + 1 {
        return Err(IndexError::Corrupt("more entries than the file can hold"));
    }
    let mut entries = Vec::with_capacity(count);
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = at;
        let mode = be32(start + 24).ok_or(IndexError::Truncated)?;
        let flags_at = start + 40 + hash_len;
        let flags = bytes
            .get(flags_at..flags_at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or(IndexError::Truncated)?;
        at = flags_at + 2;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return Err(IndexError::Corrupt("extended flags in a version 2 index"));
            }
            at += 2;
        }
        let stage = ((flags >> 12) & 0x3) as u8;
        let path = if version == 4 {
            // the number of bytes to drop from the previous path, then the rest, NUL-terminated
            let (strip, used) = varint(bytes.get(at..).ok_or(IndexError::Truncated)?)
                .ok_or(IndexError::Truncated)?;
            at += used;
            if strip > previous.len() {
                return Err(IndexError::Corrupt("prefix longer than the previous path"));
            }
            let rest = bytes.get(at..).ok_or(IndexError::Truncated)?;
            let nul = rest
                .iter()
                .position(|&b| b == 0)
                .ok_or(IndexError::Truncated)?;
            let mut path = previous[..previous.len() - strip].to_vec();
            path.extend_from_slice(&rest[..nul]);
            at += nul + 1;
            path
        } else {
            let rest = bytes.get(at..).ok_or(IndexError::Truncated)?;
            let nul = rest
                .iter()
                .position(|&b| b == 0)
                .ok_or(IndexError::Truncated)?;
            let path = rest[..nul].to_vec();
            // entries are padded with 1 to 8 NULs to a multiple of 8 bytes
            let len = at + nul - start;
            at = start + (len + 8) / 8 * 8;
            if at > bytes.len() {
                return Err(IndexError::Truncated);
            }
            path
        };
        if path.is_empty() {
            return Err(IndexError::Corrupt("an entry without a path"));
        }
        previous.clone_from(&path);
        entries.push(IndexEntry { path, mode, stage });
    }
    Ok(entries)
}

/// Git's offset varint (used by index version 4): returns the value and the bytes used.
fn varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    let mut c = *bytes.first()?;
    let mut value = (c & 0x7f) as usize;
    while c & 0x80 != 0 {
        i += 1;
        c = *bytes.get(i)?;
        value = value
            .checked_add(1)?
            .checked_mul(128)?
            .checked_add((c & 0x7f) as usize)?;
    }
    Some((value, i + 1))
}

/// A repository found for a path: where its work tree starts and where its index is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repository {
    pub work_tree: PathBuf,
    pub git_dir: PathBuf,
    /// A linked worktree's common folder (`commondir`), which holds the config.
    pub common_dir: Option<PathBuf>,
}

/// Whether a path is inside (or is) a `.git` folder: where a `gitdir:` pointer may lead
/// (`MAIN/.git/worktrees/NAME`, `SUPER/.git/modules/NAME`).
fn in_dot_git(path: &Path) -> bool {
    path.components()
        .any(|c| matches!(c, Component::Normal(n) if n == ".git"))
}

impl Repository {
    /// The repository holding `path` (a file or folder): the nearest folder above it with a
    /// `.git` folder, or a `.git` file pointing to one. Every read goes through `vfs`; a `.git`
    /// that is a link elsewhere, or a `gitdir:` that leads anywhere but into a `.git` folder, is
    /// not followed.
    pub fn find(vfs: &dyn Vfs, path: &Path) -> Option<Repository> {
        let mut dir = if vfs.kind(path) == EntryKind::Dir {
            Some(path)
        } else {
            path.parent()
        };
        while let Some(d) = dir {
            let dot_git = d.join(".git");
            match vfs.kind(&dot_git) {
                EntryKind::Dir => {
                    let real = vfs.canonical(&dot_git)?;
                    let real_d = vfs.canonical(d)?;
                    if real != real_d.join(".git") {
                        return None;
                    }
                    return Some(Repository {
                        work_tree: d.to_path_buf(),
                        git_dir: real,
                        common_dir: None,
                    });
                }
                EntryKind::File => return Self::linked(vfs, d, &dot_git),
                _ => {}
            }
            dir = d.parent();
        }
        None
    }

    /// A work tree whose `.git` is a file: `gitdir: PATH` (linked worktrees, submodules).
    fn linked(vfs: &dyn Vfs, work_tree: &Path, dot_git: &Path) -> Option<Repository> {
        let bytes = vfs.read_limited(dot_git, limits::GIT_SMALL).ok()?;
        let text = String::from_utf8_lossy(&bytes);
        let target = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
        let git_dir = vfs.canonical(&work_tree.join(target))?;
        if !in_dot_git(&git_dir) || vfs.kind(&git_dir) != EntryKind::Dir {
            return None;
        }
        let common_dir = vfs
            .read_limited(&git_dir.join("commondir"), limits::GIT_SMALL)
            .ok()
            .and_then(|c| vfs.canonical(&git_dir.join(String::from_utf8_lossy(&c).trim())))
            .filter(|c| c.file_name().is_some_and(|n| n == ".git") && git_dir.starts_with(c));
        Some(Repository {
            work_tree: work_tree.to_path_buf(),
            git_dir,
            common_dir,
        })
    }

    /// The folders of the repository that sextant may read (the index, `config`, `commondir`).
    pub fn dirs(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.git_dir.as_path()).chain(self.common_dir.as_deref())
    }

    /// The hash length of the repository's objects (SHA-256 repositories use 32 bytes).
    fn hash_len(&self, vfs: &dyn Vfs) -> usize {
        // a linked worktree's config lives in the common folder
        let common = self.common_dir.as_ref().unwrap_or(&self.git_dir);
        let config = vfs
            .read_limited(&common.join("config"), limits::GIT_SMALL)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let sha256 = config.lines().any(|l| {
            let l = l.trim().to_ascii_lowercase().replace(' ', "");
            l == "objectformat=sha256"
        });
        if sha256 {
            32
        } else {
            20
        }
    }

    /// The index entries, cached per index file (by modification time and size).
    pub fn index(&self, vfs: &dyn Vfs) -> Option<Arc<Vec<IndexEntry>>> {
        type Cache = HashMap<PathBuf, (Option<SystemTime>, u64, Arc<Vec<IndexEntry>>)>;
        static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
        let path = self.git_dir.join("index");
        let stamp = vfs.stamp(&path);
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        if let (Some(stamp), Ok(map)) = (stamp, cache.lock()) {
            if let Some((m, l, entries)) = map.get(&path) {
                if (*m, *l) == stamp {
                    return Some(entries.clone());
                }
            }
        }
        let bytes = vfs.read_limited(&path, limits::GIT_INDEX).ok()?;
        let entries = Arc::new(parse_index(&bytes, self.hash_len(vfs)).ok()?);
        if let (Some(stamp), Ok(mut map)) = (stamp, cache.lock()) {
            map.insert(path, (stamp.0, stamp.1, entries.clone()));
        }
        Some(entries)
    }

    /// The path of a file relative to the work tree, as git writes it (`a/b/c`).
    pub fn relative(&self, vfs: &dyn Vfs, path: &Path) -> Option<Vec<u8>> {
        let rel: PathBuf = match path.strip_prefix(&self.work_tree) {
            Ok(rel) => rel.to_path_buf(),
            // the work tree may have been found through another spelling of the path
            Err(_) => {
                let canonical = vfs.canonical(path)?;
                let root = vfs.canonical(&self.work_tree)?;
                canonical.strip_prefix(&root).ok()?.to_path_buf()
            }
        };
        let mut out = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(part) => {
                    if !out.is_empty() {
                        out.push(b'/');
                    }
                    out.extend_from_slice(part.as_encoded_bytes());
                }
                Component::CurDir => {}
                _ => return None,
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// The mode git records for a file of this work tree, when it is tracked (stage 0, or the
    /// first conflict stage).
    pub fn mode_of(&self, vfs: &dyn Vfs, path: &Path) -> Option<u32> {
        let rel = self.relative(vfs, path)?;
        let index = self.index(vfs)?;
        index
            .iter()
            .filter(|e| e.path == rel)
            .min_by_key(|e| e.stage)
            .map(|e| e.mode)
    }
}

/// The mode git records for a file on disk, when it is tracked.
pub fn tracked_mode(path: &Path) -> Option<u32> {
    Repository::find(&DiskVfs, path)?.mode_of(&DiskVfs, path)
}

/// Whether a file on disk is executable: the git index's mode when the file is tracked (a
/// symlink is judged by the file it points to), else the file system's permission bits (Unix
/// only).
pub fn executable(path: &Path) -> Option<ExecBit> {
    let repo = Repository::find(&DiskVfs, path);
    exec_bit(&DiskVfs, repo.as_ref(), path, DiskVfs.mode_executable(path))
}

/// [`executable`] through a file layer, with the repository already found.
pub fn exec_bit(
    vfs: &dyn Vfs,
    repo: Option<&Repository>,
    path: &Path,
    on_disk: Option<bool>,
) -> Option<ExecBit> {
    let tracked = match repo.and_then(|r| r.mode_of(vfs, path)) {
        Some(0o100755) => Some(true),
        Some(0o100644) => Some(false),
        _ => None,
    };
    match tracked {
        Some(executable) => Some(ExecBit {
            executable,
            source: ModeSource::GitIndex,
            on_disk,
        }),
        None => on_disk.map(|executable| ExecBit {
            executable,
            source: ModeSource::FileSystem,
            on_disk,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        // git's encoding of 128: 0x80 0x00
        assert_eq!(varint(&[0x80, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0x80]), None);
        assert_eq!(varint(&[]), None);
    }
}
