//! No output ever contains a secret value: a project holding known secret values in every place
//! secrets end up (secrets files, clear env, the registry password, a build arg, a comment) is
//! checked with every output format, statistics, `--diff` and `--fix`, and each output is
//! searched for the values.

mod common;

use std::path::Path;

/// Distinctive values that must never be printed.
const CANARIES: &[&str] = &[
    "Kx7-canary-registry-pw-91",
    "Kx7-canary-master-key-92",
    "Kx7-canary-db-password-93",
    "Kx7-canary-common-94",
    "ghp_Kx7canary0token0in0a0comment0095abcd",
    "Kx7-canary-build-arg-96",
    "Kx7canaryurlpw97",
    "Kx7-canary-old-value-98",
];

fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

fn project(root: &Path) {
    write(
        root,
        "config/deploy.yml",
        &format!(
            "\
service: storefront
image: acme/storefront
servers:
  web:
    - 10.0.1.10
    - 10.0.1.11
proxy:
  ssl: true
  host: shop.acme.test
registry:
  username: acme
  password: {registry}
builder:
  arch: amd64
  args:
    NPM_TOKEN: {arg}
env:
  clear:
    DB_PASSWORD: {db}
    DATABASE_URL: postgres://app:{url}@db.acme.test/app
    UNKNOWN_KEY_HERE: 1
  secret:
    - RAILS_MASTER_KEY
    - MISSING_SECRET
# old token: {token}
retain_containers: \"3\"
",
            registry = CANARIES[0],
            arg = CANARIES[5],
            db = CANARIES[2],
            url = CANARIES[6],
            token = CANARIES[4],
        ),
    );
    write(
        root,
        ".kamal/secrets",
        &format!(
            "RAILS_MASTER_KEY={}\nUNUSED_ONE=\"{}\"\n# OLD_KEY={}\nbroken line {}\n",
            CANARIES[1], CANARIES[1], CANARIES[7], CANARIES[1]
        ),
    );
    write(
        root,
        ".kamal/secrets-common",
        &format!("SHARED_TOKEN={}\n", CANARIES[3]),
    );
}

/// `sextant ARGS` in `dir`: standard output, then standard error.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = common::run(dir, args);
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_output_contains_a_secret_value() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    let mut outputs: Vec<(String, String)> = Vec::new();
    for format in common::FORMATS {
        outputs.push((
            format.into(),
            run(dir.path(), &["check", "--output-format", format]),
        ));
        outputs.push((
            format!("{format} --statistics"),
            run(
                dir.path(),
                &["check", "--statistics", "--output-format", format],
            ),
        ));
    }
    outputs.push((
        "diff".into(),
        run(dir.path(), &["check", "--diff", "--unsafe-fixes"]),
    ));
    outputs.push((
        "rules".into(),
        run(dir.path(), &["rules", "--output-format", "json"]),
    ));
    // the output of --fix (on a copy: it rewrites files)
    let copy = tempfile::tempdir().unwrap();
    project(copy.path());
    outputs.push((
        "fix".into(),
        run(copy.path(), &["check", "--fix", "--unsafe-fixes"]),
    ));

    // the checks produced something to show
    let full = &outputs[0].1;
    for code in ["S004", "S003", "S010", "K003", "S001"] {
        assert!(full.contains(code), "expected {code} in:\n{full}");
    }
    for (name, text) in &outputs {
        for canary in CANARIES {
            assert!(
                !text.contains(canary),
                "`{name}` output contains a secret value:\n{text}"
            );
        }
    }
}
