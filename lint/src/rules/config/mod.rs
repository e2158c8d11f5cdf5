//! Kamal accepts these configurations, but the deploy fails or does something else than
//! intended (SPEC §12).

mod alias_unreachable;
mod boot_limit_quoted_number;
mod builder_arch_platform;
mod docker_driver_limits;
mod error_pages_missing;
mod hooks_path_whitespace;
mod host_tag_without_env;
mod image_repeats_registry;
mod no_effect_key;
mod placeholder_value;
mod registry_localhost_without_port;
pub(crate) mod relative_volume_path;
mod reserved_root_label;

pub use alias_unreachable::ALIAS_UNREACHABLE;
pub use boot_limit_quoted_number::BOOT_LIMIT_QUOTED_NUMBER;
pub use builder_arch_platform::BUILDER_ARCH_PLATFORM;
pub use docker_driver_limits::DOCKER_DRIVER_LIMITS;
pub use error_pages_missing::ERROR_PAGES_MISSING;
pub use hooks_path_whitespace::HOOKS_PATH_WHITESPACE;
pub use host_tag_without_env::HOST_TAG_WITHOUT_ENV;
pub use image_repeats_registry::IMAGE_REPEATS_REGISTRY;
pub use no_effect_key::NO_EFFECT_KEY;
pub use placeholder_value::PLACEHOLDER_VALUE;
pub use registry_localhost_without_port::REGISTRY_LOCALHOST_WITHOUT_PORT;
pub use relative_volume_path::RELATIVE_VOLUME_PATH;
pub use reserved_root_label::RESERVED_ROOT_LABEL;

use super::LoadRule;

pub(crate) static LOAD: &[LoadRule] = &[
    LoadRule(&HOST_TAG_WITHOUT_ENV, host_tag_without_env::check),
    LoadRule(&BUILDER_ARCH_PLATFORM, builder_arch_platform::check),
    LoadRule(&ALIAS_UNREACHABLE, alias_unreachable::check),
    LoadRule(&BOOT_LIMIT_QUOTED_NUMBER, boot_limit_quoted_number::check),
    LoadRule(
        &REGISTRY_LOCALHOST_WITHOUT_PORT,
        registry_localhost_without_port::check,
    ),
    LoadRule(&IMAGE_REPEATS_REGISTRY, image_repeats_registry::check),
    LoadRule(&PLACEHOLDER_VALUE, placeholder_value::check),
    LoadRule(&RELATIVE_VOLUME_PATH, relative_volume_path::check),
    LoadRule(&NO_EFFECT_KEY, no_effect_key::check),
    LoadRule(&DOCKER_DRIVER_LIMITS, docker_driver_limits::check),
    LoadRule(&ERROR_PAGES_MISSING, error_pages_missing::check),
    LoadRule(&HOOKS_PATH_WHITESPACE, hooks_path_whitespace::check),
    LoadRule(&RESERVED_ROOT_LABEL, reserved_root_label::check),
];
