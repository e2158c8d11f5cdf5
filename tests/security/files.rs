//! Reads: the guarded file layer (`sextant_lint::vfs::Confined`). Every path a project names or
//! links to is resolved inside the project root or not read at all; only regular files are
//! opened, never blocking, never past a size cap; what was not read is reported at its place.
//!
//! Each `finding_*` test is one finding of the hostile-project review; each failed (or hung) on
//! the code before the guard.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use sextant_lint::vfs::{DiskVfs, EntryKind, ReadError, Vfs};
use sextant_lint::{check, Project, Settings};

use crate::common::{self, output_with_timeout, Rng, CLEAN};

/// A secret the CI environment holds: it must never be printed.
const CI_SECRET: &str = "ci-secret-Qm9vYmFyQmF6";

/// Runs `sextant check --output-format FORMAT` on a project with [`CI_SECRET`] in its
/// environment, within a minute (a hang fails the test instead of blocking the suite).
fn check_output(dir: &Path, format: &str) -> (i32, String) {
    // SEXTANT_SECURITY_BIN: run these tests against another build (how the findings were shown
    // to fail on the code before the guard)
    let binary = std::env::var_os("SEXTANT_SECURITY_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(common::sextant);
    let mut command = std::process::Command::new(binary);
    command
        .args(["check", "--no-shellcheck", "--output-format", format])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SEXTANT_TEST_CI_SECRET", CI_SECRET);
    let out = output_with_timeout(&mut command, Duration::from_secs(60)).unwrap_or_else(|e| {
        panic!("{e}");
    });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn json(dir: &Path) -> Vec<serde_json::Value> {
    let (code, text) = check_output(dir, "json");
    assert!(code == 0 || code == 1, "exit {code}: {text}");
    let start = text.find('[').expect("a JSON array");
    let end = text.rfind(']').expect("a JSON array");
    serde_json::from_str(&text[start..=end]).expect("JSON output")
}

fn x004(items: &[serde_json::Value]) -> Vec<(String, String, String)> {
    items
        .iter()
        .filter(|i| i["code"] == "X004")
        .map(|i| {
            (
                i["filename"].as_str().unwrap_or("").to_string(),
                i["severity"].as_str().unwrap_or("").to_string(),
                i["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn config_with(extra: &str) -> Vec<u8> {
    format!("{CLEAN}{extra}").into_bytes()
}

/// Every output format, with the CI secret planted: none may show it.
fn assert_never_printed(dir: &Path, needle: &str) {
    for format in common::FORMATS {
        let (_, text) = check_output(dir, format);
        assert!(
            !text.contains(needle),
            "{format} output shows `{needle}`:\n{text}"
        );
    }
}

/// Plants a symlink (`false` when the tree's earlier plants make that impossible, e.g. a parent
/// that is now a link to a file).
#[cfg(unix)]
fn try_symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) -> bool {
    let link = link.as_ref();
    if std::fs::create_dir_all(link.parent().unwrap()).is_err() {
        return false;
    }
    let _ = std::fs::remove_file(link);
    std::os::unix::fs::symlink(target, link).is_ok()
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    assert!(try_symlink(target, link));
}

#[cfg(unix)]
fn try_mkfifo(path: &Path) -> bool {
    if std::fs::create_dir_all(path.parent().unwrap()).is_err() {
        return false;
    }
    let _ = std::fs::remove_file(path);
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    assert!(try_mkfifo(path));
}

/// A folder outside the project with a file whose every line is an "unknown instruction" that
/// F018 would quote.
fn outside_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret.txt");
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

#[test]
fn finding_2_dockerfile_at_proc_self_environ_is_not_read() {
    let text = CLEAN.replace(
        "builder:\n  arch: amd64\n",
        "builder:\n  arch: amd64\n  dockerfile: /proc/self/environ\n",
    );
    let project = common::project(&[("config/deploy.yml", text.as_bytes())]);
    assert_never_printed(project.path(), CI_SECRET);
    let found = x004(&json(project.path()));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "config/deploy.yml");
    assert_eq!(found[0].1, "info");
    assert!(found[0].2.contains("outside the project"), "{found:?}");
}

#[test]
fn finding_2_dockerfile_past_the_root_is_not_read() {
    let (_outside, file) = outside_file(&format!("FROM x\n{CI_SECRET} here\n"));
    let depth = tempfile::tempdir().unwrap().path().components().count();
    let relative = format!("{}{}", "../".repeat(depth), file.display());
    let text = CLEAN.replace(
        "builder:\n  arch: amd64\n",
        &format!("builder:\n  arch: amd64\n  dockerfile: {relative}\n"),
    );
    let project = common::project(&[("config/deploy.yml", text.as_bytes())]);
    assert_never_printed(project.path(), CI_SECRET);
    assert_eq!(x004(&json(project.path())).len(), 1);
}

#[cfg(unix)]
#[test]
fn finding_2_symlinks_out_of_the_project_are_not_followed() {
    let (_outside, file) = outside_file(&format!("{CI_SECRET}\n{CI_SECRET}: {CI_SECRET}\n"));
    for link in [
        "Dockerfile",
        ".sextant.toml",
        "config/deploy.production.yml",
        ".kamal/secrets",
        ".kamal/hooks/pre-deploy",
        "Gemfile.lock",
    ] {
        let project = common::project(&[
            ("config/deploy.yml", CLEAN.as_bytes()),
            ("Dockerfile", b"FROM ruby:3.3\nEXPOSE 3000\n"),
        ]);
        symlink(&file, project.path().join(link));
        assert_never_printed(project.path(), CI_SECRET);
        let found = x004(&json(project.path()));
        assert!(
            found
                .iter()
                .any(|(f, sev, m)| f == link && sev == "warning" && m.contains("link")),
            "{link}: {found:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn finding_2_a_symlinked_config_leading_out_is_not_read() {
    let (_outside, file) = outside_file(&format!("service: {CI_SECRET}\n  : [\n"));
    let project = common::project(&[]);
    symlink(&file, project.path().join("config/deploy.yml"));
    assert_never_printed(project.path(), CI_SECRET);
    let found = x004(&json(project.path()));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "config/deploy.yml");
}

#[cfg(unix)]
#[test]
fn finding_5_gemfile_lock_to_dev_zero_is_refused() {
    let project = common::project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    symlink("/dev/zero", project.path().join("Gemfile.lock"));
    let found = x004(&json(project.path()));
    assert!(
        found
            .iter()
            .any(|(f, _, m)| f == "Gemfile.lock" && m.contains("outside")),
        "{found:?}"
    );
    // an in-project device node (as a tarball could hold) is refused as a device
    let dev = project.path().join("dev-zero");
    if std::process::Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "5"])
        .status()
        .is_ok_and(|s| s.success())
    {
        symlink("dev-zero", project.path().join("Gemfile.lock"));
        let found = x004(&json(project.path()));
        assert!(
            found
                .iter()
                .any(|(f, _, m)| f == "Gemfile.lock" && m.contains("device")),
            "{found:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn finding_5_fifos_never_block() {
    for path in [
        "Gemfile.lock",
        ".kamal/secrets",
        "Dockerfile",
        ".kamal/hooks/pre-deploy",
        ".sextant.toml",
        "config/deploy.staging.yml",
    ] {
        let project = common::project(&[("config/deploy.yml", CLEAN.as_bytes())]);
        mkfifo(&project.path().join(path));
        // `check_output` fails the test if sextant does not finish within a minute
        let found = x004(&json(project.path()));
        assert!(
            found
                .iter()
                .any(|(f, _, m)| f == path && m.contains("FIFO")),
            "{path}: {found:?}"
        );
    }
}

#[test]
fn finding_5_hooks_path_in_proc_is_not_listed() {
    for dir in ["/proc/self", "/proc", "/dev"] {
        let project = common::project(&[(
            "config/deploy.yml",
            config_with(&format!("hooks_path: {dir}\n")).as_slice(),
        )]);
        let found = x004(&json(project.path()));
        assert!(
            found.iter().any(|(f, sev, m)| f == "config/deploy.yml"
                && sev == "info"
                && m.contains("hooks_path")),
            "{dir}: {found:?}"
        );
    }
}

#[test]
fn files_over_their_cap_are_reported_not_read() {
    let project = common::project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    // sparse: 100 MB on paper, nothing on disk
    let big = std::fs::File::create(project.path().join(".kamal/secrets")).unwrap();
    big.set_len(100 * 1024 * 1024).unwrap();
    let found = x004(&json(project.path()));
    assert!(
        found
            .iter()
            .any(|(f, _, m)| f == ".kamal/secrets" && m.contains("larger than 32 MiB")),
        "{found:?}"
    );
}

#[test]
fn a_base_config_over_its_cap_fails_the_check() {
    let project = common::project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(project.path().join("config/deploy.yml"))
        .unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let (code, text) = check_output(project.path(), "concise");
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("config/deploy.yml:1:1: error X004") && text.contains("larger than 16 MiB"),
        "{text}"
    );
}

/// The file layer under the guard, recording every path it is asked to open or list.
struct Recording {
    opened: Mutex<Vec<PathBuf>>,
}

impl Recording {
    fn note(&self, path: &Path) {
        self.opened.lock().unwrap().push(path.to_path_buf());
    }
}

impl Vfs for Recording {
    fn read_limited(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        self.note(path);
        DiskVfs.read_limited(path, limit)
    }
    fn kind(&self, path: &Path) -> EntryKind {
        DiskVfs.kind(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        self.note(path);
        DiskVfs.read_dir(path)
    }
    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        DiskVfs.canonical(path)
    }
    fn mode_executable(&self, path: &Path) -> Option<bool> {
        DiskVfs.mode_executable(path)
    }
}

/// Every path the engine reads or lists in a project.
const READ_PATHS: &[&str] = &[
    "config/deploy.yml",
    "config/deploy.production.yml",
    "config/deploy.staging.yml",
    ".kamal/secrets",
    ".kamal/secrets-common",
    ".kamal/secrets.production",
    ".kamal/hooks",
    ".kamal/hooks/pre-deploy",
    ".kamal/hooks/post-deploy",
    ".kamal",
    "Dockerfile",
    "docker/Dockerfile",
    ".sextant.toml",
    "Gemfile.lock",
    ".gitignore",
    ".env",
    "config/puma.rb",
    "bin/docker-entrypoint",
    "public",
    "hooks",
    "secrets",
    ".git",
    ".git/index",
];

#[cfg(unix)]
#[test]
fn hostile_trees_never_make_the_engine_open_anything_outside_the_root() {
    let outside = tempfile::tempdir().unwrap();
    let secret_file = outside.path().join("secret");
    std::fs::write(&secret_file, format!("{CI_SECRET}\n")).unwrap();
    let outside_dir = outside.path().join("dir");
    std::fs::create_dir_all(outside_dir.join("hooks")).unwrap();
    std::fs::write(outside_dir.join("pre-deploy"), "#!/bin/sh\necho hi\n").unwrap();
    let targets: Vec<PathBuf> = vec![
        secret_file.clone(),
        outside_dir.clone(),
        outside.path().to_path_buf(),
        PathBuf::from("/dev/zero"),
        PathBuf::from("/dev/urandom"),
        PathBuf::from("/proc/self/environ"),
        PathBuf::from("/proc/self"),
        PathBuf::from("/etc/passwd"),
        PathBuf::from("../../../../../../etc/passwd"),
        PathBuf::from("../.."),
        PathBuf::from("nowhere"),
        PathBuf::from("deploy.yml"),
        PathBuf::from("."),
    ];
    let configs: &[&str] = &[
        "",
        "hooks_path: hooks\n",
        "hooks_path: /proc/self\n",
        "secrets_path: secrets/prod\nminimum_version: 2.9.0\n",
        "error_pages_path: public\n",
    ];
    let mut rng = Rng(0x5eed_f00d_d00d_beef);
    let rounds = if std::env::var("SEXTANT_LONG").is_ok() {
        2000
    } else {
        120
    };
    for round in 0..rounds {
        let extra: &&str = rng.pick(configs);
        let project = common::project(&[
            ("config/deploy.yml", config_with(extra).as_slice()),
            ("Dockerfile", b"FROM ruby:3.3\nEXPOSE 3000\n"),
            (".kamal/hooks/post-deploy", b"#!/bin/sh\necho $KAMAL_ROLE\n"),
        ]);
        let root = project.path().canonicalize().unwrap();
        let mut planted = Vec::new();
        for _ in 0..(1 + rng.next() % 5) {
            let at = *rng.pick(READ_PATHS);
            let full = root.join(at);
            let _ = std::fs::remove_dir_all(&full);
            let done = match rng.next() % 4 {
                0 => try_mkfifo(&full),
                // a link inside the project, possibly in a cycle
                1 => try_symlink(root.join(*rng.pick(READ_PATHS)), &full),
                _ => try_symlink(rng.pick(&targets), &full),
            };
            if done {
                planted.push(at);
            }
        }
        let recording = Recording {
            opened: Mutex::new(Vec::new()),
        };
        let settings = Settings {
            base_dir: root.clone(),
            shellcheck: Some(false),
            ..Settings::default()
        };
        let _ = check(&recording, &Project::at(root.clone()), &settings);
        for path in recording.opened.lock().unwrap().iter() {
            assert!(
                path.starts_with(&root),
                "round {round} (planted {planted:?}): opened {}",
                path.display()
            );
        }
    }
}

/// `-c FILE` outside the project: the file and its destination files are read (the user named
/// them), their folder is listed to find them, and nothing else in it is read.
#[test]
fn a_config_named_outside_the_project_keeps_its_destinations() {
    let elsewhere = tempfile::tempdir().unwrap();
    let config = elsewhere.path().join("deploy.yml");
    std::fs::write(&config, CLEAN).unwrap();
    std::fs::write(
        elsewhere.path().join("deploy.staging.yml"),
        "proxy:\n  hots: typo.example.com\n",
    )
    .unwrap();
    // beside them, a file that is not theirs: never read
    std::fs::write(elsewhere.path().join("secrets"), format!("{CI_SECRET}\n")).unwrap();
    let project = common::project(&[]);
    let out = common::run(
        project.path(),
        &[
            "check",
            "--no-shellcheck",
            "-c",
            config.to_str().unwrap(),
            "--output-format",
            "json",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(CI_SECRET));
    let items: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json");
    assert!(
        items
            .iter()
            .any(|i| i["code"] == "K001" && i["destination"] == "staging"),
        "the staging destination is checked: {text}"
    );
}
