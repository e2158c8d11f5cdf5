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
