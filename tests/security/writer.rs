//! Security tests: the writer (`--fix` and `--output-file`). Files are written only inside the
//! project, never through a link that leaves it, through exclusive unpredictable temporary files,
//! keeping mode, owner and in-project links, all or nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::common::{project, report, sextant, Rng, CLEAN};

/// A config with a P001 finding (safe fix: `hosts:`).
fn config_p001() -> String {
    CLEAN.replace(
        "  host: app.demo-company.io",
        "  host: app.demo-company.io,www.demo-company.io",
    )
}

/// A hook without `#!` (H005, safe fix).
const HOOK: &str = "echo deploying\n";
/// A Dockerfile with `ADD` of local files (F015, safe fix).
const DOCKERFILE: &str = "FROM ruby:3.3\nADD . /rails\nCMD [\"bin/rails\", \"server\"]\n";
/// What the victims outside the project hold.
const PRECIOUS: &str = "precious, not to be overwritten\n";

/// Runs `sextant ARGS` in `dir` through `sh`, which first plants symlinks named
/// `FOLDER/PREFIX<pid>` (pointing at `target`) for the PID the `sextant` process will have
/// (`exec` keeps the shell's PID): exactly the temporary names a PID-based scheme uses.
fn run_with_pid_links(dir: &Path, links: &[(PathBuf, String, PathBuf)], args: &[&str]) -> Output {
    let mut script = String::from("set -e\n");
    for (folder, prefix, target) in links {
        script.push_str(&format!(
            "ln -s '{}' '{}/{}'\"$$\"\n",
            target.display(),
            folder.display(),
            prefix
        ));
    }
    script.push_str(&format!("exec '{}'", sextant().display()));
    for a in args {
        script.push_str(&format!(" '{a}'"));
    }
    script.push('\n');
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs")
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn describe(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A folder outside every project, with victim files.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("victim"), PRECIOUS).unwrap();
    std::fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    std::fs::write(dir.path().join("deploy.yml"), config_p001()).unwrap();
    std::fs::write(dir.path().join("hook"), HOOK).unwrap();
    dir
}

/// Everything under `dir` (names, link targets, modes, contents), to compare before and after.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            let what = if meta.file_type().is_symlink() {
                format!("link {:?}", std::fs::read_link(&p).ok())
            } else if meta.is_dir() {
                stack.push(p.clone());
                format!("dir {:o}", meta.mode())
            } else {
                format!(
                    "file {:o} {}:{} {:?}",
                    meta.mode(),
                    meta.uid(),
                    meta.gid(),
                    std::fs::read(&p).ok()
                )
            };
            out.insert(p, what);
        }
    }
    out
}

fn assert_no_success_line(out: &Output) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !all.contains("All checks passed") && !all.contains("Fixed "),
        "a failed write printed a success line:\n{}",
        describe(out)
    );
}

// Finding 1: `--fix` wrote `.NAME.sextant-PID` with a plain write that follows symlinks.
#[test]
fn fix_does_not_follow_symlinks_planted_at_temporary_names() {
    let out_dir = outside();
    let victim = out_dir.path().join("victim");
    let p = project(&[
        ("config/deploy.yml", config_p001().as_bytes()),
        (".kamal/hooks/pre-deploy", HOOK.as_bytes()),
    ]);
    executable(&p.path().join(".kamal/hooks/pre-deploy"));
    let links = vec![
        (
            p.path().join("config"),
            ".deploy.yml.sextant-".to_string(),
            victim.clone(),
        ),
        (
            p.path().join(".kamal/hooks"),
            ".pre-deploy.sextant-".to_string(),
            victim.clone(),
        ),
    ];
    let out = run_with_pid_links(p.path(), &links, &["check", "--fix"]);
    assert_eq!(text(&victim), PRECIOUS, "{}", describe(&out));
    let config = p.path().join("config/deploy.yml");
    let meta = std::fs::symlink_metadata(&config).unwrap();
    assert!(meta.is_file(), "config/deploy.yml became a link");
    assert!(text(&config).contains("hosts: ["), "{}", describe(&out));
    let hook = p.path().join(".kamal/hooks/pre-deploy");
    assert!(std::fs::symlink_metadata(&hook).unwrap().is_file());
    assert!(text(&hook).starts_with("#!/bin/sh\n"), "{}", describe(&out));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
}

// Finding 1: `--output-file` wrote `.sextant-output-PID` the same way.
#[test]
fn output_file_does_not_follow_a_symlink_planted_at_its_temporary_name() {
    let out_dir = outside();
    let victim = out_dir.path().join("victim");
    let p = project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    let reports = p.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    let links = vec![(
        reports.clone(),
        ".sextant-output-".to_string(),
        victim.clone(),
    )];
    let out = run_with_pid_links(
        p.path(),
        &links,
        &[
            "check",
            "--output-format",
            "json",
            "--output-file",
            "reports/out.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(text(&victim), PRECIOUS);
    let written = reports.join("out.json");
    assert!(std::fs::symlink_metadata(&written).unwrap().is_file());
    assert_eq!(text(&written).trim(), "[]");

    // a link committed at the output name itself (a checkout is the project's) is replaced,
    // not written through
    let planted = p.path().join("sextant.json");
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let out = super::common::run(
        p.path(),
        &[
            "check",
            "--output-format",
            "json",
            "--output-file",
            "sextant.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(text(&victim), PRECIOUS);
    assert!(std::fs::symlink_metadata(&planted).unwrap().is_file());
    assert_eq!(text(&planted).trim(), "[]");
}

// Medium: `--fix` rewrote files outside the project through `builder.dockerfile`.
#[test]
fn fix_never_writes_a_dockerfile_outside_the_project() {
    let out_dir = outside();
    let outside_dockerfile = out_dir.path().join("Dockerfile");
    // the project lives in a folder of its own beside `elsewhere/`, so that `..` leaves it
    let base = tempfile::tempdir().unwrap();
    let elsewhere = base.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("Dockerfile"), DOCKERFILE).unwrap();
    let cases: Vec<(&str, String, bool)> = vec![
        ("relative ..", "../elsewhere/Dockerfile".into(), false),
        ("absolute", outside_dockerfile.display().to_string(), false),
        ("in-project symlink to outside", "Dockerfile".into(), true),
    ];
    for (what, path, link) in cases {
        let root = base.path().join(format!("app-{}", what.replace(' ', "-")));
        let config = CLEAN.replace(
            "  arch: amd64",
            &format!("  arch: amd64\n  dockerfile: \"{path}\""),
        );
        let dir = root.join("config");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("deploy.yml"), &config).unwrap();
        std::fs::create_dir_all(root.join(".kamal")).unwrap();
        std::fs::write(
            root.join(".kamal/secrets-common"),
            "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n",
        )
        .unwrap();
        if link {
            std::os::unix::fs::symlink(&outside_dockerfile, root.join("Dockerfile")).unwrap();
        }
        let before = (snapshot(out_dir.path()), snapshot(&elsewhere));
        let out = Command::new(sextant())
            .args(["check", "--fix"])
            .current_dir(&root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(
            (snapshot(out_dir.path()), snapshot(&elsewhere)),
            before,
            "{what}: a file outside the project changed\n{}",
            describe(&out)
        );
        assert_eq!(text(&outside_dockerfile), DOCKERFILE, "{what}");
        assert_eq!(text(&elsewhere.join("Dockerfile")), DOCKERFILE, "{what}");
        if link {
            assert!(std::fs::symlink_metadata(root.join("Dockerfile"))
                .unwrap()
                .file_type()
                .is_symlink());
        }
        if out.status.code() == Some(2) {
            assert_no_success_line(&out);
        }
    }
}

// Medium: a symlinked `config/deploy.yml` was replaced with a regular file.
#[test]
fn fix_writes_through_an_in_project_symlink_and_keeps_the_link() {
    let p = project(&[("shared/deploy.yml", config_p001().as_bytes())]);
    std::fs::create_dir_all(p.path().join("config")).unwrap();
    std::os::unix::fs::symlink("../shared/deploy.yml", p.path().join("config/deploy.yml")).unwrap();
    let out = super::common::run(p.path(), &["check", "--fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let link = p.path().join("config/deploy.yml");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "config/deploy.yml is no longer a link"
    );
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("../shared/deploy.yml")
    );
    assert!(text(&p.path().join("shared/deploy.yml")).contains("hosts: ["));
}

// Medium: `--fix` did not keep the owner (nor, through the link, the mode).
#[test]
fn fix_keeps_mode_and_owner() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let p = project(&[
        ("config/deploy.yml", config_p001().as_bytes()),
        (".kamal/hooks/pre-deploy", HOOK.as_bytes()),
    ]);
    let config = p.path().join("config/deploy.yml");
    let hook = p.path().join(".kamal/hooks/pre-deploy");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o750)).unwrap();
    let root = std::fs::metadata(&config).unwrap().uid() == 0
        && Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let owner = if root {
        // another owner and group than the one running sextant
        std::os::unix::fs::chown(&config, Some(4321), Some(4322)).unwrap();
        std::os::unix::fs::chown(&hook, Some(4323), Some(4324)).unwrap();
        true
    } else {
        report("writer: not root, the owner is not changed first (only the mode is checked)");
        false
    };
    let before = |p: &Path| {
        let m = std::fs::metadata(p).unwrap();
        (m.mode(), m.uid(), m.gid())
    };
    let (c, h) = (before(&config), before(&hook));
    let out = super::common::run(p.path(), &["check", "--fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(text(&config).contains("hosts: ["));
    assert!(text(&hook).starts_with("#!/bin/sh"));
    assert_eq!(before(&config), c, "config/deploy.yml: mode, uid, gid");
    assert_eq!(before(&hook), h, "the hook: mode, uid, gid");
    if owner {
        assert_eq!(c.1, 4321);
    }
}

/// Makes a path unwritable in a way that also binds root: `chattr +i` (immutable). Undone on
/// drop. `None` when the file system or the user cannot.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).output();
    }
}

/// Two fixed files (the hook is staged and renamed before config/deploy.yml).
fn two_fixed_files() -> tempfile::TempDir {
    project(&[
        ("config/deploy.yml", config_p001().as_bytes()),
        (".kamal/hooks/pre-deploy", HOOK.as_bytes()),
    ])
}

// Medium: after a failed write, earlier files stayed changed and "All checks passed" printed.
#[test]
fn a_failed_write_changes_nothing_and_exits_2_without_a_success_line() {
    // 1. staging fails: no temporary file can be created beside config/deploy.yml
    let p = two_fixed_files();
    let before = snapshot(p.path());
    let Some(guard) = Immutable::set(&p.path().join("config")) else {
        report("SKIPPED writer failure test: `chattr +i` is not available here (needs root and a file system with attributes)");
        return;
    };
    let out = super::common::run(p.path(), &["check", "--fix"]);
    drop(guard);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert_no_success_line(&out);
    assert_eq!(
        snapshot(p.path()),
        before,
        "a file changed\n{}",
        describe(&out)
    );

    // 2. staging succeeds, but renaming over config/deploy.yml fails after the hook was renamed
    let p = two_fixed_files();
    let before = snapshot(p.path());
    let guard = Immutable::set(&p.path().join("config/deploy.yml")).expect("chattr worked above");
    let out = super::common::run(p.path(), &["check", "--fix"]);
    drop(guard);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert_no_success_line(&out);
    assert_eq!(
        snapshot(p.path()),
        before,
        "a file changed\n{}",
        describe(&out)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("restored"), "{stderr}");
}

// Property: whatever symlinks a project plants (to outside files, to in-project files, dangling,
// loops) at project paths and at temporary-looking names, `--fix` changes nothing outside it.
#[test]
fn random_planted_symlinks_never_let_fix_change_a_file_outside_the_project() {
    let rounds: u64 = std::env::var("SEXTANT_WRITER_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let places = [
        "config/deploy.yml",
        "config/deploy.staging.yml",
        ".kamal/hooks/pre-deploy",
        ".kamal/hooks/pre-build",
        ".kamal/secrets",
        "Dockerfile",
        ".sextant.toml",
        "config/.deploy.yml.sextant-",
        ".kamal/hooks/.pre-deploy.sextant-",
        ".kamal/hooks/.pre-build.sextant-",
        ".Dockerfile.sextant-",
        "config/.deploy.staging.yml.sextant-",
        "config/.deploy.yml.tmp",
        "config/shared",
    ];
    let mut total_fixed_runs = 0;
    for seed in 1..=rounds {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let out_dir = outside();
        let p = project(&[
            ("config/deploy.yml", config_p001().as_bytes()),
            ("config/deploy.staging.yml", b"servers:\n  - 10.0.0.2\n"),
            (".kamal/hooks/pre-deploy", HOOK.as_bytes()),
            ("Dockerfile", DOCKERFILE.as_bytes()),
            ("real/hook", HOOK.as_bytes()),
        ]);
        let targets: Vec<PathBuf> = vec![
            out_dir.path().join("victim"),
            out_dir.path().join("Dockerfile"),
            out_dir.path().join("deploy.yml"),
            out_dir.path().join("hook"),
            out_dir.path().to_path_buf(),
            p.path().join("real/hook"),
            p.path().join("config/deploy.yml"),
            p.path().join("nowhere/dangling"),
            PathBuf::from("loop-a"),
            PathBuf::from("."),
        ];
        let mut links: Vec<(PathBuf, String, PathBuf)> = Vec::new();
        for _ in 0..(1 + rng.next() % 5) {
            let place = *rng.pick(&places);
            let target = rng.pick(&targets).clone();
            let full = p.path().join(place);
            let folder = full.parent().unwrap().to_path_buf();
            std::fs::create_dir_all(&folder).unwrap();
            if place.ends_with("sextant-") {
                // at the PID the process will have
                let name = full.file_name().unwrap().to_string_lossy().into_owned();
                links.push((folder, name, target));
            } else {
                let _ = std::fs::remove_file(&full);
                let _ = std::fs::remove_dir_all(&full);
                let target = if target == Path::new("loop-a") {
                    // a loop: the link points at itself through its folder
                    PathBuf::from(full.file_name().unwrap())
                } else {
                    target
                };
                let _ = std::os::unix::fs::symlink(&target, &full);
            }
        }
        let before = snapshot(out_dir.path());
        let mut args = vec!["check", "--fix"];
        if rng.next() % 2 == 0 {
            args.push("--unsafe-fixes");
        }
        let out = run_with_pid_links(p.path(), &links, &args);
        assert_eq!(
            snapshot(out_dir.path()),
            before,
            "seed {seed}: a file outside the project changed\nlinks: {links:?}\n{}",
            describe(&out)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("internal error") && out.status.code().is_some(),
            "seed {seed}: {}",
            describe(&out)
        );
        if out.status.code() == Some(2) {
            assert_no_success_line(&out);
        } else {
            total_fixed_runs += 1;
        }
    }
    report(&format!(
        "writer property: {rounds} projects with planted links, {total_fixed_runs} fixed without a write failure, nothing outside changed"
    ));
}

// Finding 9: P001's safe fix broke `host: >-` block scalars and dropped anchors; H005 and P001
// in CRLF files and files with a byte order mark. Every fixed file must still parse, mean the
// same hosts, and keep its line endings and mark.
#[test]
fn fixes_keep_block_scalars_anchors_tags_crlf_and_bom_valid() {
    let shapes = [
        ("  host: >-\n    a.io,b.io\n", "  hosts: [a.io, b.io]\n"),
        ("  host: |\n    a.io,b.io\n", "  hosts: [a.io, b.io]\n"),
        ("  host: &h a.io,b.io\n", "  hosts: &h [a.io, b.io]\n"),
        ("  host: !!str a.io,b.io\n", "  hosts: [a.io, b.io]\n"),
    ];
    for (host, hosts) in shapes {
        for (crlf, bom) in [(false, false), (true, false), (false, true), (true, true)] {
            let shape = |t: &str| {
                let t = if crlf {
                    t.replace('\n', "\r\n")
                } else {
                    t.to_string()
                };
                if bom {
                    format!("\u{feff}{t}")
                } else {
                    t
                }
            };
            let config = CLEAN.replace("  host: app.demo-company.io\n", host);
            let hook = if crlf {
                "echo deploying\r\necho done\r\n"
            } else {
                "echo deploying\necho done\n"
            };
            let p = project(&[
                ("config/deploy.yml", shape(&config).as_bytes()),
                (".kamal/hooks/pre-deploy", hook.as_bytes()),
            ]);
            executable(&p.path().join(".kamal/hooks/pre-deploy"));
            let out = super::common::run(p.path(), &["check", "--fix", "--no-shellcheck"]);
            let what = format!("{host:?} crlf {crlf} bom {bom}");
            assert_eq!(out.status.code(), Some(0), "{what}\n{}", describe(&out));
            assert_eq!(
                text(&p.path().join("config/deploy.yml")),
                shape(&CLEAN.replace("  host: app.demo-company.io\n", hosts)),
                "{what}"
            );
            assert_eq!(
                text(&p.path().join(".kamal/hooks/pre-deploy")),
                format!("#!/bin/sh\n{hook}"),
                "{what}"
            );
            // checked again, nothing is left to fix
            let again = super::common::run(p.path(), &["check", "--diff", "--no-shellcheck"]);
            assert_eq!(again.status.code(), Some(0), "{what}\n{}", describe(&again));
        }
    }
}

// The writer's confinement does not refuse what the user named: a config given with `-c`
// outside the project is fixed in place (its folder is the user's), the project's own files
// stay confined to the project.
#[test]
fn a_config_named_with_c_outside_the_project_is_fixed() {
    let base = tempfile::tempdir().unwrap();
    let cfg = base.path().join("cfg");
    let proj = base.path().join("proj");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::create_dir_all(proj.join(".kamal")).unwrap();
    std::fs::write(
        proj.join(".kamal/secrets-common"),
        "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n",
    )
    .unwrap();
    std::fs::write(cfg.join("deploy.yml"), config_p001()).unwrap();
    let out = super::common::run(&proj, &["check", "--fix", "-c", "../cfg/deploy.yml"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(text(&cfg.join("deploy.yml")).contains("hosts: ["));
}
