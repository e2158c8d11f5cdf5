//! The Dockerfile Kamal builds: against deploy.yml (the port kamal-proxy forwards to, build
//! args and secrets, the architecture, health checks, the user) and on its own (the practices
//! that matter for an image Kamal starts and stops).

mod image;
pub mod ports;
pub mod shell;

mod add_instead_of_copy;
mod app_port_mismatch;
mod apt_install_recommends;
mod build_arg_undeclared;
mod build_secret_missing;
mod build_secret_unused;
mod cleanup_separate_layer;
mod from_platform_mismatch;
mod healthcheck_ignored;
mod misplaced_parser_directive;
mod multiple_cmd;
mod relative_workdir;
mod runs_as_root;
mod secret_in_arg_or_env;
mod shell_form_cmd;
mod sudo_in_run;
mod syntax_error;
mod unpinned_base_image;

pub use add_instead_of_copy::ADD_INSTEAD_OF_COPY;
pub use app_port_mismatch::APP_PORT_MISMATCH;
pub use apt_install_recommends::APT_INSTALL_RECOMMENDS;
pub use build_arg_undeclared::BUILD_ARG_UNDECLARED;
pub use build_secret_missing::BUILD_SECRET_MISSING;
pub use build_secret_unused::BUILD_SECRET_UNUSED;
pub use cleanup_separate_layer::CLEANUP_SEPARATE_LAYER;
pub use from_platform_mismatch::FROM_PLATFORM_MISMATCH;
pub use healthcheck_ignored::IMAGE_HEALTHCHECK_IGNORED;
pub use misplaced_parser_directive::MISPLACED_PARSER_DIRECTIVE;
pub use multiple_cmd::MULTIPLE_CMD;
pub use relative_workdir::RELATIVE_WORKDIR;
pub use runs_as_root::IMAGE_RUNS_AS_ROOT;
pub use secret_in_arg_or_env::SECRET_IN_ARG_OR_ENV;
pub use shell_form_cmd::SHELL_FORM_CMD;
pub use sudo_in_run::SUDO_IN_RUN;
pub use syntax_error::DOCKERFILE_SYNTAX;
pub use unpinned_base_image::UNPINNED_BASE_IMAGE;

use super::{LoadRule, ProjectRule};

pub(crate) static LOAD: &[LoadRule] = &[
    LoadRule(&APP_PORT_MISMATCH, app_port_mismatch::check),
    LoadRule(&BUILD_ARG_UNDECLARED, build_arg_undeclared::check),
    LoadRule(&BUILD_SECRET_UNUSED, build_secret_unused::check),
    LoadRule(&BUILD_SECRET_MISSING, build_secret_missing::check),
    LoadRule(&SECRET_IN_ARG_OR_ENV, secret_in_arg_or_env::check),
    LoadRule(&IMAGE_HEALTHCHECK_IGNORED, healthcheck_ignored::check),
    LoadRule(&FROM_PLATFORM_MISMATCH, from_platform_mismatch::check),
    LoadRule(&IMAGE_RUNS_AS_ROOT, runs_as_root::check),
];

pub(crate) static PROJECT: &[ProjectRule] = &[
    ProjectRule(&DOCKERFILE_SYNTAX, syntax_error::check),
    ProjectRule(
        &MISPLACED_PARSER_DIRECTIVE,
        misplaced_parser_directive::check,
    ),
    ProjectRule(&MULTIPLE_CMD, multiple_cmd::check),
    ProjectRule(&SHELL_FORM_CMD, shell_form_cmd::check),
    ProjectRule(&RELATIVE_WORKDIR, relative_workdir::check),
    ProjectRule(&CLEANUP_SEPARATE_LAYER, cleanup_separate_layer::check),
    ProjectRule(&UNPINNED_BASE_IMAGE, unpinned_base_image::check),
    ProjectRule(&ADD_INSTEAD_OF_COPY, add_instead_of_copy::check),
    ProjectRule(&SUDO_IN_RUN, sudo_in_run::check),
    ProjectRule(&APT_INSTALL_RECOMMENDS, apt_install_recommends::check),
];
