//! What a rule sees: the project (its files, parsed) and, for most rules, one load (the merged
//! configuration Kamal would use with or without a destination).

use std::path::{Path, PathBuf};

use sextant_schema::Version;

use crate::files::Files;
use crate::model::Roles;
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

/// The project, shared by every load.
pub struct ProjectContext<'a> {
    /// Kamal's working directory.
    pub root: &'a Path,
    pub vfs: &'a dyn Vfs,
    pub files: &'a Files,
    pub version: Version,
    /// The base config file and every destination file, parsed.
    pub configs: Vec<ConfigFile<'a>>,
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

impl LoadContext<'_> {
    pub fn version(&self) -> Version {
        self.project.version
    }
}
