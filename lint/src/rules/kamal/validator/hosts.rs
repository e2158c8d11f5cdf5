//! Host lists (`validate_servers!`): the root `servers` as a list and a role's hosts.

use super::common::{string_or_hash_items, type_error, Checker};
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
use crate::syntax::yaml::Node;

/// Root `servers` as a value (for the generic walk; the roles are checked by `servers`).
pub(super) fn check_servers_value(v: &mut Checker, node: &Node, key: Option<&Node>, ctx: &Ctx) {
    if node.is_erb() {
        return;
    }
    if node.seq().is_some() {
        check_host_list(v, node, key, ctx);
    } else if !node.is_map() {
        type_error(v, node, key, ctx, "an array or a hash");
    }
}

/// `validate_servers!`: a host list.
pub(super) fn check_host_list(v: &mut Checker, node: &Node, key: Option<&Node>, ctx: &Ctx) {
    for (ictx, item, entries) in string_or_hash_items(v, node, key, ctx) {
        if entries.len() != 1 {
            v.push(rules::multiple_hosts_in_entry(
                item.span,
                &ictx,
                entries.len(),
            ));
        }
        let Some(first) = entries.first() else {
            continue;
        };
        let hctx = ictx.join(&first.key.ruby_to_s());
        let tags = &first.value;
        if tags.is_erb() || tags.is_stringish() {
            continue;
        }
        match tags.seq() {
            Some(list) => {
                for (j, t) in list.iter().enumerate() {
                    if !t.is_erb() && !t.is_stringish() {
                        type_error(v, t, None, &hctx.index(j), "a string");
                    }
                }
            }
            None => type_error(v, tags, Some(&first.key), &hctx, "a string or an array"),
        }
    }
}
