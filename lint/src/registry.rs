//! Every rule sextant knows, with its stable code, kebab-case name, category and default
//! severity. Codes never change meaning; retired codes are never reused.

use crate::diagnostic::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// Kamal itself rejects the configuration (or crashes on it).
    Kamal,
    /// YAML syntax and structure.
    Yaml,
    /// ERB in config files.
    Erb,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Kamal => "kamal",
            Category::Yaml => "yaml",
            Category::Erb => "erb",
        }
    }
}

#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Whether the rule can offer a fix.
    pub fixable: bool,
    /// One line: what the rule reports.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($ident:ident = $code:literal, $name:literal, $cat:ident, $sev:ident, $fix:literal, $summary:literal;)*) => {
        $(
            pub static $ident: Rule = Rule {
                code: $code,
                name: $name,
                category: Category::$cat,
                severity: Severity::$sev,
                fixable: $fix,
                summary: $summary,
            };
        )*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$ident),*];
    };
}

rules! {
    UNKNOWN_KEY = "K001", "unknown-key", Kamal, Error, false,
        "A key Kamal does not know in this section (Kamal: `unknown key: K`).";
    REQUIRES_NEWER_KAMAL = "K002", "requires-newer-kamal", Kamal, Error, false,
        "A key that only exists in a later Kamal version than the one checked against.";
    INVALID_TYPE = "K003", "invalid-type", Kamal, Error, false,
        "A value of the wrong type (Kamal: `should be a string`, `should be a hash`, …).";
    MULTIPLE_HOSTS = "K004", "multiple-hosts-in-entry", Kamal, Error, false,
        "A host-list entry written as a hash with more or fewer than one host.";
    INVALID_REGISTRY_CREDENTIAL = "K005", "invalid-registry-credential", Kamal, Error, false,
        "Registry username or password that is neither a string nor a one-string list.";
    MISSING_REGISTRY_CREDENTIAL = "K006", "missing-registry-credential", Kamal, Error, false,
        "Registry username or password missing for a registry that needs them.";
    MISSING_REQUIRED_KEY = "K007", "missing-required-key", Kamal, Error, false,
        "A required setting (`service`, `image`, `servers` or `accessories`) is missing.";
    UNDEFINED_PRIMARY_ROLE = "K008", "undefined-primary-role", Kamal, Error, false,
        "`primary_role` names a role that is not defined under `servers`.";
    EMPTY_ROLE = "K009", "empty-role", Kamal, Error, false,
        "A role with no hosts.";
    INVALID_SERVICE_NAME = "K010", "invalid-service-name", Kamal, Error, false,
        "`service` with characters other than letters, digits, `-` and `_`.";
    MINIMUM_VERSION_NOT_MET = "K011", "minimum-version-not-met", Kamal, Error, false,
        "`minimum_version` is above the Kamal version checked against.";
    MALFORMED_MINIMUM_VERSION = "K012", "malformed-minimum-version", Kamal, Error, false,
        "`minimum_version` is not a version number.";
    RETAIN_CONTAINERS_TOO_LOW = "K013", "retain-containers-too-low", Kamal, Error, false,
        "`retain_containers` below 1.";
    SSL_MULTIPLE_SERVERS = "K014", "ssl-multiple-servers", Kamal, Error, false,
        "Automatic SSL on a role with several hosts.";
    SSL_SHARED_HOST = "K015", "ssl-shared-host", Kamal, Error, false,
        "Two SSL roles serving the same proxy host.";
    PROXY_HOST_AND_HOSTS = "K016", "proxy-host-and-hosts", Kamal, Error, false,
        "A proxy with both `host` and `hosts`.";
    SSL_WITHOUT_HOST = "K017", "ssl-without-host", Kamal, Error, false,
        "Proxy SSL turned on without a `host`.";
    INCOMPLETE_CERTIFICATE = "K018", "incomplete-certificate-pair", Kamal, Error, false,
        "A custom certificate without its private key, or the reverse.";
    LOCAL_REGISTRY_REMOTE_BUILDER = "K019", "local-registry-remote-builder", Kamal, Error, false,
        "A local registry with a remote builder that is not reached over SSH.";
    ACCESSORY_HOST_SELECTOR = "K020", "accessory-host-selector", Kamal, Error, false,
        "An accessory without exactly one of `host`, `hosts`, `role`, `roles`, `tag`, `tags`.";
    ACCESSORY_UNKNOWN_ROLE = "K021", "accessory-unknown-role", Kamal, Error, false,
        "An accessory placed on a role that is not defined.";
    INVALID_ALIAS_NAME = "K022", "invalid-alias-name", Kamal, Error, false,
        "An alias name with characters other than lowercase letters, digits, `-` and `_`.";
    ALIAS_CONFLICTS_WITH_COMMAND = "K023", "alias-conflicts-with-command", Kamal, Error, false,
        "An alias named like a built-in Kamal command.";
    BUILDER_ARCH_MISSING = "K024", "builder-arch-missing", Kamal, Error, false,
        "No `builder.arch` (required since Kamal 2).";
    INVALID_CACHE_TYPE = "K025", "invalid-cache-type", Kamal, Error, false,
        "`builder.cache.type` other than `gha` or `registry`.";
    BUILDPACKS_MULTIPLE_ARCH = "K026", "buildpacks-multiple-arch", Kamal, Error, false,
        "`builder.pack` with more than one arch.";
    BUILDER_NO_REMOTE = "K027", "builder-no-remote", Kamal, Error, false,
        "`builder.local: false` without a `remote`.";
    RESERVED_LABEL = "K028", "reserved-label", Kamal, Error, false,
        "A role or accessory label named `service`, `role` or `destination`.";
    RESTART_IN_OPTIONS = "K029", "restart-in-options", Kamal, Error, false,
        "A `restart` policy in docker `options` (Kamal manages restarts).";
    DESTINATION_REQUIRED = "K030", "destination-required", Kamal, Error, false,
        "`require_destination: true` and no destination given.";
    TRAEFIK_HOOK_FILES = "K031", "traefik-hook-files", Kamal, Error, false,
        "Kamal 1 `pre-traefik-reboot` / `post-traefik-reboot` hook files present.";
    CONFIG_FILE_NOT_FOUND = "K032", "config-file-not-found", Kamal, Error, false,
        "The destination file for `-d DEST` does not exist.";
    ENV_TAGS_NOT_ROOT = "K033", "env-tags-not-root", Kamal, Error, false,
        "`tags` in an env other than the root env.";
    DOCUMENT_NOT_A_HASH = "K034", "document-not-a-hash", Kamal, Error, false,
        "A config file that is empty, only comments, or not a hash (Kamal crashes).";
    HOOKS_PATH_NOT_STRING = "K035", "hooks-path-not-string", Kamal, Error, false,
        "`hooks_path` that is not a string (Kamal crashes with a TypeError).";
    YAML_SYNTAX = "Y001", "yaml-syntax-error", Yaml, Error, false,
        "The file is not valid YAML.";
    DUPLICATE_KEY = "Y002", "duplicate-key", Yaml, Warning, false,
        "A key given twice in one mapping: the last one silently wins.";
    UNKNOWN_ANCHOR = "Y003", "unknown-anchor", Yaml, Error, false,
        "An alias (`*name`) with no anchor (`&name`) before it in the same file.";
    ALIAS_EXPANSION_LIMIT = "Y004", "alias-expansion-limit", Yaml, Error, false,
        "Aliases that expand to an unreasonable number of nodes (a YAML bomb).";
    RECURSIVE_ALIAS = "Y005", "recursive-alias", Yaml, Error, false,
        "An alias inside the node its anchor names.";
    EXTRA_DOCUMENT = "Y006", "extra-document", Yaml, Warning, false,
        "A second YAML document (`---`) that Kamal ignores.";
    INVALID_UTF8 = "Y007", "invalid-utf8", Yaml, Error, false,
        "Bytes that are not UTF-8.";
    ERB_TRIM_MARKER = "E001", "erb-trim-marker", Erb, Error, false,
        "`<%-` or `-%>`: Kamal renders ERB without trim mode, so Ruby fails to parse it.";
    ERB_SYNTAX = "E002", "erb-syntax-error", Erb, Error, false,
        "Ruby code in an ERB tag that cannot parse.";
    ERB_UNTERMINATED = "E003", "erb-unterminated-tag", Erb, Error, false,
        "`<%` without a closing `%>`.";
}

/// Finds a rule by code (`K001`) or name (`unknown-key`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes: Vec<_> = ALL.iter().map(|r| r.code).collect();
        let mut names: Vec<_> = ALL.iter().map(|r| r.name).collect();
        codes.sort();
        names.sort();
        let (c, n) = (codes.len(), names.len());
        codes.dedup();
        names.dedup();
        assert_eq!(c, codes.len());
        assert_eq!(n, names.len());
        assert!(find("k001").is_some());
        assert!(find("unknown-key").is_some());
    }
}
