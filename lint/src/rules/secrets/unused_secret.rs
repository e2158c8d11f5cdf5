use crate::diagnostic::Diagnostic;
use crate::model::{deep_merge, roles};
use crate::rules::context::ProjectContext;
use crate::rules::walk;
use crate::syntax::dotenv::Part;

declare_rule! {
    /// A secret defined in a secrets file that nothing uses.
    ///
    /// ## What it does
    /// Reports keys of `.kamal/secrets`, `.kamal/secrets-common` and `.kamal/secrets.DEST` that
    /// no load of the configuration refers to, that no other entry of the same file uses
    /// (`A=$(kamal secrets extract A ${SECRETS})` uses `SECRETS`), and that no `pre-deploy` or
    /// `post-deploy` hook mentions (those hooks receive every secret as an env variable).
    ///
    /// A line that is no `NAME=value` and no `UPPER_SNAKE` name (a value pasted alone, such
    /// as a master key) is reported without quoting it: dotenv reads it as a name, but it is
    /// the secret itself (it is masked in every output too).
    ///
    /// ## Why is this bad?
    /// Usually a typo on one side (`RAILS_MASTERKEY` in the file, `RAILS_MASTER_KEY` in
    /// `env.secret`), or a secret left behind after a change; either way a credential is fetched
    /// and kept for nothing.
    ///
    /// ## Example
    /// ```sh
    /// # .kamal/secrets
    /// RAILS_MASTERKEY=$(cat config/master.key)
    /// ```
    /// Use instead: the name the configuration uses, or remove the line.
    ///
    /// ## References
    /// - Kamal 2.8.2 secrets, §7.4; hooks, §8.2
    pub static UNUSED_SECRET = {
        code: "S003",
        name: "unused-secret",
        category: Secrets,
        severity: Info,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    let Some(base) = cx
        .base()
        .and_then(|b| b.yaml.root.as_ref())
        .filter(|r| r.is_map())
    else {
        return;
    };
    if cx.configs.iter().any(|c| c.yaml.has_dynamic_structure()) {
        return;
    }
    let mut loads = vec![base.clone()];
    for overlay in cx.overlays() {
        if let Some(root) = overlay.yaml.root.as_ref().filter(|r| r.is_map()) {
            loads.push(deep_merge(base, root));
        }
    }
    // sets, not lists: a config may name 100k secrets and a file define 1M
    let mut used: std::collections::HashSet<String> = Default::default();
    for config in &loads {
        let roles = roles(config);
        used.extend(
            walk::secret_refs(config, &roles)
                .into_iter()
                .map(|r| r.name),
        );
    }
    let hook_text: String = cx
        .hooks
        .iter()
        .filter(|h| h.name == "pre-deploy" || h.name == "post-deploy")
        .map(|h| cx.files.get(h.file).text.as_str())
        .collect();
    let destinations: Vec<&str> = cx.overlays().filter_map(|o| o.destination).collect();
    let in_hooks = names_in_text(cx.secrets, &hook_text);
    for source in cx.secrets {
        let read = source.name == "secrets"
            || source.name == "secrets-common"
            || source
                .name
                .strip_prefix("secrets.")
                .is_some_and(|d| destinations.contains(&d));
        if !read {
            continue;
        }
        // names other entries use (`A=$(kamal secrets extract A ${SECRETS})` uses SECRETS); an
        // entry naming itself (`KEY=$KEY`, the pass-through idiom) is no use of it
        let by_entries: std::collections::HashSet<&str> = source
            .parsed
            .entries
            .iter()
            .flat_map(|e| {
                e.parts
                    .iter()
                    .flat_map(|p| match p {
                        Part::Variable { name, .. } => vec![name.as_str()],
                        Part::Command { variables, .. } => {
                            variables.iter().map(|v| v.name.as_str()).collect()
                        }
                        Part::Literal { .. } => Vec::new(),
                    })
                    .filter(move |name| *name != e.key)
            })
            .collect();
        for entry in &source.parsed.entries {
            let key = entry.key.as_str();
            if used.contains(key) || by_entries.contains(key) || in_hooks.contains(key) {
                continue;
            }
            // a line that is no `NAME=value` (a key pasted alone) is read as a name: it is
            // the secret itself, never quoted
            if crate::redact::bare_secret_line(entry) {
                out.push(
                    Diagnostic::new(
                        &UNUSED_SECRET,
                        source.span(entry.key_span.clone()),
                        format!("this line of `.kamal/{}` is not `NAME=value`: dotenv reads it as a secret with no value, which nothing uses", source.name),
                    )
                    .with_help("a value pasted alone? remove it from the file (and rotate it if it was committed), or write `NAME=value`"),
                );
                continue;
            }
            out.push(
                Diagnostic::new(
                    &UNUSED_SECRET,
                    source.span(entry.key_span.clone()),
                    format!("secret `{key}` in `.kamal/{}` is not used by the configuration, another secret or a deploy hook", source.name),
                )
                .with_help("check the name against `env.secret` (a typo?), or remove the line"),
            );
        }
    }
}

/// The secret names that occur in `text` (as substrings, as a deploy hook may build them): one
/// pass over the text with every name at once, whatever the number of names.
fn names_in_text<'a>(
    secrets: &'a [crate::rules::context::SecretsSource],
    text: &str,
) -> std::collections::HashSet<&'a str> {
    let mut names: Vec<&str> = secrets
        .iter()
        .flat_map(|s| s.parsed.entries.iter().map(|e| e.key.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut found = std::collections::HashSet::new();
    if text.is_empty() || names.is_empty() {
        return found;
    }
    if names.first() == Some(&"") {
        // every text contains the empty name
        found.insert("");
        names.remove(0);
    }
    let Ok(automaton) = aho_corasick::AhoCorasick::new(&names) else {
        return found;
    };
    for m in automaton.find_overlapping_iter(text) {
        found.insert(names[m.pattern().as_usize()]);
    }
    found
}
