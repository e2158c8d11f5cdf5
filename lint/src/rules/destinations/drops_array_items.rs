use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::syntax::yaml::{Entry, Node};

declare_rule! {
    /// A destination file that replaces a list of the base file and drops some of its items.
    ///
    /// ## What it does
    /// Reports lists in `config/deploy.DEST.yml` — `env.secret` (root, role, tag or accessory
    /// env), `builder.secrets`, `volumes`, accessory `volumes`/`files`/`directories` — that
    /// replace the base file's list without some of its items. A secret the destination moves
    /// to its own `clear` env, and development-only names (`DEV_…`, `TEST_…`, `LOCAL_…`,
    /// `DEVELOPMENT_…`, `…_DEV`, `…_TEST`), count as dropped on purpose.
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
    /// (`secret: [RAILS_MASTER_KEY, DATABASE_URL, STAGING_TOKEN]`). A YAML anchor cannot share
    /// them: an alias in the destination file cannot refer to an anchor of the base file.
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

/// The clear env names of the env that holds the list at `path` (`…/env/secret`), in the
/// destination file.
fn overlay_clear(path: &[String], overlay_root: &Node) -> Vec<String> {
    if path.last().map(String::as_str) != Some("secret") {
        return Vec::new();
    }
    let mut node = overlay_root;
    for key in &path[..path.len() - 1] {
        match node.get(key) {
            Some(n) => node = n,
            None => return Vec::new(),
        }
    }
    node.get("clear")
        .and_then(Node::map)
        .map(|m| m.iter().map(|e| e.key.ruby_to_s()).collect())
        .unwrap_or_default()
}

fn walk(
    base: &Node,
    overlay: &Node,
    overlay_root: &Node,
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
        compare(base_entry, e, overlay_root, path, dest, out);
        path.pop();
    }
}

fn compare(
    base: &Entry,
    overlay: &Entry,
    overlay_root: &Node,
    path: &mut Vec<String>,
    dest: &str,
    out: &mut Vec<Diagnostic>,
) {
    if base.value.is_map() && overlay.value.is_map() {
        return walk(&base.value, &overlay.value, overlay_root, path, dest, out);
    }
    let (Some(old), Some(new)) = (base.value.seq(), overlay.value.seq()) else {
        return;
    };
    if !watched(path) || old.iter().chain(new).any(Node::is_erb) {
        return;
    }
    let kept: Vec<String> = new.iter().map(Node::ruby_to_s).collect();
    // names the destination moved to its clear env, and development-only names, are dropped
    // on purpose
    let moved_to_clear: Vec<String> = overlay_clear(path, overlay_root);
    let dev_only = |name: &str| {
        let upper = name.to_ascii_uppercase();
        ["DEV_", "TEST_", "LOCAL_", "DEVELOPMENT_"]
            .iter()
            .any(|p| upper.starts_with(p))
            || ["_DEV_", "_TEST_", "_DEV", "_TEST"]
                .iter()
                .any(|p| upper.contains(p) && (p.ends_with('_') || upper.ends_with(p)))
    };
    let lost: Vec<String> = old
        .iter()
        .map(Node::ruby_to_s)
        .filter(|item| !kept.contains(item))
        .filter(|item| {
            let var = item.split(':').next().unwrap_or(item);
            !moved_to_clear.iter().any(|c| c == var) && !dev_only(var)
        })
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
                "with `-d {dest}` this list replaces the base `{}`: {}{more} from the base file {} dropped",
                path.join("."),
                shown.join(", "),
                if lost.len() == 1 { "is" } else { "are" }
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
        walk(base, root, root, &mut Vec::new(), dest, out);
    }
}
