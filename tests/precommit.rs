//! The CI integrations, driven by the real tools from PyPI: this repository's pre-commit hooks
//! (`.pre-commit-hooks.yaml`, both `sextant` with `language: rust` and `sextant-system` with
//! `language: system`) run by pre-commit on a temporary git repository holding a broken and a
//! clean Kamal project; the GitHub Action (`action.yml`) and the example workflow validated by
//! check-jsonschema against GitHub's schemas, and the action's script run as GitHub would.
//!
//! Set-up, shared by every test and reused by later runs, under `target/tmp/precommit/`:
//! - `venv/`: pre-commit and check-jsonschema, installed with pip the first time. The tests skip,
//!   saying why, only when they cannot be installed (no python3 or venv, PyPI unreachable).
//! - `snapshot-*/`: on a clean checkout (CI) pre-commit clones this repository at `HEAD`. With
//!   uncommitted changes it clones a snapshot instead: one commit of the working tree (tracked
//!   and untracked files, `.gitignore` honoured) in a repository of its own, named by its tree,
//!   so that a local run tests what is on disk. Snapshots unused for a day are removed.
//! - `cache/`: `PRE_COMMIT_HOME`, where pre-commit keeps its clones and the `language: rust`
//!   hook's build, one per repository and revision.
//! - `cargo-target/`: `CARGO_TARGET_DIR` for the `cargo install` that pre-commit runs, so a new
//!   revision recompiles the sextant crates but not their dependencies.
//!
//! Every command runs under a time limit and is killed past it; the timings are printed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{output_with_timeout, report, CLEAN};

const PIP_LIMIT: Duration = Duration::from_secs(600);
const GIT_LIMIT: Duration = Duration::from_secs(120);
const TOOL_LIMIT: Duration = Duration::from_secs(180);
/// pre-commit's first run of the `language: rust` hook builds sextant in release mode.
const RUST_INSTALL_LIMIT: Duration = Duration::from_secs(1800);

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn work() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("precommit")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn both(output: &Output) -> String {
    format!("{}{}", text(&output.stdout), text(&output.stderr))
}

/// Whether an inherited variable would steer git or pre-commit away from the repositories the
/// tests name: a test run from inside a git hook has `GIT_DIR` and `GIT_INDEX_FILE` set, `SKIP`
/// skips hooks. Git's transport and configuration variables stay (`GIT_CONFIG_COUNT` and its
/// keys may carry `safe.directory`), as pre-commit itself keeps them.
fn steers(key: &str) -> bool {
    const KEPT: [&str; 8] = [
        "GIT_EXEC_PATH",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_SSL_CAINFO",
        "GIT_SSL_NO_VERIFY",
        "GIT_ASKPASS",
        "GIT_ALLOW_PROTOCOL",
        "GIT_CONFIG_COUNT",
    ];
    (key.starts_with("GIT_")
        && !KEPT.contains(&key)
        && !key.starts_with("GIT_CONFIG_KEY_")
        && !key.starts_with("GIT_CONFIG_VALUE_"))
        || key.starts_with("PRE_COMMIT")
        || key == "SKIP"
}

/// A command with the caller's environment less what [`steers`] git or pre-commit, and with a
/// fixed identity and date for the commits the tests make.
fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    for (key, _) in std::env::vars_os() {
        if steers(&key.to_string_lossy()) {
            cmd.env_remove(&key);
        }
    }
    for (key, value) in [
        ("GIT_AUTHOR_NAME", "sextant tests"),
        ("GIT_AUTHOR_EMAIL", "tests@sextant.invalid"),
        ("GIT_AUTHOR_DATE", "2000-01-01T00:00:00+0000"),
        ("GIT_COMMITTER_NAME", "sextant tests"),
        ("GIT_COMMITTER_EMAIL", "tests@sextant.invalid"),
        ("GIT_COMMITTER_DATE", "2000-01-01T00:00:00+0000"),
        ("NO_COLOR", "1"),
    ] {
        cmd.env(key, value);
    }
    cmd
}

/// Runs a command that must succeed; returns its standard output.
fn must(cmd: &mut Command, limit: Duration) -> String {
    let shown = format!("{cmd:?}");
    let output = output_with_timeout(cmd, limit).unwrap_or_else(|e| panic!("{shown}: {e}"));
    assert!(
        output.status.success(),
        "{shown} failed ({}):\n{}",
        output.status,
        both(&output)
    );
    text(&output.stdout)
}

fn git(dir: &Path, args: &[&str]) -> String {
    must(
        command("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
            .args(args),
        GIT_LIMIT,
    )
}

// ---------------------------------------------------------------------------------------------
// Set-up: the tools from PyPI, and the hooks repository.

struct Tools {
    /// The virtual environment's interpreter: `python -m pre_commit`, `-m check_jsonschema`.
    python: PathBuf,
    pre_commit_version: String,
}

impl Tools {
    fn pre_commit(&self) -> Command {
        let mut cmd = command(&self.python);
        cmd.args(["-m", "pre_commit"])
            .env("PRE_COMMIT_HOME", work().join("cache"));
        cmd
    }

    fn check_jsonschema(&self) -> Command {
        let mut cmd = command(&self.python);
        cmd.args(["-m", "check_jsonschema"]);
        cmd
    }
}

/// The tools, installed once per process; `None` (after printing why) when they cannot be.
fn tools(test: &str) -> Option<&'static Tools> {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    or_skip(TOOLS.get_or_init(install_tools), test)
}

/// What a one-time set-up made, or `None` after printing why `test` skips.
fn or_skip<T>(made: &'static Result<T, String>, test: &str) -> Option<&'static T> {
    match made {
        Ok(made) => Some(made),
        Err(reason) => {
            common::tool_or_skip(false, test, reason);
            None
        }
    }
}

const PACKAGES: [&str; 2] = ["pre-commit", "check-jsonschema"];

fn venv_python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// The versions of the installed tools, or `None` when the environment is missing or broken.
fn usable(venv: &Path) -> Option<String> {
    let python = venv_python(venv);
    let mut versions = Vec::new();
    for module in ["pre_commit", "check_jsonschema"] {
        let out = output_with_timeout(
            command(&python).args(["-m", module, "--version"]),
            TOOL_LIMIT,
        )
        .ok()?;
        if !out.status.success() {
            return None;
        }
        versions.push(text(&out.stdout).trim().to_string());
    }
    Some(versions.join(", "))
}

fn install_tools() -> Result<Tools, String> {
    if !cfg!(unix) {
        return Err("these tests drive pre-commit and bash on Unix only".into());
    }
    let work = work();
    std::fs::create_dir_all(&work).expect("target/tmp/precommit");
    let venv = work.join("venv");
    if let Some(version) = usable(&venv) {
        return Ok(Tools {
            python: venv_python(&venv),
            pre_commit_version: version,
        });
    }
    // A fresh environment, built aside and renamed into place, so that concurrent test runs
    // never see half of one. (A venv can be moved when it is used through `bin/python -m`.)
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| {
            output_with_timeout(Command::new(p).arg("--version"), TOOL_LIMIT)
                .is_ok_and(|o| o.status.success())
        })
        .ok_or("neither python3 nor python is on PATH, so pip cannot install pre-commit")?;
    let building = work.join(format!("venv-building-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&building);
    let start = Instant::now();
    let made = output_with_timeout(
        command(python).args(["-m", "venv"]).arg(&building),
        TOOL_LIMIT,
    )?;
    if !made.status.success() {
        return Err(format!(
            "`{python} -m venv` failed, so pip is not available (Debian: apt-get install python3-venv): {}",
            both(&made).trim()
        ));
    }
    let pip = output_with_timeout(
        command(venv_python(&building))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(["--timeout", "30", "--retries", "2"])
            .args(PACKAGES),
        PIP_LIMIT,
    )?;
    if !pip.status.success() {
        let said = both(&pip);
        let _ = std::fs::remove_dir_all(&building);
        let unreachable = [
            "Could not find a version",
            "No matching distribution",
            "NewConnectionError",
            "ConnectionError",
            "Max retries exceeded",
            "Temporary failure in name resolution",
            "Network is unreachable",
            "timed out",
            "ProxyError",
            "SSLError",
        ];
        if unreachable.iter().any(|s| said.contains(s)) {
            let last = said.lines().rev().find(|l| !l.trim().is_empty());
            return Err(format!(
                "PyPI is unreachable, so pre-commit cannot be installed (pip: {})",
                last.unwrap_or("no output").trim()
            ));
        }
        panic!("pip install {} failed:\n{said}", PACKAGES.join(" "));
    }
    let _ = std::fs::remove_dir_all(&venv);
    if std::fs::rename(&building, &venv).is_err() {
        // Another run got there first.
        let _ = std::fs::remove_dir_all(&building);
    }
    let version = usable(&venv).expect("the freshly installed tools run");
    report(&format!(
        "precommit: installed {version} from PyPI in {:.1} s",
        start.elapsed().as_secs_f64()
    ));
    Ok(Tools {
        python: venv_python(&venv),
        pre_commit_version: version,
    })
}

/// The repository pre-commit clones the hooks from, and the revision.
struct Hooks {
    repo: PathBuf,
    rev: String,
}

/// The hooks repository, made once per process; `None` (after printing why) without git.
fn hooks(test: &str) -> Option<&'static Hooks> {
    static HOOKS: OnceLock<Result<Hooks, String>> = OnceLock::new();
    let made = HOOKS.get_or_init(|| {
        let hooks = hooks_source()?;
        // pre-commit's store keeps a clone (and, for the rust hook, a build) per revision;
        // `gc` drops those no existing config uses (the configs of finished runs are gone).
        if let Some(tools) = tools("pre-commit gc") {
            let out = must(tools.pre_commit().arg("gc"), TOOL_LIMIT);
            report(&format!("precommit: pre-commit gc: {}", out.trim()));
        }
        Ok(hooks)
    });
    or_skip(made, test)
}

/// The tools and the hooks repository, or `None` after printing why `test` skips.
fn tools_and_hooks(test: &str) -> Option<(&'static Tools, &'static Hooks)> {
    Some((tools(test)?, hooks(test)?))
}

fn hooks_source() -> Result<Hooks, String> {
    let root = repo_root();
    if !root.join(".git").exists() {
        return Err(format!(
            "{} is not a git checkout, and pre-commit clones hooks from a git repository",
            root.display()
        ));
    }
    let dirty = git(root, &["status", "--porcelain", "--untracked-files=all"]);
    if dirty.trim().is_empty() {
        let rev = git(root, &["rev-parse", "HEAD"]).trim().to_string();
        report(&format!(
            "precommit: hooks from {} at HEAD {rev}",
            root.display()
        ));
        return Ok(Hooks {
            repo: root.to_path_buf(),
            rev,
        });
    }
    let hooks = snapshot(root);
    report(&format!(
        "precommit: the working tree has uncommitted changes, so the hooks come from a commit \
             of it ({} at {}) rather than HEAD",
        hooks.repo.display(),
        hooks.rev
    ));
    Ok(hooks)
}

/// A repository holding one commit of the working tree; its name and commit depend only on
/// the files (fixed author and date), so an unchanged tree reuses pre-commit's cached build.
fn snapshot(root: &Path) -> Hooks {
    let work = work();
    let building = work.join(format!("snapshot-building-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&building);
    std::fs::create_dir_all(&building).unwrap();
    let listed = git(
        root,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    );
    for name in listed.split('\0').filter(|n| !n.is_empty()) {
        let from = root.join(name);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = building.join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("copy {name}: {e}"));
    }
    git(&building, &["init", "--quiet"]);
    git(&building, &["add", "--all"]);
    git(
        &building,
        &["commit", "--quiet", "--no-verify", "-m", "working tree"],
    );
    let tree = git(&building, &["rev-parse", "HEAD^{tree}"]);
    let repo = work.join(format!("snapshot-{}", &tree.trim()[..16]));
    if repo.join(".git").is_dir() {
        let _ = std::fs::remove_dir_all(&building);
    } else if std::fs::rename(&building, &repo).is_err() {
        let _ = std::fs::remove_dir_all(&building); // another run made the same one
    }
    let rev = git(&repo, &["rev-parse", "HEAD"]).trim().to_string();
    // Mark it used, and forget snapshots no run has used for a day.
    let _ = std::fs::write(repo.join(".used"), "");
    for entry in std::fs::read_dir(&work).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = std::fs::metadata(path.join(".used"))
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().unwrap_or_default() > Duration::from_secs(86_400));
        if name.starts_with("snapshot-") && path != repo && stale {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
    Hooks { repo, rev }
}

/// Total size of the files under `dir`.
fn size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(t) if t.is_dir() => size(&entry.path()),
            Ok(_) => entry.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

// ---------------------------------------------------------------------------------------------
// The repository the hooks run on.

/// Where the broken project's mistake is (`app_port: "3000"`), as sextant names it from the
/// repository root.
const BROKEN_AT: &str = "broken/config/deploy.yml:14:13";

/// A git repository with `clean/` and `broken/` Kamal projects, a GitHub workflow named
/// `deploy.yml` and a Dockerfile outside any project, committed, with a pre-commit config
/// using `hook` from this repository.
fn consumer(hooks: &Hooks, hook: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("consumer-{hook}-"))
        .tempdir_in(work())
        .expect("temp dir");
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: {hook}\n",
        serde_json::to_string(&hooks.repo.to_string_lossy()).unwrap(),
        hooks.rev
    );
    let secrets = "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n";
    let hook_script = "#!/bin/sh\necho \"Deploying $KAMAL_VERSION to $KAMAL_HOSTS\"\n";
    let dockerfile =
        "FROM ruby:3.3-slim\nUSER 1000:1000\nEXPOSE 3000\nCMD [\"bin/rails\", \"server\"]\n";
    let broken = CLEAN.replace("app_port: 3000", "app_port: \"3000\"");
    let files: [(&str, &str); 11] = [
        (".pre-commit-config.yaml", &config),
        ("README.md", "# two Kamal projects\n"),
        ("clean/config/deploy.yml", CLEAN),
        ("clean/.kamal/secrets", secrets),
        ("clean/.kamal/hooks/pre-deploy", hook_script),
        ("clean/Dockerfile", dockerfile),
        ("broken/config/deploy.yml", &broken),
        ("broken/.kamal/secrets", secrets),
        ("broken/Dockerfile", dockerfile),
        (
            ".github/workflows/deploy.yml",
            "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: kamal deploy\n",
        ),
        ("docs/Dockerfile", dockerfile),
    ];
    for (name, contents) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let script = dir.path().join("clean/.kamal/hooks/pre-deploy");
        std::fs::set_permissions(script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    git(dir.path(), &["init", "--quiet"]);
    git(dir.path(), &["add", "--all"]);
    git(
        dir.path(),
        &["commit", "--quiet", "--no-verify", "-m", "two projects"],
    );
    dir
}

/// `pre-commit run ARGS` in `dir`, with `path_first` ahead of PATH when given.
fn pre_commit_run(
    tools: &Tools,
    dir: &Path,
    path_first: Option<&Path>,
    args: &[&str],
    limit: Duration,
) -> (Output, Duration) {
    let mut cmd = tools.pre_commit();
    cmd.current_dir(dir)
        .args(["run", "--color", "never"])
        .args(args)
        .env("CARGO_TARGET_DIR", work().join("cargo-target"));
    if let Some(first) = path_first {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let joined = std::env::join_paths(
            std::iter::once(first.to_path_buf()).chain(std::env::split_paths(&path)),
        )
        .unwrap();
        cmd.env("PATH", joined);
    }
    let shown = format!("pre-commit run {}", args.join(" "));
    let start = Instant::now();
    let output = output_with_timeout(&mut cmd, limit).unwrap_or_else(|e| panic!("{shown}: {e}"));
    (output, start.elapsed())
}

/// The files named by the error diagnostics of `full` output (`error[CODE]: …` then `┌─ file:…`);
/// warnings from rules added later do not count.
fn error_files(out: &str) -> Vec<String> {
    let lines: Vec<&str> = out.lines().collect();
    lines
        .windows(2)
        .filter(|pair| pair[0].starts_with("error["))
        .filter_map(|pair| pair[1].split_once("┌─ ").map(|(_, at)| at))
        .map(|at| at.split(':').next().unwrap_or(at).to_string())
        .collect()
}

/// The scenarios both hooks must pass.
fn exercise(tools: &Tools, hooks: &Hooks, hook: &str, path_first: Option<&Path>) {
    let repo = consumer(hooks, hook);
    let dir = repo.path();
    let run = |args: &[&str]| {
        let (output, took) = pre_commit_run(tools, dir, path_first, args, TOOL_LIMIT);
        report(&format!(
            "precommit: {hook}: `pre-commit run {}` took {:.2} s",
            args.join(" "),
            took.as_secs_f64()
        ));
        (output.status.code(), both(&output))
    };

    // Every file: the broken project fails, with sextant's own report; the clean one is fine.
    let (code, out) = run(&[hook, "--all-files"]);
    assert_eq!(code, Some(1), "--all-files must fail on broken/:\n{out}");
    assert!(out.contains(&format!("- hook id: {hook}")), "{out}");
    assert!(out.contains("- exit code: 1"), "{out}");
    assert!(
        out.contains(BROKEN_AT),
        "sextant's report names the line:\n{out}"
    );
    assert!(
        out.contains("error[K003]: `proxy/app_port` should be an integer, found a string"),
        "{out}"
    );
    let files = error_files(&out);
    assert!(
        files.iter().all(|f| f.starts_with("broken/")),
        "errors only in broken/, not {files:?}:\n{out}"
    );

    // The clean project's files pass.
    let (code, out) = run(&[
        hook,
        "--files",
        "clean/config/deploy.yml",
        "clean/.kamal/hooks/pre-deploy",
        "clean/Dockerfile",
    ]);
    assert_eq!(code, Some(0), "clean/ passes:\n{out}");
    assert!(out.contains("Passed"), "{out}");

    // A commit changing only the broken project's secrets file checks the whole project: the
    // staged files are what pre-commit passes by default.
    let secrets = dir.join("broken/.kamal/secrets");
    let mut changed = std::fs::read_to_string(&secrets).unwrap();
    changed.push_str("# rotated\n");
    std::fs::write(&secrets, changed).unwrap();
    git(dir, &["add", "broken/.kamal/secrets"]);
    let (code, out) = run(&[hook]);
    assert_eq!(
        code,
        Some(1),
        "a staged secrets file checks its project:\n{out}"
    );
    assert!(out.contains(BROKEN_AT), "{out}");
    git(dir, &["reset", "--quiet", "--hard"]);

    // Files that are not Kamal's are not passed at all: a GitHub workflow named deploy.yml.
    let workflow = dir.join(".github/workflows/deploy.yml");
    std::fs::write(&workflow, "on: [push]\njobs: {}\n").unwrap();
    git(dir, &["add", ".github/workflows/deploy.yml"]);
    let (code, out) = run(&[hook]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("(no files to check)Skipped"), "{out}");
    git(dir, &["reset", "--quiet", "--hard"]);

    // A Dockerfile outside any project matches `files`; sextant says it is not a project file
    // and passes.
    let (code, out) = run(&[hook, "--verbose", "--files", "docs/Dockerfile"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("not a file of a Kamal project"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn hooks_manifest_is_valid() {
    let Some(tools) = tools("hooks_manifest_is_valid") else {
        return;
    };
    let out = must(
        tools
            .pre_commit()
            .current_dir(repo_root())
            .args(["validate-manifest", ".pre-commit-hooks.yaml"]),
        TOOL_LIMIT,
    );
    assert!(out.trim().is_empty(), "{out}");
}

#[test]
fn system_hook_uses_sextant_on_path() {
    let Some((tools, hooks)) = tools_and_hooks("system_hook_uses_sextant_on_path") else {
        return;
    };
    report(&format!("precommit: {}", tools.pre_commit_version));
    let bin = common::sextant();
    exercise(tools, hooks, "sextant-system", bin.parent());
}

#[test]
fn rust_hook_builds_sextant_from_the_repository() {
    let Some((tools, hooks)) = tools_and_hooks("rust_hook_builds_sextant_from_the_repository")
    else {
        return;
    };
    // Each revision adds its own build of the sextant crates to the shared target folder.
    let target = work().join("cargo-target");
    let bytes = size(&target);
    if bytes > 2 << 30 {
        report(&format!(
            "precommit: removing {} ({} MiB): the next build starts from scratch",
            target.display(),
            bytes >> 20
        ));
        let _ = std::fs::remove_dir_all(&target);
    }
    // The first run clones the repository and runs `cargo install` (release); timed apart.
    let repo = consumer(hooks, "sextant");
    let start = Instant::now();
    let (output, _) = pre_commit_run(
        tools,
        repo.path(),
        None,
        &["sextant", "--files", "clean/config/deploy.yml"],
        RUST_INSTALL_LIMIT,
    );
    report(&format!(
        "precommit: sextant (language: rust): first run, with the clone and `cargo install` \
         when not cached, took {:.1} s",
        start.elapsed().as_secs_f64()
    ));
    assert!(
        output.status.success(),
        "the rust hook installs and passes clean/:\n{}",
        both(&output)
    );
    exercise(tools, hooks, "sextant", None);
}

#[test]
fn github_action_and_example_workflow_match_their_schemas() {
    let Some(tools) = tools("github_action_and_example_workflow_match_their_schemas") else {
        return;
    };
    for (schema, file) in [
        ("vendor.github-actions", "action.yml"),
        ("vendor.github-workflows", "docs/github-workflow.yml"),
    ] {
        let out = must(
            tools.check_jsonschema().current_dir(repo_root()).args([
                "--builtin-schema",
                schema,
                file,
            ]),
            TOOL_LIMIT,
        );
        assert!(out.contains("ok -- validation done"), "{file}: {out}");
    }
    // The page shows the workflow file as it is.
    let page = std::fs::read_to_string(repo_root().join("docs/github-action.md")).unwrap();
    let workflow = std::fs::read_to_string(repo_root().join("docs/github-workflow.yml")).unwrap();
    assert!(
        page.contains(&format!("```yaml\n{workflow}```")),
        "docs/github-action.md must quote docs/github-workflow.yml verbatim"
    );
}

/// The action's `sextant check` step, run with bash the way the runner runs it (inputs as
/// environment variables, GITHUB_OUTPUT and GITHUB_PATH files), on the example project.
#[test]
fn github_action_check_step_writes_sarif_and_annotations() {
    let Some(tools) = tools("github_action_check_step_writes_sarif_and_annotations") else {
        return;
    };
    let script = must(
        command(&tools.python).current_dir(repo_root()).args([
            "-c",
            "import sys, yaml\n\
             steps = yaml.safe_load(open('action.yml'))['runs']['steps']\n\
             sys.stdout.write(next(s['run'] for s in steps if s.get('id') == 'check'))\n",
        ]),
        TOOL_LIMIT,
    );
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("workspace");
    let runner_temp = dir.path().join("runner-temp");
    let root = dir.path().join("install");
    std::fs::create_dir_all(&runner_temp).unwrap();
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::copy(common::sextant(), root.join("bin/sextant")).unwrap();
    let copy = |from: &Path, to: &Path| {
        for entry in ["config", ".kamal", "Dockerfile"] {
            let src = from.join(entry);
            if src.exists() {
                must(
                    Command::new("cp").arg("-R").arg(&src).arg(to.join(entry)),
                    GIT_LIMIT,
                );
            }
        }
    };
    std::fs::create_dir_all(workspace.join("app")).unwrap();
    copy(&repo_root().join("examples"), &workspace.join("app"));

    let step = |dir_input: &str, args: &str, sarif: &str| {
        let outputs = dir.path().join("github-output");
        let path_file = dir.path().join("github-path");
        std::fs::write(&outputs, "").unwrap();
        let output = output_with_timeout(
            command("bash")
                .args(["-c", &script])
                .current_dir(&workspace)
                .env("GITHUB_WORKSPACE", &workspace)
                .env("GITHUB_OUTPUT", &outputs)
                .env("GITHUB_PATH", &path_file)
                .env("RUNNER_TEMP", &runner_temp)
                .env("SEXTANT_ROOT", &root)
                .env("SEXTANT_DIR", dir_input)
                .env("SEXTANT_ARGS", args)
                .env("SEXTANT_SARIF", sarif)
                .env("SEXTANT_ANNOTATIONS", "true"),
            TOOL_LIMIT,
        )
        .unwrap();
        let outputs = std::fs::read_to_string(&outputs).unwrap();
        (output, outputs)
    };

    let (output, outputs) = step("app", "", "");
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let sarif = runner_temp.join("sextant.sarif");
    assert!(
        outputs.contains(&format!("sarif-file={}\n", sarif.display())),
        "{outputs}"
    );
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
    // Annotations name files from the repository root.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=app/config/deploy.yml,line=")),
        "{stdout}"
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        stdout.lines().filter(|l| l.starts_with("::")).count(),
        "the SARIF log and the annotations carry the same diagnostics"
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/config/deploy.yml"
    );

    // Arguments are passed on (and never globbed); a SARIF path relative to the repository.
    let (output, outputs) = step("app", "--fail-on never --select K0*", "reports/x.sarif");
    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    assert!(both(&output).contains("`K0*` is not a rule code"));
    assert!(outputs.contains("exit-code=2\n"), "{outputs}");
    let (output, outputs) = step("app", "--fail-on never", "reports/x.sarif");
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    assert!(outputs.contains(&format!(
        "sarif-file={}\n",
        workspace.join("reports/x.sarif").display()
    )));
    assert!(workspace.join("reports/x.sarif").is_file());
}

#[test]
fn error_files_reads_full_output() {
    let out = "error[K003]: `proxy/app_port` should be an integer\n   ┌─ broken/config/deploy.yml:14:13\n\
               warning[F008]: no `USER`\n  ┌─ clean/Dockerfile:1:1\n\
               error[S001]: undefined\n  ┌─ broken/.kamal/secrets:1:1\n";
    assert_eq!(
        error_files(out),
        ["broken/config/deploy.yml", "broken/.kamal/secrets"]
    );
}
