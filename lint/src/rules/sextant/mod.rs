//! sextant's own suppressions and configuration.

mod file_not_read;
mod invalid_config;
mod too_many_problems;
mod unknown_suppression;
mod unused_suppression;

pub use file_not_read::FILE_NOT_READ;
pub(crate) use file_not_read::{outside_key, refused};
pub use invalid_config::INVALID_CONFIG;
pub(crate) use invalid_config::{diagnostic as invalid_config, missing as missing_config};
pub(crate) use too_many_problems::diagnostic as too_many_problems;
pub use too_many_problems::TOO_MANY_PROBLEMS;
pub(crate) use unknown_suppression::diagnostic as unknown_suppression;
pub use unknown_suppression::UNKNOWN_SUPPRESSION;
pub use unused_suppression::UNUSED_SUPPRESSION;
pub(crate) use unused_suppression::{
    diagnostic as unused_suppression, remove_codes as remove_suppressed_codes,
    remove_comment as remove_suppression,
};
