//! Completion: keys valid at the cursor for the Kamal version checked against (not those already
//! there), values Kamal gives a meaning to, role / accessory / secret / hook names, snippets
//! for a new role and a new accessory, `KAMAL_*` variables in hooks, rule codes.

use std::collections::BTreeMap;

use sextant_lint::hook_env;
use sextant_lint::registry;
use sextant_lint::{Report, Version};
use sextant_schema::{describe, Key, Ty};
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat,
    InsertTextMode, MarkupContent, MarkupKind, Position, TextEdit,
};

use crate::cursor::{self, At, Cursor};
use crate::hover::key_doc;
use crate::secrets;
use crate::server::Request;
use sextant_lint::project::KamalFile;
use sextant_schema::place::{self, KeyInfo, Place};

pub fn complete(r: &Request, pos: Position) -> Option<Vec<CompletionItem>> {
    let offset = r.offset(pos);
    let kind = r.kind();
    // one analysis per completion, for the files whose items depend on it
    let report = matches!(kind, Some(KamalFile::Config(_) | KamalFile::Hook(_)))
        .then(|| r.report())
        .flatten();
    let items = match kind {
        Some(KamalFile::Config(_)) => config(r, offset, report.as_ref()),
        Some(KamalFile::Hook(name)) => hook(r, offset, &name, report.as_ref()),
        Some(KamalFile::Settings) => rule_codes(r, offset),
        _ => None,
    }?;
    let red = secrets::redactor(r, report.as_ref());
    // an item whose insertion would carry a secret is dropped (scrubbing it would insert
    // stars); the shown texts are scrubbed
    let carries = |item: &CompletionItem| match &item.text_edit {
        Some(CompletionTextEdit::Edit(e)) => red.scrub(&e.new_text) != e.new_text,
        Some(CompletionTextEdit::InsertAndReplace(e)) => red.scrub(&e.new_text) != e.new_text,
        None => false,
    } || item
        .insert_text
        .as_ref()
        .is_some_and(|t| red.scrub(t) != *t);
    Some(
        items
            .into_iter()
            .filter(|item| !carries(item))
            .map(|mut item| {
                item.label = red.scrub(&item.label);
                item.detail = item.detail.map(|d| red.scrub(&d));
                item.filter_text = item.filter_text.map(|d| red.scrub(&d));
                item.sort_text = item.sort_text.map(|d| red.scrub(&d));
                item.documentation = item.documentation.map(|doc| match doc {
                    Documentation::String(s) => Documentation::String(red.scrub(&s)),
                    Documentation::MarkupContent(m) => {
                        Documentation::MarkupContent(MarkupContent {
                            kind: m.kind,
                            value: red.scrub(&m.value),
                        })
                    }
                });
                item
            })
            .collect(),
    )
}

/// Builds items that replace the word before the cursor.
struct Items<'a> {
    r: &'a Request,
    edit: std::ops::Range<usize>,
    out: Vec<CompletionItem>,
}

impl Items<'_> {
    fn push(
        &mut self,
        label: &str,
        kind: CompletionItemKind,
        detail: Option<String>,
        doc: Option<String>,
        insert: Option<String>,
    ) {
        let snippet = insert.is_some() && self.r.caps.snippets;
        let text = match &insert {
            Some(s) if snippet => s.clone(),
            _ => label.to_string(),
        };
        self.out.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            documentation: doc.map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                self.r.range(self.edit.clone()),
                text,
            ))),
            insert_text_format: Some(if snippet {
                InsertTextFormat::SNIPPET
            } else {
                InsertTextFormat::PLAIN_TEXT
            }),
            insert_text_mode: snippet.then_some(InsertTextMode::ADJUST_INDENTATION),
            ..Default::default()
        });
    }
}

fn config(r: &Request, offset: usize, report: Option<&Report>) -> Option<Vec<CompletionItem>> {
    let text = &r.doc.text;
    let c = cursor::at(text, offset);
    let version = r.version(report);
    let mut items = Items {
        r,
        edit: c.word.1..offset,
        out: Vec::new(),
    };
    match c.at {
        At::Key => keys(&mut items, &c, text, offset, version, report),
        At::Value => {
            let (name, _) = c.key.clone()?;
            if let Some(KeyInfo::Known(key)) = place::key(&c.path, &name) {
                values(&mut items, &c, key, report);
            }
        }
        At::Item => {
            if secrets::names_secret(&c) {
                if let Some(report) = &report {
                    secret_names(&mut items, report);
                }
            } else if c.path.len() >= 2 && c.path[c.path.len() - 1] == "roles" {
                role_names(&mut items, report);
            } else {
                let (parent, name) = c.path.split_at(c.path.len().checked_sub(1)?);
                if let Some(KeyInfo::Known(key)) = place::key(parent, &name[0]) {
                    for v in key.values {
                        items.push(v, CompletionItemKind::ENUM_MEMBER, None, None, None);
                    }
                }
            }
        }
        At::Text => {}
    }
    Some(items.out)
}

fn keys(
    items: &mut Items,
    c: &Cursor,
    text: &str,
    offset: usize,
    version: Version,
    report: Option<&Report>,
) {
    let place = place::resolve(&c.path);
    let present = siblings(text, offset, c.column);
    // a line that already has `key:` only gets its name replaced
    let has_colon = c.key.is_some();
    match place {
        Place::Section(_) | Place::Env { .. } => {
            let root_env = matches!(place, Place::Env { root: true });
            for key in place::keys(place) {
                if !key.available_in(version)
                    || present.iter().any(|p| p == key.name)
                    || matches!(place, Place::Env { .. }) && key.name == "tags" && !root_env
                {
                    continue;
                }
                let insert = (!has_colon).then(|| key_snippet(key));
                items.push(
                    key.name,
                    CompletionItemKind::FIELD,
                    Some(describe(key.ty).to_string()),
                    key_doc(&c.path, key.name, version),
                    insert,
                );
            }
        }
        Place::Roles | Place::Accessories => {
            // names the project's other files define (a destination file overriding a role or
            // an accessory of the base), then the snippet for a new one
            let roles = matches!(place, Place::Roles);
            let mut names: Vec<&str> = report
                .into_iter()
                .flat_map(|r| &r.outline)
                .flat_map(|l| if roles { &l.roles } else { &l.accessories })
                .map(String::as_str)
                .filter(|n| !present.iter().any(|p| p == n))
                .collect();
            names.sort_unstable();
            names.dedup();
            let kind = if roles { "role" } else { "accessory" };
            for name in names {
                let insert = (!has_colon).then(|| format!("{name}:\n  $0"));
                items.push(
                    name,
                    CompletionItemKind::MODULE,
                    Some(format!("{kind} defined in another file of the project")),
                    None,
                    insert,
                );
            }
            if has_colon {
                return;
            }
            if roles {
                items.push(
                    "new role",
                    CompletionItemKind::SNIPPET,
                    Some("a role with its hosts".into()),
                    None,
                    Some(
                        "${1:job}:\n  hosts:\n    - ${2:192.168.0.2}\n  cmd: ${3:bin/jobs}\n$0"
                            .into(),
                    ),
                );
            } else {
                items.push(
                    "new accessory",
                    CompletionItemKind::SNIPPET,
                    Some("a database accessory, published on localhost only".into()),
                    None,
                    Some(
                        "${1:db}:\n  image: ${2:postgres:16}\n  host: ${3:192.168.0.2}\n  port: \
                         \"127.0.0.1:${4:5432}:${4:5432}\"\n  env:\n    secret:\n      - \
                         ${5:POSTGRES_PASSWORD}\n  directories:\n    - data:/var/lib/postgresql/data\n$0"
                            .into(),
                    ),
                );
            }
        }
        Place::HooksOutput => {
            for hook in hook_env::HOOKS {
                if !present.iter().any(|p| p == hook.name) && hook.since <= version {
                    let insert =
                        (!has_colon).then(|| format!("{}: ${{1|quiet,verbose|}}", hook.name));
                    items.push(
                        hook.name,
                        CompletionItemKind::EVENT,
                        Some("hook".into()),
                        Some(hook.runs.to_string()),
                        insert,
                    );
                }
            }
        }
        _ => {}
    }
}

/// What a key inserts (as a snippet): its value laid out for its type.
fn key_snippet(key: &Key) -> String {
    let name = key.name;
    match key.ty {
        Ty::Bool => format!("{name}: ${{1|true,false|}}"),
        Ty::Str if !key.values.is_empty() => {
            format!("{name}: ${{1|{}|}}", key.values.join(","))
        }
        Ty::Str | Ty::Int | Ty::RegistryCredential | Ty::SshConfig | Ty::Arch => {
            format!("{name}: $0")
        }
        Ty::StrArray | Ty::HostList | Ty::Paths => format!("{name}:\n  - $0"),
        Ty::RoleProxy | Ty::Ssl | Ty::HooksOutput => format!("{name}: $0"),
        _ => format!("{name}:\n  $0"),
    }
}

fn values(items: &mut Items, c: &Cursor, key: &Key, report: Option<&Report>) {
    if key.name == "primary_role" || c.path.last().is_some_and(|p| p == "roles") {
        role_names(items, report);
        return;
    }
    for v in key.values {
        items.push(v, CompletionItemKind::ENUM_MEMBER, None, None, None);
    }
    if matches!(key.ty, Ty::Bool | Ty::RoleProxy | Ty::Ssl) {
        for v in ["true", "false"] {
            items.push(v, CompletionItemKind::KEYWORD, None, None, None);
        }
    }
}

fn role_names(items: &mut Items, report: Option<&Report>) {
    let Some(report) = report else {
        return;
    };
    let mut roles: Vec<&str> = report
        .outline
        .iter()
        .flat_map(|l| l.roles.iter().map(String::as_str))
        .collect();
    roles.sort_unstable();
    roles.dedup();
    for role in roles {
        items.push(
            role,
            CompletionItemKind::REFERENCE,
            Some("role".into()),
            None,
            None,
        );
    }
}

fn secret_names(items: &mut Items, report: &Report) {
    let loads = secrets::per_load(report);
    let mut names: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for load in &loads {
        for def in load.defs {
            names
                .entry(&def.name)
                .or_default()
                .push(load.destination.unwrap_or("no destination"));
        }
    }
    for (name, with) in names {
        let detail = if with.len() == loads.len() {
            "secret".to_string()
        } else {
            format!("secret (only for {})", with.join(", "))
        };
        items.push(
            name,
            CompletionItemKind::VARIABLE,
            Some(detail),
            Some(crate::hover::secret_doc(report, name)),
            None,
        );
    }
}

/// Keys already written in the mapping the cursor is in (at `column`).
fn siblings(text: &str, offset: usize, column: usize) -> Vec<String> {
    let (start, _) = cursor::line_at(text, offset);
    let mut keys = Vec::new();
    // whether to go on: a line less indented than the mapping ends it (a `- key:` line at the
    // mapping's column starts its sequence item: its key counts, and it ends the scan too)
    let mut scan = |line_text: &str| -> bool {
        let l = cursor::line(line_text);
        if l.empty {
            return true;
        }
        if let Some((k, range)) = &l.key {
            if range.start == column {
                keys.push(k.clone());
            }
        }
        let structural = l
            .dashes
            .first()
            .copied()
            .or(l.key.as_ref().map(|(_, r)| r.start))
            .unwrap_or(l.content);
        structural >= column
    };
    // upwards, from the line above the cursor
    let above: Vec<&str> = text[..start].lines().collect();
    for line_text in above.iter().rev() {
        if !scan(line_text) {
            break;
        }
    }
    let after = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    for line_text in text[after.min(text.len())..].lines() {
        if !scan(line_text) {
            break;
        }
    }
    keys
}

fn hook(
    r: &Request,
    offset: usize,
    name: &str,
    report: Option<&Report>,
) -> Option<Vec<CompletionItem>> {
    let text = &r.doc.text;
    let (start, line) = cursor::line_at(text, offset);
    let col = offset - start;
    let before = &line[..col.min(line.len())];
    let word_start = cursor::word_start(before, |c| c.is_ascii_alphanumeric() || c == '_');
    let sigil = before[..word_start].ends_with('$') || before[..word_start].ends_with("${");
    if !sigil {
        return Some(Vec::new());
    }
    let mut items = Items {
        r,
        edit: start + word_start..offset,
        out: Vec::new(),
    };
    for (var, doc) in hook_env::VARIABLES {
        if !hook_env::receives(name, var) {
            continue;
        }
        items.push(
            var,
            CompletionItemKind::VARIABLE,
            Some("set by Kamal".into()),
            Some(doc.to_string()),
            None,
        );
    }
    if let Some(report) = report {
        if hook_env::receives_secrets(name, report.version) {
            secret_names(&mut items, report);
        }
    }
    Some(items.out)
}

fn rule_codes(r: &Request, offset: usize) -> Option<Vec<CompletionItem>> {
    let (start, line) = cursor::line_at(&r.doc.text, offset);
    let col = offset - start;
    let before = &line[..col.min(line.len())];
    // inside a string
    if before.matches('"').count() % 2 == 0 {
        return Some(Vec::new());
    }
    let word_start = before.rfind('"').map_or(0, |i| i + 1);
    let mut items = Items {
        r,
        edit: start + word_start..offset,
        out: Vec::new(),
    };
    for rule in registry::ALL {
        items.push(
            rule.code,
            CompletionItemKind::CONSTANT,
            Some(rule.name.to_string()),
            Some(rule.summary().to_string()),
            None,
        );
    }
    Some(items.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_of_a_mapping() {
        let text = "service: a\nproxy:\n  host: x\n  \n  ssl: true\nbuilder:\n  arch: amd64\n";
        let offset = text.find("  \n").unwrap() + 2;
        let mut keys = siblings(text, offset, 2);
        keys.sort();
        assert_eq!(keys, vec!["host", "ssl"]);
        let offset = text.len();
        let keys = siblings(text, offset, 0);
        assert!(keys.contains(&"service".to_string()) && keys.contains(&"builder".to_string()));
    }
}
