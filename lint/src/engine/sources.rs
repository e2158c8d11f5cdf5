//! Phase 1, sources: find and read every file of the project once, through the guarded file
//! layer, and parse each with the parser of its kind. Problems of a file itself (it cannot be
//! read, it is not valid YAML, its root is not a hash) are found here.

use std::path::{Path, PathBuf};

use sextant_schema::{GemVersion, Version, DEFAULT_VERSION, LATEST_KNOWN, V2_0};

use crate::config::{self, FileConfig};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::{decode, Files};
use crate::project::{display_name, Project};
use crate::rules;
use crate::rules::context::{dockerfile_path, DockerfileSource, HookSource, SecretsSource};
use crate::syntax::yaml::{self, Node, YamlFile};
use crate::syntax::{dockerfile, dotenv, shell};
use crate::text::{FileId, Span};
use crate::vfs::{limits, normalize, Confined, ReadError, Vfs};

use super::{Settings, VersionSource};

/// One deploy config file: the base file, or a destination file.
pub(super) struct ConfigSource {
    pub file: FileId,
    pub yaml: YamlFile,
    /// `None` for the base file.
    pub destination: Option<String>,
    /// The document's root is a hash (else Kamal crashes, and nothing else is checked).
    has_root: bool,
}

impl ConfigSource {
    /// The root hash, when the file parsed and its document is a hash.
    pub fn root(&self) -> Option<&Node> {
        self.yaml.root.as_ref().filter(|_| self.has_root)
    }
}

/// Every file of the project, read and parsed.
pub(super) struct Sources {
    pub files: Files,
    /// Problems of the files themselves.
    pub diagnostics: Vec<Diagnostic>,
    /// The base file first, then each destination file that could be read, in name order.
    pub configs: Vec<ConfigSource>,
    /// Destinations whose file is missing or unreadable (their load is not checked).
    pub unloaded: Vec<String>,
    /// `.sextant.toml` (or `--config FILE`), and its file when there is one.
    pub file_config: FileConfig,
    pub config_id: Option<FileId>,
    pub version: Version,
    pub version_source: VersionSource,
    pub hooks: Vec<HookSource>,
    pub dockerfiles: Vec<DockerfileSource>,
    pub secrets: Vec<SecretsSource>,
}

impl Sources {
    pub fn base(&self) -> &ConfigSource {
        &self.configs[0]
    }

    pub fn overlays(&self) -> impl Iterator<Item = &ConfigSource> {
        self.configs[1..].iter()
    }
}

/// What reading the project gave.
pub(super) enum Outcome {
    Read(Box<Sources>),
    /// No base file was read: the files read (destination files without a base, a refused base
    /// file) and their problems.
    NoBase {
        files: Files,
        diagnostics: Vec<Diagnostic>,
        destinations: Vec<String>,
        /// The base file exists but was refused (reported).
        refused: bool,
    },
}

/// Reads every file of the project.
pub(super) fn read(
    vfs: &Confined,
    project: &Project,
    settings: &Settings,
) -> Result<Outcome, std::io::Error> {
    let mut files = Files::default();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let base = match read_yaml(
        vfs,
        &project.config,
        None,
        settings,
        &mut files,
        &mut diagnostics,
    )? {
        Some(base) => base,
        None => {
            let refused = !diagnostics.is_empty();
            return Ok(Outcome::NoBase {
                destinations: destinations(vfs, project, settings),
                files,
                diagnostics,
                refused,
            });
        }
    };
    let (file_config, config_id) =
        read_settings(vfs, project, settings, &mut files, &mut diagnostics);
    let lockfile = read_lockfile(vfs, project, settings, &mut files, &mut diagnostics);
    let (version, version_source) = target_version(
        lockfile.as_deref(),
        settings,
        file_config.kamal_version,
        &base,
    );

    let mut configs = vec![base];
    let mut unloaded = Vec::new();
    for dest in destinations(vfs, project, settings) {
        let path = project.destination_file(&dest);
        let before = diagnostics.len();
        match read_yaml(
            vfs,
            &path,
            Some(&dest),
            settings,
            &mut files,
            &mut diagnostics,
        ) {
            Ok(Some(overlay)) => configs.push(overlay),
            // refused (and reported)
            Ok(None) if diagnostics.len() > before => unloaded.push(dest),
            Ok(None) => {
                let name = display_name(&path, &settings.base_dir);
                let id = files.add_missing(path.clone(), name.clone());
                diagnostics.push(rules::missing_destination(
                    Span::empty(id, 0),
                    &dest,
                    &name,
                    &path,
                ));
                unloaded.push(dest);
            }
            Err(e) => {
                let name = display_name(&path, &settings.base_dir);
                let id = files.add_missing(path.clone(), name);
                diagnostics.push(rules::unreadable_destination(Span::empty(id, 0), &e));
                unloaded.push(dest);
            }
        }
    }
    for config in &mut configs {
        config.has_root = root_is_hash(config, &mut diagnostics);
    }

    // what the configurations name: hooks, Dockerfiles, secrets files
    let roots: Vec<&Node> = configs.iter().filter_map(ConfigSource::root).collect();
    let (files, diagnostics) = (&mut files, &mut diagnostics);
    outside_paths(vfs, project, settings, &roots, files, diagnostics);
    let hooks = read_hooks(vfs, project, settings, &roots, files, diagnostics);
    let dockerfiles = read_dockerfiles(vfs, project, settings, &roots, files, diagnostics);
    let secrets = read_secrets(vfs, project, settings, version, &roots, files, diagnostics);
    drop(roots);
    let sources = Sources {
        files: std::mem::take(files),
        diagnostics: std::mem::take(diagnostics),
        configs,
        unloaded,
        file_config,
        config_id,
        version,
        version_source,
        hooks,
        dockerfiles,
        secrets,
    };
    Ok(Outcome::Read(Box::new(sources)))
}

/// The destinations to load: `-d DEST`, else every destination file beside the base file.
fn destinations(vfs: &dyn Vfs, project: &Project, settings: &Settings) -> Vec<String> {
    match &settings.destination {
        Some(d) => vec![d.clone()],
        None => project.destinations(vfs),
    }
}

/// The guard every read of the check goes through: the project root, plus the files the user
/// named on the command line when they lie outside it (`-c FILE` and its destination files,
/// `--config FILE`).
pub(super) fn confine<'a>(
    vfs: &'a dyn Vfs,
    project: &Project,
    settings: &Settings,
) -> Confined<'a> {
    let mut guard = Confined::new(vfs, &project.root);
    let outside = |p: &Path| !normalize(p).starts_with(guard.root());
    let mut named: Vec<PathBuf> = Vec::new();
    if let Some(config) = &settings.config_file {
        if outside(config) {
            named.push(config.clone());
        }
    }
    if outside(&project.config) {
        named.push(project.config.clone());
        if let Some(dir) = project.config.parent() {
            guard.allow_listing(dir);
        }
        // its destination files, beside it
        for dest in project.destinations(vfs) {
            named.push(project.destination_file(&dest));
        }
    }
    for path in named {
        guard.allow_file(&path);
    }
    guard
}

/// What reading one project file gave.
pub(super) enum Read {
    /// Its text (invalid UTF-8 bytes replaced one for one), and where the first invalid byte is.
    Text(String, Option<usize>),
    Missing,
    Folder,
    /// Refused by the guard (a link out of the project, not a regular file, too large): reported.
    Refused,
}

/// Reads a project file through the guard, at most `limit` bytes. A refusal is reported on the
/// file itself (an entry without text, so nothing of it is ever shown).
pub(super) fn read_text(
    vfs: &dyn Vfs,
    path: &Path,
    limit: u64,
    base_dir: &Path,
    files: &mut Files,
    diagnostics: &mut Vec<Diagnostic>,
) -> Read {
    match vfs.read_limited(path, limit) {
        Ok(bytes) => {
            let (text, invalid_at) = decode(bytes);
            Read::Text(text, invalid_at)
        }
        // a path named outside the project is reported where it is named (`outside_paths`)
        Err(e) if e.is_not_found() || matches!(e, ReadError::Outside) => Read::Missing,
        Err(ReadError::NotRegular("folder")) => Read::Folder,
        Err(e) => {
            let name = display_name(path, base_dir);
            let id = match files.find(path) {
                Some(id) => id,
                None => files.add(path.to_path_buf(), name.clone(), String::new()),
            };
            diagnostics.push(rules::refused(Span::empty(id, 0), &format!("`{name}`"), &e));
            Read::Refused
        }
    }
}

/// Reads and parses a YAML config file; `Ok(None)` when it does not exist, or when it was
/// refused (then with a diagnostic that says why).
fn read_yaml(
    vfs: &dyn Vfs,
    path: &Path,
    destination: Option<&str>,
    settings: &Settings,
    files: &mut Files,
    diagnostics: &mut Vec<Diagnostic>,
) -> std::io::Result<Option<ConfigSource>> {
    let base_dir = &settings.base_dir;
    let (text, invalid_at) =
        match read_text(vfs, path, limits::CONFIG, base_dir, files, diagnostics) {
            Read::Text(text, invalid_at) => (text, invalid_at),
            Read::Folder => return Err(std::io::Error::other("is a directory")),
            Read::Missing => return Ok(None),
            Read::Refused => {
                if destination.is_none() {
                    // the base file: nothing at all is checked
                    if let Some(d) = diagnostics.last_mut() {
                        d.severity = Severity::Error;
                    }
                }
                return Ok(None);
            }
        };
    let id = files.add(path.to_path_buf(), display_name(path, base_dir), text);
    let text = &files.get(id).text;
    if let Some(at) = invalid_at {
        diagnostics.push(rules::invalid_utf8(Span::new(id, at..at + 1)));
    }
    let yaml = yaml::parse(id, text);
    for p in &yaml.problems {
        diagnostics.push(rules::syntax_problem(files, p));
    }
    Ok(Some(ConfigSource {
        file: id,
        yaml,
        destination: destination.map(str::to_string),
        has_root: false,
    }))
}

/// Whether a config file's document is a hash; a diagnostic says why not (Kamal crashes on
/// `symbolize_keys` when it is not).
fn root_is_hash(config: &ConfigSource, diagnostics: &mut Vec<Diagnostic>) -> bool {
    if config.yaml.failed {
        return false;
    }
    let root = config.yaml.root.as_ref();
    let (what, ruby) = match root {
        Some(root) if root.is_map() => return true,
        None => ("empty (or only comments)", "false:FalseClass".to_string()),
        Some(n) if n.is_null() && !n.is_erb() => ("empty", "nil:NilClass".to_string()),
        Some(n) if n.is_seq() => ("a list", format!("{}:Array", n.ruby_inspect())),
        Some(n) if n.is_erb() => return false,
        Some(n) => (
            "a single value",
            format!("{}:{}", n.ruby_inspect(), ruby_class(n)),
        ),
    };
    let span = root.map_or(Span::empty(config.file, 0), |n| n.span);
    let d = rules::document_not_a_hash(span, what, &ruby);
    if !diagnostics.iter().any(|e| e.identity() == d.identity()) {
        diagnostics.push(d);
    }
    false
}

fn ruby_class(n: &Node) -> &'static str {
    use crate::syntax::psych::Typed;
    match n.scalar().map(|s| &s.typed) {
        Some(Typed::Int(_)) => "Integer",
        Some(Typed::Float(_)) => "Float",
        Some(Typed::Bool(true)) => "TrueClass",
        Some(Typed::Bool(false)) => "FalseClass",
        Some(Typed::Symbol(_)) => "Symbol",
        Some(Typed::Date) => "Date",
        Some(Typed::Time) => "Time",
        _ => "String",
    }
}

/// Loads `.sextant.toml` (or `--config FILE`); its problems become diagnostics.
pub(super) fn read_settings(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    files: &mut Files,
    diagnostics: &mut Vec<Diagnostic>,
) -> (FileConfig, Option<FileId>) {
    let path = settings
        .config_file
        .clone()
        .unwrap_or_else(|| project.root.join(".sextant.toml"));
    let base_dir = &settings.base_dir;
    let text = match read_text(vfs, &path, limits::SETTINGS, base_dir, files, diagnostics) {
        Read::Text(text, _) => text,
        Read::Missing | Read::Folder => {
            if settings.config_file.is_some() {
                let id = files.add_missing(path.clone(), display_name(&path, base_dir));
                diagnostics.push(rules::missing_config(Span::empty(id, 0)));
            }
            return (FileConfig::default(), None);
        }
        Read::Refused => return (FileConfig::default(), None),
    };
    let (config, problems) = config::parse(&text);
    let id = files.add(path.clone(), display_name(&path, base_dir), text);
    for p in problems {
        diagnostics.push(rules::invalid_config(Span::new(id, p.span), p.message));
    }
    (config, Some(id))
}

/// `Gemfile.lock`'s text, when the project has one (a refused one is reported).
fn read_lockfile(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    files: &mut Files,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let path = project.root.join("Gemfile.lock");
    match read_text(
        vfs,
        &path,
        limits::LOCKFILE,
        &settings.base_dir,
        files,
        diagnostics,
    ) {
        Read::Text(text, _) => Some(text),
        _ => None,
    }
}

/// The target version: `--kamal-version`, else `.sextant.toml`'s, else Gemfile.lock's kamal,
/// else `minimum_version` (when it is a known release), else 2.8.2.
fn target_version(
    lockfile: Option<&str>,
    settings: &Settings,
    configured: Option<Version>,
    base: &ConfigSource,
) -> (Version, VersionSource) {
    if let Some(v) = settings.kamal_version {
        return (v, VersionSource::Flag);
    }
    if let Some(v) = configured {
        return (v, VersionSource::Config);
    }
    if let Some(v) = lockfile.and_then(lockfile_kamal_version) {
        return (v, VersionSource::GemfileLock);
    }
    let minimum = base
        .yaml
        .root
        .as_ref()
        .and_then(|r| r.get("minimum_version"))
        .filter(|m| !m.is_erb() && m.is_stringish())
        .and_then(|m| GemVersion::parse(&m.ruby_to_s()))
        .and_then(|g| g.to_version());
    if let Some(v) = minimum.filter(|v| *v >= V2_0 && *v <= LATEST_KNOWN) {
        return (v, VersionSource::MinimumVersion);
    }
    (DEFAULT_VERSION, VersionSource::Default)
}

/// The `kamal (X.Y.Z)` entry of a `Gemfile.lock` text.
pub(super) fn lockfile_kamal_version(text: &str) -> Option<Version> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix("    kamal (")?;
        let version = rest.strip_suffix(')')?;
        let version = version.split('-').next()?;
        Version::parse(version)
    })
}

/// Keys of a configuration that name a path sextant reads, with the node that names it.
fn path_keys(root: &Node) -> Vec<(&'static str, &Node)> {
    let builder = root.get("builder");
    [
        (
            "builder.dockerfile",
            builder.and_then(|b| b.get("dockerfile")),
        ),
        ("builder.context", builder.and_then(|b| b.get("context"))),
        ("hooks_path", root.get("hooks_path")),
        ("secrets_path", root.get("secrets_path")),
        ("error_pages_path", root.get("error_pages_path")),
    ]
    .into_iter()
    .filter_map(|(key, node)| Some((key, node.filter(|n| !n.is_erb() && n.as_str().is_some())?)))
    .collect()
}

/// Paths named by the configurations that lead outside the project: reported once, where they
/// are written. A named file behind a link is reported where it is read (`read_text`); a folder
/// behind a link (the default `.kamal/hooks` too) here, since nothing in it is read.
fn outside_paths(
    guard: &Confined,
    project: &Project,
    settings: &Settings,
    roots: &[&Node],
    files: &mut Files,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let push = |d: Diagnostic, diagnostics: &mut Vec<Diagnostic>| {
        if !diagnostics.iter().any(|e| e.identity() == d.identity()) {
            diagnostics.push(d);
        }
    };
    for root in roots {
        let context = root
            .get("builder")
            .and_then(|b| b.get("context"))
            .and_then(Node::as_str)
            .unwrap_or(".");
        for (key, node) in path_keys(root) {
            let Some(text) = node.as_str() else { continue };
            let base = if key == "builder.dockerfile" {
                project.root.join(context)
            } else {
                project.root.clone()
            };
            match guard.check(&normalize(&base.join(text))) {
                Err(ReadError::Outside) => push(rules::outside_key(node.span, key), diagnostics),
                Err(e @ ReadError::LinkOutside) if key != "builder.dockerfile" => push(
                    rules::refused(node.span, &format!("`{key}`"), &e),
                    diagnostics,
                ),
                _ => {}
            }
        }
    }
    for dir in [".kamal", ".kamal/hooks"] {
        let path = project.root.join(dir);
        if let Err(e @ ReadError::LinkOutside) = guard.check(&path) {
            let id = match files.find(&path) {
                Some(id) => id,
                None => files.add(
                    path.clone(),
                    display_name(&path, &settings.base_dir),
                    String::new(),
                ),
            };
            push(
                rules::refused(Span::empty(id, 0), &format!("`{dir}`"), &e),
                diagnostics,
            );
        }
    }
}

/// The hook files Kamal would look at: everything in `.kamal/hooks` and in any `hooks_path` the
/// configurations name.
fn read_hooks(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    roots: &[&Node],
    files: &mut Files,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<HookSource> {
    let mut hooks = Vec::new();
    let mut dirs: Vec<PathBuf> = vec![project.root.join(".kamal/hooks")];
    for root in roots {
        if let Some(path) = root
            .get("hooks_path")
            .filter(|h| !h.is_erb())
            .and_then(Node::as_str)
        {
            let dir = project.root.join(path);
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    let base_dir = &settings.base_dir;
    for dir in dirs {
        if !vfs.is_dir(&dir) {
            continue;
        }
        for path in vfs.read_dir(&dir).unwrap_or_default() {
            if files.find(&path).is_some() {
                continue;
            }
            let Read::Text(text, _) =
                read_text(vfs, &path, limits::TEXT, base_dir, files, diagnostics)
            else {
                continue;
            };
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let script = shell::parse(&text);
            let executable = vfs.executable(&path);
            let file = files.add(path.clone(), display_name(&path, base_dir), text);
            hooks.push(HookSource {
                path,
                file,
                name,
                executable,
                script,
            });
        }
    }
    hooks
}

/// Reads and parses the Dockerfiles the configurations build from.
fn read_dockerfiles(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    roots: &[&Node],
    files: &mut Files,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<DockerfileSource> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        // a destination file's builder settings apply over the base file's
        let merged;
        let config = if i == 0 {
            *root
        } else {
            merged = crate::model::deep_merge(roots[0], root);
            &merged
        };
        if let Some(path) = dockerfile_path(config, &project.root) {
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for path in paths {
        let base_dir = &settings.base_dir;
        let Read::Text(text, _) = read_text(vfs, &path, limits::TEXT, base_dir, files, diagnostics)
        else {
            continue;
        };
        let parsed = dockerfile::parse(&text);
        let file = files.add(path.clone(), display_name(&path, base_dir), text);
        out.push(DockerfileSource { path, file, parsed });
    }
    out
}

/// Reads and parses every secrets file: whatever starts with `secret` in `.kamal/` (misnamed
/// ones included, for the rules that say so), and, from 2.9.0, the files `secrets_path` names.
fn read_secrets(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    version: Version,
    roots: &[&Node],
    files: &mut Files,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<SecretsSource> {
    let mut candidates: Vec<(PathBuf, String)> =
        vec![(project.root.join(".kamal"), "secret".into())];
    if version >= Version::new(2, 9, 0) {
        for root in roots {
            if let Some(path) = root
                .get("secrets_path")
                .filter(|p| !p.is_erb())
                .and_then(Node::as_str)
            {
                let full = project.root.join(path);
                if let (Some(dir), Some(name)) = (full.parent(), full.file_name()) {
                    candidates.push((dir.to_path_buf(), name.to_string_lossy().into_owned()));
                }
            }
        }
    }
    let mut out: Vec<SecretsSource> = Vec::new();
    let base_dir = &settings.base_dir;
    for (dir, prefix) in candidates {
        for path in vfs.read_dir(&dir).unwrap_or_default() {
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            if !name.starts_with(&prefix) || out.iter().any(|s| s.path == path) {
                continue;
            }
            let Read::Text(text, _) =
                read_text(vfs, &path, limits::SECRETS, base_dir, files, diagnostics)
            else {
                continue;
            };
            let parsed = dotenv::parse(&text);
            let file = files.add(path.clone(), display_name(&path, base_dir), text);
            out.push(SecretsSource {
                path,
                file,
                name,
                parsed,
            });
        }
    }
    out
}
