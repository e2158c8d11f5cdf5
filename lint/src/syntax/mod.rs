//! One module per file format, each turning text into a spanned tree plus syntax problems.

pub mod erb;
pub mod psych;
pub mod yaml;
