//! `servers` and roles (SPEC §3.2, §4.1 steps 2–3): the Servers and Role validators, host lists,
//! and the roles as Kamal builds them (sorted names, hosts, whether they run the proxy).

use sextant_schema::kamal::ROLE;

use super::generic::{check_section, string_or_hash_items, type_error};
use super::{proxy, Checker, Ctx};
use crate::registry as rules;
use crate::syntax::yaml::{Entry, Node};

/// A host of a role, with its tags.
#[derive(Clone, Debug)]
pub(crate) struct Host {
    pub name: String,
    pub tags: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Role<'a> {
    pub name: String,
    /// The role's key under `servers` (`None` for the implicit `web` role of a host list).
    pub key: Option<&'a Node>,
    pub hosts: Vec<Host>,
    /// ERB decides (some of) the hosts.
    pub hosts_unknown: bool,
    pub running_proxy: bool,
    /// The role's own `proxy` entry, when it is a hash.
    pub proxy: Option<&'a Entry>,
}

#[derive(Debug, Default)]
pub(crate) struct Roles<'a> {
    /// `servers` is present (a list or a hash).
    pub present: bool,
    pub servers: Option<&'a Entry>,
    pub list: Vec<Role<'a>>,
    /// The role names are unknown (ERB builds `servers`).
    pub unknown: bool,
    pub primary: String,
}

impl Roles<'_> {
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|r| r.name.as_str())
    }

    pub fn get(&self, name: &str) -> Option<&Role<'_>> {
        self.list.iter().find(|r| r.name == name)
    }
}

/// Steps 2 and 3: validates `servers` and every role, and returns the roles.
pub(super) fn check<'a>(v: &mut Checker, config: &'a Node) -> Roles<'a> {
    let primary = config
        .get("primary_role")
        .filter(|p| p.is_stringish() && !p.is_erb())
        .map(Node::ruby_to_s)
        .unwrap_or_else(|| "web".to_string());
    let mut roles = Roles {
        primary,
        ..Roles::default()
    };
    let Some(entry) = config.entry("servers") else {
        return roles;
    };
    roles.servers = Some(entry);
    let servers = &entry.value;
    let ctx = Ctx::root().join("servers");
    if servers.is_erb() {
        roles.present = true;
        roles.unknown = true;
        return roles;
    }
    if let Some(items) = servers.seq() {
        roles.present = true;
        check_host_list(v, servers, Some(&entry.key), &ctx);
        let (hosts, unknown) = extract_hosts(items);
        let running_proxy = "web" == roles.primary;
        roles.list.push(Role {
            name: "web".into(),
            key: None,
            hosts,
            hosts_unknown: unknown,
            running_proxy,
            proxy: None,
        });
        return roles;
    }
    let Some(entries) = servers.map() else {
        type_error(v, servers, Some(&entry.key), &ctx, "an array or a hash");
        return roles;
    };
    roles.present = true;
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.key.ruby_to_s());
    for role_entry in sorted {
        if role_entry.key.is_erb() {
            roles.unknown = true;
            continue;
        }
        let name = role_entry.key.ruby_to_s();
        let role = check_role(v, role_entry, name, &roles.primary);
        roles.list.push(role);
    }
    roles
}

/// The Role validator for one `servers.ROLE`.
fn check_role<'a>(v: &mut Checker, entry: &'a Entry, name: String, primary: &str) -> Role<'a> {
    let ctx = Ctx::root().join("servers").join(&name);
    let value = &entry.value;
    let is_primary = name == primary;
    let mut role = Role {
        name,
        key: Some(&entry.key),
        hosts: Vec::new(),
        hosts_unknown: false,
        running_proxy: is_primary,
        proxy: None,
    };
    if value.is_erb() {
        role.hosts_unknown = true;
        return role;
    }
    if let Some(items) = value.seq() {
        check_host_list(v, value, Some(&entry.key), &ctx);
        let (hosts, unknown) = extract_hosts(items);
        role.hosts = hosts;
        role.hosts_unknown = unknown;
        return role;
    }
    if !value.is_map() {
        type_error(v, value, Some(&entry.key), &ctx, "an array or a hash");
        return role;
    }
    reserved_labels(v, value, &ctx);
    check_section(v, value, &ROLE, &ctx, Some(&entry.key));
    restart_option(v, value, &ctx);

    match value.get("hosts") {
        Some(h) if h.is_erb() => role.hosts_unknown = true,
        Some(h) => {
            if let Some(items) = h.seq() {
                let (hosts, unknown) = extract_hosts(items);
                role.hosts = hosts;
                role.hosts_unknown = unknown;
            } else if !h.is_null() {
                // `Array(servers["hosts"])` of a string or hash: one item
                let (hosts, unknown) = extract_hosts(std::slice::from_ref(h));
                role.hosts = hosts;
                role.hosts_unknown = unknown;
            }
        }
        None => {}
    }

    // the role's proxy: `false` turns it off for the primary role, `true` or a hash turns it on
    if let Some(p) = value.entry("proxy") {
        if p.value.is_erb() {
            role.running_proxy = true;
        } else if let Some(b) = p.value.as_bool() {
            role.running_proxy = b;
        } else if p.value.is_map() {
            role.running_proxy = true;
            role.proxy = Some(p);
            proxy::check_semantics(v, &p.value, &ctx.join("proxy"));
        } else if !is_primary && p.value.is_null() {
            role.running_proxy = false;
        }
    }
    role
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
            v.error(
                &rules::RESERVED_LABEL,
                e.key.span,
                &lctx.join(name),
                "invalid label. destination, role, and service are reserved labels",
                format!("label `{name}` is reserved: Kamal sets it itself to find its containers"),
            )
            .help = Some("rename the label".into());
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
            v.error(
                &rules::RESTART_IN_OPTIONS,
                e.value.span,
                &octx,
                "should be a string. Use \"no\" to disable restarts",
                "the restart policy should be a string (quote `\"no\"`)",
            );
        } else if !valid {
            v.error(
                &rules::RESTART_IN_OPTIONS,
                e.value.span,
                &octx,
                "should be no, always, unless-stopped, on-failure, or on-failure:N",
                "not a Docker restart policy",
            );
        }
        return;
    }
    v.error(
        &rules::RESTART_IN_OPTIONS,
        e.key.span,
        ctx,
        "Cannot set restart policy in docker options, unless-stopped is required",
        "Kamal sets `--restart unless-stopped` itself; a `restart` option is not allowed",
    )
    .help = Some("remove `restart` from `options`".into());
}

/// Root `servers` as a value (for the generic walk; the real work is in [`check`]).
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
            v.error(
                &rules::MULTIPLE_HOSTS,
                item.span,
                &ictx,
                "multiple hosts found",
                format!(
                    "a host entry must be one `HOST: TAGS` pair, this one has {}",
                    entries.len()
                ),
            )
            .help = Some("write each host as its own list item: `- HOST: TAG`".into());
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

/// The role's hosts as Kamal's `tagged_hosts` builds them: strings and one-key hashes; anything
/// else is dropped; duplicates collapse. Returns whether ERB makes the list unknown.
fn extract_hosts(items: &[Node]) -> (Vec<Host>, bool) {
    let mut hosts: Vec<Host> = Vec::new();
    let mut unknown = false;
    for item in items {
        if item.is_erb() {
            unknown = true;
            continue;
        }
        let (name, tags) = if let Some(s) = item.as_str() {
            (s.to_string(), Vec::new())
        } else if let Some(first) = item.map().and_then(|m| m.first()) {
            if first.key.is_erb() {
                unknown = true;
                continue;
            }
            let tags = match first.value.seq() {
                Some(list) => list.iter().map(Node::ruby_to_s).collect(),
                None if first.value.is_null() => Vec::new(),
                None => vec![first.value.ruby_to_s()],
            };
            (first.key.ruby_to_s(), tags)
        } else {
            continue;
        };
        match hosts.iter_mut().find(|h| h.name == name) {
            Some(h) => h.tags = tags,
            None => hosts.push(Host { name, tags }),
        }
    }
    (hosts, unknown)
}
