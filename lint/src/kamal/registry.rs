//! The Registry validator (SPEC §3.5): root and accessory registries.

use sextant_schema::kamal::REGISTRY;
use sextant_schema::Ty;

use super::generic::{check_value, type_error, unknown_keys};
use super::{Checker, Ctx};
use crate::registry as rules;
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
        check_value(
            v,
            &server.value,
            Ty::Str,
            &ctx.join("server"),
            Some(&server.key),
        );
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
            let d = v.error(
                &rules::MISSING_REGISTRY_CREDENTIAL,
                at,
                &kctx,
                "is required",
                format!("the registry needs a `{name}`"),
            );
            d.help = Some(if name == "password" {
                "add `password: [KAMAL_REGISTRY_PASSWORD]` and define the secret in \
                 `.kamal/secrets` (or use a local registry, `server: localhost:5555`)"
                    .into()
            } else {
                "add `username: …` (or use a local registry, `server: localhost:5555`)".into()
            });
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
            v.error(
                &rules::INVALID_REGISTRY_CREDENTIAL,
                value.span,
                &kctx,
                "should be a string or an array with one string (for secret lookup)",
                format!(
                    "registry `{name}` should be a string, or a list of one secret name, found {}",
                    value.kind_name()
                ),
            )
            .help = Some(format!(
                "write `{name}: [SECRET_NAME]` to look the value up in `.kamal/secrets`"
            ));
        }
    }
}
