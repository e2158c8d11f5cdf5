//! The one entry point of the engine: check a project, as every Kamal invocation would load it.
//!
//! Without a destination: the base configuration alone (as `kamal` without `-d`) and the base
//! merged with each `config/deploy.DEST.yml` (as `kamal -d DEST`), each problem reported once.
//! With a destination: that load only.
//!
//! [`check`] runs four phases, one module each:
//! 1. [`sources`]: find and read every file of the project once, through the guarded file layer
//!    ([`crate::vfs::Confined`]), and parse it;
//! 2. [`loads`]: the configurations Kamal would load (base alone, base + each destination);
//! 3. [`run`]: the project rules once, shellcheck, then Kamal's validation and the load rules
//!    on every load;
//! 4. [`collect`]: each problem once with its destinations, suppressions, rule selection and
//!    severities, in source order.

mod collect;
mod loads;
mod run;
mod sources;

use std::path::{Path, PathBuf};

use sextant_schema::{Version, DEFAULT_VERSION};

use crate::config::{FileConfig, RuleSettings, Selector};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::Files;
use crate::project::{display_name, Project};
use crate::redact;
use crate::rules;
use crate::text::Span;
use crate::vfs::{limits, Confined, Vfs};

use sources::{Outcome, Read};

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
    /// The one redactor of the analysis (the spans that are or may be secrets, and every file's
    /// text): every
    /// output passes its text through it ([`Report::redacted`], [`redact::Redactor::scrub`]).
    pub redactor: redact::Redactor,
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

/// Checks one project.
pub fn check(vfs: &dyn Vfs, project: &Project, settings: &Settings) -> Result<Report, LoadError> {
    // every read of the project goes through the guard (SECURITY.md)
    let guard = sources::confine(vfs, project, settings);
    let mut sources = match sources::read(&guard, project, settings) {
        Ok(Outcome::Read(sources)) => sources,
        Ok(Outcome::NoBase {
            files,
            diagnostics,
            destinations,
            refused,
        }) => {
            if refused {
                // the base file was refused: that is all there is to say
                let mut refused = report(project, settings, files, diagnostics, Vec::new());
                seal(&mut refused, Vec::new());
                return Ok(refused);
            }
            return without_base(&guard, project, settings, files, destinations);
        }
        Err(e) => return Err(LoadError::Io(project.config.clone(), e)),
    };
    let rule_settings = effective_rules(&sources.file_config, settings);
    let file_problems = std::mem::take(&mut sources.diagnostics);
    let loads = loads::plan(&sources, settings);
    let mut findings = run::run(&sources, &loads, project, &guard, settings, &rule_settings);
    let loaded: Vec<Option<String>> = loads
        .iter()
        .map(|l| l.destination.map(str::to_string))
        .collect();
    drop(loads);
    let yaml_sources: Vec<_> = sources.configs.iter().map(|c| (c.file, &c.yaml)).collect();
    let redactions = redact::collect(
        &sources.secrets,
        &yaml_sources,
        &sources.hooks,
        &sources.files,
    );
    let outlines = std::mem::take(&mut findings.outlines);
    let diagnostics = collect::collect(
        &sources,
        file_problems,
        findings,
        &loaded,
        project,
        settings,
        &rule_settings,
    );
    let sources = *sources;
    let mut report = Report {
        project: project.clone(),
        files: sources.files,
        diagnostics,
        version: sources.version,
        version_source: sources.version_source,
        loads: loaded,
        redactor: redact::Redactor::default(),
        outline: outlines,
    };
    seal(&mut report, redactions);
    Ok(report)
}

/// A report without loads (nothing could be loaded), at the version the caller gave.
fn report(
    project: &Project,
    settings: &Settings,
    files: Files,
    diagnostics: Vec<Diagnostic>,
    loads: Vec<Option<String>>,
) -> Report {
    Report {
        project: project.clone(),
        files,
        diagnostics,
        version: settings.kamal_version.unwrap_or(DEFAULT_VERSION),
        version_source: if settings.kamal_version.is_some() {
            VersionSource::Flag
        } else {
            VersionSource::Default
        },
        loads,
        redactor: redact::Redactor::default(),
        outline: Vec::new(),
    }
}

/// The last step of every report: the redactor, built once every file is read (it sees them
/// all), and the diagnostics' texts scrubbed with it.
fn seal(report: &mut Report, structural: Vec<Span>) {
    let redactor = redact::Redactor::new(&report.files, structural);
    for d in &mut report.diagnostics {
        redactor.scrub_texts(d);
    }
    report.redactor = redactor;
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
    destinations: Vec<String>,
) -> Result<Report, LoadError> {
    let destinations: Vec<String> = destinations
        .into_iter()
        .filter(|d| vfs.exists(&project.destination_file(d)))
        .collect();
    if destinations.is_empty() {
        return Err(LoadError::ConfigNotFound(project.config.clone()));
    }
    let base_name = display_name(&project.config, &settings.base_dir);
    let mut diagnostics = Vec::new();
    for dest in &destinations {
        let path = project.destination_file(dest);
        let text = match sources::read_text(
            vfs,
            &path,
            limits::CONFIG,
            &settings.base_dir,
            &mut files,
            &mut diagnostics,
        ) {
            Read::Text(text, _) => text,
            _ => String::new(),
        };
        let id = match files.find(&path) {
            Some(id) => id,
            None => files.add(path.clone(), display_name(&path, &settings.base_dir), text),
        };
        let name = files.get(id).name.clone();
        let mut d =
            rules::overlay_without_base(Span::empty(id, 0), &name, &base_name, &project.config);
        d.destination = Some(dest.clone());
        d.destinations = vec![dest.clone()];
        diagnostics.push(d);
    }
    let (file_config, config_id) =
        sources::read_settings(vfs, project, settings, &mut files, &mut diagnostics);
    let rule_settings = effective_rules(&file_config, settings);
    collect::apply_rule_settings(&files, project, &rule_settings, config_id, &mut diagnostics);
    let loads = destinations.into_iter().map(Some).collect();
    let mut without = report(project, settings, files, diagnostics, loads);
    seal(&mut without, Vec::new());
    Ok(without)
}

/// The `kamal (X.Y.Z)` entry of `Gemfile.lock`'s specs, read through the guard.
pub fn gemfile_lock_version(vfs: &dyn Vfs, root: &Path) -> Option<Version> {
    let guard = Confined::new(vfs, root);
    let bytes = guard
        .read_limited(&root.join("Gemfile.lock"), limits::LOCKFILE)
        .ok()?;
    sources::lockfile_kamal_version(&String::from_utf8_lossy(&bytes))
}
