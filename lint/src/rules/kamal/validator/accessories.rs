//! The Accessory validator (SPEC §3.8), step 5 of Kamal's checks.

use sextant_schema::kamal::ACCESSORY;

use super::common::{type_error, Checker};
use super::generic::check_section;
use super::proxy;
use super::servers::{reserved_labels, restart_option};
use crate::model::Roles;
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
use crate::syntax::yaml::Node;

const SELECTORS: [&str; 6] = ["host", "hosts", "role", "roles", "tag", "tags"];

pub(super) fn check(v: &mut Checker, config: &Node, roles: &Roles) {
    let Some(entry) = config.entry("accessories") else {
        return;
    };
    let ctx = Ctx::root().join("accessories");
    if entry.value.is_erb() {
        return;
    }
    let Some(accessories) = entry.value.map() else {
        return type_error(v, &entry.value, Some(&entry.key), &ctx, "a hash");
    };
    for acc in accessories {
        if acc.key.is_erb() || acc.value.is_erb() {
            continue;
        }
        let name = acc.key.ruby_to_s();
        let actx = ctx.join(&name);
        let value = &acc.value;
        if !value.is_map() {
            type_error(v, value, Some(&acc.key), &actx, "a hash");
            continue;
        }
        check_section(v, value, &ACCESSORY, &actx, Some(&acc.key));
        host_selector(v, acc, &name, &actx);
        reserved_labels(v, value, &actx);
        restart_option(v, value, &actx);
        unknown_roles(v, value, roles, &name, &actx);
        if let Some(p) = value.get("proxy").filter(|p| p.is_map()) {
            proxy::check_semantics(v, p, &actx.join("proxy"));
        }
    }
}

/// Exactly one of `host`, `hosts`, `role`, `roles`, `tag`, `tags`.
fn host_selector(v: &mut Checker, acc: &crate::syntax::yaml::Entry, name: &str, ctx: &Ctx) {
    let entries = acc.value.map().unwrap_or_default();
    if entries.iter().any(|e| e.key.is_erb()) {
        return;
    }
    let present: Vec<&crate::syntax::yaml::Entry> = entries
        .iter()
        .filter(|e| e.key.as_str().is_some_and(|k| SELECTORS.contains(&k)))
        .collect();
    if present.len() == 1 || (present.is_empty() && v.dynamic) {
        return;
    }
    let selectors: Vec<(String, crate::text::Span)> = present
        .iter()
        .map(|e| (e.key.ruby_to_s(), e.key.span))
        .collect();
    v.push(rules::accessory_host_selector(
        acc.key.span,
        ctx,
        name,
        &selectors,
    ));
}

/// `role`/`roles` must name defined roles.
fn unknown_roles(v: &mut Checker, value: &Node, roles: &Roles, name: &str, ctx: &Ctx) {
    if roles.unknown {
        return;
    }
    let mut wanted: Vec<(&Node, String)> = Vec::new();
    if let Some(r) = value.get("role") {
        if r.is_stringish() && !r.is_erb() {
            wanted.push((r, r.ruby_to_s()));
        }
    }
    if let Some(list) = value.get("roles").and_then(Node::seq) {
        for r in list {
            if r.is_stringish() && !r.is_erb() {
                wanted.push((r, r.ruby_to_s()));
            }
        }
    }
    let missing: Vec<&(&Node, String)> = wanted
        .iter()
        .filter(|(_, r)| !roles.names().any(|n| n == r))
        .collect();
    if missing.is_empty() {
        return;
    }
    let names: Vec<&str> = missing.iter().map(|(_, r)| r.as_str()).collect();
    let defined: Vec<&str> = roles.names().collect();
    for (node, role) in missing {
        v.push(rules::accessory_unknown_role(
            node.span, ctx, name, role, &names, &defined,
        ));
    }
}
