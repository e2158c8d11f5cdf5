//! Kamal's generic validation (`validate_against_example!`), driven by the schema: unknown keys,
//! types, and the special cases (`ssl`, `hosts`, `arch`, `options`/`args`, `labels`, `proxy`).

use sextant_schema::kamal::{COMMANDS, PROXY, REGISTRY, ROOT};
use sextant_schema::{Section, Ty};

use super::{env, legacy, registry, servers, value_span, Checker, Ctx};
use crate::registry as rules;
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
        Ty::Servers => servers::check_servers_value(v, node, key, ctx),
        Ty::HostList => servers::check_host_list(v, node, key, ctx),
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

/// `check_unknown_keys!`: every key of the hash missing from the section, reported together
/// (`unknown keys: a, b`) and each at its place.
pub(super) fn unknown_keys(
    v: &mut Checker,
    node: &Node,
    section: &'static Section,
    ctx: &Ctx,
    allow_extensions: bool,
) {
    let Some(entries) = node.map() else {
        return;
    };
    let unknown: Vec<&crate::syntax::yaml::Entry> = entries
        .iter()
        .filter(|e| !e.key.is_erb())
        .filter(|e| {
            let name = e.key.ruby_to_s();
            if allow_extensions && name.starts_with("x-") {
                return false;
            }
            // only String keys (Symbols at the root) can match the example's keys
            let is_name = e.key.as_str().is_some()
                || matches!(
                    e.key.scalar().map(|s| &s.typed),
                    Some(crate::syntax::psych::Typed::Symbol(_))
                ) && allow_extensions;
            !is_name
                || section
                    .key(&name)
                    .is_none_or(|k| !k.available_in(v.version))
        })
        .collect();
    report_unknown(v, &unknown, section, ctx, node);
}

/// Reports unknown keys, each at its place, all sharing Kamal's one message.
pub(super) fn report_unknown(
    v: &mut Checker,
    unknown: &[&crate::syntax::yaml::Entry],
    section: &'static Section,
    ctx: &Ctx,
    node: &Node,
) {
    if unknown.is_empty() {
        return;
    }
    let names: Vec<String> = unknown.iter().map(|e| e.key.ruby_to_s()).collect();
    let kamal = if names.len() == 1 {
        format!("unknown key: {}", names[0])
    } else {
        format!("unknown keys: {}", names.join(", "))
    };
    for (entry, name) in unknown.iter().zip(&names) {
        let later = section.key(name).filter(|k| !k.available_in(v.version));
        let (rule, message) = match later {
            Some(k) => (
                &rules::REQUIRES_NEWER_KAMAL,
                format!(
                    "`{name}` requires Kamal ≥ {} (checking against Kamal {})",
                    k.since, v.version
                ),
            ),
            None => (
                &rules::UNKNOWN_KEY,
                format!("unknown key `{name}` in {}", ctx.display()),
            ),
        };
        let help = match later {
            Some(k) => Some(format!(
                "upgrade Kamal to {} or later (and set `minimum_version`), or remove the key",
                k.since
            )),
            None => unknown_key_help(name, section, ctx),
        };
        if let Some(legacy) = legacy::unknown_key(section, name, entry, node) {
            let d = v.error(legacy.rule, entry.key.span, ctx, &kamal, legacy.message);
            d.help = Some(legacy.help);
            d.fix = legacy.fix;
            continue;
        }
        let d = v.error(rule, entry.key.span, ctx, &kamal, message);
        if let Some(help) = help {
            d.help = Some(help);
        }
    }
}

/// Kamal 1 keys get their Kamal 2 replacement; typos get the closest known key.
fn unknown_key_help(name: &str, section: &Section, ctx: &Ctx) -> Option<String> {
    let _ = ctx;
    if name.starts_with("x-") {
        return Some("`x-` keys are only ignored at the root of the file".into());
    }
    let best = section
        .keys
        .iter()
        .map(|k| (edit_distance(name, k.name), k.name))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min();
    best.map(|(_, k)| format!("did you mean `{k}`?"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `should be X`, at the value (or its key when the value is empty).
pub(super) fn type_error(
    v: &mut Checker,
    node: &Node,
    key: Option<&Node>,
    ctx: &Ctx,
    expected: &str,
) {
    let kamal = format!("should be {expected}");
    let what = if ctx.as_str().is_empty() {
        "the configuration".to_string()
    } else {
        format!("`{}`", ctx.as_str())
    };
    let message = format!("{what} should be {expected}, found {}", node.kind_name());
    let span = value_span(key, node);
    let d = v.error(&rules::INVALID_TYPE, span, ctx, &kamal, message);
    if let Some(help) = type_help(node, expected) {
        d.help = Some(help);
    }
}

fn type_help(node: &Node, expected: &str) -> Option<String> {
    let s = node.scalar()?;
    use crate::syntax::psych::Typed;
    match (&s.typed, expected) {
        (Typed::Str, "an integer") if s.text.trim().parse::<i64>().is_ok() => {
            Some("remove the quotes: Kamal wants a number here, not a string".into())
        }
        (Typed::Float(_), "an integer") => Some("use a whole number".into()),
        (Typed::Date | Typed::Time, _) => {
            Some("YAML reads this as a date; quote it to keep it a string".into())
        }
        (Typed::Null, _) => Some("give the key a value, or remove it".into()),
        (Typed::Str, "a boolean") => Some("write `true` or `false` without quotes".into()),
        _ => None,
    }
}

/// An array whose items are strings or hashes (`validate_type! item, String, Hash`): type
/// errors are reported, and the hash items are returned with their contexts.
pub(super) fn string_or_hash_items<'n>(
    v: &mut Checker,
    node: &'n Node,
    key: Option<&Node>,
    ctx: &Ctx,
) -> Vec<(Ctx, &'n Node, &'n [crate::syntax::yaml::Entry])> {
    if node.is_erb() {
        return Vec::new();
    }
    let Some(items) = node.seq() else {
        type_error(v, node, key, ctx, "an array");
        return Vec::new();
    };
    let mut hashes = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let ictx = ctx.index(i);
        if item.is_erb() || item.is_stringish() {
            continue;
        }
        match item.map() {
            Some(entries) => hashes.push((ictx, item, entries)),
            None => type_error(v, item, None, &ictx, "a string or a hash"),
        }
    }
    hashes
}

/// `validate_array_of!(value, String)`.
pub(super) fn array_of_strings(v: &mut Checker, node: &Node, key: Option<&Node>, ctx: &Ctx) {
    let Some(items) = node.seq() else {
        return type_error(v, node, key, ctx, "an array");
    };
    for (i, item) in items.iter().enumerate() {
        if !item.is_erb() && !item.is_stringish() {
            type_error(v, item, None, &ctx.index(i), "a string");
        }
    }
}

/// `validate_hash_of!(value, String)`.
pub(super) fn hash_of_strings(v: &mut Checker, node: &Node, key: Option<&Node>, ctx: &Ctx) {
    let Some(entries) = node.map() else {
        return type_error(v, node, key, ctx, "a hash");
    };
    for e in entries {
        if !e.value.is_erb() && !e.value.is_stringish() {
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
            let kamal = format!(
                "Invalid alias name: '{name}'. Must only contain lowercase letters, alphanumeric, hyphens and underscores."
            );
            let suggestion: String = name
                .to_ascii_lowercase()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            v.error(
                &rules::INVALID_ALIAS_NAME,
                e.key.span,
                &actx,
                &kamal,
                format!("alias name `{name}` may only use lowercase letters, digits, `-` and `_`"),
            )
            .help = Some(format!("rename it, e.g. `{suggestion}`"));
        }
        if COMMANDS.contains(&name.as_str()) {
            let kamal = format!("Alias '{name}' conflicts with a built-in command.");
            v.error(
                &rules::ALIAS_CONFLICTS_WITH_COMMAND,
                e.key.span,
                &actx,
                &kamal,
                format!("alias `{name}` has the name of the Kamal command `kamal {name}`"),
            )
            .help = Some("Kamal rejects the whole configuration: rename the alias".into());
        }
    }
}
