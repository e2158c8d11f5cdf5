//! The number of diagnostics per rule over `../shared/corpus` (every project, every load) is
//! kept in `tests/corpus_counts.txt`: a change must be deliberate. Regenerate with
//! `UPDATE_CORPUS_COUNTS=1 cargo test --test corpus_counts` and review the difference. Skips
//! with a reason when `../shared` is absent.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use sextant_lint::{check, discover, DiskVfs, Found, Settings};

#[test]
fn diagnostics_per_rule_on_the_corpus() {
    let Some(shared) = common::shared_or_skip("corpus counts") else {
        return;
    };
    let corpus = shared.join("corpus");
    let Ok(Found::Projects(projects)) = discover(&DiskVfs, &corpus) else {
        panic!("the corpus holds projects");
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for project in &projects {
        let settings = Settings {
            base_dir: project.root.clone(),
            // shellcheck's findings depend on whether (and which) shellcheck is installed
            shellcheck: Some(false),
            ..Settings::default()
        };
        let report = check(&DiskVfs, project, &settings).expect("corpus projects load");
        for d in &report.diagnostics {
            let key = format!("{} {} {}", d.code(), d.name(), d.severity.as_str());
            *counts.entry(key).or_default() += 1;
        }
    }
    let mut text = format!(
        "# diagnostics per rule over {} corpus projects (all loads); see tests/corpus_counts.rs\n",
        projects.len()
    );
    for (rule, n) in &counts {
        text.push_str(&format!("{rule} {n}\n"));
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_counts.txt");
    if std::env::var_os("UPDATE_CORPUS_COUNTS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    let warnings: usize = counts
        .iter()
        .filter(|(k, _)| k.ends_with(" warning"))
        .map(|(_, n)| n)
        .sum();
    common::report(&format!(
        "corpus: {} projects, {} diagnostics, {warnings} warnings",
        projects.len(),
        counts.values().sum::<usize>()
    ));
    assert!(
        want == text,
        "the diagnostics per rule on the corpus changed:\n--- expected\n{want}\n--- now\n{text}\nIf the change is deliberate, run `UPDATE_CORPUS_COUNTS=1 cargo test --test corpus_counts`"
    );
}
