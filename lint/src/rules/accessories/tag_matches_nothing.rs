use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// An accessory placed by `tag`/`tags` on no host at all.
    ///
    /// ## What it does
    /// Reports accessory `tag` and `tags` values that select no host, including tags that only
    /// appear under a role's `hosts:` key or in a plain `servers:` list, where Kamal's tag lookup
    /// does not look.
    ///
    /// ## Why is this bad?
    /// Kamal accepts the configuration and the accessory ends up with no hosts: `kamal accessory
    /// boot` does nothing (or crashes, with a `servers:` list). Kamal only finds tags on hosts of
    /// roles written as a plain list (`web: [- HOST: TAG]`), and it compares a single tag
    /// written as a string with Ruby's `String#include?`: `- 10.0.1.11: db-primary` carries
    /// `db` too.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     hosts:
    ///       - 10.0.0.5: db
    /// env:
    ///   tags:
    ///     db: {}
    /// accessories:
    ///   db:
    ///     image: postgres:16
    ///     tag: db
    /// ```
    /// Use instead: write the role as a list, or place the accessory with `host:`/`hosts:`:
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.0.5: db
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.8 (notes on host selection) and §12.3
    pub static ACCESSORY_TAG_MATCHES_NOTHING = {
        code: "A007",
        name: "accessory-tag-matches-nothing",
        category: Accessories,
        severity: Warning,
        fix: None,
    };
}

/// The raw tags of the hosts Kamal's lookup walks: hosts of roles written as a plain list.
/// A single string tag is matched with Ruby's `String#include?` (a substring), a list item
/// by equality.
enum RawTags {
    Text(String),
    List(Vec<String>),
}

fn findable(cx: &LoadContext) -> Vec<RawTags> {
    let mut out = Vec::new();
    if cx.config.get("servers").is_some_and(|s| s.seq().is_some()) {
        return out;
    }
    for role in &cx.roles.list {
        let Some(items) = role.value.and_then(Node::seq) else {
            continue;
        };
        for item in items {
            let Some(first) = item.map().and_then(|m| m.first()) else {
                continue;
            };
            match first.value.seq() {
                Some(list) => out.push(RawTags::List(list.iter().map(Node::ruby_to_s).collect())),
                None if first.value.is_stringish() => {
                    out.push(RawTags::Text(first.value.ruby_to_s()))
                }
                None => {}
            }
        }
    }
    out
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    if cx.roles.unknown || cx.roles.list.iter().any(|r| r.hosts_unknown) {
        return;
    }
    let findable = findable(cx);
    let found = |tag: &str| {
        findable.iter().any(|t| match t {
            RawTags::Text(text) => text.contains(tag),
            RawTags::List(list) => list.iter().any(|x| x == tag),
        })
    };
    let anywhere: Vec<&str> = cx
        .roles
        .hosts()
        .flat_map(|(_, h)| h.tags.iter().map(|(t, _)| t.as_str()))
        .collect();
    for (name, acc) in walk::accessories(cx.config) {
        let mut wanted: Vec<&Node> = acc.get("tag").into_iter().collect();
        if let Some(list) = acc.get("tags").and_then(Node::seq) {
            wanted.extend(list.iter());
        }
        for tag in wanted {
            if tag.is_erb() || !tag.is_stringish() {
                continue;
            }
            let t = tag.ruby_to_s();
            if found(&t) {
                continue;
            }
            let why = if anywhere.contains(&t.as_str()) {
                "Kamal only finds tags on hosts of roles written as a plain list, not under `hosts:` or in a `servers:` list"
            } else {
                "no host carries it"
            };
            out.push(
                Diagnostic::new(
                    &ACCESSORY_TAG_MATCHES_NOTHING,
                    tag.span,
                    format!("accessory `{name}` runs on hosts tagged `{t}`, but {why}"),
                )
                .with_help(
                    "tag a host of a list-form role, or place the accessory with `host:`/`hosts:`",
                ),
            );
        }
    }
}
