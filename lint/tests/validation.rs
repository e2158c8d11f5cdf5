//! Kamal validation behaviours beyond the conformance suites: ERB, anchors, versions.

mod support;

use sextant_lint::text::ColumnUnit;
use sextant_lint::{Report, Settings, Version};

use support::{check_files, BASE};

/// [`check_files`] with `--kamal-version` set to `version`.
fn run(files: &[(&str, &str)], version: Option<Version>) -> Report {
    let settings = Settings {
        kamal_version: version,
        ..Settings::default()
    };
    check_files(files, settings)
}

fn kamal(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter_map(|d| d.kamal_message.clone())
        .collect()
}

#[test]
fn erb_values_are_never_type_checked() {
    let config = format!(
        "{BASE}retain_containers: <%= ENV.fetch('RETAIN', 3) %>\nproxy:\n  app_port: <%= 3000 %>\n  ssl: <%= true %>\n"
    );
    let report = run(&[("config/deploy.yml", &config)], None);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn erb_that_writes_yaml_makes_missing_keys_unknown() {
    // servers and builder come from ERB output lines: nothing can be said to be missing
    let config = "service: app\nimage: user/app\nregistry:\n  server: localhost:5000\n<%= File.read('config/servers.yml') %>\nbuilder:\n<%= '  arch: amd64' %>\n";
    let report = run(&[("config/deploy.yml", config)], None);
    assert!(kamal(&report).is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn erb_branches_are_not_duplicate_keys() {
    let config = format!("{BASE}<% if ENV['BIG'] %>\nretain_containers: 10\n<% else %>\nretain_containers: 2\n<% end %>\n");
    let report = run(&[("config/deploy.yml", &config)], None);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn merged_values_keep_their_origin() {
    let config = format!("{BASE}x-proxy: &proxy\n  app_port: \"3000\"\nproxy:\n  <<: *proxy\n  host: a.demo-company.io\n");
    let report = run(&[("config/deploy.yml", &config)], None);
    let d = &report.diagnostics[0];
    assert_eq!(
        d.kamal_message.as_deref(),
        Some("proxy/app_port: should be an integer")
    );
    let (start, _) = report.files.range(d.span, ColumnUnit::Char);
    // reported where the value is written: inside the anchored mapping (line 11)
    assert_eq!(start.line + 1, 11);
}

#[test]
fn anchors_do_not_cross_files() {
    let config = format!("{BASE}x-hosts: &hosts\n  - 10.0.0.5\n");
    let report = run(
        &[
            ("config/deploy.yml", &config),
            ("config/deploy.staging.yml", "servers: *hosts\n"),
        ],
        None,
    );
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code() == "Y003")
        .expect("unknown anchor");
    assert_eq!(d.kamal_message.as_deref(), Some("Unknown alias: hosts"));
    assert!(d
        .help
        .as_deref()
        .unwrap_or("")
        .contains("anchors do not cross files"));
}

#[test]
fn version_gates() {
    let config = format!("{BASE}servers:\n  web:\n    hosts: [10.0.0.1]\n    options:\n      restart: on-failure:3\n");
    let old = run(&[("config/deploy.yml", &config)], None);
    assert!(kamal(&old)
        .iter()
        .any(|m| m.contains("Cannot set restart policy")));
    let new = run(
        &[("config/deploy.yml", &config)],
        Some(Version::new(2, 12, 0)),
    );
    assert!(kamal(&new).is_empty(), "{:#?}", new.diagnostics);
    let bad = config.replace("on-failure:3", "sometimes");
    let new = run(&[("config/deploy.yml", &bad)], Some(Version::new(2, 12, 0)));
    assert_eq!(
        kamal(&new),
        ["servers/web/options/restart: should be no, always, unless-stopped, on-failure, or on-failure:N"]
    );
    // the ssl type message lost its duplicated wording in 2.9.0
    let ssl = format!("{BASE}proxy:\n  ssl: \"yes\"\n");
    assert_eq!(
        kamal(&run(&[("config/deploy.yml", &ssl)], None)),
        ["proxy/ssl: should be a boolean or a boolean or a hash"]
    );
    assert_eq!(
        kamal(&run(
            &[("config/deploy.yml", &ssl)],
            Some(Version::new(2, 9, 0))
        )),
        ["proxy/ssl: should be a boolean or a hash"]
    );
}

#[test]
fn minimum_version_sets_the_target() {
    let config = format!("{BASE}minimum_version: \"2.10.0\"\nboot:\n  parallel_roles: true\n");
    let report = run(&[("config/deploy.yml", &config)], None);
    assert_eq!(report.version, Version::new(2, 10, 0));
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn unknown_key_help() {
    let config = format!("{BASE}proxy:\n  hots: [a.demo-company.io]\n");
    let report = run(&[("config/deploy.yml", &config)], None);
    assert_eq!(
        report.diagnostics[0].help.as_deref(),
        Some("did you mean `hosts`?")
    );
}
