//! Every rule owns its words: a diagnostic's message, Kamal message, help, labels and fix text
//! are written in the file that declares the rule (`rules/<area>/<rule>.rs`, next to its page),
//! in constructors that the code deciding *when* and *where* (the Kamal validator, the engine,
//! the suppressions) calls. This test reads the engine's sources and fails on:
//!
//! 1. `Diagnostic::new(&RULE, …)` in a file other than the one declaring `RULE` (or with a rule
//!    that is not named there, so that it cannot be checked), or a `Diagnostic { … }` literal
//!    outside `diagnostic.rs`;
//! 2. text (a string literal or `format!`) given to `with_help`, `help =`, `with_kamal`,
//!    `with_label`, `label`, `message =` or a `Fix { .. }` in a file that declares no rule.
//!
//! Exceptions are listed below, each with its reason; an exception that no longer matches
//! anything fails the test too, so the list only shrinks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Known places that write another file's words: (file under `lint/src`, what is written there
/// — the rule of a `Diagnostic::new`, or the method setting words —, reason).
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "fix.rs",
        "UNKNOWN_KEY",
        "unit tests of the fix applier build a placeholder diagnostic (`\"x\"`) of an arbitrary rule",
    ),
    (
        "fix.rs",
        "Fix { .. }",
        "unit tests of the fix applier build placeholder fixes (`\"fix\"`)",
    ),
    (
        "redact.rs",
        "help",
        "the redactor's note that a fix is withheld from the output (its edit carries a secret) \
         is added at the sink to any rule's help",
    ),
];

struct Source {
    /// Relative to `lint/src`, with `/`.
    path: String,
    /// The code, comment lines blanked (doc examples are not code).
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).expect("read a source file");
            let code = text
                .lines()
                .map(|l| {
                    if l.trim_start().starts_with("//") {
                        ""
                    } else {
                        l
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            let path = file
                .strip_prefix(&root)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            Source { path, code }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `RULE` → the file whose `declare_rule!` declares it (`pub static RULE = {`).
fn declarations(sources: &[Source]) -> BTreeMap<String, String> {
    let mut declared = BTreeMap::new();
    for s in sources {
        for line in s.code.lines() {
            let line = line.trim();
            let Some(rest) = line.strip_prefix("pub static ") else {
                continue;
            };
            let Some(name) = rest.strip_suffix(" = {") else {
                continue;
            };
            if is_rule_name(name) {
                let before = declared.insert(name.to_string(), s.path.clone());
                assert!(before.is_none(), "rule {name} declared twice");
            }
        }
    }
    declared
}

fn is_rule_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The 1-based line of a byte offset.
fn line_of(code: &str, at: usize) -> usize {
    code[..at].matches('\n').count() + 1
}

/// The text between the parenthesis that opens at `open` and its match.
fn call_arguments(code: &str, open: usize) -> &str {
    enclosed(code, open, b'(', b')')
}

/// The text between the `left` bracket at `open` and its match (string and `'"'` character
/// literals skipped).
fn enclosed(code: &str, open: usize, left: u8, right: u8) -> &str {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = open;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else if bytes[i..].starts_with(b"'\"'") {
            i += 2;
        } else if c == b'"' {
            in_string = true;
        } else if c == left {
            depth += 1;
        } else if c == right {
            depth -= 1;
            if depth == 0 {
                return &code[open + 1..i];
            }
        }
        i += 1;
    }
    &code[open + 1..]
}

/// Whether code holds text: a string literal (not the character `'"'`) or a `format!`.
fn has_text(code: &str) -> bool {
    code.replace("'\"'", "").contains('"') || code.contains("format!")
}

/// Whether the type name at `at` starts a struct literal (not an `impl`, a return type, …).
fn is_literal(code: &str, at: usize) -> bool {
    let before = code[..at].trim_end();
    !["->", "for", "impl", "struct", "enum", "pub"]
        .iter()
        .any(|w| before.ends_with(w))
}

/// A place that writes words it does not own.
#[derive(Debug)]
struct Offence {
    path: String,
    line: usize,
    /// The rule, or the method setting words.
    what: String,
    why: String,
}

fn offences(sources: &[Source], declared: &BTreeMap<String, String>) -> Vec<Offence> {
    let rule_files: Vec<&String> = declared.values().collect();
    let mut found = Vec::new();
    for s in sources {
        let code = &s.code;
        // 1. who builds a rule's diagnostic
        for (at, _) in code.match_indices("Diagnostic::new(") {
            let open = at + "Diagnostic::new".len();
            let args = call_arguments(code, open);
            let first = args.split(',').next().unwrap_or("").trim();
            let rule = first
                .trim_start_matches('&')
                .rsplit("::")
                .next()
                .unwrap_or("");
            let why = match declared.get(rule) {
                Some(home) if *home == s.path => continue,
                Some(home) => format!("{rule}'s words belong in {home}"),
                None => format!(
                    "the rule `{first}` is not named at the construction: build it in its file"
                ),
            };
            found.push(Offence {
                path: s.path.clone(),
                line: line_of(code, at),
                what: rule.to_string(),
                why,
            });
        }
        if s.path != "diagnostic.rs" {
            for (at, _) in code.match_indices("Diagnostic {") {
                let before = code[..at].trim_end();
                // `-> Diagnostic {` opens a function body, not a literal
                if before.ends_with("->") || before.ends_with("for") || before.ends_with("impl") {
                    continue;
                }
                found.push(Offence {
                    path: s.path.clone(),
                    line: line_of(code, at),
                    what: "Diagnostic { .. }".into(),
                    why: "a diagnostic literal: use the rule's constructor".into(),
                });
            }
        }
        // 2. words written in a file that owns no rule
        if rule_files.contains(&&s.path) || s.path == "diagnostic.rs" {
            continue;
        }
        for method in [".with_help(", ".with_kamal(", ".with_label(", ".label("] {
            for (at, _) in code.match_indices(method) {
                let args = call_arguments(code, at + method.len() - 1);
                if has_text(args) {
                    found.push(Offence {
                        path: s.path.clone(),
                        line: line_of(code, at),
                        what: method.trim_matches(|c| c == '.' || c == '(').to_string(),
                        why: "text written outside the rule's file".into(),
                    });
                }
            }
        }
        for (at, _) in code.match_indices("Fix {") {
            if !is_literal(code, at) {
                continue;
            }
            let body = enclosed(code, at + "Fix ".len(), b'{', b'}');
            if has_text(body) {
                found.push(Offence {
                    path: s.path.clone(),
                    line: line_of(code, at),
                    what: "Fix { .. }".into(),
                    why: "a fix's text written outside the rule's file".into(),
                });
            }
        }
        for field in [".help = ", ".message = "] {
            for (at, _) in code.match_indices(field) {
                let statement = code[at..].split(';').next().unwrap_or("");
                if has_text(statement) {
                    found.push(Offence {
                        path: s.path.clone(),
                        line: line_of(code, at),
                        what: field
                            .trim_matches(|c| c == '.' || c == ' ' || c == '=')
                            .into(),
                        why: "text written outside the rule's file".into(),
                    });
                }
            }
        }
    }
    found.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    found
}

#[test]
fn no_rule_message_is_written_outside_its_file() {
    let sources = sources();
    let declared = declarations(&sources);
    assert!(
        declared.len() > 100,
        "found only {} rule declarations: the scan is broken",
        declared.len()
    );
    let found = offences(&sources, &declared);
    let excepted = |o: &Offence| {
        EXCEPTIONS
            .iter()
            .any(|(path, what, _)| o.path == *path && o.what == *what)
    };
    let offenders: Vec<String> = found
        .iter()
        .filter(|o| !excepted(o))
        .map(|o| format!("lint/src/{}:{}: {} ({})", o.path, o.line, o.what, o.why))
        .collect();
    assert!(
        offenders.is_empty(),
        "rule words written outside their rule's file:\n{}",
        offenders.join("\n")
    );
    let stale: Vec<String> = EXCEPTIONS
        .iter()
        .filter(|(path, what, _)| !found.iter().any(|o| o.path == *path && o.what == *what))
        .map(|(path, what, why)| format!("lint/src/{path}: {what} ({why})"))
        .collect();
    assert!(
        stale.is_empty(),
        "exceptions that match nothing any more, remove them:\n{}",
        stale.join("\n")
    );
}

/// The scan itself: it finds a construction outside the rule's file, in a file without
/// rules, and through a rule it cannot name; and accepts a rule file's own constructor.
#[test]
fn the_scan_finds_what_it_looks_for() {
    let sources = vec![
        Source {
            path: "rules/kamal/unknown_key.rs".into(),
            code: "pub static UNKNOWN_KEY = {\nfn f() -> Diagnostic { Diagnostic::new(&UNKNOWN_KEY, s, \"m\") }".into(),
        },
        Source {
            path: "kamal/generic.rs".into(),
            code: "let d = Diagnostic::new(\n    &rules::UNKNOWN_KEY,\n    span,\n    format!(\"x\"),\n);\nv.error(rule, s).help = Some(\"h\".into());\nDiagnostic::new(rule, s, m).with_label(s, format!(\"l\"));\nd.with_help(quoted(c == '\"'));\nimpl Fix {\n    fn f() -> Fix { Fix { message: \"m\".into() } }\n}".into(),
        },
    ];
    let declared = declarations(&sources);
    let found = offences(&sources, &declared);
    let got: Vec<(String, usize, String)> = found
        .iter()
        .map(|o| (o.path.clone(), o.line, o.what.clone()))
        .collect();
    let want: Vec<(String, usize, String)> = vec![
        ("kamal/generic.rs".into(), 1, "UNKNOWN_KEY".into()),
        ("kamal/generic.rs".into(), 6, "help".into()),
        ("kamal/generic.rs".into(), 7, "rule".into()),
        ("kamal/generic.rs".into(), 7, "with_label".into()),
        ("kamal/generic.rs".into(), 10, "Fix { .. }".into()),
    ];
    assert_eq!(got, want);
}
