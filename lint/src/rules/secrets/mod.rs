//! Secrets: the `.kamal/secrets*` files (parsed, never run) and how the configuration refers to
//! them. No message ever contains a secret value.

mod dotenv_only_variable;
mod hardcoded_secret;
mod misnamed_secrets_file;
mod no_secrets_files;
mod registry_credentials_in_env;
mod registry_password_literal;
mod secret_in_clear_env;
mod secrets_syntax;
mod undefined_secret;
mod unused_secret;

pub use dotenv_only_variable::DOTENV_ONLY_VARIABLE;
pub use hardcoded_secret::HARDCODED_SECRET;
pub use misnamed_secrets_file::MISNAMED_SECRETS_FILE;
pub(crate) use no_secrets_files::missing_file as missing_secrets_file;
pub use no_secrets_files::NO_SECRETS_FILES;
pub use registry_credentials_in_env::REGISTRY_CREDENTIALS_IN_ENV;
pub use registry_password_literal::REGISTRY_PASSWORD_LITERAL;
pub use secret_in_clear_env::SECRET_IN_CLEAR_ENV;
pub use secrets_syntax::SECRETS_SYNTAX;
pub use undefined_secret::UNDEFINED_SECRET;
pub use unused_secret::UNUSED_SECRET;

use super::{LoadRule, ProjectRule};

pub(crate) static LOAD: &[LoadRule] = &[
    LoadRule(&UNDEFINED_SECRET, undefined_secret::check),
    LoadRule(&NO_SECRETS_FILES, no_secrets_files::check),
    LoadRule(&REGISTRY_PASSWORD_LITERAL, registry_password_literal::check),
    LoadRule(&SECRET_IN_CLEAR_ENV, secret_in_clear_env::check),
    LoadRule(
        &REGISTRY_CREDENTIALS_IN_ENV,
        registry_credentials_in_env::check,
    ),
];

pub(crate) static PROJECT: &[ProjectRule] = &[
    ProjectRule(&UNUSED_SECRET, unused_secret::check),
    ProjectRule(&HARDCODED_SECRET, hardcoded_secret::check),
    ProjectRule(&MISNAMED_SECRETS_FILE, misnamed_secrets_file::check),
    ProjectRule(&DOTENV_ONLY_VARIABLE, dotenv_only_variable::check),
    ProjectRule(&SECRETS_SYNTAX, secrets_syntax::check),
];
