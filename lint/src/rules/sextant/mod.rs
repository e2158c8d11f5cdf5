//! sextant's own suppressions and configuration.

mod invalid_config;
mod unknown_suppression;
mod unused_suppression;

pub use invalid_config::INVALID_CONFIG;
pub use unknown_suppression::UNKNOWN_SUPPRESSION;
pub use unused_suppression::UNUSED_SUPPRESSION;
