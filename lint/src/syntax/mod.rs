//! One module per file format, each turning text into a spanned tree plus syntax problems.

pub mod dockerfile;
pub mod dotenv;
pub mod erb;
pub(crate) mod pmap;
pub mod psych;
pub mod shell;
pub mod yaml;
