//! The sextant analysis engine: project loading, parsers with spans, the merged Kamal model,
//! Kamal's own validation, and the diagnostic model. The CLI and the language server both call
//! [`check`]; neither has rules of its own.

pub mod syntax;
pub mod text;
