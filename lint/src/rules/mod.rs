//! Every rule, one file each (`rules/<area>/<rule>.rs`), whose doc comment is its page. This file
//! is the registry: [`ALL`] lists every rule in code order.

pub mod context;
pub mod walk;

mod accessories;
mod config;
mod destinations;
pub mod dockerfile;
mod erb;
mod hooks;
mod kamal;
mod legacy;
mod proxy;
mod secrets;
mod sextant;
mod yaml;

pub use accessories::*;
pub use config::*;
pub use destinations::*;
pub use dockerfile::*;
pub use erb::*;
pub use hooks::*;
pub use kamal::*;
pub use legacy::*;
pub use proxy::*;
pub use secrets::*;
pub use sextant::*;
pub use yaml::*;

use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use context::{LoadContext, ProjectContext};

/// A rule that looks at one load (base configuration, or base merged with a destination).
pub(crate) struct LoadRule(
    pub &'static Rule,
    pub fn(&LoadContext, &mut Vec<Diagnostic>),
);

/// A rule that looks at the project's files once.
pub(crate) struct ProjectRule(
    pub &'static Rule,
    pub fn(&ProjectContext, &mut Vec<Diagnostic>),
);

/// Every load rule, by family.
fn load_rules() -> impl Iterator<Item = &'static LoadRule> {
    config::LOAD
        .iter()
        .chain(proxy::LOAD)
        .chain(accessories::LOAD)
        .chain(legacy::LOAD)
        .chain(secrets::LOAD)
        .chain(dockerfile::LOAD)
}

/// Every project rule.
fn project_rules() -> impl Iterator<Item = &'static ProjectRule> {
    destinations::PROJECT
        .iter()
        .chain(secrets::PROJECT)
        .chain(dockerfile::PROJECT)
        .chain(hooks::PROJECT)
}

pub(crate) use hooks::credentials as hook_credentials;
pub(crate) use hooks::shellcheck::run as run_shellcheck;

/// Runs the enabled load rules on one load.
pub(crate) fn run_load(cx: &LoadContext, enabled: &dyn Fn(&Rule) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for LoadRule(rule, check) in load_rules() {
        if enabled(rule) {
            check(cx, &mut out);
        }
    }
    out
}

/// Runs the enabled project rules.
pub(crate) fn run_project(cx: &ProjectContext, enabled: &dyn Fn(&Rule) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ProjectRule(rule, check) in project_rules() {
        if enabled(rule) {
            check(cx, &mut out);
        }
    }
    out
}

/// Every rule, in code order.
pub static ALL: &[&Rule] = &[
    &ACCESSORY_PORT_PUBLIC,
    &ACCESSORY_IMAGE_UNPINNED,
    &CMD_VARIABLE,
    &DOCKER_SOCKET_MOUNT,
    &ACCESSORY_FILE_MISSING,
    &ACCESSORY_WITHOUT_IMAGE,
    &ACCESSORY_TAG_MATCHES_NOTHING,
    &ACCESSORY_PORT_SEXAGESIMAL,
    &HOST_TAG_WITHOUT_ENV,
    &BUILDER_ARCH_PLATFORM,
    &ALIAS_UNREACHABLE,
    &BOOT_LIMIT_QUOTED_NUMBER,
    &REGISTRY_LOCALHOST_WITHOUT_PORT,
    &IMAGE_REPEATS_REGISTRY,
    &PLACEHOLDER_VALUE,
    &RELATIVE_VOLUME_PATH,
    &NO_EFFECT_KEY,
    &DOCKER_DRIVER_LIMITS,
    &ERROR_PAGES_MISSING,
    &HOOKS_PATH_WHITESPACE,
    &RESERVED_ROOT_LABEL,
    &OVERLAY_DROPS_ARRAY_ITEMS,
    &OVERLAY_NO_EFFECT,
    &OVERLAY_WITHOUT_BASE,
    &ERB_TRIM_MARKER,
    &ERB_SYNTAX,
    &ERB_UNTERMINATED,
    &APP_PORT_MISMATCH,
    &BUILD_ARG_UNDECLARED,
    &BUILD_SECRET_UNUSED,
    &BUILD_SECRET_MISSING,
    &SECRET_IN_ARG_OR_ENV,
    &IMAGE_HEALTHCHECK_IGNORED,
    &FROM_PLATFORM_MISMATCH,
    &IMAGE_RUNS_AS_ROOT,
    &MISPLACED_PARSER_DIRECTIVE,
    &MULTIPLE_CMD,
    &SHELL_FORM_CMD,
    &RELATIVE_WORKDIR,
    &CLEANUP_SEPARATE_LAYER,
    &UNPINNED_BASE_IMAGE,
    &ADD_INSTEAD_OF_COPY,
    &SUDO_IN_RUN,
    &APT_INSTALL_RECOMMENDS,
    &DOCKERFILE_SYNTAX,
    &HOOK_NEVER_RUNS,
    &HOOK_SAMPLE_INACTIVE,
    &HOOK_REQUIRES_NEWER_KAMAL,
    &HOOK_NOT_EXECUTABLE,
    &HOOK_MISSING_SHEBANG,
    &HOOK_INVALID_SHEBANG,
    &HOOK_UNUSUAL_INTERPRETER,
    &HOOK_VARIABLE_NOT_SET,
    &HOOK_SECRET_NOT_PASSED,
    &KAMAL_HOSTS_AS_ONE_HOST,
    &NESTED_KAMAL_WITHOUT_DESTINATION,
    &NESTED_KAMAL_RECURSION,
    &MIGRATION_IN_POST_DEPLOY,
    &HOOK_HARDCODED_CREDENTIAL,
    &SHELLCHECK,
    &SHELLCHECK_UNAVAILABLE,
    &UNKNOWN_KEY,
    &REQUIRES_NEWER_KAMAL,
    &INVALID_TYPE,
    &MULTIPLE_HOSTS,
    &INVALID_REGISTRY_CREDENTIAL,
    &MISSING_REGISTRY_CREDENTIAL,
    &MISSING_REQUIRED_KEY,
    &UNDEFINED_PRIMARY_ROLE,
    &EMPTY_ROLE,
    &INVALID_SERVICE_NAME,
    &MINIMUM_VERSION_NOT_MET,
    &MALFORMED_MINIMUM_VERSION,
    &RETAIN_CONTAINERS_TOO_LOW,
    &SSL_MULTIPLE_SERVERS,
    &SSL_SHARED_HOST,
    &PROXY_HOST_AND_HOSTS,
    &SSL_WITHOUT_HOST,
    &INCOMPLETE_CERTIFICATE,
    &LOCAL_REGISTRY_REMOTE_BUILDER,
    &ACCESSORY_HOST_SELECTOR,
    &ACCESSORY_UNKNOWN_ROLE,
    &INVALID_ALIAS_NAME,
    &ALIAS_CONFLICTS_WITH_COMMAND,
    &BUILDER_ARCH_MISSING,
    &INVALID_CACHE_TYPE,
    &BUILDPACKS_MULTIPLE_ARCH,
    &BUILDER_NO_REMOTE,
    &RESERVED_LABEL,
    &RESTART_IN_OPTIONS,
    &DESTINATION_REQUIRED,
    &TRAEFIK_HOOK_FILES,
    &CONFIG_FILE_NOT_FOUND,
    &ENV_TAGS_NOT_ROOT,
    &DOCUMENT_NOT_A_HASH,
    &HOOKS_PATH_NOT_STRING,
    &TRAEFIK_CONFIG,
    &TRAEFIK_LABELS,
    &KAMAL1_HEALTHCHECK,
    &STOP_WAIT_TIME,
    &BUILDER_MULTIARCH,
    &BUILDER_HASH_FORM,
    &MRSK_NAMES,
    &PROXY_HOST_COMMA_LIST,
    &ROLE_CUSTOM_NETWORK,
    &ROLE_PUBLISHES_PORTS,
    &REMOTE_SHELL_EXPANSION,
    &SSL_OPTIONS_IGNORED,
    &ASSET_PATH_WITHOUT_PROXY,
    &UNDEFINED_SECRET,
    &NO_SECRETS_FILES,
    &UNUSED_SECRET,
    &HARDCODED_SECRET,
    &MISNAMED_SECRETS_FILE,
    &DOTENV_ONLY_VARIABLE,
    &REGISTRY_PASSWORD_LITERAL,
    &SECRET_IN_CLEAR_ENV,
    &REGISTRY_CREDENTIALS_IN_ENV,
    &SECRETS_SYNTAX,
    &UNUSED_SUPPRESSION,
    &UNKNOWN_SUPPRESSION,
    &INVALID_CONFIG,
    &FILE_NOT_READ,
    &TOO_MANY_PROBLEMS,
    &YAML_SYNTAX,
    &DUPLICATE_KEY,
    &UNKNOWN_ANCHOR,
    &ALIAS_EXPANSION_LIMIT,
    &RECURSIVE_ALIAS,
    &EXTRA_DOCUMENT,
    &INVALID_UTF8,
];
