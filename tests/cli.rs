//! End-to-end tests of the `sextant` binary: exit codes, output formats parsed back, loading like
//! Kamal (-c, -d, destinations), and bad input that must never hurt.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use common::{project, run, CLEAN};

fn json(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["check", "--output-format", "json"];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let items: Vec<Value> = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "JSON output ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, items)
}

fn codes(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn clean_project_passes() {
    let p = project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    let out = run(p.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("All checks passed"), "{stdout}");
    let (code, items) = json(p.path(), &[]);
    assert_eq!(code, 0);
    assert!(items.is_empty());
}

#[test]
fn json_fields_and_positions() {
    let config = CLEAN.replace("  app_port: 3000", "  app_port: \"3000\"\n  héalth: 1");
    let p = project(&[("config/deploy.yml", config.as_bytes())]);
    let (code, items) = json(p.path(), &[]);
    assert_eq!(code, 1);
    let port = items
        .iter()
        .find(|i| i["code"] == "K003")
        .expect("app_port type error");
    for field in [
        "code",
        "name",
        "severity",
        "message",
        "filename",
        "location",
        "end_location",
        "destination",
        "kamal_message",
        "fix",
    ] {
        assert!(port.get(field).is_some(), "missing {field}");
    }
    assert_eq!(port["name"], "invalid-type");
    assert_eq!(port["severity"], "error");
    assert_eq!(port["filename"], "config/deploy.yml");
    assert_eq!(
        port["kamal_message"],
        "proxy/app_port: should be an integer"
    );
    assert_eq!(port["location"]["row"], 14);
    assert_eq!(port["location"]["column"], 13);
    assert_eq!(port["end_location"]["column"], 19);
    assert!(port["destination"].is_null());
    assert!(port["fix"].is_null());
    // columns count characters: `héalth` starts at column 3 and ends at 9
    let unknown = items
        .iter()
        .find(|i| i["code"] == "K001")
        .expect("unknown key");
    assert_eq!(unknown["kamal_message"], "proxy: unknown key: héalth");
    assert_eq!(unknown["location"]["column"], 3);
    assert_eq!(unknown["end_location"]["column"], 9);
}

#[test]
fn every_error_at_once() {
    let config = "\
service: my.app
image: user/app
retain_containers: \"3\"
registry:
  username: user
  password: 1234
servers:
  web:
    hosts: [10.0.0.1]
    options:
      restart: always
traefik:
  args: {}
";
    let p = project(&[("config/deploy.yml", config.as_bytes())]);
    let (code, items) = json(p.path(), &[]);
    assert_eq!(code, 1);
    let kamal: Vec<&str> = items
        .iter()
        .filter_map(|i| i["kamal_message"].as_str())
        .collect();
    for want in [
        "unknown key: traefik",
        "retain_containers: should be an integer",
        "registry/password: should be a string or an array with one string (for secret lookup)",
        "servers/web: Cannot set restart policy in docker options, unless-stopped is required",
        "builder: Builder arch not set",
        "Service name can only include alphanumeric characters, hyphens, and underscores",
    ] {
        assert!(kamal.contains(&want), "missing {want:?} in {kamal:#?}");
    }
}

#[test]
fn warnings_alone_do_not_fail_unless_asked() {
    let config = format!("{CLEAN}deploy_timeout: 10\ndeploy_timeout: 20\n");
    let p = project(&[("config/deploy.yml", config.as_bytes())]);
    let (code, items) = json(p.path(), &[]);
    assert_eq!(codes(&items), ["Y002"]);
    assert_eq!(items[0]["severity"], "warning");
    assert_eq!(code, 0);
    let (code, _) = json(p.path(), &["--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn destinations_are_checked_and_named() {
    let staging = "servers:\n  web:\n    - 10.0.0.7\n    - 10.0.0.8\nproxy:\n  ssl: true\n";
    let p = project(&[
        ("config/deploy.yml", CLEAN.as_bytes()),
        ("config/deploy.staging.yml", staging.as_bytes()),
        (
            "config/deploy.production.yml",
            b"env:\n  clear:\n    A: b\n",
        ),
    ]);
    let (code, items) = json(p.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["code"], "K014");
    assert_eq!(items[0]["destination"], "staging");
    assert_eq!(items[0]["filename"], "config/deploy.staging.yml");
    assert_eq!(
        items[0]["kamal_message"],
        "SSL is only supported on a single server unless you provide custom certificates, found 2 servers for role web"
    );
    // -d production: only that load
    let (code, items) = json(p.path(), &["-d", "production"]);
    assert_eq!((code, items.len()), (0, 0));
    // -d with a missing destination file: Kamal's RuntimeError
    let (code, items) = json(p.path(), &["-d", "nope"]);
    assert_eq!(code, 1);
    assert_eq!(items[0]["code"], "K032");
    let expected = format!(
        "Configuration file not found in {}",
        p.path()
            .canonicalize()
            .unwrap()
            .join("config/deploy.nope.yml")
            .display()
    );
    let got = items[0]["kamal_message"].as_str().unwrap();
    assert!(
        got == expected
            || got
                == format!(
                    "Configuration file not found in {}",
                    p.path().join("config/deploy.nope.yml").display()
                ),
        "{got}"
    );
}

#[test]
fn problems_shared_by_loads_are_reported_once() {
    let base = CLEAN.replace("  app_port: 3000", "  app_port: \"3000\"");
    let p = project(&[
        ("config/deploy.yml", base.as_bytes()),
        ("config/deploy.a.yml", b"env:\n  A: b\n"),
        ("config/deploy.b.yml", b"env:\n  B: c\n"),
    ]);
    let (_, items) = json(p.path(), &[]);
    assert_eq!(codes(&items), ["K003"]);
    assert!(items[0]["destination"].is_null());
}

#[test]
fn require_destination_with_destinations_is_not_an_error_here() {
    let base = format!("{CLEAN}require_destination: true\n");
    let p = project(&[
        ("config/deploy.yml", base.as_bytes()),
        ("config/deploy.production.yml", b"env:\n  A: b\n"),
    ]);
    let (code, items) = json(p.path(), &[]);
    assert_eq!((code, items.len()), (0, 0), "{items:#?}");
    // without any destination file it is Kamal's ArgumentError
    let p = project(&[("config/deploy.yml", base.as_bytes())]);
    let (code, items) = json(p.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(items[0]["kamal_message"], "You must specify a destination");
}

#[test]
fn config_file_option_uses_the_current_folder_as_root() {
    let p = project(&[
        ("deploy/app.yml", CLEAN.as_bytes()),
        (
            "deploy/app.staging.yml",
            b"proxy:\n  app_port: \"80\"\n" as &[u8],
        ),
        (".kamal/hooks/pre-traefik-reboot", b"#!/bin/sh\n"),
    ]);
    let (code, items) = json(p.path(), &["-c", "deploy/app.yml", "-d", "staging"]);
    assert_eq!(code, 1);
    let kamal: Vec<&str> = items
        .iter()
        .filter_map(|i| i["kamal_message"].as_str())
        .collect();
    assert!(kamal.contains(&"proxy/app_port: should be an integer"));
    // hooks are looked up relative to the current folder, as Kamal does
    assert!(kamal
        .contains(&"Found pre-traefik-reboot, these should be renamed to (pre|post)-proxy-reboot"));
    let hook = items.iter().find(|i| i["code"] == "K031").unwrap();
    assert_eq!(hook["filename"], ".kamal/hooks/pre-traefik-reboot");
}

#[test]
fn files_and_folders_as_paths() {
    let p = project(&[
        ("app/config/deploy.yml", CLEAN.as_bytes()),
        (
            "app/.kamal/secrets",
            b"KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n",
        ),
        ("app/.github/workflows/deploy.yml", b"on: push\njobs: {}\n"),
        ("other/config/deploy.yml", b"service: x\n"),
    ]);
    // a workflow file is never treated as a Kamal config
    let out = run(p.path(), &["check", "app/.github/workflows/deploy.yml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a file of a Kamal project"));
    // a file of a project checks its project
    let (code, items) = json(p.path(), &["app/config/deploy.yml"]);
    assert_eq!((code, items.len()), (0, 0));
    // a folder of projects checks each
    let (code, items) = json(p.path(), &["."]);
    assert_eq!(code, 1);
    assert!(items
        .iter()
        .all(|i| i["filename"] == "other/config/deploy.yml"));
}

#[test]
fn usage_and_io_problems_exit_2() {
    let p = project(&[("notes.txt", b"hello")]);
    for args in [
        vec!["check", "--no-such-flag"],
        vec!["check", "missing-folder"],
        vec!["check", "."],
        vec!["check", "-c", "config/missing.yml"],
        vec!["check", "-c", "a.yml", "."],
        vec!["check", "--kamal-version", "two"],
    ] {
        let out = run(p.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(!out.stderr.is_empty(), "{args:?} says why");
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{args:?}"
        );
    }
    let out = run(p.path(), &["check", "."]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no config/deploy.yml"));
}

#[test]
fn output_formats_concise_and_full() {
    let config = CLEAN.replace("  app_port: 3000", "  app_port: \"3000\"");
    let p = project(&[("config/deploy.yml", config.as_bytes())]);
    let out = run(p.path(), &["check", "--output-format", "concise"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim(),
        "config/deploy.yml:14:13: error K003 `proxy/app_port` should be an integer, found a string"
    );
    let out = run(p.path(), &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("error[K003]"), "{stdout}");
    assert!(stdout.contains("┌─ config/deploy.yml:14:13"), "{stdout}");
    assert!(stdout.contains("kamal: proxy/app_port: should be an integer"));
    assert!(stdout.contains("Found 1 error"));
    assert!(!stdout.contains('\u{1b}'), "NO_COLOR: no escape codes");
    let out = run(p.path(), &["check", "--color", "always"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn kamal_version_gates_keys() {
    let config = format!("{CLEAN}secrets_path: .kamal/secrets\n");
    let p = project(&[("config/deploy.yml", config.as_bytes())]);
    let (code, items) = json(p.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(items[0]["code"], "K002");
    assert_eq!(items[0]["kamal_message"], "unknown key: secrets_path");
    assert!(items[0]["message"]
        .as_str()
        .unwrap()
        .contains("requires Kamal ≥ 2.9.0"));
    let (code, items) = json(p.path(), &["--kamal-version", "2.9.0"]);
    assert_eq!((code, items.len()), (0, 0));
    // from Gemfile.lock
    let p = project(&[
        ("config/deploy.yml", config.as_bytes()),
        (
            "Gemfile.lock",
            b"GEM\n  remote: https://rubygems.org/\n  specs:\n    kamal (2.10.1)\n      activesupport (>= 7.0)\n",
        ),
    ]);
    let (code, _) = json(p.path(), &[]);
    assert_eq!(code, 0);
    // minimum_version above the Gemfile.lock version is Kamal's own error
    let config = format!("{CLEAN}minimum_version: \"2.11.0\"\n");
    std::fs::write(p.path().join("config/deploy.yml"), config).unwrap();
    let (_, items) = json(p.path(), &[]);
    assert_eq!(
        items[0]["kamal_message"],
        "Current version is 2.10.1, minimum required is 2.11.0"
    );
}

#[test]
fn schema_command_prints_a_json_schema() {
    let p = project(&[]);
    let out = run(p.path(), &["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["properties"]["proxy"].is_object());
}

#[test]
fn rules_and_rule_commands() {
    let p = project(&[]);
    let out = run(p.path(), &["rules"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout
        .lines()
        .any(|l| l.starts_with("K001") && l.contains("unknown-key")));
    let out = run(p.path(), &["rules", "--output-format", "json"]);
    let rules: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(rules
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "K001"));
    let out = run(p.path(), &["rule", "invalid-type"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("K003"));
    let out = run(p.path(), &["rule", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

// ------------------------------------------------------------------------------------------
// Bad input never hurts
// ------------------------------------------------------------------------------------------

fn check_completes(files: &[(&str, &[u8])], limit: Duration) -> (i32, Vec<Value>) {
    let p = project(files);
    let start = Instant::now();
    let result = json(p.path(), &[]);
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    result
}

#[test]
fn non_utf8_bytes_are_a_positioned_error() {
    let mut config = CLEAN.as_bytes().to_vec();
    config.extend_from_slice(b"env:\n  NAME: caf\xe9\n");
    let (code, items) = check_completes(&[("config/deploy.yml", &config)], Duration::from_secs(10));
    assert_eq!(code, 1);
    let bad = items.iter().find(|i| i["code"] == "Y007").expect("Y007");
    assert_eq!(bad["location"]["row"], 16);
    assert_eq!(bad["location"]["column"], 12);
}

#[test]
fn bom_and_crlf_are_fine() {
    let mut config = b"\xef\xbb\xbf".to_vec();
    config.extend_from_slice(CLEAN.replace('\n', "\r\n").as_bytes());
    let (code, items) = check_completes(&[("config/deploy.yml", &config)], Duration::from_secs(10));
    assert_eq!((code, items.len()), (0, 0), "{items:#?}");
    // positions with CRLF
    let broken = CLEAN
        .replace("  app_port: 3000", "  app_port: x")
        .replace('\n', "\r\n");
    let (_, items) = check_completes(
        &[("config/deploy.yml", broken.as_bytes())],
        Duration::from_secs(10),
    );
    assert_eq!(items[0]["location"]["row"], 14);
    assert_eq!(items[0]["location"]["column"], 13);
    assert_eq!(items[0]["end_location"]["column"], 14);
}

#[test]
fn empty_and_comment_only_files() {
    for text in ["", "# nothing here\n", "---\n", "- a\n- b\n"] {
        let (code, items) = check_completes(
            &[("config/deploy.yml", text.as_bytes())],
            Duration::from_secs(10),
        );
        assert_eq!(code, 1, "{text:?}");
        assert_eq!(items[0]["code"], "K034", "{text:?}");
    }
    let (_, items) = check_completes(
        &[
            ("config/deploy.yml", CLEAN.as_bytes()),
            ("config/deploy.empty.yml", b""),
        ],
        Duration::from_secs(10),
    );
    assert_eq!(
        items[0]["kamal_message"],
        "undefined method `symbolize_keys' for false:FalseClass"
    );
    assert_eq!(items[0]["filename"], "config/deploy.empty.yml");
}

#[test]
fn ten_megabyte_file() {
    let mut config = CLEAN.to_string();
    config.push_str("env:\n  clear:\n");
    let mut i = 0;
    while config.len() < 10 * 1024 * 1024 {
        config.push_str(&format!(
            "    VARIABLE_NUMBER_{i}: \"some value for variable {i}\"\n"
        ));
        i += 1;
    }
    let (code, items) = check_completes(
        &[("config/deploy.yml", config.as_bytes())],
        Duration::from_secs(60),
    );
    assert_eq!((code, items.len()), (0, 0));
}

#[test]
fn ten_thousand_deep_nesting() {
    let flow = format!(
        "{CLEAN}x-deep: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (code, items) = check_completes(
        &[("config/deploy.yml", flow.as_bytes())],
        Duration::from_secs(20),
    );
    assert_eq!(code, 1);
    assert_eq!(items[0]["code"], "Y001");
    // 5 000 levels of block nesting (12 MB: 10 000 would pass the 16 MiB cap for configs, which
    // `tests/security` checks on its own)
    let mut block = format!("{CLEAN}x-deep:\n");
    for depth in 1..5_000 {
        block.push_str(&format!("{}k:\n", " ".repeat(depth)));
    }
    let (code, items) = check_completes(
        &[("config/deploy.yml", block.as_bytes())],
        Duration::from_secs(20),
    );
    assert_eq!(code, 1);
    assert_eq!(items[0]["code"], "Y001");
}

#[test]
fn billion_laughs() {
    let mut config = format!("{CLEAN}x-a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (prev, name) = (w[0], w[1]);
        let refs = vec![format!("*{prev}"); 9].join(", ");
        config.push_str(&format!("x-{name}: &{name} [{refs}]\n"));
    }
    config.push_str("volumes: *i\n");
    let (code, items) = check_completes(
        &[("config/deploy.yml", config.as_bytes())],
        Duration::from_secs(20),
    );
    assert_eq!(code, 1);
    assert!(codes(&items).contains(&"Y004".to_string()), "{items:#?}");
}

#[test]
fn erb_is_never_executed() {
    let dir = tempfile::tempdir().unwrap();
    let marker: PathBuf = dir.path().join("pwned");
    let config = CLEAN.replace(
        "service: app",
        &format!(
            "service: <%= `touch {m}` %>app\n# <%= system(\"touch {m}\") %>\nx-run: <%= %x(touch {m}) %>",
            m = marker.display()
        ),
    );
    let p = project(&[
        ("config/deploy.yml", config.as_bytes()),
        (
            ".kamal/secrets",
            format!("KAMAL_REGISTRY_PASSWORD=$(touch {})\n", marker.display()).as_bytes(),
        ),
        (
            ".kamal/hooks/pre-connect",
            format!("#!/bin/sh\ntouch {}\n", marker.display()).as_bytes(),
        ),
    ]);
    // an executable hook (as Kamal needs it), which sextant must still never run
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let hook = p.path().join(".kamal/hooks/pre-connect");
        std::fs::set_permissions(hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let (code, _) = json(p.path(), &[]);
    assert_eq!(code, 0);
    assert!(
        !marker.exists(),
        "sextant executed something from the project"
    );
}

#[test]
fn nothing_in_the_project_is_written() {
    let p = project(&[("config/deploy.yml", CLEAN.replace("amd64", "").as_bytes())]);
    let before = snapshot(p.path());
    let _ = json(p.path(), &[]);
    let _ = run(p.path(), &["check"]);
    assert_eq!(before, snapshot(p.path()));
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn unreadable_files_are_clear_errors() {
    // a folder where the config file should be
    let p = project(&[("config/deploy.yml/oops", b"")]);
    let out = run(p.path(), &["check", "-c", "config/deploy.yml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("config/deploy.yml"));
}

/// The README's first command: the rendered output on the example project is stable.
#[test]
fn example_project_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(root, &["check", "examples", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
    let (_, items) = json(root, &["examples"]);
    insta::assert_snapshot!(
        "example_concise",
        String::from_utf8_lossy(
            &run(root, &["check", "examples", "--output-format", "concise"]).stdout
        )
    );
    assert_eq!(items.len(), 8);
}

#[test]
fn a_project_that_cannot_be_loaded_is_never_reported_as_passing() {
    let dir = common::project(&[]);
    std::fs::create_dir_all(dir.path().join("config/deploy.yml")).unwrap();
    for format in ["full", "concise", "json"] {
        let out = common::run(
            dir.path(),
            &[
                "check",
                "-c",
                "config/deploy.yml",
                "--output-format",
                format,
            ],
        );
        assert_eq!(out.status.code(), Some(2));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("All checks passed"), "{format}: {stdout}");
        assert!(stdout.trim().is_empty(), "{format}: {stdout}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
    }
}
