//! The shape of the schema: sections made of keys, each key with a type, a doc string and the
//! Kamal version that introduced it.

use crate::version::{Version, V2_0};

/// The type of a value, with Kamal's own notions: "string" means string-like (Kamal accepts
/// strings, symbols, numbers and booleans where its example has a string).
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    /// String-like: String, Symbol, Integer, Float, true, false.
    Str,
    /// An Integer (not a string, not a float).
    Int,
    /// `true` or `false`.
    Bool,
    /// An array of string-like values.
    StrArray,
    /// A hash with known keys; unknown keys are errors.
    Section(&'static Section),
    /// Any hash; nothing inside is checked (`options`, `args`, `logging.options`).
    AnyHash,
    /// A hash of string-like values (`labels`).
    Labels,
    /// Root `servers`: a host list, or a hash of role name to role.
    Servers,
    /// A host list (`hosts`): strings, or one-key hashes `HOST: TAG(S)`.
    HostList,
    /// `proxy.ssl`: a boolean or a hash (its contents are not checked by Kamal).
    Ssl,
    /// `builder.arch`: a string or an array of strings.
    Arch,
    /// A role's `proxy`: `true`, `false` or a proxy hash.
    RoleProxy,
    /// An env section, simple (`NAME: value`) or structured (`clear`/`secret`/`tags`);
    /// `tags` only when `root`.
    Env { root: bool },
    /// `registry.username` / `registry.password`: a string, or a one-string array naming a secret.
    RegistryCredential,
    /// `accessories`: accessory name to accessory section.
    Accessories,
    /// `aliases`: alias name to command string.
    Aliases,
    /// `ssh.config`: a boolean before 2.9.0; from 2.9.0 also a path or an array of paths.
    SshConfig,
    /// Accessory `files` / `directories`: strings; from 2.10.0 also hashes.
    Paths,
    /// `hooks_output` (2.11.0): a level, or a hash of hook name to level.
    HooksOutput,
}

/// One key of a section.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    pub name: &'static str,
    pub ty: Ty,
    /// What the key does, in sextant's own words (Markdown).
    pub doc: &'static str,
    /// The default Kamal uses when the key is absent, as the user would write it.
    pub default: Option<&'static str>,
    /// Kamal requires it (possibly with conditions told in `doc`).
    pub required: bool,
    /// The first Kamal 2.x release whose validator accepts the key.
    pub since: Version,
    /// A short YAML example of the key in use.
    pub example: Option<&'static str>,
    /// Values Kamal gives a meaning to (for completion), when the set is closed.
    pub values: &'static [&'static str],
}

impl Key {
    pub const DEFAULT: Key = Key {
        name: "",
        ty: Ty::Str,
        doc: "",
        default: None,
        required: false,
        since: V2_0,
        example: None,
        values: &[],
    };

    /// Whether the key exists in the given Kamal version.
    pub fn available_in(&self, version: Version) -> bool {
        version >= self.since
    }
}

/// A hash with known keys.
#[derive(Debug)]
pub struct Section {
    /// Dotted path of the section for documentation (`proxy.healthcheck`); roles, accessories
    /// and tags use `<role>`, `<name>`, `<tag>`.
    pub path: &'static str,
    /// What the section is for.
    pub doc: &'static str,
    pub keys: &'static [Key],
}

impl Section {
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|k| k.name == name)
    }
}

/// Describes a type for humans (hover text, rule pages).
pub fn describe(ty: Ty) -> &'static str {
    match ty {
        Ty::Str => "string",
        Ty::Int => "integer",
        Ty::Bool => "boolean",
        Ty::StrArray => "array of strings",
        Ty::Section(_) => "hash",
        Ty::AnyHash => "hash (any keys)",
        Ty::Labels => "hash of strings",
        Ty::Servers => "array of hosts, or hash of roles",
        Ty::HostList => "array of hosts (`HOST` or `HOST: tags`)",
        Ty::Ssl => "boolean, or hash with `certificate_pem` and `private_key_pem`",
        Ty::Arch => "string or array of strings",
        Ty::RoleProxy => "boolean or proxy hash",
        Ty::Env { .. } => "env hash (`NAME: value`, or `clear`/`secret`/`tags`)",
        Ty::RegistryCredential => "string, or one-item array naming a secret",
        Ty::Accessories => "hash of accessory name to accessory",
        Ty::Aliases => "hash of alias name to command",
        Ty::SshConfig => "boolean (path or array of paths from 2.9.0)",
        Ty::Paths => "array of `LOCAL:REMOTE` strings",
        Ty::HooksOutput => "`quiet`, `verbose`, or hash of hook name to level",
    }
}
