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
