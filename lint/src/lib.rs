//! The sextant analysis engine: project loading, parsers with spans, the merged Kamal model,
//! Kamal's own validation, and the diagnostic model. The CLI and the language server both call
//! [`check`]; neither has rules of its own.

pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod files;
pub mod fix;
pub mod git;
pub mod hook_env;
pub mod model;
pub mod project;
pub mod redact;
#[macro_use]
pub mod registry;
pub mod rules;
pub mod secrets;
pub mod suppress;
pub mod syntax;
pub mod text;
pub mod vfs;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Severity};
pub use engine::{
    check, LoadError, LoadOutline, Report, SecretDefinition, Settings, VersionSource,
};
pub use project::{discover, DiscoverError, Found, Project};
pub use sextant_schema::Version;
pub use vfs::{DiskVfs, Vfs};
