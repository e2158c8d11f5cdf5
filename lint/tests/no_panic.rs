//! Mutated Kamal configs never make the engine panic or hang (a property test run in CI; the
//! cargo-fuzz targets explore further).

use std::path::PathBuf;
use std::time::Instant;

mod support;

use sextant_lint::vfs::MemVfs;
use sextant_lint::{check, Project, Settings};

use support::{mutate, Edit, Rng};

const SEEDS: &[&str] = &[
    include_str!("../../examples/config/deploy.yml"),
    include_str!("../../examples/config/deploy.staging.yml"),
    "service: app\nimage: a\nregistry: {server: localhost:5000}\nbuilder: {arch: [amd64, arm64], remote: tcp://x, pack: {builder: b}}\nservers:\n  web:\n    hosts: [1.1.1.1: [a, b], 2.2.2.2]\n    proxy: {ssl: {certificate_pem: A}, hosts: [a.com]}\n  job: [3.3.3.3]\naccessories:\n  db: {image: x, roles: [nope], labels: {role: x}, options: {restart: always}, env: {tags: {}}}\nenv:\n  tags:\n    a: {clear: {X: 1}, secret: [Y]}\n    b: {tags: {}}\naliases: {deploy: x, Bad: y}\nx-a: &a {k: v}\nproxy:\n  <<: *a\n  ssl: true\nminimum_version: 2.10\nhooks_path: 5\n",
    "<% if ENV['X'] %>\nservice: a\n<% else %>\nservice: b\n<% end %>\nimage: \"<%= ENV['I'] %>\"\nservers:\n<%= File.read('s.yml') %>\nenv:\n  clear:\n    A: <%- x -%>\n",
];

const INSERTS: &[&str] = &[
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "\n",
    "  ",
    "\t",
    "\"",
    "'",
    "&a ",
    "*a",
    "<<: ",
    "<%=",
    "%>",
    "<%",
    "#",
    "? ",
    "|\n",
    ">\n",
    "!!int ",
    "---\n",
    "~",
    "\u{feff}",
    "é",
    "\r",
    ",",
    "null",
    "yes",
    "2222:22",
    "0755",
    "servers:",
    "proxy:",
    "ssl: true",
    "hosts:",
];

/// Deleting, inserting and overwriting are equally likely.
const EDITS: &[Edit] = &[Edit::Delete, Edit::Insert, Edit::Overwrite];

#[test]
fn mutated_configs_never_panic() {
    let mut rng = Rng(0x05e7_7a47);
    let start = Instant::now();
    let mut runs = 0;
    for seed in SEEDS {
        for _ in 0..1500 {
            let text = mutate(&mut rng, seed, EDITS, INSERTS);
            let mut vfs = MemVfs::new();
            let root = PathBuf::from("/p");
            vfs.insert(root.join("config/deploy.yml"), text.clone());
            vfs.insert(root.join("config/deploy.s.yml"), text);
            let project = Project::at(root.clone());
            let settings = Settings {
                base_dir: root,
                ..Settings::default()
            };
            let report = check(&vfs, &project, &settings).expect("in-memory files load");
            // every span is inside its file and on character boundaries
            for d in &report.diagnostics {
                let f = report.files.get(d.span.file);
                assert!(f.missing || d.span.end as usize <= f.text.len());
                assert!(f.text.is_char_boundary(d.span.start as usize));
            }
            runs += 1;
        }
    }
    assert!(runs > 0);
    assert!(start.elapsed().as_secs() < 120);
}

/// A config that involves the Dockerfile and secrets rules: proxy port, build args and secrets,
/// arch, env secrets.
const WITH_IMAGE: &str = "service: app\nimage: u/app\nregistry:\n  username: u\n  password: [P]\nbuilder:\n  arch: amd64\n  args: {RUBY_VERSION: 3.3, TOKEN: x}\n  secrets: [GITHUB_TOKEN]\nproxy:\n  app_port: 3000\n  host: a.example.test\nservers:\n  web: [1.1.1.1]\nenv:\n  secret: [RAILS_MASTER_KEY, DB:DATABASE_URL]\n  clear: {PORT: 3000}\n";

const DOCKERFILES: &[&str] = &[
    "# syntax=docker/dockerfile:1\nARG RUBY_VERSION=3.3\nFROM ruby:$RUBY_VERSION-slim AS base\nWORKDIR /rails\nENV PORT=3000\nFROM base AS build\nRUN --mount=type=secret,id=GITHUB_TOKEN bundle install\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY <<EOF /x\nhi\nEOF\nFROM base\nCOPY --from=build /rails /rails\nUSER 1000:1000\nEXPOSE 3000\nHEALTHCHECK CMD curl -f localhost:3000/up\nENTRYPOINT [\"/rails/bin/docker-entrypoint\"]\nCMD [\"./bin/thrust\", \"./bin/rails\", \"server\", \"-p\", \"3000\"]\n",
    "FROM --platform=linux/arm64 node:20\nARG TOKEN\nENV SECRET_KEY=abc\nADD . /app\nWORKDIR app\nRUN sudo npm ci\nCMD npm start -- --port $PORT\n",
];

const SECRETS: &str = "P=$P\nRAILS_MASTER_KEY=$(cat config/master.key)\nexport DATABASE_URL=\"postgres://u:p@h/db\"\nGITHUB_TOKEN=$(kamal secrets extract GH ${SECRETS})\n";

/// Fragments a Dockerfile or a secrets file is made of, and wide characters.
const IMAGE_INSERTS: &[&str] = &[
    "\n",
    "\\\n",
    " ",
    "=",
    "$",
    "${",
    "}",
    "\"",
    "'",
    "#",
    "[",
    "]",
    "<<EOF\n",
    "EOF\n",
    "--mount=type=secret,id=",
    "-p ",
    ":",
    "é",
    "😀",
    "\r\n",
    "$(",
    ")",
    "export ",
];

#[test]
fn mutated_dockerfiles_and_secrets_through_every_rule_never_panic() {
    let mut rng = Rng(0x0d0c_4e55_ec12);
    let mut runs = 0;
    for round in 0..1200 {
        let dockerfile = DOCKERFILES[round % DOCKERFILES.len()].as_bytes().to_vec();
        let secrets = SECRETS.as_bytes().to_vec();
        let (dockerfile, secrets) = if round % 2 == 0 {
            let d = String::from_utf8_lossy(&dockerfile).into_owned();
            (mutate(&mut rng, &d, EDITS, IMAGE_INSERTS), secrets)
        } else {
            (dockerfile, mutate(&mut rng, SECRETS, EDITS, IMAGE_INSERTS))
        };
        let mut vfs = MemVfs::new();
        let root = PathBuf::from("/p");
        vfs.insert(
            root.join("config/deploy.yml"),
            WITH_IMAGE.as_bytes().to_vec(),
        );
        vfs.insert(root.join("Dockerfile"), dockerfile);
        vfs.insert(root.join(".kamal/secrets"), secrets);
        let settings = Settings {
            base_dir: root.clone(),
            shellcheck: Some(false),
            ..Settings::default()
        };
        let report = check(&vfs, &Project::at(root), &settings).expect("in-memory files load");
        for d in &report.diagnostics {
            let f = report.files.get(d.span.file);
            assert!(f.missing || d.span.end as usize <= f.text.len());
            assert!(f.text.is_char_boundary(d.span.start as usize));
            assert!(f.text.is_char_boundary(d.span.end as usize));
        }
        runs += 1;
    }
    assert_eq!(runs, 1200);
}
