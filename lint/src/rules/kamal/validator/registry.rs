//! The Registry validator (SPEC §3.5): root and accessory registries.

use sextant_schema::kamal::REGISTRY;

use super::common::{string, type_error, Checker};
use super::keys::unknown_keys;
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
use crate::syntax::yaml::{Entry, Node};
use crate::text::Span;

/// Kamal's local-registry test: `server.match?("^localhost[:$]")` (`^` matches at any line
/// start; `$` inside the brackets is a literal dollar).
pub(crate) fn is_local_server(server: &str) -> bool {
    server.split('\n').any(|line| {
        line.strip_prefix("localhost")
            .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('$'))
    })
}

/// Validates a registry hash. `node` is `None` for an absent root registry (Kamal uses `{}`);
/// `anchor` is where to report what is missing then. `root` is false for accessory registries.
pub(super) fn check(v: &mut Checker, node: Option<&Node>, ctx: &Ctx, root: bool, anchor: Span) {
    let entries: &[Entry] = match node {
        None => &[],
        Some(n) if n.is_erb() => return,
        Some(n) => match n.map() {
            Some(entries) => {
                unknown_keys(v, n, &REGISTRY, ctx, false);
                entries
            }
            None => {
                if root {
                    type_error(v, n, None, ctx, "a hash");
                }
                return;
            }
        },
    };
    let find = |name: &str| entries.iter().rev().find(|e| e.key.as_str() == Some(name));
    if let Some(server) = find("server") {
        string(v, &server.value, Some(&server.key), &ctx.join("server"));
        if server.value.is_erb() {
            // the server is computed: whether it is local is unknown
            return;
        }
    }
    let local = find("server")
        .and_then(|s| s.value.as_str())
        .is_some_and(is_local_server);
    if local {
        return;
    }
    let missing_at = anchor;
    for name in ["username", "password"] {
        let kctx = ctx.join(name);
        let entry = find(name);
        if entry.is_none() && v.dynamic {
            continue;
        }
        let Some(entry) = entry.filter(|e| !e.value.is_blank()) else {
            let at = entry.map(|e| e.key.span).unwrap_or(missing_at);
            v.push(rules::missing_registry_credential(at, &kctx, name));
            continue;
        };
        let value = &entry.value;
        if value.is_erb() {
            continue;
        }
        let ok = value.as_str().is_some()
            || value.seq().is_some_and(|items| {
                items.len() == 1 && (items[0].as_str().is_some() || items[0].is_erb())
            });
        if !ok {
            v.push(rules::invalid_registry_credential(
                value.span,
                &kctx,
                name,
                value.kind_name(),
            ));
        }
    }
}
