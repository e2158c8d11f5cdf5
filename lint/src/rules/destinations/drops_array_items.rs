use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::syntax::yaml::{Entry, Node};

declare_rule! {
    /// A destination file that replaces a list of the base file and drops some of its items.
    ///
    /// ## What it does
    /// Reports lists in `config/deploy.DEST.yml` — `env.secret` (root, role, tag or accessory
    /// env), `builder.secrets`, `volumes`, accessory `volumes`/`files`/`directories` — that
    /// replace the base file's list without some of its items.
    ///
    /// ## Why is this bad?
    /// Kamal deep-merges hashes, but a list in the destination file **replaces** the base list.
    /// Adding one secret for staging (`env.secret: [STAGING_TOKEN]`) silently removes every
    /// secret the base file lists, and the app boots without them (Kamal issue #1749).
    ///
    /// ## Example
    /// ```yaml
    /// # config/deploy.yml
    /// env:
    ///   secret: [RAILS_MASTER_KEY, DATABASE_URL]
    /// # config/deploy.staging.yml
    /// env:
    ///   secret: [STAGING_TOKEN]
    /// ```
    /// Use instead: repeat the base items in the destination file
    /// (`secret: [RAILS_MASTER_KEY, DATABASE_URL, STAGING_TOKEN]`), or share them through a
    /// YAML anchor within each file.
    ///
    /// ## References
    /// - Kamal 2.8.2 destinations, §6 (arrays replace)
    /// - <https://github.com/basecamp/kamal/issues/1749>
    pub static OVERLAY_DROPS_ARRAY_ITEMS = {
        code: "D001",
        name: "overlay-drops-array-items",
        category: Destinations,
        severity: Warning,
        fix: None,
    };
}

/// Whether a list at this key path replaces something the user most likely meant to extend.
fn watched(path: &[String]) -> bool {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    matches!(
        p.as_slice(),
        ["env", "secret"]
            | ["env", "tags", _, "secret"]
            | ["servers", _, "env", "secret"]
            | ["accessories", _, "env", "secret"]
            | ["builder", "secrets"]
            | ["volumes"]
            | ["accessories", _, "volumes" | "files" | "directories"]
    )
}

fn walk(
    base: &Node,
    overlay: &Node,
    path: &mut Vec<String>,
    dest: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(entries) = overlay.map() else { return };
    for e in entries {
        if e.key.is_erb() {
            continue;
        }
        let key = e.key.ruby_to_s();
        let Some(base_entry) = base.entry(&key) else {
            continue;
        };
        path.push(key);
        compare(base_entry, e, path, dest, out);
        path.pop();
    }
}

fn compare(
    base: &Entry,
    overlay: &Entry,
    path: &mut Vec<String>,
    dest: &str,
    out: &mut Vec<Diagnostic>,
) {
    if base.value.is_map() && overlay.value.is_map() {
        return walk(&base.value, &overlay.value, path, dest, out);
    }
    let (Some(old), Some(new)) = (base.value.seq(), overlay.value.seq()) else {
        return;
    };
    if !watched(path) || old.iter().chain(new).any(Node::is_erb) {
        return;
    }
    let kept: Vec<String> = new.iter().map(Node::ruby_to_s).collect();
    let lost: Vec<String> = old
        .iter()
        .map(Node::ruby_to_s)
        .filter(|item| !kept.contains(item))
        .collect();
    if lost.is_empty() {
        return;
    }
    let shown: Vec<String> = lost.iter().take(5).map(|l| format!("`{l}`")).collect();
    let more = if lost.len() > 5 {
        format!(" and {} more", lost.len() - 5)
    } else {
        String::new()
    };
    out.push(
        Diagnostic::new(
            &OVERLAY_DROPS_ARRAY_ITEMS,
            overlay.key.span,
            format!(
                "with `-d {dest}` this list replaces the base `{}`: {}{more} from the base file are dropped",
                path.join("."),
                shown.join(", ")
            ),
        )
        .with_label(base.key.span, "the base list")
        .with_help("lists are not merged: repeat the base items here if they should stay"),
    );
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    let Some(base) = cx.base().and_then(|b| b.yaml.root.as_ref()) else {
        return;
    };
    for overlay in cx.overlays() {
        let (Some(root), Some(dest)) = (overlay.yaml.root.as_ref(), overlay.destination) else {
            continue;
        };
        walk(base, root, &mut Vec::new(), dest, out);
    }
}
