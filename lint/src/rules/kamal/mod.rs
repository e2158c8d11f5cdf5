//! Kamal's own checks: Kamal 2.8.2 rejects the configuration (or crashes on it). Each rule's
//! file is its page and the constructor(s) of its diagnostic, with all its words; the
//! validator ([`validator`]), which reads the schema, decides when and where, in Kamal's order.
pub(crate) mod ctx;
pub(crate) mod validator;

mod accessory_host_selector;
mod accessory_unknown_role;
mod alias_conflicts_with_command;
mod builder_arch_missing;
mod builder_no_remote;
mod buildpacks_multiple_arch;
mod config_file_not_found;
mod destination_required;
mod document_not_a_hash;
mod empty_role;
mod env_tags_not_root;
mod hooks_path_not_string;
mod incomplete_certificate_pair;
mod invalid_alias_name;
mod invalid_cache_type;
mod invalid_registry_credential;
mod invalid_service_name;
mod invalid_type;
mod local_registry_remote_builder;
mod malformed_minimum_version;
mod minimum_version_not_met;
mod missing_registry_credential;
mod missing_required_key;
mod multiple_hosts_in_entry;
mod proxy_host_and_hosts;
mod requires_newer_kamal;
mod reserved_label;
mod restart_in_options;
mod retain_containers_too_low;
mod ssl_multiple_servers;
mod ssl_shared_host;
mod ssl_without_host;
mod traefik_hook_files;
mod undefined_primary_role;
mod unknown_key;

pub use accessory_host_selector::ACCESSORY_HOST_SELECTOR;
pub use accessory_unknown_role::ACCESSORY_UNKNOWN_ROLE;
pub use alias_conflicts_with_command::ALIAS_CONFLICTS_WITH_COMMAND;
pub use builder_arch_missing::BUILDER_ARCH_MISSING;
pub use builder_no_remote::BUILDER_NO_REMOTE;
pub use buildpacks_multiple_arch::BUILDPACKS_MULTIPLE_ARCH;
pub use config_file_not_found::CONFIG_FILE_NOT_FOUND;
pub(crate) use config_file_not_found::{missing_destination, unreadable_destination};
pub use destination_required::DESTINATION_REQUIRED;
pub(crate) use document_not_a_hash::diagnostic as document_not_a_hash;
pub use document_not_a_hash::DOCUMENT_NOT_A_HASH;
pub use empty_role::EMPTY_ROLE;
pub use env_tags_not_root::ENV_TAGS_NOT_ROOT;
pub use hooks_path_not_string::HOOKS_PATH_NOT_STRING;
pub use incomplete_certificate_pair::INCOMPLETE_CERTIFICATE;
pub use invalid_alias_name::INVALID_ALIAS_NAME;
pub use invalid_cache_type::INVALID_CACHE_TYPE;
pub use invalid_registry_credential::INVALID_REGISTRY_CREDENTIAL;
pub use invalid_service_name::INVALID_SERVICE_NAME;
pub use invalid_type::INVALID_TYPE;
pub use local_registry_remote_builder::LOCAL_REGISTRY_REMOTE_BUILDER;
pub use malformed_minimum_version::MALFORMED_MINIMUM_VERSION;
pub use minimum_version_not_met::MINIMUM_VERSION_NOT_MET;
pub use missing_registry_credential::MISSING_REGISTRY_CREDENTIAL;
pub use missing_required_key::MISSING_REQUIRED_KEY;
pub use multiple_hosts_in_entry::MULTIPLE_HOSTS;
pub use proxy_host_and_hosts::PROXY_HOST_AND_HOSTS;
pub use requires_newer_kamal::REQUIRES_NEWER_KAMAL;
pub use reserved_label::RESERVED_LABEL;
pub use restart_in_options::RESTART_IN_OPTIONS;
pub use retain_containers_too_low::RETAIN_CONTAINERS_TOO_LOW;
pub use ssl_multiple_servers::SSL_MULTIPLE_SERVERS;
pub use ssl_shared_host::SSL_SHARED_HOST;
pub use ssl_without_host::SSL_WITHOUT_HOST;
pub use traefik_hook_files::TRAEFIK_HOOK_FILES;
pub use undefined_primary_role::UNDEFINED_PRIMARY_ROLE;
pub use unknown_key::UNKNOWN_KEY;

pub(crate) use accessory_host_selector::diagnostic as accessory_host_selector;
pub(crate) use accessory_unknown_role::diagnostic as accessory_unknown_role;
pub(crate) use alias_conflicts_with_command::diagnostic as alias_conflicts_with_command;
pub(crate) use builder_arch_missing::diagnostic as builder_arch_missing;
pub(crate) use builder_no_remote::diagnostic as builder_no_remote;
pub(crate) use buildpacks_multiple_arch::diagnostic as buildpacks_multiple_arch;
pub(crate) use destination_required::diagnostic as destination_required;
pub(crate) use empty_role::{primary as empty_primary_role, role as empty_role};
pub(crate) use env_tags_not_root::diagnostic as env_tags_not_root;
pub(crate) use hooks_path_not_string::diagnostic as hooks_path_not_string;
pub(crate) use incomplete_certificate_pair::{missing_certificate, missing_private_key};
pub(crate) use invalid_alias_name::diagnostic as invalid_alias_name;
pub(crate) use invalid_cache_type::diagnostic as invalid_cache_type;
pub(crate) use invalid_registry_credential::diagnostic as invalid_registry_credential;
pub(crate) use invalid_service_name::diagnostic as invalid_service_name;
pub(crate) use invalid_type::diagnostic as invalid_type;
pub(crate) use local_registry_remote_builder::{
    diagnostic as local_registry_remote_builder,
    from_arm64 as local_registry_remote_builder_from_arm64,
};
pub(crate) use malformed_minimum_version::diagnostic as malformed_minimum_version;
pub(crate) use minimum_version_not_met::diagnostic as minimum_version_not_met;
pub(crate) use missing_registry_credential::diagnostic as missing_registry_credential;
pub(crate) use missing_required_key::{missing_image, missing_service, no_servers};
pub(crate) use multiple_hosts_in_entry::diagnostic as multiple_hosts_in_entry;
pub(crate) use proxy_host_and_hosts::diagnostic as proxy_host_and_hosts;
pub(crate) use requires_newer_kamal::diagnostic as requires_newer_kamal;
pub(crate) use reserved_label::diagnostic as reserved_label;
pub(crate) use restart_in_options::{
    invalid_policy as invalid_restart_policy, not_a_string as restart_not_a_string,
    not_allowed as restart_in_options,
};
pub(crate) use retain_containers_too_low::diagnostic as retain_containers_too_low;
pub(crate) use ssl_multiple_servers::diagnostic as ssl_multiple_servers;
pub(crate) use ssl_shared_host::diagnostic as ssl_shared_host;
pub(crate) use ssl_without_host::diagnostic as ssl_without_host;
pub(crate) use traefik_hook_files::diagnostic as traefik_hook_files;
pub(crate) use undefined_primary_role::diagnostic as undefined_primary_role;
pub(crate) use unknown_key::{diagnostic as unknown_key, kamal_message as unknown_keys_kamal};
pub(crate) use validator::{validate as validate_kamal, Load as KamalLoad};
