//! ERB in config files.
mod erb_syntax_error;
mod erb_trim_marker;
mod erb_unterminated_tag;

pub use erb_syntax_error::ERB_SYNTAX;
pub use erb_trim_marker::ERB_TRIM_MARKER;
pub use erb_unterminated_tag::ERB_UNTERMINATED;

pub(crate) use erb_syntax_error::diagnostic as ruby_syntax;
pub(crate) use erb_trim_marker::diagnostic as trim_marker;
pub(crate) use erb_unterminated_tag::diagnostic as unterminated;
