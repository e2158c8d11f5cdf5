//! From a key path (`proxy`, `healthcheck`) to what the schema says is there: for hover and
//! completion, which know where the cursor is but not (while the file is half-typed) the parsed
//! tree.

use crate::kamal::{ACCESSORY, ENV, PROXY, PROXY_SSL, ROLE, ROOT};
use crate::tree::{Key, Section, Ty};

/// What the mapping (or value) at a key path is.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// A mapping with known keys.
    Section(&'static Section),
    /// `servers` as a hash: role name to role.
    Roles,
    /// `accessories`: accessory name to accessory.
    Accessories,
    /// An env section (`clear`, `secret`, and `tags` at the root).
    Env { root: bool },
    /// `env.tags`: tag name to env.
    EnvTags,
    /// `hooks_output` as a hash: hook name to level.
    HooksOutput,
    /// A value (no known keys below).
    Leaf,
    /// Root `x-...` keys and anything under a key the schema does not know.
    Unknown,
}

fn from_ty(ty: Ty) -> Place {
    match ty {
        Ty::Section(s) => Place::Section(s),
        Ty::RoleProxy => Place::Section(&PROXY),
        Ty::Ssl => Place::Section(&PROXY_SSL),
        Ty::Servers => Place::Roles,
        Ty::Accessories => Place::Accessories,
        Ty::Env { root } => Place::Env { root },
        Ty::HooksOutput => Place::HooksOutput,
        _ => Place::Leaf,
    }
}

/// One step down.
fn descend(place: Place, seg: &str) -> Place {
    match place {
        Place::Section(s) => s.key(seg).map_or(Place::Unknown, |k| from_ty(k.ty)),
        Place::Roles => Place::Section(&ROLE),
        Place::Accessories => Place::Section(&ACCESSORY),
        Place::Env { root } => match seg {
            "clear" => Place::Leaf,
            "secret" => Place::Leaf,
            "tags" if root => Place::EnvTags,
            _ => Place::Leaf,
        },
        Place::EnvTags => Place::Env { root: false },
        Place::HooksOutput => Place::Leaf,
        Place::Leaf | Place::Unknown => Place::Unknown,
    }
}

/// What is at `path` (from the root of a deploy config).
pub fn resolve(path: &[String]) -> Place {
    path.iter()
        .fold(Place::Section(&ROOT), |place, seg| descend(place, seg))
}

/// What a key written in the mapping at `parent` is.
#[derive(Clone, Copy, Debug)]
pub enum KeyInfo {
    /// A key the schema documents.
    Known(&'static Key),
    /// A role name under `servers`.
    Role,
    /// An accessory name under `accessories`.
    Accessory,
    /// A host tag name under `env.tags`.
    Tag,
    /// A variable of a simple env section.
    EnvVar,
    /// A hook name under `hooks_output`.
    Hook,
}

pub fn key(parent: &[String], name: &str) -> Option<KeyInfo> {
    match resolve(parent) {
        Place::Section(s) => s.key(name).map(KeyInfo::Known),
        Place::Roles => Some(KeyInfo::Role),
        Place::Accessories => Some(KeyInfo::Accessory),
        Place::Env { root } => match ENV.key(name) {
            Some(k) if k.name != "tags" || root => Some(KeyInfo::Known(k)),
            _ => Some(KeyInfo::EnvVar),
        },
        Place::EnvTags => Some(KeyInfo::Tag),
        Place::HooksOutput => Some(KeyInfo::Hook),
        Place::Leaf | Place::Unknown => None,
    }
}

/// The keys a mapping at `place` may hold (for completion).
pub fn keys(place: Place) -> &'static [Key] {
    match place {
        Place::Section(s) => s.keys,
        Place::Env { .. } => ENV.keys,
        _ => &[],
    }
}

/// The dotted path of a key for display (`servers.<role>.proxy`).
pub fn display(path: &[String], name: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut place = Place::Section(&ROOT);
    for seg in path.iter().map(String::as_str).chain([name]) {
        let shown = match place {
            Place::Roles => "<role>".to_string(),
            Place::Accessories => "<accessory>".to_string(),
            Place::EnvTags => "<tag>".to_string(),
            _ => seg.to_string(),
        };
        out.push(shown);
        place = descend(place, seg);
    }
    out.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(path: &[&str]) -> Vec<String> {
        path.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn resolves_nested_places() {
        assert!(
            matches!(resolve(&p(&["servers", "web", "proxy"])), Place::Section(s) if s.path == PROXY.path)
        );
        assert!(matches!(
            resolve(&p(&["accessories", "db"])),
            Place::Section(s) if s.path == ACCESSORY.path
        ));
        assert!(matches!(
            resolve(&p(&["env", "tags", "monitoring"])),
            Place::Env { root: false }
        ));
        assert!(matches!(resolve(&p(&["x-anchors", "a"])), Place::Unknown));
        assert!(matches!(
            key(&p(&["proxy", "healthcheck"]), "path"),
            Some(KeyInfo::Known(k)) if k.name == "path"
        ));
        assert!(matches!(key(&p(&["servers"]), "web"), Some(KeyInfo::Role)));
        assert_eq!(
            display(&p(&["servers", "web", "proxy"]), "host"),
            "servers.<role>.proxy.host"
        );
    }
}
