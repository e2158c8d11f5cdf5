//! Kamal 1 leftovers that Kamal 2 rejects: the validator reports them under the legacy rules
//! (`crate::rules::legacy`), with the Kamal 2 replacement, instead of a generic unknown key or
//! type error. Kamal's own message is unchanged.

use sextant_schema::kamal::{BUILDER, ROLE, ROOT};
use sextant_schema::Section;

use super::{Checker, Ctx};
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::registry::{self as rules, Rule};
use crate::syntax::yaml::{Entry, Node};

pub(super) struct Legacy {
    pub rule: &'static Rule,
    pub message: String,
    pub help: String,
    pub fix: Option<Fix>,
}

/// A Kamal 1 key found among a section's unknown keys.
pub(super) fn unknown_key(
    section: &'static Section,
    name: &str,
    entry: &Entry,
    hash: &Node,
) -> Option<Legacy> {
    let root = std::ptr::eq(section, &ROOT);
    let role = std::ptr::eq(section, &ROLE);
    let builder = std::ptr::eq(section, &BUILDER);
    let legacy = |rule, message: &str, help: &str| {
        Some(Legacy {
            rule,
            message: message.to_string(),
            help: help.to_string(),
            fix: None,
        })
    };
    match name {
        "traefik" if root => legacy(
            &rules::TRAEFIK_CONFIG,
            "`traefik` is Kamal 1 configuration: Kamal 2 routes with kamal-proxy",
            "configure the proxy under `proxy:` (host, ssl, app_port) and remove `traefik`",
        ),
        "traefik" if role => legacy(
            &rules::TRAEFIK_CONFIG,
            "a role's `traefik` is Kamal 1 configuration: Kamal 2 routes with kamal-proxy",
            "use the role's `proxy:` (true, or a hash of proxy settings)",
        ),
        "healthcheck" if root || role => legacy(
            &rules::KAMAL1_HEALTHCHECK,
            "`healthcheck` is Kamal 1 configuration: Kamal 2 checks health through kamal-proxy",
            "move `path`/`interval`/`timeout` to `proxy.healthcheck`, and the port to `proxy.app_port` (default 80, where Kamal 1 used 3000)",
        ),
        "stop_wait_time" if root => {
            let fix = (!hash.has_key("drain_timeout")).then(|| Fix {
                applicability: Applicability::Safe,
                message: "rename to `drain_timeout`".into(),
                edits: vec![Edit {
                    span: entry.key.span,
                    content: "drain_timeout".into(),
                }],
            });
            Some(Legacy {
                rule: &rules::STOP_WAIT_TIME,
                message: "`stop_wait_time` is Kamal 1 configuration: Kamal 2 calls it `drain_timeout`"
                    .into(),
                help: "rename it to `drain_timeout`".into(),
                fix,
            })
        }
        "multiarch" if builder => {
            let arch = match entry.value.as_bool() {
                Some(true) => Some("[amd64, arm64]"),
                Some(false) => Some("amd64"),
                None => None,
            };
            let fix = arch.filter(|_| !hash.has_key("arch")).and_then(|arch| {
                (entry.key.span.file == entry.value.span.file).then(|| Fix {
                    applicability: Applicability::Unsafe,
                    message: format!("use `arch: {arch}`"),
                    edits: vec![Edit {
                        span: entry.key.span.cover(entry.value.span),
                        content: format!("arch: {arch}"),
                    }],
                })
            });
            Some(Legacy {
                rule: &rules::BUILDER_MULTIARCH,
                message: "`builder.multiarch` is Kamal 1 configuration: Kamal 2 takes the architectures in `builder.arch`".into(),
                help: "set `arch: amd64` (or `arm64`, or both as a list) instead".into(),
                fix,
            })
        }
        _ => None,
    }
}

/// `builder.remote` / `builder.local` written as Kamal 1 hashes: reported (with Kamal's type
/// error message) under the legacy rule. Returns whether it was one.
pub(super) fn hash_form(
    v: &mut Checker,
    section: &'static Section,
    name: &str,
    entry: &Entry,
    ctx: &Ctx,
) -> bool {
    if !std::ptr::eq(section, &BUILDER) || !entry.value.is_map() {
        return false;
    }
    let (kamal, message, help) = match name {
        "remote" => (
            "should be a string",
            "`builder.remote` as a hash is Kamal 1 configuration: Kamal 2 wants the remote builder's endpoint as a string",
            match entry.value.get("host").and_then(Node::as_str) {
                Some(host) => format!("write `remote: {host}` and move the arch to `builder.arch`"),
                None => "write `remote: ssh://user@host` and move the arch to `builder.arch`".into(),
            },
        ),
        "local" => (
            "should be a boolean",
            "`builder.local` as a hash is Kamal 1 configuration: Kamal 2 wants `true` or `false`",
            "put the architectures in `builder.arch`; `local: false` sends every build to the remote".into(),
        ),
        _ => return false,
    };
    v.error(
        &rules::BUILDER_HASH_FORM,
        entry.key.span,
        ctx,
        kamal,
        message,
    )
    .help = Some(help);
    true
}
