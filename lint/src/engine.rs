//! The one entry point of the engine: check a project, as every Kamal invocation would load it.
//!
//! Without a destination: the base configuration alone (as `kamal` without `-d`) and the base
//! merged with each `config/deploy.DEST.yml` (as `kamal -d DEST`), each problem reported once.
//! With a destination: that load only.

use std::path::{Path, PathBuf};

use sextant_schema::{GemVersion, Version, DEFAULT_VERSION, LATEST_KNOWN, V2_0};

use crate::config::{self, FileConfig, RuleSettings, Selector};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::{decode, Files};
use crate::kamal::{self, Load};
use crate::model::{self, deep_merge};
use crate::project::{display_name, Project};
use crate::redact;
use crate::registry as rules;
use crate::rules::context::{
    dockerfile_path, ConfigFile, DockerfileSource, HookSource, LoadContext, ProjectContext,
    SecretsSource,
};
use crate::rules::{run_load as run_load_rules, run_project as run_project_rules};
use crate::suppress::{CommentRef, Suppressions};
use crate::syntax::erb::ErbProblemKind;
use crate::syntax::yaml::{self, Node, ProblemKind, YamlFile};
use crate::syntax::{dockerfile, dotenv, shell};
use crate::text::{ColumnUnit, FileId, Span};
use crate::vfs::Vfs;

/// What the caller decides.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `--kamal-version`.
    pub kamal_version: Option<Version>,
    /// `-d DEST`: check that load only.
    pub destination: Option<String>,
    /// File names are shown relative to this folder.
    pub base_dir: PathBuf,
    /// `--select`: replaces the configuration's `select` and `ignore`.
    pub select: Option<Vec<Selector>>,
    /// `--ignore`: added to the configuration's `ignore`.
    pub ignore: Vec<Selector>,
    /// `--config FILE`, instead of `.sextant.toml` at the project root.
    pub config_file: Option<PathBuf>,
    /// Run shellcheck on shell hooks when it is installed (`--no-shellcheck` gives `false`);
    /// `None`: as `.sextant.toml`'s `shellcheck` says, else yes.
    pub shellcheck: Option<bool>,
}

/// Where the Kamal version checked against came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionSource {
    Flag,
    Config,
    GemfileLock,
    MinimumVersion,
    Default,
}

impl VersionSource {
    pub fn describe(self) -> &'static str {
        match self {
            VersionSource::Flag => "--kamal-version",
            VersionSource::Config => ".sextant.toml",
            VersionSource::GemfileLock => "Gemfile.lock",
            VersionSource::MinimumVersion => "minimum_version",
            VersionSource::Default => "default",
        }
    }
}

#[derive(Debug)]
pub struct Report {
    pub project: Project,
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
    pub version: Version,
    pub version_source: VersionSource,
    /// The loads checked: `None` is the base configuration alone.
    pub loads: Vec<Option<String>>,
    /// Spans whose text is or may be a secret: every output that shows source text masks them
    /// ([`crate::redact`]).
    pub redactions: Vec<Span>,
    /// What each load reads besides the config files (for the language server's hover and
    /// go-to-definition).
    pub outline: Vec<LoadOutline>,
}

/// The files and names one load uses.
#[derive(Clone, Debug, Default)]
pub struct LoadOutline {
    /// `None`: the base configuration alone.
    pub destination: Option<String>,
    /// The secrets files Kamal reads for this load, in merge order (existing or not).
    pub secrets_paths: Vec<PathBuf>,
    /// The Dockerfile the load builds, when known.
    pub dockerfile: Option<PathBuf>,
    pub roles: Vec<String>,
    pub accessories: Vec<String>,
    /// Every secret name the load's secrets files define, with the definition that wins (the
    /// last assignment of the last file in merge order). Names and places only, never values.
    pub secrets: Vec<SecretDefinition>,
}

/// Where a load's secret is defined.
#[derive(Clone, Debug)]
pub struct SecretDefinition {
    pub name: String,
    /// The key in its secrets file.
    pub key: Span,
    /// The value runs a command (`$(kamal secrets fetch …)`).
    pub command: bool,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// A problem that prevents checking at all (exit status 2).
#[derive(Debug)]
pub enum LoadError {
    /// The base config file does not exist (Kamal: `Configuration file not found in PATH`).
    ConfigNotFound(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::ConfigNotFound(p) => {
                write!(f, "Configuration file not found in {}", p.display())
            }
            LoadError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

struct Loaded {
    file: FileId,
    yaml: YamlFile,
}

/// Checks one project.
pub fn check(vfs: &dyn Vfs, project: &Project, settings: &Settings) -> Result<Report, LoadError> {
    let mut files = Files::default();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();

    let base = match read_yaml(
        vfs,
        &project.config,
        &settings.base_dir,
        &mut files,
        &mut diagnostics,
    ) {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return without_base(vfs, project, settings, files),
        Err(e) => return Err(LoadError::Io(project.config.clone(), e)),
    };

    let (file_config, config_id) =
        load_config(vfs, project, settings, &mut files, &mut diagnostics);
    let rule_settings = effective_rules(&file_config, settings);

    let (version, version_source) =
        target_version(vfs, project, settings, file_config.kamal_version, &base);

    let explicit = settings.destination.is_some();
    let destinations = match &settings.destination {
        Some(d) => vec![d.clone()],
        None => project.destinations(vfs),
    };
    let mut overlays: Vec<(String, Option<Loaded>)> = Vec::new();
    for dest in &destinations {
        let path = project.destination_file(dest);
        match read_yaml(vfs, &path, &settings.base_dir, &mut files, &mut diagnostics) {
            Ok(Some(loaded)) => overlays.push((dest.clone(), Some(loaded))),
            Ok(None) => {
                let name = display_name(&path, &settings.base_dir);
                let id = files.add_missing(path.clone(), name.clone());
                let d = Diagnostic::new(
                    &rules::CONFIG_FILE_NOT_FOUND,
                    Span::empty(id, 0),
                    format!("destination `{dest}` has no configuration file `{name}`"),
                )
                .with_kamal(format!("Configuration file not found in {}", path.display()))
                .with_help(format!(
                    "create `{name}` (it may hold only the keys that differ), or check the destination name"
                ));
                diagnostics.push(d);
                overlays.push((dest.clone(), None));
            }
            Err(e) => {
                let name = display_name(&path, &settings.base_dir);
                let id = files.add_missing(path.clone(), name);
                diagnostics.push(Diagnostic::new(
                    &rules::CONFIG_FILE_NOT_FOUND,
                    Span::empty(id, 0),
                    format!("cannot read the destination file: {e}"),
                ));
                overlays.push((dest.clone(), None));
            }
        }
    }

    let mut loads: Vec<Option<String>> = Vec::new();
    let base_root = root_hash(&base, &mut diagnostics);
    let overlay_roots: Vec<Option<&Node>> = overlays
        .iter()
        .map(|(_, o)| o.as_ref().and_then(|o| root_hash(o, &mut diagnostics)))
        .collect();

    // hook files named by the configurations are sources too (diagnostics point into them)
    let mut roots: Vec<&Node> = base_root.into_iter().collect();
    roots.extend(overlay_roots.iter().flatten());
    let hooks = load_hooks(vfs, project, settings, &roots, &mut files);
    let dockerfiles = load_dockerfiles(vfs, project, settings, &roots, &mut files);
    let secrets = load_secrets(vfs, project, settings, version, &roots, &mut files);
    let mut yaml_sources = vec![(base.file, &base.yaml)];
    yaml_sources.extend(
        overlays
            .iter()
            .filter_map(|(_, o)| o.as_ref().map(|o| (o.file, &o.yaml))),
    );
    let redactions = redact::collect(&secrets, &yaml_sources, &hooks, &files);
    // the hooks' comments, for suppressions (`# sextant: ignore[…]`)
    let hook_comments: Vec<(FileId, Vec<CommentRef>)> = hooks
        .iter()
        .map(|h| {
            let comments = h
                .script
                .comments
                .iter()
                .map(|c| CommentRef {
                    range: c.span.clone(),
                    text: c.text.clone(),
                })
                .collect();
            (h.file, comments)
        })
        .collect();
    let hook_span = |path: &Path| -> Option<Span> {
        let id = files.find(path)?;
        let text = &files.get(id).text;
        Some(Span::new(id, 0..text.lines().next().map_or(0, str::len)))
    };

    let anchor = anchor_span(&base);
    let require_destination = base_root
        .and_then(|r| r.get("require_destination"))
        .and_then(Node::as_bool)
        == Some(true);

    let mut configs = vec![ConfigFile {
        file: base.file,
        yaml: &base.yaml,
        destination: None,
    }];
    for (dest, overlay) in &overlays {
        if let Some(o) = overlay {
            configs.push(ConfigFile {
                file: o.file,
                yaml: &o.yaml,
                destination: Some(dest),
            });
        }
    }
    let project_cx = ProjectContext {
        root: &project.root,
        vfs,
        files: &files,
        version,
        configs,
        secrets: &secrets,
        hooks,
        dockerfiles: &dockerfiles,
    };
    let enabled = |rule: &crate::registry::Rule| rule_settings.enabled(rule);
    diagnostics.extend(run_project_rules(&project_cx, &enabled));
    // shellcheck on shell hooks (the only program sextant ever starts)
    let mut external_ran: Vec<FileId> = Vec::new();
    if settings
        .shellcheck
        .or(file_config.shellcheck)
        .unwrap_or(true)
    {
        let outcome = crate::rules::run_shellcheck(&project_cx, &enabled);
        diagnostics.extend(outcome.diagnostics);
        external_ran = outcome.ran;
    }

    let outlines = std::cell::RefCell::new(Vec::new());
    let run_load = |config: &Node, destination: Option<&str>, dynamic: bool| {
        let load = Load {
            config,
            destination,
            anchor,
            version,
            dynamic,
            ignore_require_destination: false,
            root: &project.root,
            vfs,
            hook_span: &hook_span,
        };
        let mut found = kamal::validate(&load);
        let cx = LoadContext {
            config,
            destination,
            roles: model::roles(config),
            dynamic,
            project: &project_cx,
        };
        found.extend(run_load_rules(&cx, &enabled));
        let mut secrets: Vec<SecretDefinition> = Vec::new();
        // where each name is in `secrets`: a lookup per name, not a scan (a file may hold 1M)
        let mut slots: std::collections::HashMap<String, usize> = Default::default();
        for source in cx.secrets_files() {
            for name in source.parsed.keys() {
                let Some(entry) = source.parsed.get(name) else {
                    continue;
                };
                let def = SecretDefinition {
                    name: name.to_string(),
                    key: source.span(entry.key_span.clone()),
                    command: entry.has_command(),
                };
                match slots.get(name) {
                    Some(&i) => secrets[i] = def,
                    None => {
                        slots.insert(name.to_string(), secrets.len());
                        secrets.push(def);
                    }
                }
            }
        }
        outlines.borrow_mut().push(LoadOutline {
            secrets,
            destination: destination.map(str::to_string),
            secrets_paths: cx.secrets_paths(),
            dockerfile: dockerfile_path(config, &project.root),
            roles: cx.roles.names().map(str::to_string).collect(),
            accessories: config
                .get("accessories")
                .and_then(Node::map)
                .map(|m| {
                    m.iter()
                        .filter_map(|e| e.key.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        });
        found
    };

    // the base configuration alone
    let mut per_load: Vec<(Option<String>, Vec<Diagnostic>)> = Vec::new();
    let skip_base = require_destination && !overlays.is_empty();
    if !explicit && !skip_base {
        if let Some(root) = base_root {
            per_load.push((
                None,
                run_load(root, None, base.yaml.has_dynamic_structure()),
            ));
            loads.push(None);
        }
    }
    for ((dest, overlay), over_root) in overlays.iter().zip(&overlay_roots) {
        let (Some(overlay), Some(root), Some(over_root)) = (overlay, base_root, over_root) else {
            continue;
        };
        let merged = deep_merge(root, over_root);
        let dynamic = base.yaml.has_dynamic_structure() || overlay.yaml.has_dynamic_structure();
        per_load.push((Some(dest.clone()), run_load(&merged, Some(dest), dynamic)));
        loads.push(Some(dest.clone()));
    }
    drop(project_cx);

    // unknown anchors in an overlay that the base file defines: say so
    explain_cross_file_anchors(&files, &mut diagnostics, &base, &overlays);

    // file-level problems belong to every load; with `-d` they carry its name
    if explicit {
        for d in &mut diagnostics {
            d.destination = settings.destination.clone();
            d.destinations = settings.destination.iter().cloned().collect();
        }
    }
    for (dest, found) in per_load {
        for mut d in found {
            if let Some(existing) = diagnostics
                .iter_mut()
                .find(|e| e.identity() == d.identity())
            {
                if let Some(dest) = &dest {
                    if existing.destination.is_some() && !existing.destinations.contains(dest) {
                        existing.destinations.push(dest.clone());
                    }
                }
                continue;
            }
            d.destination = dest.clone();
            d.destinations = dest.iter().cloned().collect();
            diagnostics.push(d);
        }
    }
    // When the base load is not checked on its own (`require_destination` with destinations),
    // a problem in the base file that every destination shares is the base file's problem.
    let base_checked = loads.iter().any(Option::is_none);
    let dest_loads = loads.iter().filter(|l| l.is_some()).count();
    if !explicit && !base_checked && dest_loads > 0 {
        for d in &mut diagnostics {
            if d.span.file == base.file && d.destinations.len() == dest_loads {
                d.destination = None;
                d.destinations.clear();
            }
        }
    }
    // Kamal renders ERB with trim mode after 2.8 (basecamp/kamal#1718): trim markers are fine
    if version >= Version::new(2, 9, 0) {
        diagnostics.retain(|d| d.rule.code != rules::ERB_TRIM_MARKER.code);
    }

    // inline suppressions first (they may name any rule), then rule selection, per-file
    // ignores and severities
    let mut suppressions = Suppressions::default();
    let mut yaml_files = vec![&base];
    yaml_files.extend(overlays.iter().filter_map(|(_, o)| o.as_ref()));
    let mut add_comments =
        |file: FileId, ranges: &mut dyn Iterator<Item = std::ops::Range<usize>>| {
            let text = &files.get(file).text;
            let comments: Vec<CommentRef> = ranges.map(|r| CommentRef::in_text(text, r)).collect();
            suppressions.add_file(&files, file, &comments);
        };
    for loaded in yaml_files {
        add_comments(
            loaded.file,
            &mut loaded.yaml.comments.iter().map(|c| c.span.range()),
        );
    }
    for source in &secrets {
        add_comments(
            source.file,
            &mut source.parsed.comments.iter().map(|c| c.span.clone()),
        );
    }
    for source in &dockerfiles {
        add_comments(
            source.file,
            &mut source.parsed.comments.iter().map(|c| c.span.clone()),
        );
    }
    for (file, comments) in &hook_comments {
        suppressions.add_file(&files, *file, comments);
    }
    for file in external_ran {
        suppressions.external_ran_on(file);
    }
    suppressions.apply(&files, &mut diagnostics, &|rule| {
        rule_settings.enabled(rule)
    });
    apply_rule_settings(&files, project, &rule_settings, config_id, &mut diagnostics);

    diagnostics.sort_by(|a, b| {
        (a.span.file, a.span.start, a.span.end, a.rule.code).cmp(&(
            b.span.file,
            b.span.start,
            b.span.end,
            b.rule.code,
        ))
    });

    Ok(Report {
        project: project.clone(),
        files,
        diagnostics,
        version,
        version_source,
        loads,
        redactions,
        outline: outlines.into_inner(),
    })
}

/// The rule settings of the configuration file, with the command line's over them.
fn effective_rules(file_config: &FileConfig, settings: &Settings) -> RuleSettings {
    let mut rules = file_config.rules.clone();
    if let Some(select) = &settings.select {
        // an explicit selection starts over: the file's select and ignore no longer apply
        rules.select = Some(select.clone());
        rules.ignore.clear();
    }
    rules.ignore.extend(settings.ignore.iter().cloned());
    rules
}

/// No base config file: a project whose destination files exist gets one error per destination
/// file (every Kamal command fails); anything else cannot be checked at all.
fn without_base(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    mut files: Files,
) -> Result<Report, LoadError> {
    let destinations = match &settings.destination {
        Some(d) => vec![d.clone()]
            .into_iter()
            .filter(|d| vfs.is_file(&project.destination_file(d)))
            .collect(),
        None => project.destinations(vfs),
    };
    if destinations.is_empty() {
        return Err(LoadError::ConfigNotFound(project.config.clone()));
    }
    let base_name = display_name(&project.config, &settings.base_dir);
    let mut diagnostics = Vec::new();
    for dest in &destinations {
        let path = project.destination_file(dest);
        let text = vfs.read(&path).map(|b| decode(b).0).unwrap_or_default();
        let id = files.add(path.clone(), display_name(&path, &settings.base_dir), text);
        let mut d = Diagnostic::new(
            &rules::OVERLAY_WITHOUT_BASE,
            Span::empty(id, 0),
            format!("`{}` is a destination file, but there is no base file `{base_name}`: Kamal cannot load it", files.get(id).name),
        )
        .with_kamal(format!("Configuration file not found in {}", project.config.display()))
        .with_help(format!("create `{base_name}` with the shared settings, or rename this file to it"));
        d.destination = Some(dest.clone());
        d.destinations = vec![dest.clone()];
        diagnostics.push(d);
    }
    let (file_config, config_id) =
        load_config(vfs, project, settings, &mut files, &mut diagnostics);
    let rule_settings = effective_rules(&file_config, settings);
    apply_rule_settings(&files, project, &rule_settings, config_id, &mut diagnostics);
    Ok(Report {
        project: project.clone(),
        files,
        diagnostics,
        version: settings.kamal_version.unwrap_or(DEFAULT_VERSION),
        version_source: if settings.kamal_version.is_some() {
            VersionSource::Flag
        } else {
            VersionSource::Default
        },
        loads: destinations.into_iter().map(Some).collect(),
        redactions: Vec::new(),
        outline: Vec::new(),
    })
}

/// Loads `.sextant.toml` (or `--config FILE`); its problems become diagnostics.
fn load_config(
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
    if !vfs.is_file(&path) {
        if settings.config_file.is_some() {
            let id = files.add_missing(path.clone(), display_name(&path, &settings.base_dir));
            diagnostics.push(Diagnostic::new(
                &rules::INVALID_CONFIG,
                Span::empty(id, 0),
                "the configuration file does not exist",
            ));
        }
        return (FileConfig::default(), None);
    }
    let text = vfs.read(&path).map(|b| decode(b).0).unwrap_or_default();
    let (config, problems) = config::parse(&text);
    let id = files.add(path.clone(), display_name(&path, &settings.base_dir), text);
    for p in problems {
        diagnostics.push(Diagnostic::new(
            &rules::INVALID_CONFIG,
            Span::new(id, p.span),
            p.message,
        ));
    }
    (config, Some(id))
}

/// Drops diagnostics of disabled rules and of per-file ignores, and applies severity
/// overrides. Problems of the configuration file itself are always kept.
fn apply_rule_settings(
    files: &Files,
    project: &Project,
    settings: &RuleSettings,
    config_id: Option<FileId>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    diagnostics.retain_mut(|d| {
        if Some(d.span.file) == config_id && d.rule.code == rules::INVALID_CONFIG.code {
            return true;
        }
        if !settings.enabled(d.rule) {
            return false;
        }
        let path = &files.get(d.span.file).path;
        let relative = path
            .strip_prefix(&project.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        if settings.ignored_in(d.rule, &relative) {
            return false;
        }
        // a configured severity wins over the rule's (and over a per-diagnostic one)
        if let Some(severity) = settings.severity_override(d.rule) {
            d.severity = severity;
        }
        true
    });
}

/// Adds the hook files Kamal would look at to the sources: everything in `.kamal/hooks` and in
/// any `hooks_path` the configurations name.
fn load_hooks(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    roots: &[&Node],
    files: &mut Files,
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
    for dir in dirs {
        if !vfs.is_dir(&dir) {
            continue;
        }
        for path in vfs.read_dir(&dir).unwrap_or_default() {
            if !vfs.is_file(&path) || files.find(&path).is_some() {
                continue;
            }
            let Ok(bytes) = vfs.read(&path) else { continue };
            let text = decode(bytes).0;
            let name = display_name(&path, &settings.base_dir);
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let script = shell::parse(&text);
            let executable = vfs.executable(&path);
            let file = files.add(path.clone(), name, text);
            hooks.push(HookSource {
                path,
                file,
                name: file_name,
                executable,
                script,
            });
        }
    }
    hooks
}

/// Reads and parses the Dockerfiles the configurations build from.
fn load_dockerfiles(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    roots: &[&Node],
    files: &mut Files,
) -> Vec<DockerfileSource> {
    let mut out: Vec<DockerfileSource> = Vec::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        // a destination file's builder settings apply over the base file's
        let merged;
        let config = if i == 0 {
            *root
        } else {
            merged = deep_merge(roots[0], root);
            &merged
        };
        if let Some(path) = dockerfile_path(config, &project.root) {
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    for path in paths {
        if !vfs.is_file(&path) {
            continue;
        }
        let Ok(bytes) = vfs.read(&path) else { continue };
        let text = decode(bytes).0;
        let parsed = dockerfile::parse(&text);
        let file = files.add(path.clone(), display_name(&path, &settings.base_dir), text);
        out.push(DockerfileSource { path, file, parsed });
    }
    out
}

/// Reads and parses every secrets file: whatever starts with `secret` in `.kamal/` (misnamed
/// ones included, for the rules that say so), and, from 2.9.0, the files `secrets_path` names.
fn load_secrets(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    version: Version,
    roots: &[&Node],
    files: &mut Files,
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
    for (dir, prefix) in candidates {
        for path in vfs.read_dir(&dir).unwrap_or_default() {
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            if !name.starts_with(&prefix)
                || !vfs.is_file(&path)
                || out.iter().any(|s| s.path == path)
            {
                continue;
            }
            let Ok(bytes) = vfs.read(&path) else { continue };
            let text = decode(bytes).0;
            let parsed = dotenv::parse(&text);
            let file = files.add(path.clone(), display_name(&path, &settings.base_dir), text);
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

/// Reads and parses a YAML config file; `Ok(None)` when it does not exist.
fn read_yaml(
    vfs: &dyn Vfs,
    path: &Path,
    base_dir: &Path,
    files: &mut Files,
    diagnostics: &mut Vec<Diagnostic>,
) -> std::io::Result<Option<Loaded>> {
    if !vfs.is_file(path) {
        if vfs.is_dir(path) {
            return Err(std::io::Error::other("is a directory"));
        }
        return Ok(None);
    }
    let bytes = vfs.read(path)?;
    let (text, invalid_at) = decode(bytes);
    let name = display_name(path, base_dir);
    let id = files.add(path.to_path_buf(), name, text);
    let text = &files.get(id).text;
    if let Some(at) = invalid_at {
        diagnostics.push(
            Diagnostic::new(
                &rules::INVALID_UTF8,
                Span::new(id, at..at + 1),
                "this byte is not valid UTF-8",
            )
            .with_kamal("invalid byte sequence in UTF-8")
            .with_help("save the file as UTF-8"),
        );
    }
    let yaml = yaml::parse(id, text);
    for p in &yaml.problems {
        diagnostics.push(problem_diagnostic(files, p));
    }
    Ok(Some(Loaded { file: id, yaml }))
}

fn problem_diagnostic(files: &Files, p: &yaml::Problem) -> Diagnostic {
    match &p.kind {
        ProblemKind::Syntax(message) => {
            let (at, _) = files.range(p.span, ColumnUnit::Char);
            // libyaml/Psych put the problem before its context
            let psych = match message.strip_prefix("while ").and_then(|m| m.split_once(", ")) {
                Some((context, problem)) => format!("{problem} while {context}"),
                None => message.clone(),
            };
            Diagnostic::new(
                &rules::YAML_SYNTAX,
                p.span,
                format!("YAML syntax error: {message}"),
            )
            .with_kamal(format!(
                "(<unknown>): {psych} at line {} column {}",
                at.line + 1,
                at.col + 1
            ))
        }
        ProblemKind::DuplicateKey(name) => {
            let mut d = Diagnostic::new(
                &rules::DUPLICATE_KEY,
                p.span,
                format!("key `{name}` is given twice in this mapping: this one wins, the first is ignored"),
            )
            .with_help("remove one of them (or merge their contents)");
            if let Some(first) = p.related {
                d = d.with_label(first, "first given here (ignored)");
            }
            d
        }
        ProblemKind::UnknownAnchor(name) => Diagnostic::new(
            &rules::UNKNOWN_ANCHOR,
            p.span,
            format!("alias `*{name}` refers to no anchor `&{name}` defined before it in this file"),
        )
        .with_kamal(format!("Unknown alias: {name}")),
        ProblemKind::RecursiveAlias => Diagnostic::new(
            &rules::RECURSIVE_ALIAS,
            p.span,
            "this alias points at the node that contains it; sextant reads it as an empty value",
        ),
        ProblemKind::AliasLimit => Diagnostic::new(
            &rules::ALIAS_EXPANSION_LIMIT,
            p.span,
            format!(
                "aliases expand to more than {} nodes (a YAML bomb?): sextant stops expanding them here",
                yaml::ALIAS_EXPANSION_LIMIT
            ),
        ),
        ProblemKind::ExtraDocument => Diagnostic::new(
            &rules::EXTRA_DOCUMENT,
            p.span,
            "a second YAML document: Kamal reads only the first, everything from here is ignored",
        ),
        ProblemKind::Erb(kind) => match kind {
            ErbProblemKind::TrimMarker => Diagnostic::new(
                &rules::ERB_TRIM_MARKER,
                p.span,
                "ERB trim marker: Kamal renders ERB without trim mode, so Ruby fails to parse this",
            )
            .with_kamal("SyntaxError: ERB trim markers (`<%-`, `-%>`) without trim mode")
            .with_help("use `<%` and `%>`"),
            ErbProblemKind::Unterminated => Diagnostic::new(
                &rules::ERB_UNTERMINATED,
                p.span,
                "this ERB tag is never closed with `%>`",
            )
            .with_kamal("SyntaxError: unterminated ERB tag"),
            ErbProblemKind::RubySyntax(detail) => Diagnostic::new(
                &rules::ERB_SYNTAX,
                p.span,
                format!("Ruby syntax error in ERB: {detail}"),
            )
            .with_kamal(format!("SyntaxError: (erb): {detail}")),
        },
    }
}

/// The root hash of a config file, or a diagnostic saying why there is none (Kamal crashes on
/// `symbolize_keys` when the document is not a hash).
fn root_hash<'a>(loaded: &'a Loaded, diagnostics: &mut Vec<Diagnostic>) -> Option<&'a Node> {
    if loaded.yaml.failed {
        return None;
    }
    match &loaded.yaml.root {
        Some(root) if root.is_map() => Some(root),
        other => {
            let (what, ruby) = match other {
                None => ("empty (or only comments)", "false:FalseClass".to_string()),
                Some(n) if n.is_null() && !n.is_erb() => ("empty", "nil:NilClass".to_string()),
                Some(n) if n.is_seq() => ("a list", format!("{}:Array", n.ruby_inspect())),
                Some(n) if n.is_erb() => return None,
                Some(n) => (
                    "a single value",
                    format!("{}:{}", n.ruby_inspect(), ruby_class(n)),
                ),
            };
            let span = match other {
                Some(n) => n.span,
                None => Span::empty(loaded.file, 0),
            };
            let d = Diagnostic::new(
                &rules::DOCUMENT_NOT_A_HASH,
                span,
                format!("this config file is {what}: Kamal needs a hash of settings and crashes"),
            )
            .with_kamal(format!("undefined method `symbolize_keys' for {ruby}"))
            .with_help("a destination file must at least hold `{}` — or remove it");
            if !diagnostics.iter().any(|e| e.identity() == d.identity()) {
                diagnostics.push(d);
            }
            None
        }
    }
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

/// Where "missing key" problems are shown: the start of the base file's first key.
fn anchor_span(base: &Loaded) -> Span {
    let at = base
        .yaml
        .root
        .as_ref()
        .and_then(|r| r.map())
        .and_then(|m| m.first())
        .map_or(0, |e| e.key.span.start as usize);
    Span::empty(base.file, at)
}

/// The target version: `--kamal-version`, else Gemfile.lock's kamal, else `minimum_version`
/// (when it is a known release), else 2.8.2.
fn target_version(
    vfs: &dyn Vfs,
    project: &Project,
    settings: &Settings,
    configured: Option<Version>,
    base: &Loaded,
) -> (Version, VersionSource) {
    if let Some(v) = settings.kamal_version {
        return (v, VersionSource::Flag);
    }
    if let Some(v) = configured {
        return (v, VersionSource::Config);
    }
    if let Some(v) = gemfile_lock_version(vfs, &project.root) {
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

/// The `kamal (X.Y.Z)` entry of `Gemfile.lock`'s specs.
pub fn gemfile_lock_version(vfs: &dyn Vfs, root: &Path) -> Option<Version> {
    let bytes = vfs.read(&root.join("Gemfile.lock")).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    text.lines().find_map(|line| {
        let rest = line.strip_prefix("    kamal (")?;
        let version = rest.strip_suffix(')')?;
        let version = version.split('-').next()?;
        Version::parse(version)
    })
}

fn explain_cross_file_anchors(
    files: &Files,
    diagnostics: &mut [Diagnostic],
    base: &Loaded,
    overlays: &[(String, Option<Loaded>)],
) {
    let base_text = &files.get(base.file).text;
    for (_, overlay) in overlays {
        let Some(overlay) = overlay else { continue };
        for d in diagnostics.iter_mut() {
            if d.rule.code != rules::UNKNOWN_ANCHOR.code || d.span.file != overlay.file {
                continue;
            }
            let name = files.slice(d.span).trim_start_matches('*').to_string();
            if base_text.contains(&format!("&{name}")) {
                d.help = Some(format!(
                    "`&{name}` is defined in the base file, but anchors do not cross files: Kamal parses each file on its own"
                ));
            }
        }
    }
}
