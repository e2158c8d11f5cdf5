//! YAML syntax and structure.
mod alias_expansion_limit;
mod duplicate_key;
mod extra_document;
mod invalid_utf8;
mod recursive_alias;
mod unknown_anchor;
mod yaml_syntax_error;

pub use alias_expansion_limit::ALIAS_EXPANSION_LIMIT;
pub use duplicate_key::DUPLICATE_KEY;
pub use extra_document::EXTRA_DOCUMENT;
pub use invalid_utf8::INVALID_UTF8;
pub use recursive_alias::RECURSIVE_ALIAS;
pub use unknown_anchor::UNKNOWN_ANCHOR;
pub use yaml_syntax_error::YAML_SYNTAX;

pub(crate) use invalid_utf8::diagnostic as invalid_utf8;
pub(crate) use unknown_anchor::cross_file_help as anchor_across_files;

use crate::diagnostic::Diagnostic;
use crate::files::Files;
use crate::syntax::erb::ErbProblemKind;
use crate::syntax::yaml::{Problem, ProblemKind};

/// The diagnostic of a problem the YAML layer found: syntax, duplicate keys, anchors, aliases,
/// a second document, ERB.
pub(crate) fn syntax_problem(files: &Files, p: &Problem) -> Diagnostic {
    match &p.kind {
        ProblemKind::Syntax(message) => yaml_syntax_error::diagnostic(files, p.span, message),
        ProblemKind::DuplicateKey(name) => duplicate_key::diagnostic(p.span, name, p.related),
        ProblemKind::UnknownAnchor(name) => unknown_anchor::diagnostic(p.span, name),
        ProblemKind::RecursiveAlias => recursive_alias::diagnostic(p.span),
        ProblemKind::AliasLimit => alias_expansion_limit::diagnostic(p.span),
        ProblemKind::ExtraDocument => extra_document::diagnostic(p.span),
        ProblemKind::Erb(kind) => match kind {
            ErbProblemKind::TrimMarker => super::erb::trim_marker(p.span),
            ErbProblemKind::Unterminated => super::erb::unterminated(p.span),
            ErbProblemKind::RubySyntax(detail) => super::erb::ruby_syntax(p.span, detail),
        },
    }
}
