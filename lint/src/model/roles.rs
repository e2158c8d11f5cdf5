//! Roles as Kamal builds them from `servers` (SPEC §3.2): sorted names, hosts with their tags,
//! the primary role, and which roles run behind kamal-proxy. No validation here (that is
//! `crate::rules::kamal::validator`); values of the wrong type simply contribute nothing.

use crate::syntax::yaml::{Entry, Node};
use crate::text::Span;

/// A host of a role, with its tags.
#[derive(Clone, Debug)]
pub struct Host {
    pub name: String,
    /// Where the host name is written.
    pub span: Span,
    /// Its tags, with where each is written.
    pub tags: Vec<(String, Span)>,
}

#[derive(Debug)]
pub struct Role<'a> {
    pub name: String,
    /// The role's key under `servers` (`None` for the implicit `web` role of a host list).
    pub key: Option<&'a Node>,
    /// The role's value: a host list or a role hash (`None` for the implicit `web` role).
    pub value: Option<&'a Node>,
    pub hosts: Vec<Host>,
    /// ERB decides (some of) the hosts.
    pub hosts_unknown: bool,
    pub primary: bool,
    pub running_proxy: bool,
    /// The role's own `proxy` entry, when it is a hash.
    pub proxy: Option<&'a Entry>,
}

impl<'a> Role<'a> {
    /// A key of the role hash (`cmd`, `options`, `env`, …).
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.value.and_then(|v| v.get(key))
    }

    pub fn entry(&self, key: &str) -> Option<&'a Entry> {
        self.value.and_then(|v| v.entry(key))
    }
}

#[derive(Debug, Default)]
pub struct Roles<'a> {
    /// `servers` is present and a list or a hash.
    pub present: bool,
    pub servers: Option<&'a Entry>,
    /// Sorted by name, as Kamal processes them.
    pub list: Vec<Role<'a>>,
    /// Role names are unknown (ERB builds `servers` or a role name).
    pub unknown: bool,
    pub primary: String,
}

impl<'a> Roles<'a> {
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|r| r.name.as_str())
    }

    pub fn get(&self, name: &str) -> Option<&Role<'a>> {
        self.list.iter().find(|r| r.name == name)
    }

    /// Every host of every role (a host may appear in several roles).
    pub fn hosts(&self) -> impl Iterator<Item = (&Role<'a>, &Host)> {
        self.list
            .iter()
            .flat_map(|r| r.hosts.iter().map(move |h| (r, h)))
    }
}

/// The roles of a configuration.
pub fn roles(config: &Node) -> Roles<'_> {
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
    if servers.is_erb() {
        roles.present = true;
        roles.unknown = true;
        return roles;
    }
    if let Some(items) = servers.seq() {
        roles.present = true;
        let (hosts, unknown) = hosts_of(items);
        let primary = roles.primary == "web";
        roles.list.push(Role {
            name: "web".into(),
            key: None,
            value: None,
            hosts,
            hosts_unknown: unknown,
            primary,
            running_proxy: primary,
            proxy: None,
        });
        return roles;
    }
    let Some(entries) = servers.map() else {
        return roles;
    };
    roles.present = true;
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.key.ruby_to_s());
    for e in sorted {
        if e.key.is_erb() {
            roles.unknown = true;
            continue;
        }
        let name = e.key.ruby_to_s();
        let primary = name == roles.primary;
        roles.list.push(role(e, name, primary));
    }
    roles
}

fn role(entry: &Entry, name: String, primary: bool) -> Role<'_> {
    let value = &entry.value;
    let mut role = Role {
        name,
        key: Some(&entry.key),
        value: Some(value),
        hosts: Vec::new(),
        hosts_unknown: false,
        primary,
        running_proxy: primary,
        proxy: None,
    };
    if value.is_erb() {
        role.hosts_unknown = true;
        return role;
    }
    if let Some(items) = value.seq() {
        (role.hosts, role.hosts_unknown) = hosts_of(items);
        return role;
    }
    if !value.is_map() {
        return role;
    }
    match value.get("hosts") {
        Some(h) if h.is_erb() => role.hosts_unknown = true,
        Some(h) => {
            if let Some(items) = h.seq() {
                (role.hosts, role.hosts_unknown) = hosts_of(items);
            } else if !h.is_null() {
                // `Array(servers["hosts"])` of a string or hash: one item
                (role.hosts, role.hosts_unknown) = hosts_of(std::slice::from_ref(h));
            }
        }
        None => {}
    }
    // `false` turns the proxy off for the primary role, `true` or a hash turns it on
    if let Some(p) = value.entry("proxy") {
        if p.value.is_erb() {
            role.running_proxy = true;
        } else if let Some(b) = p.value.as_bool() {
            role.running_proxy = b;
        } else if p.value.is_map() {
            role.running_proxy = true;
            role.proxy = Some(p);
        } else if !primary && p.value.is_null() {
            role.running_proxy = false;
        }
    }
    role
}

/// Hosts as Kamal's `tagged_hosts` builds them: strings and one-key hashes; anything else is
/// dropped; duplicates collapse. Returns whether ERB makes the list unknown.
pub fn hosts_of(items: &[Node]) -> (Vec<Host>, bool) {
    let mut hosts: Vec<Host> = Vec::new();
    let mut unknown = false;
    for item in items {
        if item.is_erb() {
            unknown = true;
            continue;
        }
        let (name, span, tags) = if let Some(s) = item.as_str() {
            (s.to_string(), item.span, Vec::new())
        } else if let Some(first) = item.map().and_then(|m| m.first()) {
            if first.key.is_erb() {
                unknown = true;
                continue;
            }
            let tags = match first.value.seq() {
                Some(list) => list.iter().map(|t| (t.ruby_to_s(), t.span)).collect(),
                None if first.value.is_null() => Vec::new(),
                None => vec![(first.value.ruby_to_s(), first.value.span)],
            };
            (first.key.ruby_to_s(), first.key.span, tags)
        } else {
            continue;
        };
        match hosts.iter_mut().find(|h| h.name == name) {
            Some(h) => h.tags = tags,
            None => hosts.push(Host { name, span, tags }),
        }
    }
    (hosts, unknown)
}
