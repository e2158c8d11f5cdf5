//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `../shared` beside the repository, when present.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}

/// Prints a line that is shown even when the test passes (libtest captures `println!`).
pub fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Whether a test that needs a tool runs: `available`, or else it skips with a printed reason
/// — except under `CI=true`, where `.ci/run` installed the tool and its absence fails the test.
pub fn tool_or_skip(available: bool, what: &str, why: &str) -> bool {
    if available {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what}: {why}, and CI=true (.ci/run installs it)");
    }
    report(&format!("SKIPPED {what}: {why} (.ci/run installs it)"));
    false
}

/// Skips (returns `None`) with a printed reason when `../shared` is absent.
pub fn shared_or_skip(what: &str) -> Option<PathBuf> {
    let found = shared();
    if found.is_none() {
        report(&format!(
            "SKIPPED {what}: ../shared is absent (the conformance data lives beside the repository)"
        ));
    }
    found
}

/// Reads a TSV file into rows of fields, skipping comments and the header.
pub fn tsv(path: &Path, header: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("readable TSV");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with(header))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// The `sextant` binary under test.
pub fn sextant() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_sextant"))
}

/// Runs `sextant ARGS` in `dir` without colours, collecting its output.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(sextant())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("sextant runs")
}

/// Every `--output-format`, the default (`full`) first.
pub const FORMATS: [&str; 10] = [
    "full",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "rdjson",
    "junit",
    "checkstyle",
];

/// A configuration with no problem; its registry password is `KAMAL_REGISTRY_PASSWORD`.
pub const CLEAN: &str = "\
service: app
image: user/app
registry:
  username: user
  password:
    - KAMAL_REGISTRY_PASSWORD
builder:
  arch: amd64
servers:
  web:
    - 10.0.0.1
proxy:
  host: app.demo-company.io
  app_port: 3000
";

/// [`CLEAN`] that also uses one secret, `SECRET_0000001` (the large-input tests and benchmark
/// fill secrets files around it).
pub fn clean_with_one_secret() -> String {
    format!("{CLEAN}env:\n  secret:\n    - SECRET_0000001\n")
}

/// A temporary project: `files` are (relative path, contents). Unless given, `.kamal/secrets`
/// (`.kamal/secrets-common`, read with and without destinations) defines the registry password
/// [`CLEAN`] uses.
pub fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if !files.iter().any(|(p, _)| p.starts_with(".kamal/secrets")) {
        let secrets = dir.path().join(".kamal/secrets-common");
        std::fs::create_dir_all(secrets.parent().unwrap()).unwrap();
        std::fs::write(
            secrets,
            "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n",
        )
        .unwrap();
    }
    for (path, contents) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, contents).unwrap();
    }
    dir
}

/// Runs `command` with no standard input, collecting its output, and kills it (with its whole
/// process group on Unix, so that grandchildren such as `cargo` started by `pre-commit` go too)
/// when it runs longer than `limit`. `Err` says why it did not finish, with what it printed.
pub fn output_with_timeout(
    command: &mut std::process::Command,
    limit: std::time::Duration,
) -> Result<std::process::Output, String> {
    use std::io::Read;
    use std::process::Stdio;
    use std::sync::{Arc, Mutex};
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run `{program}`: {e}"))?;
    let collect = |mut pipe: Box<dyn Read + Send>| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        let thread = std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        (buffer, thread)
    };
    let (stdout, out_thread) = collect(Box::new(child.stdout.take().expect("piped stdout")));
    let (stderr, err_thread) = collect(Box::new(child.stderr.take().expect("piped stderr")));
    let start = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < limit => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            Ok(None) => {
                #[cfg(unix)]
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                let text = |b: &Arc<Mutex<Vec<u8>>>| {
                    String::from_utf8_lossy(&b.lock().unwrap()).into_owned()
                };
                return Err(format!(
                    "`{program}` did not finish within {limit:?} and was killed\n--- stdout ---\n{}\n--- stderr ---\n{}",
                    text(&stdout),
                    text(&stderr)
                ));
            }
            Err(e) => return Err(format!("cannot wait for `{program}`: {e}")),
        }
    };
    // A grandchild that outlives the command may hold the pipes open: give the readers a moment.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !(out_thread.is_finished() && err_thread.is_finished())
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let take = |b: Arc<Mutex<Vec<u8>>>| std::mem::take(&mut *b.lock().unwrap());
    Ok(std::process::Output {
        status,
        stdout: take(stdout),
        stderr: take(stderr),
    })
}

/// A small seeded generator (xorshift): the same seed makes the same cases, so a failing case
/// replays from its seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `len` characters drawn from `alphabet`.
    pub fn from(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}
