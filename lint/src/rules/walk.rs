//! Walks over the parts of a configuration that several rules look at: every env, every secret
//! reference, every container-level setting (volumes, labels, options) of roles and accessories.

use crate::model::Roles;
use crate::syntax::yaml::{Entry, Node};
use crate::text::Span;

/// One env hash: the root env, a role's, a tag's or an accessory's.
pub struct Env<'a> {
    /// Kamal's context path (`env`, `servers/web/env`, `env/tags/gpu`, `accessories/db/env`).
    pub path: String,
    pub node: &'a Node,
    /// `NAME: value` pairs set in clear (the `clear` hash, or the whole simple env).
    pub clear: Vec<&'a Entry>,
    /// The `secret` list items.
    pub secret: Vec<&'a Node>,
}

fn env_of<'a>(path: String, node: &'a Node, out: &mut Vec<Env<'a>>) {
    let Some(entries) = node.map() else { return };
    let structured = entries
        .iter()
        .any(|e| matches!(e.key.as_str(), Some("clear" | "secret" | "tags")));
    if !structured {
        out.push(Env {
            path,
            node,
            clear: entries.iter().collect(),
            secret: Vec::new(),
        });
        return;
    }
    let clear = node
        .get("clear")
        .and_then(Node::map)
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    let secret = node
        .get("secret")
        .and_then(Node::seq)
        .map(|s| s.iter().collect())
        .unwrap_or_default();
    if let Some(tags) = node.get("tags").and_then(Node::map) {
        for t in tags {
            env_of(format!("{path}/tags/{}", t.key.ruby_to_s()), &t.value, out);
        }
    }
    out.push(Env {
        path,
        node,
        clear,
        secret,
    });
}

/// Every env of the configuration.
pub fn envs<'a>(config: &'a Node, roles: &Roles<'a>) -> Vec<Env<'a>> {
    let mut out = Vec::new();
    if let Some(env) = config.get("env") {
        env_of("env".into(), env, &mut out);
    }
    for role in &roles.list {
        if let Some(env) = role.get("env") {
            env_of(format!("servers/{}/env", role.name), env, &mut out);
        }
    }
    for (name, acc) in accessories(config) {
        if let Some(env) = acc.get("env") {
            env_of(format!("accessories/{name}/env"), env, &mut out);
        }
    }
    out
}

/// The accessories, by name.
pub fn accessories(config: &Node) -> Vec<(String, &Node)> {
    config
        .get("accessories")
        .and_then(Node::map)
        .map(|m| {
            m.iter()
                .filter(|e| e.value.is_map() && !e.key.is_erb())
                .map(|e| (e.key.ruby_to_s(), &e.value))
                .collect()
        })
        .unwrap_or_default()
}

/// The accessory entries (key and value), for rules that point at the accessory's name.
pub fn accessory_entries(config: &Node) -> Vec<&Entry> {
    config
        .get("accessories")
        .and_then(Node::map)
        .map(|m| {
            m.iter()
                .filter(|e| e.value.is_map() && !e.key.is_erb())
                .collect()
        })
        .unwrap_or_default()
}

/// Where a secret is looked up from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretUse {
    Env,
    Registry,
    Builder,
    SslPem,
}

/// A reference to a secret: the name looked up in the secrets files.
pub struct SecretRef<'a> {
    pub name: String,
    /// The container variable it becomes (env), or the setting.
    pub var: String,
    pub span: Span,
    pub node: &'a Node,
    pub usage: SecretUse,
}

/// Every secret reference: `env.secret` items (with `NAME:SECRET` aliasing), registry
/// username/password one-item lists, `builder.secrets`, and `proxy.ssl` pem names.
pub fn secret_refs<'a>(config: &'a Node, roles: &Roles<'a>) -> Vec<SecretRef<'a>> {
    let mut out = Vec::new();
    for env in envs(config, roles) {
        for item in env.secret {
            if item.is_erb() || !item.is_stringish() {
                continue;
            }
            let text = item.ruby_to_s();
            let (var, name) = match text.split_once(':') {
                Some((var, name)) => (var.to_string(), name.to_string()),
                None => (text.clone(), text.clone()),
            };
            out.push(SecretRef {
                name,
                var,
                span: item.span,
                node: item,
                usage: SecretUse::Env,
            });
        }
    }
    let mut registries: Vec<&Node> = config.get("registry").into_iter().collect();
    for (_, acc) in accessories(config) {
        registries.extend(acc.get("registry"));
    }
    for reg in registries {
        for key in ["username", "password"] {
            if let Some([item]) = reg.get(key).and_then(Node::seq) {
                if let Some(name) = item.as_str() {
                    out.push(SecretRef {
                        name: name.to_string(),
                        var: format!("registry {key}"),
                        span: item.span,
                        node: item,
                        usage: SecretUse::Registry,
                    });
                }
            }
        }
    }
    if let Some(list) = config
        .get("builder")
        .and_then(|b| b.get("secrets"))
        .and_then(Node::seq)
    {
        for item in list.iter().filter(|i| !i.is_erb() && i.is_stringish()) {
            out.push(SecretRef {
                name: item.ruby_to_s(),
                var: "builder secret".into(),
                span: item.span,
                node: item,
                usage: SecretUse::Builder,
            });
        }
    }
    let mut proxies: Vec<&Node> = config.get("proxy").into_iter().collect();
    for role in &roles.list {
        if let Some(p) = role.proxy {
            proxies.push(&p.value);
        }
    }
    for (_, acc) in accessories(config) {
        proxies.extend(acc.get("proxy"));
    }
    for proxy in proxies {
        let Some(ssl) = proxy.get("ssl").filter(|s| s.is_map()) else {
            continue;
        };
        for key in ["certificate_pem", "private_key_pem"] {
            if let Some(item) = ssl.get(key).filter(|i| !i.is_erb() && i.is_stringish()) {
                out.push(SecretRef {
                    name: item.ruby_to_s(),
                    var: key.into(),
                    span: item.span,
                    node: item,
                    usage: SecretUse::SslPem,
                });
            }
        }
    }
    out
}

/// A container-level place that takes docker settings: the root, a role, an accessory.
pub struct Container<'a> {
    /// `the root`, `role web`, `accessory db`.
    pub label: String,
    pub node: &'a Node,
}

/// The root config, every role hash and every accessory (for volumes, labels, options).
pub fn containers<'a>(config: &'a Node, roles: &Roles<'a>) -> Vec<Container<'a>> {
    let mut out = vec![Container {
        label: "the root".into(),
        node: config,
    }];
    for role in &roles.list {
        if let Some(v) = role.value.filter(|v| v.is_map()) {
            out.push(Container {
                label: format!("role `{}`", role.name),
                node: v,
            });
        }
    }
    for (name, acc) in accessories(config) {
        out.push(Container {
            label: format!("accessory `{name}`"),
            node: acc,
        });
    }
    out
}

/// The string items of a list value (skipping ERB and non-strings).
pub fn string_items(node: Option<&Node>) -> Vec<(&Node, String)> {
    node.and_then(Node::seq)
        .map(|items| {
            items
                .iter()
                .filter(|i| !i.is_erb() && i.is_stringish())
                .map(|i| (i, i.ruby_to_s()))
                .collect()
        })
        .unwrap_or_default()
}
