//! Steps 13–21 of Kamal's checks: required destination, required keys, roles with hosts, the
//! minimum version, retained containers, the service name, legacy hook files, SSL per role, and
//! the local registry with a remote builder.

use sextant_schema::GemVersion;

use super::common::{Checker, Load};
use super::proxy;
use super::registry::is_local_server;
use crate::model::Roles;
use crate::rules;
use crate::syntax::psych::Typed;
use crate::syntax::yaml::Node;

pub(super) fn check(v: &mut Checker, load: &Load, roles: &Roles) {
    let config = load.config;

    // 13. required destination
    if let Some(e) = config.entry("require_destination") {
        if e.value.as_bool() == Some(true)
            && load.destination.is_none()
            && !load.ignore_require_destination
        {
            v.push(rules::destination_required(e.value.span));
        }
    }

    // 14. required keys
    let service = config.get("service");
    // a present but null/empty-typed value already failed its type check
    let type_failed = |n: &Node| n.is_null() || !n.is_stringish();
    let service_missing = match service {
        None => true,
        Some(s) => s.is_blank() && !type_failed(s),
    };
    if service_missing && !load.dynamic {
        v.push(rules::missing_service(load.anchor));
    }
    let registry_local = config
        .get("registry")
        .and_then(|r| r.get("server"))
        .and_then(Node::as_str)
        .is_some_and(is_local_server);
    let registry_erb = config
        .get("registry")
        .is_some_and(|r| r.is_erb() || r.get("server").is_some_and(Node::is_erb));
    let image_blank = match config.get("image") {
        None => true,
        Some(i) => i.is_blank() && !type_failed(i),
    };
    let falls_back = registry_local && service.is_some_and(|s| !s.is_blank());
    if image_blank && !falls_back && !registry_erb && !load.dynamic {
        v.push(rules::missing_image(load.anchor));
    }
    let accessories_blank = config.get("accessories").is_none_or(Node::is_blank);
    if config.entry("servers").is_none() && accessories_blank && !load.dynamic {
        v.push(rules::no_servers(load.anchor));
    } else if roles.present && !roles.unknown && !load.dynamic {
        required_roles(v, load, roles);
    }

    // 15. minimum version
    if let Some(e) = config.entry("minimum_version") {
        minimum_version(v, &e.value, load);
    }

    // 16. retained containers
    if let Some(n) = config.get("retain_containers").and_then(Node::as_int) {
        if n < 1 {
            let at = config
                .get("retain_containers")
                .map_or(load.anchor, |r| r.span);
            v.push(rules::retain_containers_too_low(at, n));
        }
    }

    // 17. service name
    if let Some(s) = service.filter(|s| !s.is_erb() && !s.is_blank() && s.is_stringish()) {
        let valid = match &s.scalar().map(|x| &x.typed) {
            Some(Typed::Str) => s
                .as_str()
                .unwrap_or("")
                .split('\n')
                .any(|line| !line.is_empty() && line.bytes().all(valid_service_byte)),
            Some(Typed::Symbol(name)) => !name.is_empty() && name.bytes().all(valid_service_byte),
            _ => false,
        };
        if !valid {
            let name = match s.scalar().map(|x| &x.typed) {
                Some(Typed::Str | Typed::Symbol(_)) => Some(s.ruby_to_s()),
                _ => None,
            };
            v.push(rules::invalid_service_name(s.span, name.as_deref()));
        }
    }

    // 18. Kamal 1 hook files
    traefik_hooks(v, load);

    // 19–20. SSL per role, shared SSL hosts
    proxy::check_roles(v, config, roles);

    // 21. local registry with a remote builder
    local_registry_remote_builder(v, config, registry_local);
}

fn valid_service_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn required_roles(v: &mut Checker, load: &Load, roles: &Roles) {
    let servers_span = roles.servers.map_or(load.anchor, |e| e.key.span);
    let primary_entry = load.config.entry("primary_role");
    let Some(primary) = roles.get(&roles.primary) else {
        let at = primary_entry.map_or(servers_span, |e| e.value.span);
        let defined: Vec<&str> = roles.names().collect();
        v.push(rules::undefined_primary_role(
            at,
            &roles.primary,
            &defined,
            primary_entry.is_some(),
        ));
        return;
    };
    if primary.hosts.is_empty() && !primary.hosts_unknown {
        let at = primary.key.map_or(servers_span, |k| k.span);
        v.push(rules::empty_primary_role(at, &primary.name));
        return;
    }
    let allow_empty = load.config.get("allow_empty_roles");
    if allow_empty.is_some_and(Node::is_erb)
        || allow_empty.is_some_and(|a| !a.is_null() && a.as_bool() != Some(false))
    {
        return;
    }
    for role in &roles.list {
        if role.name == primary.name || !role.hosts.is_empty() || role.hosts_unknown {
            continue;
        }
        let at = role.key.map_or(servers_span, |k| k.span);
        v.push(rules::empty_role(at, &role.name));
    }
}

fn minimum_version(v: &mut Checker, value: &Node, load: &Load) {
    if value.is_erb() || !value.is_stringish() {
        return;
    }
    if value.as_bool() == Some(false) {
        return;
    }
    let text = value.ruby_to_s();
    match GemVersion::parse(&text) {
        None => {
            v.push(rules::malformed_minimum_version(value.span, &text));
        }
        Some(required) => {
            let current = GemVersion::from_version(load.version);
            if required > current {
                let unquoted_float = match value.scalar() {
                    Some(s) if matches!(s.typed, Typed::Float(_)) => Some(s.text.as_str()),
                    _ => None,
                };
                v.push(rules::minimum_version_not_met(
                    value.span,
                    &text,
                    load.version,
                    unquoted_float,
                ));
            }
        }
    }
}

fn traefik_hooks(v: &mut Checker, load: &Load) {
    let hooks_path = load.config.get("hooks_path");
    let path = match hooks_path {
        Some(h) if h.is_erb() => return,
        Some(h) if h.is_null() || h.as_bool() == Some(false) => ".kamal/hooks".to_string(),
        Some(h) => match h.scalar().map(|s| &s.typed) {
            Some(Typed::Str) => h.as_str().unwrap_or_default().to_string(),
            Some(other) => {
                let class = match other {
                    Typed::Int(_) => "Integer",
                    Typed::Float(_) => "Float",
                    Typed::Symbol(_) => "Symbol",
                    Typed::Bool(_) => "true",
                    _ => return, // dates and such already failed the type check
                };
                v.push(rules::hooks_path_not_string(h.span, class));
                return;
            }
            None => return,
        },
        None => ".kamal/hooks".to_string(),
    };
    let dir = load.root.join(&path);
    let found: Vec<(&str, std::path::PathBuf)> = ["pre-traefik-reboot", "post-traefik-reboot"]
        .into_iter()
        .map(|name| (name, dir.join(name)))
        .filter(|(_, p)| load.vfs.is_file(p) || load.vfs.is_dir(p))
        .collect();
    if found.is_empty() {
        return;
    }
    let names: Vec<&str> = found.iter().map(|(n, _)| *n).collect();
    for (name, file) in &found {
        let at = (load.hook_span)(file).unwrap_or(load.anchor);
        v.push(rules::traefik_hook_files(at, name, &path, &names));
    }
}

fn local_registry_remote_builder(v: &mut Checker, config: &Node, registry_local: bool) {
    if !registry_local {
        return;
    }
    let Some(builder) = config.get("builder").filter(|b| b.is_map()) else {
        return;
    };
    let Some(remote) = builder.get("remote") else {
        return;
    };
    if remote.is_erb() || remote.is_blank() {
        return;
    }
    let url = remote.ruby_to_s();
    if url.starts_with("ssh://") {
        return;
    }
    // Kamal uses the remote for `local: false` and for every arch other than the local
    // Docker's. That depends on the machine deploying: assume the usual amd64 one, and say so
    // when only an arm64 machine would use the remote.
    let arches: Vec<String> = match builder.get("arch") {
        Some(a) if a.is_erb() => Vec::new(),
        Some(a) => match a.seq() {
            Some(items) => items.iter().map(Node::ruby_to_s).collect(),
            None => vec![a.ruby_to_s()],
        },
        None => Vec::new(),
    };
    let local_disabled = builder.get("local").and_then(Node::as_bool) == Some(false);
    let only_amd64 = !arches.is_empty() && arches.iter().all(|a| a == "amd64");
    if only_amd64 && !local_disabled {
        v.push(rules::local_registry_remote_builder_from_arm64(remote.span));
        return;
    }
    let server = config
        .get("registry")
        .and_then(|r| r.get("server"))
        .map(|s| s.span);
    v.push(rules::local_registry_remote_builder(remote.span, server));
}
