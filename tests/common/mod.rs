//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// `../shared` beside the repository, when present.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}

/// Prints a line that is shown even when the test passes (libtest captures `println!`).
pub fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
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

pub fn sextant() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_sextant"))
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
