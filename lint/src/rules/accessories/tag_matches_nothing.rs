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
    /// roles written as a plain list (`web: [- HOST: TAG]`).
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     hosts:
    ///       - 10.0.0.5: db
    /// accessories:
    ///   db:
    ///     image: postgres:16
    ///     tag: db
    /// ```
    /// Use instead: write the role as a list (`web: [{10.0.0.5: db}]`) or place the accessory
    /// with `host:`/`hosts:`.
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

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    if cx.roles.unknown || cx.roles.list.iter().any(|r| r.hosts_unknown) {
        return;
    }
    let list_form = cx.config.get("servers").is_some_and(|s| s.seq().is_some());
    // tags Kamal's lookup finds: hosts of roles written as a plain list
    let findable: Vec<&str> = cx
        .roles
        .list
        .iter()
        .filter(|r| !list_form && r.value.is_some_and(|v| v.seq().is_some()))
        .flat_map(|r| r.hosts.iter())
        .flat_map(|h| h.tags.iter().map(|(t, _)| t.as_str()))
        .collect();
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
            if findable.contains(&t.as_str()) {
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
