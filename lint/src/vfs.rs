//! File access for the engine: the disk, or (in the language server) the disk overlaid with the
//! editor's unsaved buffers.

use std::io;
use std::path::{Path, PathBuf};

pub trait Vfs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    fn is_file(&self, path: &Path) -> bool;
    fn is_dir(&self, path: &Path) -> bool;
    /// The entries of a folder (full paths), sorted.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// Whether the path exists at all (file, folder, or anything else).
    fn exists(&self, path: &Path) -> bool {
        self.is_file(path) || self.is_dir(path)
    }
    /// Whether a file is executable and how that is known (the git index, else the file
    /// system); `None` when it cannot be known.
    fn executable(&self, _path: &Path) -> Option<crate::git::ExecBit> {
        None
    }
}

/// Largest file sextant reads (bigger files are reported, not read).
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

pub struct DiskVfs;

impl Vfs for DiskVfs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let meta = std::fs::metadata(path)?;
        if meta.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        if meta.len() > MAX_FILE_SIZE {
            return Err(io::Error::other(format!(
                "file is larger than {} MB",
                MAX_FILE_SIZE / 1024 / 1024
            )));
        }
        std::fs::read(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        out.sort();
        Ok(out)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn executable(&self, path: &Path) -> Option<crate::git::ExecBit> {
        crate::git::executable(path)
    }
}

/// An in-memory file system (tests, and the language server's unsaved buffers).
#[derive(Clone, Debug, Default)]
pub struct MemVfs {
    files: std::collections::BTreeMap<PathBuf, Vec<u8>>,
    executable: std::collections::BTreeMap<PathBuf, crate::git::ExecBit>,
}

impl MemVfs {
    pub fn new() -> MemVfs {
        MemVfs::default()
    }

    pub fn insert(&mut self, path: impl Into<PathBuf>, contents: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), contents.into());
    }

    /// Sets what [`Vfs::executable`] answers for a file.
    pub fn set_executable(&mut self, path: impl Into<PathBuf>, bit: crate::git::ExecBit) {
        self.executable.insert(path.into(), bit);
    }
}

impl Vfs for MemVfs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.files.keys().any(|p| p.starts_with(path) && p != path)
    }

    fn executable(&self, path: &Path) -> Option<crate::git::ExecBit> {
        self.executable.get(path).copied()
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let mut out: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|p| {
                let rest = p.strip_prefix(path).ok()?;
                let first = rest.components().next()?;
                Some(path.join(first))
            })
            .collect();
        out.dedup();
        Ok(out)
    }
}

/// Files held in memory over another file system (unsaved editor buffers, fixed text before it
/// is written).
pub struct OverlayVfs<'a> {
    pub base: &'a dyn Vfs,
    pub files: std::collections::HashMap<PathBuf, Vec<u8>>,
}

impl<'a> OverlayVfs<'a> {
    pub fn new(base: &'a dyn Vfs) -> OverlayVfs<'a> {
        OverlayVfs {
            base,
            files: std::collections::HashMap::new(),
        }
    }
}

impl Vfs for OverlayVfs<'_> {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(bytes) => Ok(bytes.clone()),
            None => self.base.read(path),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path) || self.base.is_file(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.base.is_dir(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let mut out = self.base.read_dir(path).unwrap_or_default();
        for p in self.files.keys() {
            if p.parent() == Some(path) && !out.contains(p) {
                out.push(p.clone());
            }
        }
        out.sort();
        Ok(out)
    }

    fn exists(&self, path: &Path) -> bool {
        self.files.contains_key(path) || self.base.exists(path)
    }

    fn executable(&self, path: &Path) -> Option<crate::git::ExecBit> {
        // an unsaved buffer keeps the mode of the file it edits
        self.base.executable(path)
    }
}
