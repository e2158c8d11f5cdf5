//! `--output-format sarif`: SARIF 2.1.0, for GitHub code scanning
//! (`github/codeql-action/upload-sarif`) and other SARIF viewers.
//!
//! One run. `tool.driver.rules` lists every rule that appears (id = code, name = kebab name,
//! descriptions and help from the registry, a link to its page); each result points at its rule
//! by `ruleId` and `ruleIndex`. Paths are relative to the folder sextant ran in (`%SRCROOT%`),
//! columns count Unicode code points (`columnKind`), and regions end exclusively as SARIF
//! wants. Labels become `relatedLocations`; fixes become `fixes` (replacements on the original
//! text). `partialFingerprints` stay the same across runs and unrelated edits. Each result's
//! `properties` carry `kamal_message`, `destination`, `destinations` and `help`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde_json::{json, Map, Value};
use sextant_lint::files::Files;
use sextant_lint::registry::Rule;
use sextant_lint::text::{ColumnUnit, FileId, Span};
use sextant_lint::{Diagnostic, Fix, Report, Severity};

use super::{fingerprint, rule_url, Position, HOMEPAGE};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base the relative artifact URIs are resolved against: the folder sextant ran in.
const SRCROOT: &str = "%SRCROOT%";
/// The key of our fingerprint in `partialFingerprints` (a versioned name, as SARIF asks).
const FINGERPRINT_KEY: &str = "sextant/v1";

pub fn render(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let cwd = std::env::current_dir().ok();
    let log = log(reports, cwd.as_deref());
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    writeln!(out)
}

/// The SARIF log; `cwd` (the folder relative file names start from) gives `%SRCROOT%`.
fn log(reports: &[Report], cwd: Option<&Path>) -> Value {
    // the rules that appear, in code order
    let mut rules: BTreeMap<&str, &Rule> = BTreeMap::new();
    for (_, d) in super::diagnostics(reports) {
        rules.insert(d.rule.code, d.rule);
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, c)| (*c, i)).collect();
    let fingerprints = fingerprint::fingerprints(reports);
    let results: Vec<Value> = super::diagnostics(reports)
        .zip(fingerprints)
        .map(|((r, d), fp)| result(r, d, index[d.rule.code], &fp))
        .collect();
    let srcroot = match cwd.map(directory_uri) {
        Some(uri) => json!({ "uri": uri }),
        None => json!({ "description": { "text": "The folder sextant ran in." } }),
    };
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "sextant",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": HOMEPAGE,
                    "rules": rules.values().map(|r| descriptor(r)).collect::<Vec<_>>(),
                }
            },
            "originalUriBaseIds": { SRCROOT: srcroot },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A rule's `reportingDescriptor`: its text comes from the registry only.
fn descriptor(rule: &Rule) -> Value {
    let url = rule_url(rule);
    let summary = rule.summary();
    let page = rule.page();
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": summary },
        "fullDescription": { "text": page.trim_end() },
        "help": {
            "text": format!("{}\n\nSee {url}", page.trim_end()),
            "markdown": format!("{}\n\n[{} {}]({url})", page.trim_end(), rule.code, rule.name),
        },
        "helpUri": url,
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "category": rule.category.as_str(),
            "fixable": rule.fixable(),
            "tags": [rule.category.as_str()],
        },
    })
}

fn result(r: &Report, d: &Diagnostic, rule_index: usize, fingerprint: &str) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(d.code()));
    result.insert("ruleIndex".into(), json!(rule_index));
    result.insert("level".into(), json!(level(d.severity)));
    result.insert("message".into(), json!({ "text": d.message }));
    result.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical(&r.files, d.span) }]),
    );
    if !d.labels.is_empty() {
        let related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i,
                    "physicalLocation": physical(&r.files, l.span),
                    "message": { "text": l.message },
                })
            })
            .collect();
        result.insert("relatedLocations".into(), json!(related));
    }
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint }),
    );
    if let Some(fix) = &d.fix {
        result.insert("fixes".into(), json!([sarif_fix(&r.files, fix)]));
    }
    result.insert(
        "properties".into(),
        json!({
            "kamal_message": d.kamal_message,
            "destination": d.destination,
            "destinations": d.destinations,
            "help": d.help,
        }),
    );
    Value::Object(result)
}

fn physical(files: &Files, span: Span) -> Value {
    json!({
        "artifactLocation": artifact(files, span.file),
        "region": region(files, span),
    })
}

fn region(files: &Files, span: Span) -> Value {
    let p = Position::of(files, span, ColumnUnit::Char);
    json!({
        "startLine": p.line,
        "startColumn": p.col,
        "endLine": p.end_line,
        "endColumn": p.end_col,
    })
}

/// A relative URI against `%SRCROOT%`, or an absolute `file:` URI for a file outside it.
fn artifact(files: &Files, file: FileId) -> Value {
    let name = &files.get(file).name;
    let path = Path::new(name);
    if path.is_absolute() {
        json!({ "uri": file_uri(path) })
    } else {
        json!({ "uri": encode_path(name), "uriBaseId": SRCROOT })
    }
}

/// A fix as one `artifactChange` per file, edits as replacements of the original text.
fn sarif_fix(files: &Files, fix: &Fix) -> Value {
    let mut by_file: Vec<(FileId, Vec<Value>)> = Vec::new();
    for edit in &fix.edits {
        let replacement = json!({
            "deletedRegion": region(files, edit.span),
            "insertedContent": { "text": edit.content },
        });
        match by_file.iter_mut().find(|(f, _)| *f == edit.span.file) {
            Some((_, list)) => list.push(replacement),
            None => by_file.push((edit.span.file, vec![replacement])),
        }
    }
    json!({
        "description": { "text": fix.message },
        "artifactChanges": by_file.into_iter().map(|(file, replacements)| json!({
            "artifactLocation": artifact(files, file),
            "replacements": replacements,
        })).collect::<Vec<_>>(),
        "properties": { "applicability": fix.applicability.as_str() },
    })
}

/// Percent-encodes a relative path for a URI reference, with `/` separators.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `file:` URI of an absolute path (`/a/b` → `file:///a/b`, `C:\a` → `file:///C:/a`).
fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let encoded = encode_path(&text).replace("%3A", ":");
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// `file:` URI of a folder, ending with `/` as `originalUriBaseIds` requires.
fn directory_uri(path: &Path) -> String {
    let uri = file_uri(path);
    if uri.ends_with('/') {
        uri
    } else {
        uri + "/"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::report;
    use sextant_lint::registry::find;
    use sextant_lint::{Applicability, Edit};

    #[test]
    fn fixes_become_replacements() {
        let text = "service: app\nimage: ü/app\nretain: \"3\"\n";
        let rule = find("K003").unwrap();
        let r = report("config/deploy.yml", text, |_, find| {
            let quoted = find("\"3\"");
            vec![Diagnostic::new(rule, quoted, "quoted number")
                .with_label(find("image"), "here")
                .with_fix(Fix {
                    applicability: Applicability::Safe,
                    message: "remove the quotes".into(),
                    edits: vec![
                        Edit {
                            span: Span::new(
                                quoted.file,
                                quoted.start as usize..quoted.start as usize + 1,
                            ),
                            content: String::new(),
                        },
                        Edit {
                            span: Span::new(
                                quoted.file,
                                quoted.end as usize - 1..quoted.end as usize,
                            ),
                            content: String::new(),
                        },
                        Edit {
                            span: find("ü/app"),
                            content: "user/app".into(),
                        },
                    ],
                })]
        });
        let log = log(&[r], Some(Path::new("/work/my project")));
        let run = &log["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///work/my%20project/"
        );
        let result = &run["results"][0];
        assert_eq!(result["ruleId"], rule.code);
        assert_eq!(result["ruleIndex"], 0);
        assert_eq!(run["tool"]["driver"]["rules"][0]["id"], rule.code);
        let fix = &result["fixes"][0];
        assert_eq!(fix["description"]["text"], "remove the quotes");
        assert_eq!(fix["properties"]["applicability"], "safe");
        let change = &fix["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "config/deploy.yml");
        assert_eq!(change["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let reps = change["replacements"].as_array().unwrap();
        assert_eq!(reps.len(), 3);
        assert_eq!(
            reps[0]["deletedRegion"],
            json!({"startLine": 3, "startColumn": 9, "endLine": 3, "endColumn": 10})
        );
        assert_eq!(reps[0]["insertedContent"]["text"], "");
        assert_eq!(
            reps[1]["deletedRegion"],
            json!({"startLine": 3, "startColumn": 11, "endLine": 3, "endColumn": 12})
        );
        // columns count code points: `ü/app` is 5 characters (6 bytes)
        assert_eq!(
            reps[2]["deletedRegion"],
            json!({"startLine": 2, "startColumn": 8, "endLine": 2, "endColumn": 13})
        );
        assert_eq!(reps[2]["insertedContent"]["text"], "user/app");
        let related = &result["relatedLocations"][0];
        assert_eq!(related["message"]["text"], "here");
        assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
    }

    #[test]
    fn uris() {
        assert_eq!(encode_path("config/deploy.yml"), "config/deploy.yml");
        assert_eq!(encode_path("a b/é#?.yml"), "a%20b/%C3%A9%23%3F.yml");
        assert_eq!(encode_path("config\\deploy.yml"), "config/deploy.yml");
        assert_eq!(file_uri(Path::new("/tmp/x y")), "file:///tmp/x%20y");
        assert_eq!(directory_uri(Path::new("/")), "file:///");
        assert_eq!(directory_uri(Path::new("/tmp")), "file:///tmp/");
    }
}
