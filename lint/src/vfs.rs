//! File access for the engine: the disk, or (in the language server) the disk overlaid with the
//! editor's unsaved buffers — and, in front of either, the guard that confines every read of a
//! project to that project ([`Confined`]).
//!
//! A project is hostile input (SECURITY.md): its paths, symlinks, file types and sizes are chosen
//! by whoever wrote the pull request. So every read the engine makes goes through [`Confined`]:
//! a path is resolved (symlinks included) and read only when it stays inside the project root;
//! only regular files are opened, never blocking, and never more than a size cap. What is refused
//! comes back as a [`ReadError`] that says why, so the engine can report it at its place.

use std::fmt;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing there (or nothing the guard lets one see).
    NotFound,
    /// The path is outside the project: an absolute path elsewhere, or `..` past the root.
    Outside,
    /// A symbolic link on the way leads outside the project.
    LinkOutside,
    /// Not a regular file: a folder, FIFO, socket or device.
    NotRegular(&'static str),
    /// Larger than the cap for its kind of file (bytes).
    TooLarge(u64),
    /// The operating system refused (permissions, I/O error).
    Io(io::Error),
}

impl ReadError {
    /// The file is simply absent (as opposed to present but refused).
    pub fn is_not_found(&self) -> bool {
        match self {
            ReadError::NotFound => true,
            ReadError::Io(e) => e.kind() == io::ErrorKind::NotFound,
            _ => false,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::Outside => f.write_str("it is outside the project"),
            ReadError::LinkOutside => f.write_str("it is a link that leads outside the project"),
            ReadError::NotRegular(kind) => write!(f, "it is a {kind}, not a regular file"),
            ReadError::TooLarge(limit) => write!(f, "it is larger than {}", human_size(*limit)),
            ReadError::Io(e) => write!(f, "{}", io_message(e)),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        if e.kind() == io::ErrorKind::NotFound {
            ReadError::NotFound
        } else {
            ReadError::Io(e)
        }
    }
}

/// An I/O error's text without the OS error number (stable across systems).
fn io_message(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// `1 MiB`, `64 KiB`, `12 bytes`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 {
        format!("{} MiB", bytes / 1024 / 1024)
    } else if bytes >= 1024 && bytes % 1024 == 0 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// What is at a path (the final component's symlink followed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Missing,
    File,
    Dir,
    /// A FIFO, socket or device (never opened).
    Special(&'static str),
    /// Somewhere the guard does not look: outside the project (see [`Confined`]). It may exist;
    /// sextant cannot say.
    Outside,
}

/// What is at the last component of a path, the link itself not followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    Missing,
    /// A symbolic link.
    Link,
    /// Anything else (a file, folder, FIFO …).
    Plain,
    /// This file layer cannot tell (resolve the whole path instead).
    Unknown,
}

/// The size caps, per kind of file (a larger file is reported as "too large, not checked").
pub mod limits {
    /// `config/deploy*.yml`.
    pub const CONFIG: u64 = 16 * 1024 * 1024;
    /// Secrets files (a million entries is about 27 MB; each entry costs about 1.2 KB of memory
    /// while it is checked, so this cap also bounds memory).
    pub const SECRETS: u64 = 32 * 1024 * 1024;
    /// Hooks, Dockerfiles, entrypoints, Ruby and other text the rules read.
    pub const TEXT: u64 = 16 * 1024 * 1024;
    /// `.sextant.toml`.
    pub const SETTINGS: u64 = 1024 * 1024;
    /// `Gemfile.lock`.
    pub const LOCKFILE: u64 = 16 * 1024 * 1024;
    /// The git index (a million tracked files is about 100 MB).
    pub const GIT_INDEX: u64 = 256 * 1024 * 1024;
    /// Small files of the git folder (`HEAD`, `config`, `commondir`, `.git` files).
    pub const GIT_SMALL: u64 = 1024 * 1024;
}

/// Largest file read by [`Vfs::read`] (the caps of [`limits`] are smaller for most kinds).
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Most entries listed of one folder (a folder of hooks or secrets files is small; a huge one is
/// listed this far).
pub const MAX_DIR_ENTRIES: usize = 10_000;

pub trait Vfs {
    /// The bytes of a regular file of at most `limit` bytes.
    fn read_limited(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError>;
    /// What is at a path (symlinks followed).
    fn kind(&self, path: &Path) -> EntryKind;
    /// The entries of a folder (full paths), sorted.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    /// Where a path really is: symlinks resolved, `None` when it does not exist. A file system
    /// without links answers the path itself, normalized.
    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        (!matches!(self.kind(path), EntryKind::Missing | EntryKind::Outside))
            .then(|| normalize(path))
    }
    /// Whether a file is executable and how that is known (the git index, else the file
    /// system); `None` when it cannot be known.
    fn executable(&self, _path: &Path) -> Option<crate::git::ExecBit> {
        None
    }
    /// The file system's permission bits say executable (`None`: cannot be known).
    fn mode_executable(&self, _path: &Path) -> Option<bool> {
        None
    }
    /// Whether the last component of a path is a symbolic link, without following it.
    fn link(&self, _path: &Path) -> Link {
        Link::Unknown
    }
    /// A file's modification time and size, to cache what is parsed from it (`None`: do not
    /// cache).
    fn stamp(&self, _path: &Path) -> Option<(Option<std::time::SystemTime>, u64)> {
        None
    }

    fn read(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        self.read_limited(path, MAX_FILE_SIZE)
    }
    fn is_file(&self, path: &Path) -> bool {
        self.kind(path) == EntryKind::File
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.kind(path) == EntryKind::Dir
    }
    /// Whether the path exists at all (file, folder, or anything else) — or may, outside the
    /// project where sextant does not look.
    fn exists(&self, path: &Path) -> bool {
        self.kind(path) != EntryKind::Missing
    }
}

/// `a/./b/../c` → `a/c`, without looking at the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                // `/..` is `/`
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The disk. It opens regular files only (checked before and after opening, never blocking on a
/// FIFO), never follows a symlink in the last component of the path it is given, and reads at
/// most the limit whatever size the file claims (`/proc` files claim 0). It does not confine:
/// [`Confined`] does, and the engine reads through it.
pub struct DiskVfs;

fn special_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_socket() {
            return "socket";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "device";
        }
    }
    if ft.is_dir() {
        return "folder";
    }
    if ft.is_symlink() {
        return "symbolic link";
    }
    "special file"
}

impl Vfs for DiskVfs {
    fn read_limited(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        // look before opening: opening a device or FIFO can block or have effects
        let meta = std::fs::symlink_metadata(path)?;
        let ft = meta.file_type();
        if ft.is_symlink() {
            // the caller resolves links ([`Confined`]); a link here changed under us
            return Err(ReadError::NotRegular("symbolic link"));
        }
        if !ft.is_file() {
            return Err(ReadError::NotRegular(special_kind(&ft)));
        }
        if meta.len() > limit {
            return Err(ReadError::TooLarge(limit));
        }
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let file = options.open(path)?;
        let meta = file.metadata()?;
        if !meta.file_type().is_file() {
            return Err(ReadError::NotRegular(special_kind(&meta.file_type())));
        }
        let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
        file.take(limit + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge(limit));
        }
        Ok(bytes)
    }

    fn kind(&self, path: &Path) -> EntryKind {
        match std::fs::metadata(path) {
            Err(_) => EntryKind::Missing,
            Ok(m) if m.is_file() => EntryKind::File,
            Ok(m) if m.is_dir() => EntryKind::Dir,
            Ok(m) => EntryKind::Special(special_kind(&m.file_type())),
        }
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(path)?
            .take(MAX_DIR_ENTRIES)
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        out.sort();
        Ok(out)
    }

    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok()
    }

    fn stamp(&self, path: &Path) -> Option<(Option<std::time::SystemTime>, u64)> {
        let meta = std::fs::metadata(path).ok()?;
        Some((meta.modified().ok(), meta.len()))
    }

    fn link(&self, path: &Path) -> Link {
        match std::fs::symlink_metadata(path) {
            Err(_) => Link::Missing,
            Ok(m) if m.file_type().is_symlink() => Link::Link,
            Ok(_) => Link::Plain,
        }
    }

    fn mode_executable(&self, path: &Path) -> Option<bool> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(path).ok()?;
            Some(meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            None
        }
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
    fn read_limited(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let bytes = self.files.get(path).ok_or(ReadError::NotFound)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge(limit));
        }
        Ok(bytes.clone())
    }

    fn kind(&self, path: &Path) -> EntryKind {
        if self.files.contains_key(path) {
            EntryKind::File
        } else if self.files.keys().any(|p| p.starts_with(path) && p != path) {
            EntryKind::Dir
        } else {
            EntryKind::Missing
        }
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
    fn read_limited(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        match self.files.get(path) {
            Some(bytes) if bytes.len() as u64 > limit => Err(ReadError::TooLarge(limit)),
            Some(bytes) => Ok(bytes.clone()),
            None => self.base.read_limited(path, limit),
        }
    }

    fn kind(&self, path: &Path) -> EntryKind {
        if self.files.contains_key(path) {
            EntryKind::File
        } else {
            self.base.kind(path)
        }
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

    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        // a buffer is where its path says (an unsaved new file has no disk entry to resolve)
        if self.files.contains_key(path) {
            return Some(path.to_path_buf());
        }
        self.base.canonical(path)
    }

    fn executable(&self, path: &Path) -> Option<crate::git::ExecBit> {
        // an unsaved buffer keeps the mode of the file it edits
        self.base.executable(path)
    }

    fn mode_executable(&self, path: &Path) -> Option<bool> {
        self.base.mode_executable(path)
    }

    fn stamp(&self, path: &Path) -> Option<(Option<std::time::SystemTime>, u64)> {
        if self.files.contains_key(path) {
            return None;
        }
        self.base.stamp(path)
    }

    fn link(&self, path: &Path) -> Link {
        if self.files.contains_key(path) {
            return Link::Plain;
        }
        self.base.link(path)
    }
}

/// The guard in front of a [`Vfs`]: every path is resolved (symlinks included) and used only
/// when it stays inside the project root (or is a file the user named on the command line, or
/// the repository's git folder, read for file modes only). Outside paths, links that leave the
/// root and non-regular files are refused with a [`ReadError`] that says why; nothing outside is
/// ever opened or listed.
pub struct Confined<'a> {
    inner: &'a dyn Vfs,
    /// The root as given (paths are spelled from it).
    root: PathBuf,
    /// The root with its symlinks resolved (where paths must end up).
    real_root: PathBuf,
    /// Files the user named (`-c FILE`, `--config FILE`), allowed wherever they are.
    allowed_files: Vec<PathBuf>,
    /// Folders the user named (the folder of a `-c FILE` outside the root): their entries may
    /// be listed (to find the file's destination files), not read.
    listable: Vec<PathBuf>,
    /// The repository's git folder(s), when the project is in a git work tree.
    git_dirs: Vec<PathBuf>,
    /// The repository the project is in (found once, through the inner layer).
    repo: Option<crate::git::Repository>,
    /// Where each path asked about really is (resolving a path costs a system call per
    /// component; a check asks about the same few dozen paths again and again).
    resolved: std::sync::Mutex<std::collections::HashMap<PathBuf, Option<PathBuf>>>,
}

impl<'a> Confined<'a> {
    pub fn new(inner: &'a dyn Vfs, root: &Path) -> Confined<'a> {
        let root = normalize(root);
        let real_root = inner.canonical(&root).unwrap_or_else(|| root.clone());
        let repo = crate::git::Repository::find(inner, &root);
        let git_dirs = repo
            .iter()
            .flat_map(|r| r.dirs())
            .map(Path::to_path_buf)
            .collect();
        Confined {
            inner,
            root,
            real_root,
            allowed_files: Vec::new(),
            listable: Vec::new(),
            git_dirs,
            repo,
            resolved: Default::default(),
        }
    }

    /// Allows one file the user named, even outside the root.
    pub fn allow_file(&mut self, path: &Path) {
        let path = normalize(path);
        if let Some(real) = self.inner.canonical(&path) {
            self.allowed_files.push(real);
        }
        self.allowed_files.push(path);
    }

    /// Allows listing one folder the user named, even outside the root (its files stay
    /// unreadable unless allowed one by one).
    pub fn allow_listing(&mut self, dir: &Path) {
        self.listable.push(normalize(dir));
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where a path really is, when it may be used: `Ok(path on disk)`, `Err(Outside)` when the
    /// path or a link on the way leaves the project, `Err(NotFound)` when nothing is there.
    pub fn admit(&self, path: &Path) -> Result<PathBuf, ReadError> {
        let path = normalize(&self.root.join(path));
        if self.allowed_files.contains(&path) {
            return self.inner.canonical(&path).ok_or(ReadError::NotFound);
        }
        if !path.starts_with(&self.root) && !self.in_git_dir(&path) {
            return Err(ReadError::Outside);
        }
        let real = self.resolve(&path)?;
        if real.starts_with(&self.real_root)
            || self.in_git_dir(&real)
            || self.allowed_files.contains(&real)
        {
            Ok(real)
        } else {
            Err(ReadError::LinkOutside)
        }
    }

    fn in_git_dir(&self, path: &Path) -> bool {
        self.git_dirs.iter().any(|g| path.starts_with(g))
    }

    /// The real location of a path whose last components may not exist yet: the deepest
    /// existing ancestor resolved, the rest appended. `Err(NotFound)` if nothing of it exists.
    fn resolve(&self, path: &Path) -> Result<PathBuf, ReadError> {
        if let Some(real) = self.canonical_once(path) {
            return Ok(real);
        }
        // a dangling link, or a missing file: where would it be?
        let mut tail = Vec::new();
        let mut at = path.to_path_buf();
        while let Some(name) = at.file_name().map(|n| n.to_os_string()) {
            tail.push(name);
            if !at.pop() {
                break;
            }
            if let Some(real) = self.inner.canonical(&at) {
                let mut out = real;
                for part in tail.iter().rev() {
                    out.push(part);
                }
                // nothing exists there: not found, wherever it would have been
                return if out.starts_with(&self.real_root) || self.in_git_dir(&out) {
                    Err(ReadError::NotFound)
                } else {
                    Err(ReadError::LinkOutside)
                };
            }
        }
        Err(ReadError::NotFound)
    }

    /// [`Vfs::canonical`] of the inner layer, asked once per path. Below the root, a path is
    /// resolved from its (memoised) parent: one look at the last component when it is no link.
    fn canonical_once(&self, path: &Path) -> Option<PathBuf> {
        if path == self.root {
            return Some(self.real_root.clone());
        }
        if let Some(known) = self.resolved.lock().ok()?.get(path) {
            return known.clone();
        }
        let real = match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) if parent.starts_with(&self.root) => {
                match self.canonical_once(parent) {
                    // (an editor's unsaved buffer may live in a folder not yet on disk)
                    None => self.inner.canonical(path),
                    Some(real_parent) => {
                        let candidate = real_parent.join(name);
                        match self.inner.link(&candidate) {
                            Link::Missing => None,
                            Link::Plain => Some(candidate),
                            Link::Link | Link::Unknown => self.inner.canonical(&candidate),
                        }
                    }
                }
            }
            _ => self.inner.canonical(path),
        };
        if let Ok(mut memo) = self.resolved.lock() {
            memo.insert(path.to_path_buf(), real.clone());
        }
        real
    }

    /// What would be read at `path`: `Ok(())` when it may be, else why not (without reading).
    pub fn check(&self, path: &Path) -> Result<(), ReadError> {
        let real = self.admit(path)?;
        match self.inner.kind(&real) {
            EntryKind::Missing => Err(ReadError::NotFound),
            EntryKind::Special(kind) => Err(ReadError::NotRegular(kind)),
            EntryKind::Outside => Err(ReadError::Outside),
            EntryKind::File | EntryKind::Dir => Ok(()),
        }
    }
}

impl Vfs for Confined<'_> {
    fn read_limited(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let real = self.admit(path)?;
        // an overlay (editor buffer) is found by the path the engine asked for
        match self
            .inner
            .read_limited(&normalize(&self.root.join(path)), limit)
        {
            Err(ReadError::NotRegular("symbolic link")) | Err(ReadError::NotFound)
                if real != path =>
            {
                self.inner.read_limited(&real, limit)
            }
            other => other,
        }
    }

    fn kind(&self, path: &Path) -> EntryKind {
        match self.admit(path) {
            Ok(real) => self.inner.kind(&real),
            Err(ReadError::Outside | ReadError::LinkOutside) => EntryKind::Outside,
            Err(_) => EntryKind::Missing,
        }
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        if self.listable.contains(&normalize(&self.root.join(path))) {
            return self.inner.read_dir(path);
        }
        let real = self
            .admit(path)
            .map_err(|e| io::Error::new(io::ErrorKind::PermissionDenied, e.to_string()))?;
        let path = normalize(&self.root.join(path));
        // entries keep the spelling asked for (`.kamal/hooks/x`, even through an in-project link)
        let mut entries: Vec<PathBuf> = self
            .inner
            .read_dir(&real)?
            .into_iter()
            .filter_map(|e| e.file_name().map(|n| path.join(n)))
            .collect();
        if real != path {
            // buffers of an overlay live under the spelling asked for
            for e in self.inner.read_dir(&path).unwrap_or_default() {
                if let Some(n) = e.file_name() {
                    let p = path.join(n);
                    if !entries.contains(&p) {
                        entries.push(p);
                    }
                }
            }
        }
        entries.sort();
        entries.dedup();
        Ok(entries)
    }

    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        self.admit(path).ok()
    }

    fn executable(&self, path: &Path) -> Option<crate::git::ExecBit> {
        let real = self.admit(path).ok()?;
        let on_disk = self.inner.mode_executable(&real);
        // an overlay (or the in-memory tests) may know better than the index
        if let Some(bit) = self.inner.executable(path) {
            return Some(bit);
        }
        crate::git::exec_bit(self, self.repo.as_ref(), &real, on_disk)
    }

    fn mode_executable(&self, path: &Path) -> Option<bool> {
        let real = self.admit(path).ok()?;
        self.inner.mode_executable(&real)
    }

    fn stamp(&self, path: &Path) -> Option<(Option<std::time::SystemTime>, u64)> {
        let real = self.admit(path).ok()?;
        self.inner.stamp(&real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("/a/../../c")), PathBuf::from("/c"));
        assert_eq!(normalize(Path::new("a/../../c")), PathBuf::from("../c"));
        assert_eq!(normalize(Path::new("../../c")), PathBuf::from("../../c"));
    }

    #[test]
    fn memory_paths_outside_the_root_are_refused() {
        let mut mem = MemVfs::new();
        mem.insert("/p/config/deploy.yml", "service: x");
        mem.insert("/etc/passwd", "root:x:0:0");
        let guard = Confined::new(&mem, Path::new("/p"));
        assert!(guard.read(Path::new("/p/config/deploy.yml")).is_ok());
        assert!(matches!(
            guard.read(Path::new("/etc/passwd")),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            guard.read(Path::new("/p/config/../../etc/passwd")),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            guard.read(Path::new("/p/missing")),
            Err(ReadError::NotFound)
        ));
    }

    #[test]
    fn sizes_read_humanely() {
        assert_eq!(human_size(16 * 1024 * 1024), "16 MiB");
        assert_eq!(human_size(2048), "2 KiB");
        assert_eq!(human_size(100), "100 bytes");
    }
}
