//! Language server figures: didChange → publishDiagnostics latency over 1 000 edits of a
//! 300-line deploy.yml (p50/p99), and resident memory with 50 open files.
//! Run with `cargo bench --bench lsp`. Targets: p99 under 10 ms, under 30 MB.

#[path = "../tests/support/lsp_client.rs"]
mod lsp_client;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_client::{push_capabilities, Client};
use serde_json::{json, Value};

/// A realistic large config of exactly `lines` lines: roles, env, aliases, an accessory.
fn big_deploy(lines: usize) -> String {
    let mut head = String::from(
        "service: big-app\nimage: acme/big-app\nregistry:\n  server: ghcr.io\n  username: acme\n  password:\n    - KAMAL_REGISTRY_PASSWORD\nbuilder:\n  arch: amd64\nproxy:\n  host: app.example.com\n  ssl: true\n  app_port: 3000\n  healthcheck:\n    path: /up\nservers:\n",
    );
    for role in 0..10 {
        let _ = write!(
            head,
            "  role{role}:\n    hosts:\n      - 10.0.{role}.1\n      - 10.0.{role}.2\n    cmd: bin/worker --queue q{role}\n    options:\n      memory: 1g\n    env:\n      clear:\n        QUEUE: q{role}\n"
        );
    }
    head.push_str("aliases:\n");
    for a in 0..40 {
        let _ = writeln!(head, "  task{a}: app exec --reuse \"bin/rails task{a}\"");
    }
    head.push_str("env:\n  secret:\n    - RAILS_MASTER_KEY\n  clear:\n");
    let tail = "accessories:\n  db:\n    image: postgres:16\n    host: 10.0.0.9\n    port: \"127.0.0.1:5432:5432\"\n    env:\n      secret:\n        - POSTGRES_PASSWORD\n    directories:\n      - data:/var/lib/postgresql/data\nretain_containers: 5\n";
    let fill = lines - head.lines().count() - tail.lines().count();
    for n in 0..fill {
        let _ = writeln!(head, "    SETTING_{n}: \"value {n}\"");
    }
    head + tail
}

fn write(root: &Path, name: &str, text: &str) -> PathBuf {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn secrets() -> &'static str {
    "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nRAILS_MASTER_KEY=$(cat config/master.key)\nPOSTGRES_PASSWORD=$(op read op://v/db)\n"
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn latency() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let text = big_deploy(300);
    assert_eq!(
        text.lines().count(),
        300,
        "the benchmark config has 300 lines"
    );
    let path = write(&root, "config/deploy.yml", &text);
    write(&root, ".kamal/secrets", secrets());
    write(
        &root,
        "Dockerfile",
        "FROM ruby:3.3\nEXPOSE 3000\nUSER rails\nCMD [\"bin/rails\", \"server\"]\n",
    );

    let mut c = Client::start(Path::new(env!("CARGO_BIN_EXE_sextant")));
    c.initialize(&root, push_capabilities(), Value::Null);
    let uri = c.open(&path, &text, 1);
    c.diagnostics(&uri, Some(1));

    // edit the value on line 2 (`image: acme/big-app`) like typing: one character at a time
    let line = 1;
    let mut samples = Vec::with_capacity(1000);
    for i in 0..1000 {
        let version = i + 2;
        let col = 7 + (i % 10) as u32;
        let ch = ((b'a' + (i % 26) as u8) as char).to_string();
        let change = json!({
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}, "text": ch}],
        });
        let start = Instant::now();
        c.notify("textDocument/didChange", change);
        c.diagnostics(&uri, Some(version as i64));
        samples.push(start.elapsed());
    }
    samples.sort();
    println!(
        "didChange -> publishDiagnostics, 1000 edits of a 300-line deploy.yml: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms (target: p99 < 10 ms)",
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.9).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3,
    );
    c.shutdown();
}

fn memory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut c = Client::start(Path::new(env!("CARGO_BIN_EXE_sextant")));
    c.initialize(&root, push_capabilities(), Value::Null);
    let before = status_kb(c.pid(), "VmRSS:");
    // 10 projects × 5 files: deploy.yml (300 lines), an overlay, secrets, a hook, the Dockerfile
    let mut opened = 0;
    let mut last = String::new();
    for p in 0..10 {
        let project = root.join(format!("app{p}"));
        let files = [
            ("config/deploy.yml", big_deploy(300)),
            (
                "config/deploy.staging.yml",
                "servers:\n  role0:\n    hosts:\n      - 10.9.0.1\n".to_string(),
            ),
            (".kamal/secrets", secrets().to_string()),
            (
                ".kamal/hooks/pre-deploy",
                "#!/bin/sh\necho \"deploying $KAMAL_VERSION to $KAMAL_HOSTS\"\n".to_string(),
            ),
            (
                "Dockerfile",
                "FROM ruby:3.3\nEXPOSE 3000\nUSER rails\nCMD [\"bin/rails\", \"server\"]\n"
                    .to_string(),
            ),
        ];
        for (name, text) in files {
            let path = write(&project, name, &text);
            last = c.open(&path, &text, 1);
            opened += 1;
        }
    }
    // every project analyzed: wait for the last file's diagnostics, then let the rest settle
    c.diagnostics(&last, None);
    let _ = c.latest(&last, Duration::from_millis(500));
    let rss = status_kb(c.pid(), "VmRSS:");
    let peak = status_kb(c.pid(), "VmHWM:");
    match (rss, peak) {
        (Some(rss), Some(peak)) => println!(
            "resident memory with {opened} open files (10 projects): {:.1} MB (peak {:.1} MB, {:.1} MB at start) (target: < 30 MB)",
            rss as f64 / 1024.0,
            peak as f64 / 1024.0,
            before.unwrap_or(0) as f64 / 1024.0,
        ),
        _ => println!("resident memory: /proc is not available here"),
    }
    c.shutdown();
}

fn main() {
    // `cargo test --benches` runs benchmarks once as tests: keep that quick and quiet
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    latency();
    memory();
}
