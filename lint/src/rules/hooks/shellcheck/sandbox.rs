//! Running an external tool (shellcheck) as untrusted: the child starts in an empty temporary
//! folder (so nothing of the project, such as `.shellcheckrc`, `.tool-versions` or
//! `.python-version`, is near it), with a cleared environment (a `PATH` of absolute entries
//! outside the project and `HOME` set to the empty folder: no user or project rc file, no
//! `SHELLCHECK_OPTS`, no CI secret), its input on standard input, bounded output, and hard
//! limits: a wall-clock deadline enforced by killing the child (and its process group, so a
//! grandchild cannot keep the pipes open), and on Unix an address-space, CPU-time and core-file
//! limit set in the child before `exec` (`setrlimit`).
//!
//! Hand-written on `std::process` with `try_wait` polling: `wait-timeout` installs a
//! process-wide `SIGCHLD` handler (unwelcome in a library that the language server embeds),
//! and `process-wrap` brings more than the process group this needs. `tempfile` gives the
//! folder, `libc` the limits.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The limits of one run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// When the child is killed if it has not ended.
    pub deadline: Instant,
    /// Address space of the child, in bytes (Unix).
    pub address_space: u64,
    /// CPU time of the child, in seconds (Unix).
    pub cpu_seconds: u64,
    /// Most bytes read from its standard output; more is a failure.
    pub max_output: usize,
}

/// What the child gave.
#[derive(Debug)]
pub(crate) struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why the child gave nothing usable.
#[derive(Debug)]
pub(crate) enum Failure {
    /// It could not be started (or its temporary folder could not be made).
    Start(String),
    /// It ran past its deadline and was killed.
    TimedOut,
    /// It wrote more than `max_output` bytes and was killed.
    TooMuchOutput,
    /// Waiting for it failed.
    Wait(String),
}

/// Most bytes of standard error kept (only its first line is ever shown).
const MAX_STDERR: usize = 64 * 1024;

/// The `PATH` given to the child: the absolute entries of ours, without any inside `root`
/// (`None` when none is left).
pub(crate) fn child_path(root: &Path) -> Option<OsString> {
    filter_path(&std::env::var_os("PATH")?, root)
}

fn filter_path(path: &OsString, root: &Path) -> Option<OsString> {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let kept: Vec<_> = std::env::split_paths(&path)
        .filter(|dir| dir.is_absolute())
        .filter(|dir| {
            let real = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            !dir.starts_with(root) && !real.starts_with(&real_root)
        })
        .collect();
    if kept.is_empty() {
        return None;
    }
    std::env::join_paths(kept).ok()
}

/// Runs `program ARGS` with `input` on standard input, in an empty temporary folder, with a
/// cleared environment (`PATH` = `path`, `HOME` and `TMPDIR` = that folder) and `limits`;
/// `folder_args` gives the arguments that name the temporary folder.
pub(crate) fn run(
    program: &Path,
    args: &[String],
    folder_args: &dyn Fn(&Path) -> Vec<OsString>,
    input: &[u8],
    path: Option<&OsString>,
    limits: Limits,
) -> Result<Finished, Failure> {
    let folder = tempfile::Builder::new()
        .prefix("sextant-tool-")
        .tempdir()
        .map_err(|e| Failure::Start(format!("cannot make its temporary folder: {e}")))?;
    let mut command = Command::new(program);
    command
        .args(args)
        .args(folder_args(folder.path()))
        .current_dir(folder.path())
        .env_clear()
        .env("HOME", folder.path())
        .env("TMPDIR", folder.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    #[cfg(windows)]
    for name in ["SYSTEMROOT", "SystemRoot"] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    #[cfg(unix)]
    limit(&mut command, limits);
    let mut child = command
        .spawn()
        .map_err(|e| Failure::Start(format!("cannot start it: {e}")))?;
    let result = supervise(&mut child, input, limits);
    // the folder goes when `folder` drops, after the child has ended
    drop(folder);
    result
}

/// Lowers a resource limit (soft and hard) to a value, never raising it (a macro: the type of
/// the resource argument differs between C libraries).
#[cfg(unix)]
macro_rules! lower {
    ($resource:expr, $value:expr) => {{
        let mut current = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: `current` is a valid, writable `rlimit`.
        if unsafe { libc::getrlimit($resource, &mut current) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let value: libc::rlim_t = $value;
        let value = value.min(current.rlim_max);
        let wanted = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: `wanted` is a valid `rlimit`.
        if unsafe { libc::setrlimit($resource, &wanted) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }};
}

/// The limits set in the child before `exec`, and its own process group (so that killing the
/// group also ends what it started).
#[cfg(unix)]
fn limit(command: &mut Command, limits: Limits) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
    let address_space = limits.address_space as libc::rlim_t;
    let cpu = limits.cpu_seconds as libc::rlim_t;
    let set_limits = move || -> std::io::Result<()> {
        lower!(libc::RLIMIT_AS, address_space);
        lower!(libc::RLIMIT_CPU, cpu);
        lower!(libc::RLIMIT_CORE, 0);
        Ok(())
    };
    // SAFETY: the closure only calls `getrlimit`/`setrlimit`, which are async-signal-safe, and
    // allocates nothing.
    unsafe {
        command.pre_exec(set_limits);
    }
}

/// Feeds the input, collects the output (bounded) and waits for the child until the deadline.
fn supervise(child: &mut Child, input: &[u8], limits: Limits) -> Result<Finished, Failure> {
    let overflow = Arc::new(AtomicBool::new(false));
    let writer = child.stdin.take().map(|mut stdin| {
        let input = input.to_vec();
        std::thread::spawn(move || {
            // a child that does not read its input gets a broken pipe when it ends
            let _ = stdin.write_all(&input);
        })
    });
    let stdout = child
        .stdout
        .take()
        .map(|pipe| collect(pipe, limits.max_output, Some(Arc::clone(&overflow))));
    let stderr = child
        .stderr
        .take()
        .map(|pipe| collect(pipe, MAX_STDERR, None));
    let mut pause = Duration::from_millis(1);
    let outcome = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if overflow.load(Ordering::Relaxed) => {
                kill(child);
                break Err(Failure::TooMuchOutput);
            }
            Ok(None) if Instant::now() >= limits.deadline => {
                kill(child);
                break Err(Failure::TimedOut);
            }
            Ok(None) => {
                let left = limits.deadline.saturating_duration_since(Instant::now());
                std::thread::sleep(pause.min(left));
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(e) => {
                kill(child);
                break Err(Failure::Wait(e.to_string()));
            }
        }
    };
    // the child has ended (or was killed with its group): the pipes close, the threads end; a
    // process that left the group could keep a pipe open, so their end is awaited briefly only
    let stdout = stdout.and_then(join_briefly).unwrap_or_default();
    let stderr = stderr.and_then(join_briefly).unwrap_or_default();
    if let Some(writer) = writer {
        join_briefly(writer);
    }
    let status = outcome?;
    if overflow.load(Ordering::Relaxed) {
        return Err(Failure::TooMuchOutput);
    }
    Ok(Finished {
        status,
        stdout,
        stderr,
    })
}

/// Reads a pipe to its end, keeping at most `cap` bytes; on more, raises `overflow` (when
/// given) and stops reading.
fn collect(
    mut pipe: impl Read + Send + 'static,
    cap: usize,
    overflow: Option<Arc<AtomicBool>>,
) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = cap.saturating_sub(out.len());
                    out.extend_from_slice(&chunk[..n.min(room)]);
                    if n > room {
                        if let Some(flag) = &overflow {
                            flag.store(true, Ordering::Relaxed);
                            break;
                        }
                    }
                }
            }
        }
        out
    })
}

/// The thread's result when it ends within a second; else it is left to end on its own.
fn join_briefly<T>(thread: JoinHandle<T>) -> Option<T> {
    let until = Instant::now() + Duration::from_secs(1);
    while !thread.is_finished() {
        if Instant::now() >= until {
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    thread.join().ok()
}

/// Kills the child we started (by its PID) and, on Unix, its process group (whose id is that
/// PID: it is not reaped yet, so the id cannot have been reused), then reaps it.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: a plain system call; `-pid` names the group the child leads.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn limits(wall: Duration) -> Limits {
        Limits {
            deadline: Instant::now() + wall,
            address_space: 1 << 30,
            cpu_seconds: 10,
            max_output: 1 << 20,
        }
    }

    /// `/bin/sh -c SCRIPT` in the sandbox (the folder arguments become `$0`).
    fn sh(script: &str, input: &[u8], limits: Limits) -> Result<Finished, Failure> {
        let path = OsString::from("/usr/bin:/bin");
        let folder = |dir: &Path| vec![dir.as_os_str().to_owned()];
        run(
            Path::new("/bin/sh"),
            &["-c".to_string(), script.to_string()],
            &folder,
            input,
            Some(&path),
            limits,
        )
    }

    #[test]
    fn runs_in_an_empty_folder_with_a_cleared_environment() {
        let out = sh(
            "echo \"cwd=$(pwd) dir=$0\"; ls -A; env | cut -d= -f1 | sort | tr '\\n' ' '; echo; cat",
            b"the input",
            limits(Duration::from_secs(10)),
        )
        .expect("runs");
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines();
        let first = lines.next().unwrap();
        let (cwd, dir) = first
            .strip_prefix("cwd=")
            .and_then(|l| l.split_once(" dir="))
            .unwrap();
        assert_eq!(
            Path::new(cwd).canonicalize().ok(),
            None,
            "the folder is removed afterwards"
        );
        assert_eq!(cwd, dir, "{text}");
        // nothing in the folder, only these variables, the input on standard input
        let names = lines.next().unwrap();
        for name in names.split_whitespace() {
            assert!(
                ["HOME", "PATH", "TMPDIR", "PWD", "OLDPWD", "SHLVL", "_"].contains(&name),
                "{text}"
            );
        }
        assert_eq!(lines.next(), Some("the input"), "{text}");
        assert!(out.status.success());
    }

    #[test]
    fn limits_are_set_before_exec() {
        let out = sh(
            "ulimit -v; ulimit -t; ulimit -c",
            b"",
            limits(Duration::from_secs(10)),
        )
        .expect("runs");
        let text = String::from_utf8(out.stdout).unwrap();
        let values: Vec<&str> = text.lines().collect();
        assert_eq!(values, ["1048576", "10", "0"], "{text}");
    }

    #[test]
    fn a_child_past_its_deadline_is_killed_with_its_group() {
        let started = Instant::now();
        let result = sh(
            "sleep 100 & sleep 100",
            b"",
            limits(Duration::from_millis(300)),
        );
        assert!(matches!(result, Err(Failure::TimedOut)), "{result:?}");
        // well before the sleeps end (the grandchild held the pipes open until killed)
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn output_beyond_the_cap_stops_the_child() {
        let result = sh("yes", b"", limits(Duration::from_secs(30)));
        assert!(matches!(result, Err(Failure::TooMuchOutput)), "{result:?}");
    }

    #[test]
    fn a_program_that_cannot_start_says_so() {
        let result = run(
            Path::new("/nonexistent/shellcheck"),
            &[],
            &|_| Vec::new(),
            b"",
            None,
            limits(Duration::from_secs(1)),
        );
        assert!(matches!(result, Err(Failure::Start(_))), "{result:?}");
    }

    #[test]
    fn path_entries_inside_the_root_or_relative_are_dropped() {
        let root = tempfile::tempdir().unwrap();
        let inside = root.path().join("bin");
        std::fs::create_dir_all(&inside).unwrap();
        let outside = tempfile::tempdir().unwrap();
        let joined = std::env::join_paths([
            inside.as_os_str(),
            std::ffi::OsStr::new("bin"),
            std::ffi::OsStr::new("."),
            outside.path().as_os_str(),
        ])
        .unwrap();
        let kept = filter_path(&joined, root.path()).expect("one kept");
        let kept: Vec<PathBuf> = std::env::split_paths(&kept).collect();
        assert_eq!(kept, [outside.path().to_path_buf()]);
        assert_eq!(
            filter_path(&inside.clone().into_os_string(), root.path()),
            None
        );
    }
}
