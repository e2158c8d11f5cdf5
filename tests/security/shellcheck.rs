//! Security tests: shellcheck (see main.rs). shellcheck is the one program sextant starts; it
//! runs as an untrusted tool: from an empty temporary folder, `--norc`, the hook on standard
//! input, a cleared environment, killed at its time limit, under an address-space limit, its
//! failures remembered, and nothing of the project (rc files, `PATH` entries, other files'
//! findings) used.
//!
//! Most tests put a fake `shellcheck` (a `/bin/sh` script) in a folder outside the project,
//! first on the `PATH` given to the `sextant` process, which records how it was run.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::{self, output_with_timeout, tool_or_skip};

const CONFIG: &str = "service: app\nimage: user/app\nregistry:\n  username: u\n  password: [P]\nbuilder:\n  arch: amd64\nservers:\n  - 10.0.0.1\n";

/// A project with `config/deploy.yml`, its secrets, the given files and an executable
/// pre-deploy hook.
fn project(hook: &str, extra: &[(&str, &[u8])]) -> tempfile::TempDir {
    let mut files: Vec<(&str, &[u8])> = vec![
        ("config/deploy.yml", CONFIG.as_bytes()),
        (".kamal/secrets-common", b"P=$P\n"),
        (".kamal/hooks/pre-deploy", hook.as_bytes()),
    ];
    files.extend_from_slice(extra);
    let dir = common::project(&files);
    executable(&dir.path().join(".kamal/hooks/pre-deploy"));
    dir
}

fn executable(path: &Path) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A folder outside any project holding a fake `shellcheck` with this body (after `#!/bin/sh`
/// and `LOG=...`, the file where it records), and that log.
struct Fake {
    dir: tempfile::TempDir,
}

impl Fake {
    fn new(body: &str) -> Fake {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let script = format!("#!/bin/sh\nLOG='{}'\n{body}", log.display());
        let program = dir.path().join("bin/shellcheck");
        std::fs::create_dir_all(program.parent().unwrap()).unwrap();
        std::fs::write(&program, script).unwrap();
        executable(&program);
        Fake { dir }
    }

    fn bin(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }
}

/// Runs `sextant check --output-format json PATHS` in `cwd` with this `PATH`; the diagnostics.
fn check(cwd: &Path, path: &str, paths: &[&Path]) -> Vec<serde_json::Value> {
    let mut command = Command::new(common::sextant());
    command
        .args(["check", "--output-format", "json"])
        .args(paths)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("PATH", path);
    let out = output_with_timeout(&mut command, Duration::from_secs(120)).expect("sextant ends");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).expect("JSON diagnostics")
}

fn codes(diagnostics: &[serde_json::Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn system_path(first: &Path) -> String {
    format!("{}:/usr/bin:/bin", first.display())
}

const EMPTY: &str = "echo '{\"comments\":[]}'\n";

#[test]
fn runs_outside_the_project_without_its_rc_files_or_environment() {
    // records where and how it runs, and what it reads on standard input
    let fake = Fake::new(&format!(
        "{{ echo \"cwd=$(pwd)\"; for a in \"$@\"; do echo \"arg=$a\"; done; env | sed 's/^/env:/'; \
         echo \"stdin=$(cat | wc -c)\"; }} >> \"$LOG\"\n{EMPTY}"
    ));
    let hook = "#!/bin/sh\n. /dev/zero\necho \"$KAMAL_HOSTS\"\n";
    let dir = project(
        hook,
        &[
            (".shellcheckrc", b"external-sources=true\nsource-path=/\n"),
            (".tool-versions", b"shellcheck 0.1\n"),
        ],
    );
    let root = dir.path().canonicalize().unwrap();
    check(&root, &system_path(&fake.bin()), &[]);
    let log = fake.log();
    let lines: Vec<&str> = log.lines().collect();
    let value = |prefix: &str| -> Vec<&str> {
        lines
            .iter()
            .filter_map(|l| l.strip_prefix(prefix))
            .collect()
    };
    let cwd = value("cwd=");
    assert_eq!(cwd.len(), 1, "run once: {log}");
    // (the folder is gone by now: `pwd` gave its real path)
    let cwd = Path::new(cwd[0]);
    assert!(!cwd.starts_with(&root), "ran in the project: {log}");
    let args = value("arg=");
    assert!(args.contains(&"--norc"), "{log}");
    assert!(args.contains(&"-"), "standard input: {log}");
    assert!(
        !args
            .iter()
            .any(|a| *a == "-x" || a.starts_with("--external-sources")),
        "{log}"
    );
    for a in args.iter().filter_map(|a| a.strip_prefix("--source-path=")) {
        assert!(!Path::new(a).starts_with(&root), "{log}");
    }
    assert_eq!(value("stdin="), [hook.len().to_string()], "{log}");
    let env = value("env:");
    let home = env
        .iter()
        .find_map(|e| e.strip_prefix("HOME="))
        .expect("HOME set");
    assert!(!Path::new(home).starts_with(&root), "{log}");
    // nothing of sextant's environment but PATH (no CI secret, no SHELLCHECK_OPTS)
    for e in &env {
        let name = e.split('=').next().unwrap();
        assert!(
            ["HOME", "PATH", "TMPDIR", "PWD", "SHLVL", "_", "OLDPWD"].contains(&name),
            "unexpected variable {name}: {log}"
        );
    }
}

#[test]
fn a_path_entry_inside_the_project_is_never_used_nor_passed_on() {
    let fake = Fake::new(&format!(
        "env | grep '^PATH=' >> \"$LOG\"\ncat > /dev/null\n{EMPTY}"
    ));
    let planted = "#!/bin/sh\ntouch \"$(dirname \"$0\")/../ran\"\necho '{\"comments\":[]}'\n";
    let dir = project(
        "#!/bin/sh\necho ok\n",
        &[("bin/shellcheck", planted.as_bytes())],
    );
    executable(&dir.path().join("bin/shellcheck"));
    let root = dir.path().canonicalize().unwrap();
    // the project's folder (absolute and relative) first, the fake after
    let path = format!(
        "{}:bin:.:{}:/usr/bin:/bin",
        root.join("bin").display(),
        fake.bin().display()
    );
    check(&root, &path, &[]);
    assert!(!root.join("ran").exists(), "the project's shellcheck ran");
    let log = fake.log();
    let child_path = log.lines().next().expect("the fake ran").to_string();
    for entry in child_path.trim_start_matches("PATH=").split(':') {
        assert!(Path::new(entry).is_absolute(), "{child_path}");
        assert!(!Path::new(entry).starts_with(&root), "{child_path}");
    }
}

#[test]
fn findings_about_other_files_are_ignored() {
    let fake = Fake::new(
        "cat > /dev/null\n\
         echo '{\"comments\":[\
         {\"file\":\"/etc/passwd\",\"line\":1,\"endLine\":1,\"column\":1,\"endColumn\":2,\"level\":\"error\",\"code\":1111,\"message\":\"root:x:0:0\",\"fix\":null},\
         {\"file\":\"-\",\"line\":2,\"endLine\":2,\"column\":6,\"endColumn\":18,\"level\":\"info\",\"code\":2086,\"message\":\"Double quote\",\"fix\":null}]}'\n\
         exit 1\n",
    );
    let dir = project("#!/bin/sh\necho $KAMAL_HOSTS\n", &[]);
    let found = check(dir.path(), &system_path(&fake.bin()), &[]);
    let codes = codes(&found);
    assert!(codes.contains(&"SC2086".to_string()), "{found:?}");
    assert!(!codes.contains(&"SC1111".to_string()), "{found:?}");
    assert!(
        !serde_json::to_string(&found).unwrap().contains("root:x"),
        "{found:?}"
    );
}

/// Whether a process is still there (a zombie is gone for our purpose).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            !s.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
        .unwrap_or(false)
}

#[test]
fn a_shellcheck_that_never_ends_is_killed_and_not_run_again() {
    // it starts a grandchild that would keep the pipes open, and waits for ever
    let fake =
        Fake::new("echo run >> \"$LOG\"\nsleep 1000 &\necho \"child=$!\" >> \"$LOG\"\nwait\n");
    let hook = "#!/bin/sh\necho \"$KAMAL_HOSTS\"\n";
    // two projects with the same hook, in one process: the second is answered from memory
    let a = project(hook, &[]);
    let b = project(hook, &[]);
    let found = check(a.path(), &system_path(&fake.bin()), &[a.path(), b.path()]);
    let log = fake.log();
    assert_eq!(
        log.lines().filter(|l| *l == "run").count(),
        1,
        "started more than once: {log}"
    );
    let notes: Vec<_> = found
        .iter()
        .filter(|d| d["code"] == "H016")
        .map(|d| d["message"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(notes.len(), 2, "{found:?}");
    for note in &notes {
        assert!(note.contains("did not finish within"), "{note}");
        assert!(note.contains("not checked"), "{note}");
    }
    for line in found.iter().filter(|d| d["code"] == "H016") {
        assert_eq!(line["location"]["row"], 1, "{line:?}");
    }
    // the grandchild was killed with it
    let child = log
        .lines()
        .find_map(|l| l.strip_prefix("child="))
        .expect("grandchild started");
    let until = std::time::Instant::now() + Duration::from_secs(5);
    while alive(child) && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(child), "process {child} outlived sextant");
}

#[test]
fn a_shellcheck_that_allocates_without_bound_is_stopped_by_its_memory_limit() {
    // it allocates only under a limit of at most 2 GiB (so that, without one, this test does not
    // exhaust the machine: it then records the missing limit and stops)
    let fake = Fake::new(
        "cat > /dev/null\n\
         limit=$(ulimit -v)\n\
         echo \"limit=$limit\" >> \"$LOG\"\n\
         if [ \"$limit\" = unlimited ] || [ \"$limit\" -gt 2097152 ]; then exit 3; fi\n\
         ( s=0123456789abcdef; while :; do s=\"$s$s\"; done )\n\
         echo \"allocation-ended=$?\" >> \"$LOG\"\n\
         exit 2\n",
    );
    let dir = project("#!/bin/sh\necho \"$KAMAL_HOSTS\"\n", &[]);
    let found = check(dir.path(), &system_path(&fake.bin()), &[]);
    let log = fake.log();
    let limit: u64 = log
        .lines()
        .find_map(|l| l.strip_prefix("limit="))
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no address-space limit: {log}"));
    assert!(limit <= 1024 * 1024, "limit {limit} KiB: {log}");
    assert!(log.contains("allocation-ended="), "{log}");
    let note = found
        .iter()
        .find(|d| d["code"] == "H016")
        .unwrap_or_else(|| panic!("{found:?}"));
    let message = note["message"].as_str().unwrap();
    assert!(message.contains("could not check"), "{message}");
    assert!(!message.contains("did not finish"), "{message}");
}

/// The real shellcheck: the project's `.shellcheckrc` asking for external sources is not
/// read, so `. /dev/zero` is not followed (shellcheck says it did not follow it).
#[test]
fn the_projects_shellcheckrc_is_not_read() {
    let installed = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join("shellcheck").is_file())
    });
    if !tool_or_skip(
        installed,
        "shellcheck rc files",
        "shellcheck is not installed",
    ) {
        return;
    }
    let dir = project(
        "#!/bin/sh\n. /dev/zero\necho \"$KAMAL_HOSTS\"\n",
        &[(
            ".shellcheckrc",
            b"external-sources=true\nsource-path=/dev\n",
        )],
    );
    let path = std::env::var("PATH").unwrap();
    let found = check(dir.path(), &path, &[]);
    let not_followed = found
        .iter()
        .find(|d| d["code"] == "SC1091")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(not_followed["location"]["row"], 2, "{not_followed:?}");
    assert!(!codes(&found).contains(&"H016".to_string()), "{found:?}");
}

/// Every hook Kamal runs (pre-app-boot and post-app-boot since 2.6; sextant assumes 2.8.2).
const HOOKS: [&str; 9] = [
    "docker-setup",
    "pre-connect",
    "pre-build",
    "pre-deploy",
    "post-deploy",
    "pre-app-boot",
    "post-app-boot",
    "pre-proxy-reboot",
    "post-proxy-reboot",
];

#[test]
fn all_the_hooks_of_one_analysis_share_one_time_limit() {
    // nine hooks on which shellcheck never ends: a few run at once, each is stopped at the
    // limit for one hook, and those left when the analysis' limit is spent are not started
    let fake = Fake::new("echo run >> \"$LOG\"\nexec sleep 1000\n");
    let hooks: Vec<(String, String)> = HOOKS
        .iter()
        .filter(|h| **h != "pre-deploy")
        .map(|h| {
            (
                format!(".kamal/hooks/{h}"),
                format!("#!/bin/sh\necho \"{h}\"\n"),
            )
        })
        .collect();
    let extra: Vec<(&str, &[u8])> = hooks
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let dir = project("#!/bin/sh\necho \"$KAMAL_HOSTS\"\n", &extra);
    for (p, _) in &hooks {
        executable(&dir.path().join(p));
    }
    let found = check(dir.path(), &system_path(&fake.bin()), &[]);
    let notes: Vec<String> = found
        .iter()
        .filter(|d| d["code"] == "H016")
        .map(|d| d["message"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(notes.len(), 9, "one note per hook: {notes:#?}");
    let runs = fake.log().lines().filter(|l| *l == "run").count();
    // 10 s for the analysis, 5 s per hook, at most 4 at once: at most 8 started (3 at once: 6)
    assert!(runs < 9, "{runs} started: {notes:#?}");
    assert!(
        notes.iter().filter(|n| n.contains("ran out")).count() >= 9 - runs,
        "{notes:#?}"
    );
}
