//! Kamal 1 leftovers, with the Kamal 2 replacement. The ones Kamal 2 rejects are reported by
//! the Kamal validator (`rules::kamal::validator`) through their files' constructors (they
//! replace its generic unknown-key or type error); the others are rules.

mod builder_hash_form;
mod builder_multiarch;
mod kamal1_healthcheck;
mod mrsk_names;
mod stop_wait_time;
mod traefik_config;
mod traefik_labels;

pub use builder_hash_form::BUILDER_HASH_FORM;
pub use builder_multiarch::BUILDER_MULTIARCH;
pub use kamal1_healthcheck::KAMAL1_HEALTHCHECK;
pub use mrsk_names::MRSK_NAMES;
pub use stop_wait_time::STOP_WAIT_TIME;
pub use traefik_config::TRAEFIK_CONFIG;
pub use traefik_labels::TRAEFIK_LABELS;

pub(crate) use builder_hash_form::{local as builder_local_hash, remote as builder_remote_hash};
pub(crate) use builder_multiarch::diagnostic as builder_multiarch;
pub(crate) use kamal1_healthcheck::diagnostic as kamal1_healthcheck;
pub(crate) use stop_wait_time::diagnostic as stop_wait_time;
pub(crate) use traefik_config::{role as role_traefik_config, root as traefik_config};

use super::LoadRule;

pub(crate) static LOAD: &[LoadRule] = &[
    LoadRule(&TRAEFIK_LABELS, traefik_labels::check),
    LoadRule(&MRSK_NAMES, mrsk_names::check),
];
