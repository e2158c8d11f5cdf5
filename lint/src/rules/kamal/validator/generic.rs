//! Kamal's generic validation (`validate_against_example!`), driven by the schema: unknown keys,
//! types, and the special cases (`ssl`, `hosts`, `arch`, `options`/`args`, `labels`, `proxy`).

use sextant_schema::kamal::{COMMANDS, PROXY, REGISTRY, ROOT};
use sextant_schema::{Section, Ty};

use super::common::{array_of_strings, hash_of_strings, string_or_hash_items, type_error, Checker};
use super::keys::unknown_keys;
use super::{env, hosts, legacy, registry};
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
use crate::syntax::yaml::Node;

/// Step 1: the root hash: unknown root keys (`x-` exempt), then each root key's type.
pub(super) fn check_root(v: &mut Checker, root: &Node) {
    unknown_keys(v, root, &ROOT, &Ctx::root(), true);
    let Some(entries) = root.map() else {
        return;
    };
    for entry in entries {
        let name = entry.key.ruby_to_s();
        if name.starts_with("x-") || entry.key.is_erb() {
            continue;
        }
        let Some(key) = ROOT.key(&name).filter(|k| k.available_in(v.version)) else {
            continue;
        };
        let ctx = Ctx::root().join(&name);
        match key.ty {
            // validated by their own steps (servers: 2-3, registry: 4, accessories: 5)
            Ty::Servers | Ty::Accessories => {}
            Ty::Section(s) if std::ptr::eq(s, &REGISTRY) => {}
            Ty::Section(s) if std::ptr::eq(s, &PROXY) => {
                if !entry.value.is_erb() && !entry.value.is_map() {
                    // Root proxy booleans pass the root check but not the Proxy validator
                    // (2.6.0 and later).
                    let boolean_allowed = entry.value.as_bool().is_some() && !v.at_least(2, 6, 0);
                    if !boolean_allowed {
                        type_error(v, &entry.value, Some(&entry.key), &ctx, "a hash");
                    }
                } else {
                    check_value(v, &entry.value, key.ty, &ctx, Some(&entry.key));
                }
            }
            _ => check_value(v, &entry.value, key.ty, &ctx, Some(&entry.key)),
        }
    }
}

/// Checks a value against a schema type.
pub(super) fn check_value(v: &mut Checker, node: &Node, ty: Ty, ctx: &Ctx, key: Option<&Node>) {
    if node.is_erb() {
        return;
    }
    match ty {
        Ty::Str => {
            if !node.is_stringish() {
                type_error(v, node, key, ctx, "a string");
            }
        }
        Ty::Int => {
            if node.as_int().is_none() && !is_big_int(node) {
                type_error(v, node, key, ctx, "an integer");
            }
        }
        Ty::Bool => {
            if node.as_bool().is_none() {
                type_error(v, node, key, ctx, "a boolean");
            }
        }
        Ty::StrArray => array_of_strings(v, node, key, ctx),
        Ty::Section(section) if std::ptr::eq(section, &REGISTRY) => {
            if !node.is_map() {
                type_error(v, node, key, ctx, "a hash");
            } else if !node.is_blank() {
                registry::check(v, Some(node), ctx, false, key.map_or(node.span, |k| k.span));
            }
        }
        Ty::Section(section) => check_section(v, node, section, ctx, key),
        Ty::AnyHash => {
            if !node.is_map() {
                type_error(v, node, key, ctx, "a hash");
            }
        }
        Ty::Labels => hash_of_strings(v, node, key, ctx),
        Ty::Servers => hosts::check_servers_value(v, node, key, ctx),
        Ty::HostList => hosts::check_host_list(v, node, key, ctx),
        Ty::Ssl => {
            if node.as_bool().is_none() && !node.is_map() {
                let expected = if v.at_least(2, 9, 0) {
                    "a boolean or a hash"
                } else {
                    "a boolean or a boolean or a hash"
                };
                type_error(v, node, key, ctx, expected);
            }
        }
        Ty::Arch => {
            let ok = match node.seq() {
                Some(items) => items.iter().all(|i| i.is_erb() || i.is_stringish()),
                None => node.is_stringish(),
            };
            if !ok {
                type_error(v, node, key, ctx, "an array or a string");
            }
        }
        Ty::RoleProxy => {
            if node.as_bool().is_some() {
                return;
            }
            if node.is_map() {
                check_section(v, node, &PROXY, ctx, key);
            } else {
                type_error(v, node, key, ctx, "a hash");
            }
        }
        Ty::Env { root } => env::check(v, node, key, ctx, root),
        Ty::RegistryCredential => {}
        Ty::Accessories => {}
        Ty::Aliases => aliases(v, node, key, ctx),
        Ty::SshConfig => {
            if v.at_least(2, 9, 0) {
                match node.seq() {
                    Some(_) => array_of_strings(v, node, key, ctx),
                    None => {
                        if node.as_bool().is_none() && node.as_str().is_none() {
                            type_error(v, node, key, ctx, "a boolean or a string or an array");
                        }
                    }
                }
            } else if node.as_bool().is_none() {
                type_error(v, node, key, ctx, "a boolean");
            }
        }
        Ty::Paths => {
            if !v.at_least(2, 10, 0) {
                return array_of_strings(v, node, key, ctx);
            }
            for (ictx, _, entries) in string_or_hash_items(v, node, key, ctx) {
                for e in entries {
                    let k = e.key.ruby_to_s();
                    if ["local", "remote", "mode", "owner", "options"].contains(&k.as_str()) {
                        check_value(v, &e.value, Ty::Str, &ictx.join(&k), Some(&e.key));
                    }
                }
            }
        }
        Ty::HooksOutput => match node.map() {
            Some(entries) => {
                for e in entries {
                    if !e.value.is_erb() && e.value.as_str().is_none() && !is_symbol(&e.value) {
                        type_error(
                            v,
                            &e.value,
                            Some(&e.key),
                            &ctx.join(&e.key.ruby_to_s()),
                            "a string",
                        );
                    }
                }
            }
            None => {
                if node.as_str().is_none() && !is_symbol(node) {
                    type_error(v, node, key, ctx, "a string");
                }
            }
        },
    }
}

fn is_symbol(node: &Node) -> bool {
    matches!(
        node.scalar().map(|s| &s.typed),
        Some(crate::syntax::psych::Typed::Symbol(_))
    )
}

fn is_big_int(node: &Node) -> bool {
    matches!(
        node.scalar().map(|s| &s.typed),
        Some(crate::syntax::psych::Typed::Int(None))
    )
}

/// A hash with known keys: unknown keys first (all together), then each key's type.
pub(super) fn check_section(
    v: &mut Checker,
    node: &Node,
    section: &'static Section,
    ctx: &Ctx,
    key: Option<&Node>,
) {
    if node.is_erb() {
        return;
    }
    let Some(entries) = node.map() else {
        return type_error(v, node, key, ctx, "a hash");
    };
    unknown_keys(v, node, section, ctx, false);
    for entry in entries {
        let name = entry.key.ruby_to_s();
        if name.starts_with("x-") || entry.key.is_erb() {
            continue;
        }
        let Some(def) = section.key(&name).filter(|k| k.available_in(v.version)) else {
            continue;
        };
        let kctx = ctx.join(&name);
        if legacy::hash_form(v, section, &name, entry, &kctx) {
            continue;
        }
        check_value(v, &entry.value, def.ty, &kctx, Some(&entry.key));
    }
}

/// `aliases`: a hash of name → command string; names lowercase, not a Kamal command.
fn aliases(v: &mut Checker, node: &Node, key: Option<&Node>, ctx: &Ctx) {
    let Some(entries) = node.map() else {
        return type_error(v, node, key, ctx, "a hash");
    };
    for e in entries {
        if e.key.is_erb() {
            continue;
        }
        let name = e.key.ruby_to_s();
        let actx = ctx.join(&name);
        if !e.value.is_erb() && !e.value.is_stringish() {
            type_error(v, &e.value, Some(&e.key), &actx, "a string");
        }
        // Kamal takes the name back from the context (`delete_prefix("aliases/")`).
        let name = actx
            .as_str()
            .strip_prefix("aliases/")
            .unwrap_or(actx.as_str())
            .to_string();
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !valid {
            v.push(rules::invalid_alias_name(e.key.span, &actx, &name));
        }
        if COMMANDS.contains(&name.as_str()) {
            v.push(rules::alias_conflicts_with_command(
                e.key.span, &actx, &name,
            ));
        }
    }
}
