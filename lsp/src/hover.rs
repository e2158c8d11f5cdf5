//! Hover: key docs from the schema, where a secret is defined, a rule's page.

use sextant_lint::hook_env;
use sextant_lint::project::display_name;
use sextant_lint::registry;
use sextant_lint::Version;
use sextant_schema::{describe, Key, V2_0};
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use crate::cursor::{self, At};
use crate::secrets;
use crate::server::Request;
use sextant_lint::project::KamalFile;
use sextant_schema::place::{self, KeyInfo};

pub fn hover(r: &Request, pos: Position) -> Option<Hover> {
    let offset = r.offset(pos);
    let kind = r.kind();
    // one analysis per hover, for configs (where the answer depends on it)
    let report = matches!(kind, Some(KamalFile::Config(_)))
        .then(|| r.report())
        .flatten();
    let (text, range) = rule_under(r, offset).or_else(|| match kind {
        Some(KamalFile::Config(_)) => config_hover(r, offset, report.as_ref()),
        Some(KamalFile::Hook(_)) => variable_hover(r, offset),
        _ => None,
    })?;
    let text = secrets::redactor(r, report.as_ref()).scrub(&text);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: if r.caps.markdown {
                MarkupKind::Markdown
            } else {
                MarkupKind::PlainText
            },
            value: text,
        }),
        range: Some(r.range(range)),
    })
}

type Found = (String, std::ops::Range<usize>);

/// The word around `offset` (letters, digits, `_`, `-`), and its range.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, std::ops::Range<usize>)> {
    let (start, line) = cursor::line_at(text, offset);
    let col = offset.saturating_sub(start).min(line.len());
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let from = cursor::word_start(&line[..col], is_word);
    let to = line[col..]
        .find(|c| !is_word(c))
        .map_or(line.len(), |i| col + i);
    (from < to).then(|| (&line[from..to], start + from..start + to))
}

/// A rule code or name in a suppression comment (any file) or in `.sextant.toml`.
fn rule_under(r: &Request, offset: usize) -> Option<Found> {
    let text = &r.doc.text;
    let (start, line) = cursor::line_at(text, offset);
    let in_comment = line
        .find('#')
        .is_some_and(|hash| start + hash < offset && line[hash..].contains("sextant:"));
    if !in_comment && r.kind() != Some(KamalFile::Settings) {
        return None;
    }
    let (word, range) = word_at(text, offset)?;
    let rule = registry::find(word)?;
    let page = format!(
        "**{} `{}`** ({}, {})\n\n{}",
        rule.code,
        rule.name,
        rule.category.title(),
        rule.severity.as_str(),
        rule.page()
    );
    Some((page, range))
}

fn config_hover(
    r: &Request,
    offset: usize,
    report: Option<&sextant_lint::Report>,
) -> Option<Found> {
    let c = cursor::at(&r.doc.text, offset);
    let version = r.version(report);
    match c.at {
        At::Key => {
            let (name, range) = c.key.clone()?;
            Some((key_doc(&c.path, &name, version)?, range))
        }
        At::Value | At::Item => {
            let (_, range) = c.scalar.clone()?;
            if let Some(report) = &report {
                if let Some(name) = secrets::referenced_at(report, &r.path, offset) {
                    // a value written where a name belongs is never echoed
                    if r.redacted(report, range.clone()) {
                        return None;
                    }
                    return Some((secret_doc(report, &name), range));
                }
            }
            if c.at == At::Value {
                let name = c.key.clone()?.0;
                return Some((key_doc(&c.path, &name, version)?, range));
            }
            None
        }
        At::Text => None,
    }
}

/// The documentation of a key, for the Kamal version checked against.
pub fn key_doc(parent: &[String], name: &str, version: Version) -> Option<String> {
    let shown = place::display(parent, name);
    match place::key(parent, name)? {
        KeyInfo::Known(key) => Some(known_key(&shown, key, version)),
        KeyInfo::Role => Some(format!(
            "**Role `{name}`**\n\n{}\n\nHosts of this role run the app with the role's \
             settings; `web` gets the proxy by default.",
            sextant_schema::kamal::ROLE.doc
        )),
        KeyInfo::Accessory => Some(format!(
            "**Accessory `{name}`**\n\n{}",
            sextant_schema::kamal::ACCESSORY.doc
        )),
        KeyInfo::Tag => Some(format!(
            "**Host tag `{name}`**\n\nEnv added to the containers on hosts tagged `{name}`."
        )),
        KeyInfo::EnvVar => Some(format!(
            "**Environment variable `{name}`**\n\nPassed in clear on the `docker run` command \
             line. Use `secret` for anything sensitive."
        )),
        KeyInfo::Hook => Some(match hook_env::hook(name) {
            Some(hook) => format!("**Hook `{name}`**\n\n{}", hook.runs),
            None => format!("**`{name}`** is not a hook name Kamal knows."),
        }),
    }
}

fn known_key(shown: &str, key: &Key, version: Version) -> String {
    let mut out = format!("**`{shown}`** · {}\n\n{}\n", describe(key.ty), key.doc);
    if key.required {
        out.push_str("\nRequired.\n");
    }
    if let Some(default) = key.default {
        out.push_str(&format!("\nDefault: `{default}`\n"));
    }
    if !key.values.is_empty() {
        let values: Vec<String> = key.values.iter().map(|v| format!("`{v}`")).collect();
        out.push_str(&format!("\nValues: {}\n", values.join(", ")));
    }
    if key.since > V2_0 {
        out.push_str(&format!("\nAdded in Kamal {}.", key.since));
        if !key.available_in(version) {
            out.push_str(&format!(
                " **Not available in Kamal {version}**, the version checked against: Kamal \
                 {version} rejects this key."
            ));
        }
        out.push('\n');
    }
    if let Some(example) = key.example {
        out.push_str(&format!("\n```yaml\n{example}\n```\n"));
    }
    out
}

/// Where a secret is defined for each load; never its value.
pub fn secret_doc(report: &sextant_lint::Report, name: &str) -> String {
    let root = &report.project.root;
    let mut out = format!("**Secret `{name}`**\n\n");
    let loads = secrets::per_load(report);
    if loads.is_empty() {
        out.push_str("No load of this project could be read.\n");
    }
    for load in &loads {
        let line = match load.get(name) {
            Some(def) => {
                let file = report.files.get(def.key.file);
                format!(
                    "- {}: `{}` line {}{}\n",
                    load.label(),
                    display_name(&file.path, root),
                    file.index.line_of(def.key.start as usize) + 1,
                    if def.command { " (from a command)" } else { "" }
                )
            }
            None => format!(
                "- {}: **not defined** (reads {})\n",
                load.label(),
                load.files
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        out.push_str(&line);
    }
    out
}

fn variable_hover(r: &Request, offset: usize) -> Option<Found> {
    let (word, range) = word_at(&r.doc.text, offset)?;
    let doc = hook_env::variable(word)?;
    Some((
        format!("**`{word}`** (set by Kamal for hooks)\n\n{doc}"),
        range,
    ))
}
