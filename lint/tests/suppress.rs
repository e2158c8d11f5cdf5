//! Inline suppressions and `.sextant.toml`.

mod support;

use sextant_lint::config::Selector;
use sextant_lint::{Report, Settings, Severity};

use support::{check_files, BASE};

fn codes(report: &Report) -> Vec<&str> {
    report.diagnostics.iter().map(|d| d.code()).collect()
}

#[test]
fn trailing_and_line_above() {
    let config = format!(
        "{BASE}retain_containers: \"3\"  # sextant: ignore[K003]\n# sextant: ignore[invalid-type]\ndeploy_timeout: \"9\"\ndrain_timeout: \"9\"\n"
    );
    let report = check_files(&[("config/deploy.yml", &config)], Settings::default());
    // only drain_timeout is left
    assert_eq!(codes(&report), ["K003"]);
    let d = &report.diagnostics[0];
    assert!(d
        .kamal_message
        .as_deref()
        .unwrap()
        .starts_with("drain_timeout"));
}

#[test]
fn file_wide_and_prefixes() {
    let config = format!("# sextant: ignore-file[K]\n{BASE}retain_containers: \"3\"\nnope: {{}}\n");
    let report = check_files(&[("config/deploy.yml", &config)], Settings::default());
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn unused_and_unknown_suppressions() {
    let config = format!(
        "{BASE}retain_containers: 3  # sextant: ignore[K003, nope]\n# sextant: ignore[K001]\ndeploy_timeout: 9\n"
    );
    let report = check_files(&[("config/deploy.yml", &config)], Settings::default());
    assert_eq!(
        codes(&report),
        ["X001", "X002", "X001"],
        "{:#?}",
        report.diagnostics
    );
    // the fix of a wholly unused standalone comment deletes its line
    let unused_line = report
        .diagnostics
        .iter()
        .filter(|d| d.code() == "X001")
        .nth(1)
        .unwrap();
    let edit = &unused_line.fix.as_ref().unwrap().edits[0];
    assert_eq!(report.files.slice(edit.span), "# sextant: ignore[K001]\n");
}

#[test]
fn partly_used_suppression_keeps_the_used_codes() {
    let config = format!("{BASE}retain_containers: \"3\"  # sextant: ignore[K003, K001]\n");
    let report = check_files(&[("config/deploy.yml", &config)], Settings::default());
    assert_eq!(codes(&report), ["X001"]);
    let edit = &report.diagnostics[0].fix.as_ref().unwrap().edits[0];
    assert_eq!(report.files.slice(edit.span), "K003, K001");
    assert_eq!(edit.content, "K003");
}

#[test]
fn configuration_file() {
    let config = format!("{BASE}retain_containers: \"3\"\nnope: {{}}\nx: 1\n");
    let toml = "ignore = [\"K001\"]\n[severity]\ninvalid-type = \"warning\"\n";
    let report = check_files(
        &[("config/deploy.yml", &config), (".sextant.toml", toml)],
        Settings::default(),
    );
    assert_eq!(codes(&report), ["K003"]);
    assert_eq!(report.diagnostics[0].severity, Severity::Warning);
    // command-line selection replaces the file's
    let report = check_files(
        &[("config/deploy.yml", &config), (".sextant.toml", toml)],
        Settings {
            select: Some(vec![Selector::parse("K001").unwrap()]),
            ..Settings::default()
        },
    );
    assert_eq!(codes(&report), ["K001", "K001"]);
    // per-file ignores
    let toml = "[per-file-ignores]\n\"config/*.yml\" = [\"K\"]\n";
    let report = check_files(
        &[("config/deploy.yml", &config), (".sextant.toml", toml)],
        Settings::default(),
    );
    assert!(report.diagnostics.is_empty());
}

#[test]
fn configuration_errors_are_positioned() {
    let toml = "select = [\"K\", \"nope\"]\nkamal-version = \"two\"\n";
    let report = check_files(
        &[("config/deploy.yml", BASE), (".sextant.toml", toml)],
        Settings::default(),
    );
    assert_eq!(codes(&report), ["X003", "X003"]);
    assert_eq!(report.files.slice(report.diagnostics[0].span), "\"nope\"");
    assert_eq!(report.files.slice(report.diagnostics[1].span), "\"two\"");
    // and the version from the file is used when valid
    let report = check_files(
        &[
            (
                "config/deploy.yml",
                &format!("{BASE}secrets_path: .kamal/secrets\n"),
            ),
            (".sextant.toml", "kamal-version = \"2.9.0\"\n"),
        ],
        Settings::default(),
    );
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn dockerfile_comments_suppress_the_next_line() {
    let dockerfile = "FROM ruby:3.4\nUSER app\n# sextant: ignore[F018]\nRUNN make\nCOPYY . .\n# sextant: ignore[F014]\nCMD [\"app\"]\n";
    let settings = Settings {
        select: Some(vec![
            Selector::parse("F").unwrap(),
            Selector::parse("X").unwrap(),
        ]),
        ..Settings::default()
    };
    let report = check_files(
        &[("config/deploy.yml", BASE), ("Dockerfile", dockerfile)],
        settings,
    );
    // RUNN is suppressed, COPYY is not; the F014 suppression suppresses nothing
    let found: Vec<(&str, u32)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code(), d.span.start))
        .collect();
    let copyy = dockerfile.find("COPYY").unwrap() as u32;
    assert!(found.contains(&("F018", copyy)), "{found:?}");
    assert_eq!(
        found.iter().filter(|(c, _)| *c == "F018").count(),
        1,
        "{found:?}"
    );
    assert!(found.iter().any(|(c, _)| *c == "X001"), "{found:?}");
}
