//! What Kamal's hooks are and what they receive (SPEC §8.2): one table for the hook rules and
//! for the language server's hover and completion in hook scripts.

use sextant_schema::{Version, V2_0};

/// A hook Kamal runs.
#[derive(Clone, Copy, Debug)]
pub struct Hook {
    pub name: &'static str,
    /// The release that introduced it.
    pub since: Version,
    /// When it runs.
    pub runs: &'static str,
}

/// Every hook Kamal 2 runs.
pub const HOOKS: &[Hook] = &[
    Hook {
        name: "docker-setup",
        since: V2_0,
        runs: "`kamal server bootstrap` (and `kamal setup`), after Docker is checked or installed on every host.",
    },
    Hook {
        name: "pre-connect",
        since: V2_0,
        runs: "Once per Kamal process, before the first SSH connection (before the deploy lock is taken).",
    },
    Hook {
        name: "pre-build",
        since: V2_0,
        runs: "Before the image is built (`kamal build push`, and `deploy`, `redeploy`, `setup` unless `--skip-push`).",
    },
    Hook {
        name: "pre-deploy",
        since: V2_0,
        runs: "After the image is pushed, inside the lock, before the proxy and app boot. Receives all secrets.",
    },
    Hook {
        name: "post-deploy",
        since: V2_0,
        runs: "After `deploy`, `redeploy`, `setup` finish and the lock is released. Receives all secrets and `KAMAL_RUNTIME`.",
    },
    // added with the grouped boot (`boot.limit`) hooks in Kamal 2.6.0
    Hook {
        name: "pre-app-boot",
        since: Version::new(2, 6, 0),
        runs: "Before each boot group of `kamal app boot` (`KAMAL_HOSTS` is the group).",
    },
    Hook {
        name: "post-app-boot",
        since: Version::new(2, 6, 0),
        runs: "After each boot group, before `boot.wait`.",
    },
    Hook {
        name: "pre-proxy-reboot",
        since: V2_0,
        runs: "Before `kamal proxy reboot` / `kamal proxy upgrade` for a group of hosts.",
    },
    Hook {
        name: "post-proxy-reboot",
        since: V2_0,
        runs: "After the proxy reboot or upgrade of a group of hosts.",
    },
];

/// The variables every hook receives, with what they hold; `KAMAL_RUNTIME` (last) only in
/// `post-deploy`.
pub const VARIABLES: &[(&str, &str)] = &[
    (
        "KAMAL_RECORDED_AT",
        "When the command started (UTC, ISO 8601).",
    ),
    (
        "KAMAL_PERFORMER",
        "Who runs Kamal: `git config user.email`, or `whoami`.",
    ),
    (
        "KAMAL_VERSION",
        "The version being deployed (the git commit, or `--version`).",
    ),
    (
        "KAMAL_SERVICE_VERSION",
        "`SERVICE@` and the first 7 characters of the version.",
    ),
    ("KAMAL_SERVICE", "The `service` of the configuration."),
    (
        "KAMAL_HOSTS",
        "The hosts of the command, comma-separated (for boot and proxy hooks: the group).",
    ),
    (
        "KAMAL_LOCK",
        "`true` when this Kamal process holds the deploy lock, else `false`.",
    ),
    ("KAMAL_COMMAND", "The Kamal command (`deploy`, `app`, …)."),
    (
        "KAMAL_SUBCOMMAND",
        "The subcommand (`boot` for `kamal app boot`); unset for top-level commands.",
    ),
    (
        "KAMAL_DESTINATION",
        "The destination (`-d DEST`); unset without one.",
    ),
    (
        "KAMAL_ROLES",
        "The roles given with `-r`, comma-separated; unset without `-r`. (Not `KAMAL_ROLE`.)",
    ),
    (
        "KAMAL_RUNTIME",
        "`post-deploy` only: how long the deploy took, in whole seconds.",
    ),
];

/// The hook a file name is, exactly (whatever the version).
pub fn hook(name: &str) -> Option<&'static Hook> {
    HOOKS.iter().find(|h| h.name == name)
}

/// What a `KAMAL_*` variable holds, when Kamal sets it for hooks.
pub fn variable(name: &str) -> Option<&'static str> {
    VARIABLES.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
}

/// Whether a hook receives a `KAMAL_*` variable.
pub fn receives(hook: &str, variable: &str) -> bool {
    match variable {
        "KAMAL_RUNTIME" => hook == "post-deploy",
        v => VARIABLES.iter().any(|(n, _)| *n == v),
    }
}

/// Whether a hook receives the secrets as environment variables: `pre-deploy` and
/// `post-deploy`, and `pre-connect` from Kamal 2.11.
pub fn receives_secrets(hook: &str, version: Version) -> bool {
    matches!(hook, "pre-deploy" | "post-deploy")
        || hook == "pre-connect" && version >= Version::new(2, 11, 0)
}
