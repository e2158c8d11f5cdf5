//! Parses Dockerfiles with sextant's parser and reports, per file, `ok` or its problems.
//!
//! ```sh
//! cargo run --release -p sextant-lint --example parse_dockerfile -- Dockerfile other.Dockerfile
//! ```
//!
//! Output, one block per file (times are the parse alone, in microseconds):
//!
//! ```text
//! Dockerfile: ok (153 us)
//! bad.Dockerfile:3:1: unknown instruction: RUNN (did you mean RUN?)
//! bad.Dockerfile: 1 problem (88 us)
//! ```
//!
//! `--tree` also prints every instruction with its line, flags, argument form and heredocs.
//! Exit status: 0 when every file parsed without problems, 1 when some file had problems, 2 when
//! a file could not be read or no path was given.

use std::process::ExitCode;
use std::time::Instant;

use sextant_lint::syntax::dockerfile::{self, Args};
use sextant_lint::text::{ColumnUnit, LineIndex};

fn main() -> ExitCode {
    let mut tree = false;
    let mut paths = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--tree" => tree = true,
            "-h" | "--help" => {
                println!("usage: parse_dockerfile [--tree] PATH...");
                return ExitCode::SUCCESS;
            }
            _ => paths.push(arg),
        }
    }
    if paths.is_empty() {
        eprintln!("usage: parse_dockerfile [--tree] PATH...");
        return ExitCode::from(2);
    }
    let mut status = ExitCode::SUCCESS;
    let mut unreadable = false;
    for path in &paths {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: cannot read: {e}");
                unreadable = true;
                continue;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let started = Instant::now();
        let file = dockerfile::parse(&text);
        let micros = started.elapsed().as_micros();
        let index = LineIndex::new(&text);
        let position = |offset: usize| {
            let at = index.line_col(&text, offset, ColumnUnit::Char);
            format!("{}:{}", at.line + 1, at.col + 1)
        };
        if tree {
            for ins in &file.instructions {
                let form = match &ins.args {
                    Args::Exec(words) => format!("exec {} words", words.len()),
                    Args::Shell(s) => format!("shell {:?}", s.text),
                    Args::Empty => "empty".to_string(),
                };
                let flags: Vec<String> = ins
                    .flags
                    .iter()
                    .map(|f| match &f.value {
                        Some(v) => format!("--{}={v}", f.name),
                        None => format!("--{}", f.name),
                    })
                    .collect();
                println!(
                    "  {} {} {} [{}]",
                    position(ins.span.start),
                    ins.keyword,
                    form,
                    flags.join(" ")
                );
                for h in &ins.heredocs {
                    println!(
                        "    heredoc {:?} ({} bytes, lines {}-{})",
                        h.delimiter,
                        h.body.len(),
                        position(h.body_span.start),
                        position(h.span.end)
                    );
                }
            }
        }
        for p in &file.problems {
            println!("{path}:{}: {}", position(p.span.start), p.message);
        }
        match file.problems.len() {
            0 => println!("{path}: ok ({micros} us)"),
            n => {
                let s = if n == 1 { "" } else { "s" };
                println!("{path}: {n} problem{s} ({micros} us)");
                status = ExitCode::FAILURE;
            }
        }
    }
    if unreadable {
        return ExitCode::from(2);
    }
    status
}
