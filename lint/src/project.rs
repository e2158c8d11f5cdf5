//! Finding Kamal projects: the root is the folder holding `config/deploy.yml` (Kamal's working
//! directory), or the current folder with `-c FILE`, as in Kamal.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::vfs::Vfs;

/// One Kamal project to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// The folder Kamal runs in: hooks, secrets and relative paths are resolved from here.
    pub root: PathBuf,
    /// The base config file (`config/deploy.yml`, or the `-c` file).
    pub config: PathBuf,
}

impl Project {
    pub fn new(root: PathBuf, config: PathBuf) -> Project {
        Project { root, config }
    }

    /// The project of a folder holding `config/deploy.yml`.
    pub fn at(root: PathBuf) -> Project {
        let config = root.join("config").join("deploy.yml");
        Project { root, config }
    }

    /// The destination file Kamal loads for `-d DEST`: the base path with its extension replaced
    /// by `.DEST.yml` (always `.yml`).
    pub fn destination_file(&self, destination: &str) -> PathBuf {
        let stem = self
            .config
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.config
            .with_file_name(format!("{stem}.{destination}.yml"))
    }

    /// Destinations with an overlay file next to the base config (`deploy.DEST.yml`), sorted.
    pub fn destinations(&self, vfs: &dyn Vfs) -> Vec<String> {
        let Some(dir) = self.config.parent() else {
            return Vec::new();
        };
        let stem = self
            .config
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!("{stem}.");
        let base_name = self
            .config
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let mut out = Vec::new();
        for entry in vfs.read_dir(dir).unwrap_or_default() {
            let Some(name) = entry.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            // a FIFO or a link out of the project is a destination too: reading it says why not
            if Some(&name) == base_name.as_ref()
                || matches!(
                    vfs.kind(&entry),
                    crate::vfs::EntryKind::Dir | crate::vfs::EntryKind::Missing
                )
            {
                continue;
            }
            if let Some(dest) = name
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".yml"))
            {
                if !dest.is_empty() {
                    out.push(dest.to_string());
                }
            }
        }
        out.sort();
        out
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum DiscoverError {
    /// The path does not exist.
    NotFound(PathBuf),
    /// A folder without any `config/deploy.yml` in or below it.
    NoConfig(PathBuf),
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoverError::NotFound(p) => write!(f, "{}: no such file or folder", p.display()),
            DiscoverError::NoConfig(p) => write!(
                f,
                "{}: no Kamal project here (no config/deploy.yml in this folder or below it)",
                p.display()
            ),
        }
    }
}

/// What a path given on the command line stands for.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// Projects to check.
    Projects(Vec<Project>),
    /// A file that belongs to no Kamal project, or is not a Kamal file (e.g.
    /// `.github/workflows/deploy.yml`): never treated as a Kamal config.
    NotKamal(PathBuf),
}

/// Folders never searched for projects.
const SKIP_DIRS: &[&str] = &["node_modules", "vendor", "tmp", "target", "log", "public"];
const SEARCH_DEPTH: usize = 4;

/// Resolves a command-line path to projects. `path` should be absolute.
pub fn discover(vfs: &dyn Vfs, path: &Path) -> Result<Found, DiscoverError> {
    let path = normalize(path);
    if vfs.is_dir(&path) {
        if has_config(vfs, &path) {
            return Ok(Found::Projects(vec![Project::at(path)]));
        }
        if path.file_name().is_some_and(|n| n == "config") && vfs.is_file(&path.join("deploy.yml"))
        {
            if let Some(parent) = path.parent() {
                return Ok(Found::Projects(vec![Project::at(parent.to_path_buf())]));
            }
        }
        let mut found = Vec::new();
        search(vfs, &path, 0, &mut found);
        if found.is_empty() {
            return Err(DiscoverError::NoConfig(path));
        }
        return Ok(Found::Projects(found));
    }
    if !vfs.exists(&path) {
        return Err(DiscoverError::NotFound(path));
    }
    // A file: find the project it belongs to, then decide whether it is a Kamal file.
    let Some(root) = path.ancestors().skip(1).find(|dir| has_config(vfs, dir)) else {
        return Ok(Found::NotKamal(path));
    };
    let rel = path.strip_prefix(root).unwrap_or(&path);
    if is_kamal_file(rel) {
        Ok(Found::Projects(vec![Project::at(root.to_path_buf())]))
    } else {
        Ok(Found::NotKamal(path))
    }
}

/// A folder is a Kamal project when it has `config/deploy.yml`, or at least destination files
/// `config/deploy.DEST.yml` (reported as missing their base).
fn has_config(vfs: &dyn Vfs, dir: &Path) -> bool {
    if vfs.is_file(&dir.join("config").join("deploy.yml")) {
        return true;
    }
    let config = dir.join("config");
    vfs.is_dir(&config) && !Project::at(dir.to_path_buf()).destinations(vfs).is_empty()
}

/// What a file of a Kamal project is, by its path relative to the project root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KamalFile {
    /// `config/deploy.yml` (`None`), or a destination file `config/deploy.DEST.yml` (also
    /// `.yaml`, for `-c`).
    Config(Option<String>),
    /// `.kamal/secrets`, `.kamal/secrets-common`, `.kamal/secrets.DEST` (and misnamed variants).
    Secrets,
    /// A file in `.kamal/hooks`, by name.
    Hook(String),
    /// Anything else under `.kamal/`.
    KamalDir,
    /// A Dockerfile at the root (`Dockerfile`, `Dockerfile.prod`, `web.Dockerfile`).
    Dockerfile,
    /// `.sextant.toml`.
    Settings,
    /// `Gemfile.lock` (the Kamal version).
    GemfileLock,
}

/// Classifies a path relative to a project root; `None` for files that are not Kamal's.
pub fn classify(rel: &Path) -> Option<KamalFile> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["config", name] => {
            let stem = name
                .strip_suffix(".yml")
                .or_else(|| name.strip_suffix(".yaml"))?;
            match stem {
                "deploy" => Some(KamalFile::Config(None)),
                _ => stem
                    .strip_prefix("deploy.")
                    .filter(|d| !d.is_empty())
                    .map(|d| KamalFile::Config(Some(d.to_string()))),
            }
        }
        [".kamal", "hooks", .., name] => Some(KamalFile::Hook(name.to_string())),
        [".kamal", name] if name.starts_with("secrets") => Some(KamalFile::Secrets),
        [".kamal", ..] => Some(KamalFile::KamalDir),
        ["Gemfile.lock"] => Some(KamalFile::GemfileLock),
        [".sextant.toml"] => Some(KamalFile::Settings),
        [name]
            if name.starts_with("Dockerfile")
                || name.ends_with(".Dockerfile")
                || name.ends_with(".dockerfile") =>
        {
            Some(KamalFile::Dockerfile)
        }
        _ => None,
    }
}

/// Files that are part of a Kamal project, relative to its root.
pub fn is_kamal_file(rel: &Path) -> bool {
    classify(rel).is_some()
}

fn search(vfs: &dyn Vfs, dir: &Path, depth: usize, found: &mut Vec<Project>) {
    if depth > SEARCH_DEPTH {
        return;
    }
    for entry in vfs.read_dir(dir).unwrap_or_default() {
        let Some(name) = entry.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if name.starts_with('.') || SKIP_DIRS.contains(&name.as_str()) || !vfs.is_dir(&entry) {
            continue;
        }
        if has_config(vfs, &entry) {
            found.push(Project::at(entry));
        } else {
            search(vfs, &entry, depth + 1, found);
        }
    }
}

/// Removes `.` and resolves `..` lexically (no symlink resolution).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = crate::vfs::normalize(path);
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A path shown relative to `base` when it is inside it.
pub fn display_name(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
        _ => path.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kamal_files() {
        assert!(is_kamal_file(Path::new("config/deploy.yml")));
        assert!(is_kamal_file(Path::new("config/deploy.staging.yml")));
        assert!(is_kamal_file(Path::new(".kamal/secrets")));
        assert!(is_kamal_file(Path::new(".kamal/hooks/pre-deploy")));
        assert!(is_kamal_file(Path::new("Dockerfile")));
        assert!(!is_kamal_file(Path::new(".github/workflows/deploy.yml")));
        assert!(!is_kamal_file(Path::new("config/database.yml")));
        let kind = |p: &str| classify(Path::new(p));
        assert_eq!(kind("config/deploy.yml"), Some(KamalFile::Config(None)));
        assert_eq!(
            kind("config/deploy.staging.yml"),
            Some(KamalFile::Config(Some("staging".into())))
        );
        assert_eq!(kind("config/deploy..yml"), None);
        assert_eq!(
            kind(".kamal/hooks/pre-deploy"),
            Some(KamalFile::Hook("pre-deploy".into()))
        );
        assert_eq!(kind(".kamal/secrets.production"), Some(KamalFile::Secrets));
        assert_eq!(kind(".kamal/apps/x"), Some(KamalFile::KamalDir));
        assert_eq!(kind("web.Dockerfile"), Some(KamalFile::Dockerfile));
        assert_eq!(kind("docker/Dockerfile"), None);
        assert!(!is_kamal_file(Path::new("app/deploy.yml")));
    }

    #[test]
    fn destination_file_names() {
        let p = Project::new("/p".into(), "/p/config/deploy.yml".into());
        assert_eq!(
            p.destination_file("staging"),
            PathBuf::from("/p/config/deploy.staging.yml")
        );
        let p = Project::new("/p".into(), "/p/config/deploy.yaml".into());
        assert_eq!(
            p.destination_file("staging"),
            PathBuf::from("/p/config/deploy.staging.yml")
        );
    }

    #[test]
    fn normalizes() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
