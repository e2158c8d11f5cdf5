//! Kamal 1 leftovers that Kamal 2 rejects: the validator reports them under the legacy rules
//! (`crate::rules::legacy`), with the Kamal 2 replacement, instead of a generic unknown key or
//! type error. Kamal's own message is unchanged.

use sextant_schema::kamal::{BUILDER, ROLE, ROOT};
use sextant_schema::Section;

use super::common::Checker;
use crate::diagnostic::Diagnostic;
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
use crate::syntax::yaml::{Entry, Node};

/// A Kamal 1 key found among a section's unknown keys (`kamal`: Kamal's message for them).
pub(super) fn unknown_key(
    section: &'static Section,
    name: &str,
    entry: &Entry,
    hash: &Node,
    ctx: &Ctx,
    kamal: &str,
) -> Option<Diagnostic> {
    let root = std::ptr::eq(section, &ROOT);
    let role = std::ptr::eq(section, &ROLE);
    let builder = std::ptr::eq(section, &BUILDER);
    let span = entry.key.span;
    match name {
        "traefik" if root => Some(rules::traefik_config(span, ctx, kamal)),
        "traefik" if role => Some(rules::role_traefik_config(span, ctx, kamal)),
        "healthcheck" if root || role => Some(rules::kamal1_healthcheck(span, ctx, kamal)),
        "stop_wait_time" if root => Some(rules::stop_wait_time(
            span,
            ctx,
            kamal,
            !hash.has_key("drain_timeout"),
        )),
        "multiarch" if builder => {
            let replace = (!hash.has_key("arch") && entry.key.span.file == entry.value.span.file)
                .then(|| entry.key.span.cover(entry.value.span));
            Some(rules::builder_multiarch(
                span,
                ctx,
                kamal,
                entry.value.as_bool(),
                replace,
            ))
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
    let span = entry.key.span;
    let d = match name {
        "remote" => {
            rules::builder_remote_hash(span, ctx, entry.value.get("host").and_then(Node::as_str))
        }
        "local" => rules::builder_local_hash(span, ctx),
        _ => return false,
    };
    v.push(d);
    true
}
