//! `sextant check`: find the projects, check each, render, and choose the exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sextant_lint::config::Selector;
use sextant_lint::project::normalize;
use sextant_lint::{discover, DiskVfs, Found, Project, Report, Settings};

use sextant_lint::fix::FixMode;

use crate::fix;
use crate::output;
use crate::write;
use crate::CheckArgs;

pub fn run(args: &CheckArgs) -> ExitCode {
    let cwd = match std::env::current_dir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("sextant: cannot read the current folder: {e}");
            return ExitCode::from(2);
        }
    };
    let vfs = DiskVfs;
    let projects = match projects(args, &cwd, &vfs) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("sextant: {message}");
            return ExitCode::from(2);
        }
    };
    let selectors = |list: &[String]| -> Result<Vec<Selector>, String> {
        list.iter()
            .map(|s| {
                Selector::parse(s).ok_or_else(|| {
                    format!(
                        "`{s}` is not a rule code, code prefix or rule name (see `sextant rules`)"
                    )
                })
            })
            .collect()
    };
    let select = match args.select.as_deref().map(selectors).transpose() {
        Ok(s) => s,
        Err(message) => {
            eprintln!("sextant: --select: {message}");
            return ExitCode::from(2);
        }
    };
    let ignore = match selectors(&args.ignore) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("sextant: --ignore: {message}");
            return ExitCode::from(2);
        }
    };
    let settings = Settings {
        kamal_version: args.kamal_version,
        destination: args.destination.clone(),
        base_dir: cwd.clone(),
        select,
        ignore,
        config_file: args.config.as_ref().map(|c| normalize(&cwd.join(c))),
        shellcheck: args.no_shellcheck.then_some(false),
    };
    let mut reports: Vec<Report> = Vec::new();
    let mut io_failed = false;
    let fixing = args.fix || args.diff;
    let mode = if args.unsafe_fixes {
        FixMode::Unsafe
    } else {
        FixMode::Safe
    };
    let mut fixed_total = 0;
    let mut diff_text = String::new();
    let mut changes: Vec<write::Change> = Vec::new();
    for project in &projects {
        let result = if fixing {
            fix::run(&vfs, project, &settings, mode, !args.diff, &cwd).map(|outcome| {
                fixed_total += outcome.fixed;
                diff_text.push_str(&outcome.diff);
                changes.extend(outcome.changes);
                for line in &outcome.dropped {
                    eprintln!("sextant: {line}");
                }
                outcome.report
            })
        } else {
            sextant_lint::check(&vfs, project, &settings).map_err(|e| e.to_string())
        };
        match result {
            Ok(report) => reports.push(report),
            Err(e) => {
                eprintln!("sextant: {e}");
                io_failed = true;
            }
        }
    }
    if args.fix && !args.diff {
        // every fixed file of every project, all or none; on failure the report (of the fixed
        // text, which was not written) is not shown, nor any success line
        if io_failed {
            eprintln!("sextant: no file was changed");
            return ExitCode::from(2);
        }
        if let Err(messages) = write::write_all(changes) {
            for m in messages {
                eprintln!("sextant: {m}");
            }
            return ExitCode::from(2);
        }
    }
    if args.diff {
        let _ = std::io::stdout().lock().write_all(diff_text.as_bytes());
        if !args.quiet {
            eprintln!(
                "Would fix {fixed_total} problem{}.",
                if fixed_total == 1 { "" } else { "s" }
            );
        }
        return if io_failed {
            ExitCode::from(2)
        } else if fixed_total > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    if io_failed && reports.is_empty() {
        // nothing was checked: no report, and above all no "All checks passed"
        return ExitCode::from(2);
    }
    let rendered = match &args.output_file {
        Some(path) => write_file(path, |out| output::render(args, &reports, out)),
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let result = output::render(args, &reports, &mut out);
            let _ = out.flush();
            result
        }
    };
    if let Err(e) = rendered {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("sextant: cannot write the output: {e}");
        }
        return ExitCode::from(2);
    }
    if args.fix && !args.quiet {
        eprintln!(
            "Fixed {fixed_total} problem{}.",
            if fixed_total == 1 { "" } else { "s" }
        );
    }
    if io_failed {
        return ExitCode::from(2);
    }
    let failing = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| args.fail_on.fails(d.severity));
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes the output to a file through the safe writer (an exclusive temporary file with an
/// unpredictable name, renamed over it).
fn write_file(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut buffer: Vec<u8> = Vec::new();
    render(&mut buffer)?;
    write::write_all(vec![write::Change {
        name: path.display().to_string(),
        path: path.to_path_buf(),
        root: None,
        expected: None,
        bytes: buffer,
    }])
    .map_err(|messages| std::io::Error::other(messages.join("; ")))
}

/// The projects named by the arguments.
fn projects(args: &CheckArgs, cwd: &Path, vfs: &DiskVfs) -> Result<Vec<Project>, String> {
    if let Some(file) = &args.config_file {
        if !args.paths.is_empty() {
            return Err("give either -c FILE or paths, not both".into());
        }
        let config = normalize(&cwd.join(file));
        return Ok(vec![Project::new(cwd.to_path_buf(), config)]);
    }
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![cwd.to_path_buf()]
    } else {
        args.paths.iter().map(|p| normalize(&cwd.join(p))).collect()
    };
    let mut out: Vec<Project> = Vec::new();
    for path in paths {
        match discover(vfs, &path) {
            Ok(Found::Projects(found)) => {
                for p in found {
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
            }
            Ok(Found::NotKamal(p)) if args.quiet => {
                let _ = p;
            }
            Ok(Found::NotKamal(p)) => {
                eprintln!(
                    "sextant: skipping {}: not a file of a Kamal project (use -c FILE to check a config file elsewhere)",
                    p.display()
                );
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(out)
}
