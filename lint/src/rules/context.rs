//! What a rule sees: the project (its files, parsed) and, for most rules, one load (the merged
//! configuration Kamal would use with or without a destination).

use std::path::{Path, PathBuf};

use sextant_schema::Version;

use crate::files::Files;
use crate::git::ExecBit;
use crate::model::Roles;
use crate::syntax::dockerfile::Dockerfile;
use crate::syntax::dotenv::SecretsFile;
use crate::syntax::shell::Script;
use crate::syntax::yaml::{Node, YamlFile};
use crate::text::{FileId, Span};
use crate::vfs::Vfs;

/// A parsed deploy config file of the project.
pub struct ConfigFile<'a> {
    pub file: FileId,
    pub yaml: &'a YamlFile,
    /// `None` for the base file, else the destination.
    pub destination: Option<&'a str>,
}

/// A secrets file of the project (`.kamal/secrets*`), parsed, never run.
pub struct SecretsSource {
    pub path: PathBuf,
    pub file: FileId,
    /// The file name (`secrets`, `secrets-common`, `secrets.staging`).
    pub name: String,
    pub parsed: SecretsFile,
}

impl SecretsSource {
    /// The byte span of a range of this file.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }
}

/// A Dockerfile Kamal builds, parsed.
pub struct DockerfileSource {
    pub path: PathBuf,
    pub file: FileId,
    pub parsed: Dockerfile,
}

/// A file in a hooks folder.
pub struct HookSource {
    pub path: PathBuf,
    pub file: FileId,
    /// The file name (`pre-deploy`, `pre-deploy.sample`, `predeploy.sh`).
    pub name: String,
    /// Whether it is executable, and how that is known (the git index, else the file system);
    /// `None` when it cannot be known (an in-memory file, a non-Unix file system).
    pub executable: Option<ExecBit>,
    /// The script, parsed (never run).
    pub script: Script,
}

impl HookSource {
    /// The byte span of a range of this file.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }
}

/// The project, shared by every load.
pub struct ProjectContext<'a> {
    /// Kamal's working directory.
    pub root: &'a Path,
    pub vfs: &'a dyn Vfs,
    pub files: &'a Files,
    pub version: Version,
    /// The base config file and every destination file, parsed.
    pub configs: Vec<ConfigFile<'a>>,
    /// Every secrets file found (`.kamal/secrets*`, and under `secrets_path` from 2.9.0).
    pub secrets: &'a [SecretsSource],
    /// Every file found in the hooks folders (`.kamal/hooks`, and `hooks_path`).
    pub hooks: &'a [HookSource],
    /// Every Dockerfile a load builds from.
    pub dockerfiles: &'a [DockerfileSource],
}

impl<'a> ProjectContext<'a> {
    pub fn base(&self) -> Option<&ConfigFile<'a>> {
        self.configs.iter().find(|c| c.destination.is_none())
    }

    pub fn overlays(&self) -> impl Iterator<Item = &ConfigFile<'a>> {
        self.configs.iter().filter(|c| c.destination.is_some())
    }

    /// A path of the project, from a path written in the config (relative to the root).
    pub fn resolve(&self, path: &str) -> PathBuf {
        self.root.join(path)
    }

    /// The source text under a span.
    pub fn slice(&self, span: Span) -> &str {
        self.files.slice(span)
    }
}

/// One load: the configuration as Kamal merges it for a destination (or none).
pub struct LoadContext<'a> {
    pub config: &'a Node,
    pub destination: Option<&'a str>,
    pub roles: Roles<'a>,
    /// ERB may add keys: checks that something is absent must not fire.
    pub dynamic: bool,
    pub project: &'a ProjectContext<'a>,
}

impl<'a> LoadContext<'a> {
    pub fn version(&self) -> Version {
        self.project.version
    }

    /// The secrets files Kamal reads for this load, in merge order, and the paths it would
    /// read (existing or not): `secrets-common` then `secrets` (no destination) or
    /// `secrets.DEST`. From 2.9.0 `secrets_path` moves them.
    pub fn secrets_paths(&self) -> Vec<PathBuf> {
        let base = self
            .config
            .get("secrets_path")
            .filter(|_| self.version() >= Version::new(2, 9, 0))
            .filter(|p| !p.is_erb())
            .and_then(Node::as_str)
            .map_or_else(
                || self.project.root.join(".kamal/secrets"),
                |p| self.project.root.join(p),
            );
        let with = |suffix: &str| {
            let mut s = base.clone().into_os_string();
            s.push(suffix);
            PathBuf::from(s)
        };
        match self.destination {
            None => vec![with("-common"), base.clone()],
            Some(d) => vec![with("-common"), with(&format!(".{d}"))],
        }
    }

    /// The Dockerfile this load builds (`builder.dockerfile`, default `Dockerfile`, relative to
    /// `builder.context`, default the project root), when it exists. `None` with buildpacks.
    pub fn dockerfile(&self) -> Option<&'a DockerfileSource> {
        let path = dockerfile_path(self.config, self.project.root)?;
        self.project.dockerfiles.iter().find(|d| d.path == path)
    }

    /// The secrets files of this load that exist.
    pub fn secrets_files(&self) -> Vec<&'a SecretsSource> {
        let paths = self.secrets_paths();
        paths
            .iter()
            .filter_map(|p| self.project.secrets.iter().find(|s| &s.path == p))
            .collect()
    }
}

/// Where a configuration's Dockerfile is: `builder.dockerfile` relative to `builder.context`
/// (relative to the root), `None` when the build uses buildpacks or ERB decides the path.
pub fn dockerfile_path(config: &Node, root: &Path) -> Option<PathBuf> {
    let builder = config.get("builder");
    if builder
        .and_then(|b| b.get("pack"))
        .is_some_and(|p| !p.is_blank())
    {
        return None;
    }
    let text = |key: &str| -> Option<Option<String>> {
        match builder.and_then(|b| b.get(key)) {
            None => Some(None),
            Some(n) if n.is_erb() => None,
            Some(n) if n.is_null() => Some(None),
            Some(n) => Some(n.as_str().map(str::to_string)),
        }
    };
    let context = text("context")?;
    let dockerfile = text("dockerfile")?.unwrap_or_else(|| "Dockerfile".to_string());
    let base = match context {
        Some(c) => crate::project::normalize(&root.join(c)),
        None => root.to_path_buf(),
    };
    Some(crate::project::normalize(&base.join(dockerfile)))
}
