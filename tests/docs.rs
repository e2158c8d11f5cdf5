//! `docs/rules.md` is generated from the rules' doc comments; this test fails when it is stale
//! (regenerate with `UPDATE_DOCS=1 cargo test --test docs`), and checks every page has the
//! expected sections.

use std::path::Path;

use sextant_lint::registry::{rules_markdown, ALL};

#[test]
fn rules_page_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let want = rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test --test docs` and commit it"
    );
}

#[test]
fn every_rule_has_a_full_page() {
    let mut missing = Vec::new();
    for rule in ALL {
        let page = rule.page();
        for section in ["## What it does", "## Why is this bad?", "## Example"] {
            if !page.contains(section) {
                missing.push(format!("{} {}: no `{section}`", rule.code, rule.name));
            }
        }
        if !page.contains("```") {
            missing.push(format!("{} {}: no example block", rule.code, rule.name));
        }
    }
    assert!(
        missing.is_empty(),
        "pages to complete:\n{}",
        missing.join("\n")
    );
}
