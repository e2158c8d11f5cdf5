use super::*;
use crate::text::{ColumnUnit, LineIndex};
use std::fmt::Write;

const F: FileId = FileId(0);

/// A compact dump of the tree: every node with its value type and `line:col` span.
fn dump(text: &str) -> String {
    let file = parse(F, text);
    let index = LineIndex::new(text);
    let mut out = String::new();
    let pos = |s: Span| {
        let a = index.line_col(text, s.start as usize, ColumnUnit::Char);
        let b = index.line_col(text, s.end as usize, ColumnUnit::Char);
        format!("{}:{}-{}:{}", a.line + 1, a.col + 1, b.line + 1, b.col + 1)
    };
    fn walk(node: &Node, depth: usize, out: &mut String, pos: &dyn Fn(Span) -> String) {
        let pad = "  ".repeat(depth);
        match &*node.value {
            Value::Scalar(s) => {
                let _ = writeln!(
                    out,
                    "{pad}{:?} {:?}{} @{}",
                    s.typed,
                    s.text,
                    if s.erb { " erb" } else { "" },
                    pos(node.span)
                );
            }
            Value::Seq(items) => {
                let _ = writeln!(out, "{pad}seq @{}", pos(node.span));
                for i in items {
                    walk(i, depth + 1, out, pos);
                }
            }
            Value::Map(entries) => {
                let _ = writeln!(out, "{pad}map @{}", pos(node.span));
                for e in entries {
                    let _ = writeln!(
                        out,
                        "{pad}  key {:?} @{}{}",
                        e.key.ruby_to_s(),
                        pos(e.key.span),
                        e.merged_at
                            .map(|m| format!(" merged at {}", pos(m)))
                            .unwrap_or_default()
                    );
                    walk(&e.value, depth + 2, out, pos);
                }
            }
        }
    }
    if let Some(root) = &file.root {
        walk(root, 0, &mut out, &pos);
    }
    for p in &file.problems {
        let _ = writeln!(
            out,
            "problem {:?} @{}{}",
            p.kind,
            pos(p.span),
            p.related
                .map(|r| format!(" (first @{})", pos(r)))
                .unwrap_or_default()
        );
    }
    if file.failed {
        out.push_str("failed\n");
    }
    out
}

#[test]
fn erb_values_keep_offsets() {
    insta::assert_snapshot!(dump(
        "service: app\nhost: \"<%= ENV[\"HOST\"] %>\"\nport: <%= ENV.fetch(\"PORT\", 80) %>\nservers:\n  - <%= ENV[\"IP\"] %>\n  - 1.1.1.1\n"
    ));
}

#[test]
fn erb_control_lines_and_structural_output() {
    insta::assert_snapshot!(dump(
        "<% if ENV[\"X\"] %>\nhost: a\n<% else %>\nhost: b\n<% end %>\nenv:\n  clear:\n<%= File.read(\"env.yml\") %>\n"
    ));
}

#[test]
fn merge_keys_like_psych() {
    insta::assert_snapshot!(dump(
        "x-web: &web\n  hosts: [1.1.1.1]\n  cmd: bin/web\nx-b: &b\n  cmd: from-b\n  opt: b\nservers:\n  web:\n    cmd: before\n    <<: *web\n  two:\n    <<: [*web, *b]\n    cmd: after\n"
    ));
}

#[test]
fn duplicate_keys_last_wins() {
    insta::assert_snapshot!(dump("servers:\n  - 1.1.1.1\nservers:\n  - 1.1.1.2\n"));
}

#[test]
fn psych_typing_in_documents() {
    insta::assert_snapshot!(dump(
        "on: foo\nport: 2222:22\napp: 3,000\nmode: 0755\nv: 2.10\nd: 2024-01-01\ns: :sym\nq: \"yes\"\nb: |\n  yes\n"
    ));
}

#[test]
fn syntax_error_is_positioned() {
    let text = "service: app\n  image: bad\n";
    let file = parse(F, text);
    assert!(file.failed);
    assert!(file.root.is_none());
    let p = &file.problems[0];
    assert!(
        matches!(&p.kind, ProblemKind::Syntax(m) if m.contains("mapping values are not allowed"))
    );
    let index = LineIndex::new(text);
    let at = index.line_col(text, p.span.start as usize, ColumnUnit::Char);
    // Psych says "at line 2 column 8"
    assert_eq!((at.line + 1, at.col + 1), (2, 8));
}

#[test]
fn unknown_anchor_is_reported_and_parsing_goes_on() {
    let file = parse(F, "servers: *nope\nservice: app\n");
    assert!(!file.failed);
    assert!(matches!(&file.problems[0].kind, ProblemKind::UnknownAnchor(n) if n == "nope"));
    assert!(file.root.unwrap().get("service").is_some());
}

#[test]
fn billion_laughs_is_bounded() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] {
        let _ = writeln!(
            text,
            "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]"
        );
        prev = name;
    }
    let start = std::time::Instant::now();
    let file = parse(F, &text);
    assert!(file
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::AliasLimit));
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let file = parse(F, &text);
    assert!(file.failed);
    let block: String = (0..10_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let file = parse(F, &block);
    assert!(file.failed);
}

#[test]
fn empty_and_comment_only_documents_have_no_root() {
    for text in ["", "# just a comment\n", "---\n"] {
        let file = parse(F, text);
        assert!(file.root.is_none_or(|r| r.is_null()), "{text:?}");
        assert!(!file.failed);
    }
}

#[test]
fn comments_are_kept() {
    let file = parse(F, "# top\na: 1 # sextant: ignore[K001]\n");
    let texts: Vec<_> = file.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, [" top", " sextant: ignore[K001]"]);
}

#[test]
fn crlf_and_bom() {
    let file = parse(F, "\u{feff}service: app\r\nimage: x\r\n");
    let root = file.root.expect("parses");
    assert_eq!(root.get("image").and_then(Node::as_str), Some("x"));
    assert_eq!(root.map().unwrap().len(), 2);
}
