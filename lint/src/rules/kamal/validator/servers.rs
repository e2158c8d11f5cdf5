//! `servers` and roles (SPEC §3.2, §4.1 steps 2–3): the Servers and Role validators, host lists,
//! and the roles as Kamal builds them (sorted names, hosts, whether they run the proxy).

use sextant_schema::kamal::ROLE;

use super::common::{type_error, Checker};
use super::generic::check_section;
use super::hosts::check_host_list;
use super::proxy;
use crate::model::{roles, Role, Roles};
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
use crate::syntax::yaml::Node;

/// Steps 2 and 3: validates `servers` and every role (in sorted name order), and returns the
/// roles as Kamal builds them.
pub(super) fn check<'a>(v: &mut Checker, config: &'a Node) -> Roles<'a> {
    let roles = roles(config);
    let Some(entry) = roles.servers else {
        return roles;
    };
    let servers = &entry.value;
    let ctx = Ctx::root().join("servers");
    if servers.is_erb() {
        return roles;
    }
    if servers.seq().is_some() {
        check_host_list(v, servers, Some(&entry.key), &ctx);
        return roles;
    }
    if !servers.is_map() {
        type_error(v, servers, Some(&entry.key), &ctx, "an array or a hash");
        return roles;
    }
    for role in &roles.list {
        check_role(v, role);
    }
    roles
}

/// The Role validator for one `servers.ROLE`.
fn check_role(v: &mut Checker, role: &Role) {
    let (Some(key), Some(value)) = (role.key, role.value) else {
        return;
    };
    let ctx = Ctx::root().join("servers").join(&role.name);
    if value.is_erb() {
        return;
    }
    if value.seq().is_some() {
        check_host_list(v, value, Some(key), &ctx);
        return;
    }
    if !value.is_map() {
        type_error(v, value, Some(key), &ctx, "an array or a hash");
        return;
    }
    reserved_labels(v, value, &ctx);
    check_section(v, value, &ROLE, &ctx, Some(key));
    restart_option(v, value, &ctx);
    if let Some(p) = role.proxy {
        proxy::check_semantics(v, &p.value, &ctx.join("proxy"));
    }
}

/// `validate_labels!`: `service`, `role` and `destination` are Kamal's own labels.
pub(super) fn reserved_labels(v: &mut Checker, value: &Node, ctx: &Ctx) {
    let Some(entries) = value.get("labels").and_then(Node::map) else {
        return;
    };
    let lctx = ctx.join("labels");
    for e in entries {
        let Some(name) = e.key.as_str() else { continue };
        if ["destination", "role", "service"].contains(&name) {
            v.push(rules::reserved_label(e.key.span, &lctx.join(name), name));
        }
    }
}

/// `validate_docker_options!`: no `restart` in `options` (allowed with a valid policy from
/// 2.12.0).
pub(super) fn restart_option(v: &mut Checker, value: &Node, ctx: &Ctx) {
    let Some(options) = value.get("options").and_then(Node::map) else {
        return;
    };
    let Some(e) = options.iter().find(|e| e.key.ruby_to_s() == "restart") else {
        return;
    };
    if v.at_least(2, 12, 0) {
        if e.value.is_erb() {
            return;
        }
        let octx = ctx.join("options/restart");
        let valid = e.value.as_str().is_some_and(|p| {
            matches!(p, "no" | "always" | "unless-stopped" | "on-failure")
                || p.strip_prefix("on-failure:")
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
        if e.value.as_str().is_none() {
            v.push(rules::restart_not_a_string(e.value.span, &octx));
        } else if !valid {
            v.push(rules::invalid_restart_policy(e.value.span, &octx));
        }
        return;
    }
    v.push(rules::restart_in_options(e.key.span, ctx));
}
