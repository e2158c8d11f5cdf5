//! `sextant rules` and `sextant rule CODE`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::ValueEnum;
use serde_json::json;
use sextant_lint::registry::{find, ALL};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// Prints to standard output; a closed pipe (`sextant rules | head`) is not an error.
pub fn emit(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

pub fn list(format: ListFormat) {
    let mut out = String::new();
    match format {
        ListFormat::Text => {
            let _ = writeln!(
                out,
                "{:<6} {:<34} {:<8} {:<9} SUMMARY",
                "CODE", "NAME", "SEVERITY", "FIX"
            );
            for r in ALL {
                let _ = writeln!(
                    out,
                    "{:<6} {:<34} {:<8} {:<9} {}",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.fix.as_str(),
                    r.summary()
                );
            }
        }
        ListFormat::Json => {
            let items: Vec<_> = ALL
                .iter()
                .map(|r| {
                    json!({
                        "code": r.code,
                        "name": r.name,
                        "category": r.category.as_str(),
                        "severity": r.severity.as_str(),
                        "fix": r.fix.as_str(),
                        "summary": r.summary(),
                    })
                })
                .collect();
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
            );
        }
    }
    emit(&out);
}

pub fn page(code: &str) -> ExitCode {
    match find(code) {
        Some(rule) => {
            emit(&format!(
                "# {} ({})\n\nCategory: {} · default severity: {} · fix: {}\n\n{}",
                rule.name,
                rule.code,
                rule.category.title(),
                rule.severity.as_str(),
                rule.fix.as_str(),
                rule.page()
            ));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("sextant: no rule `{code}` (see `sextant rules`)");
            ExitCode::from(2)
        }
    }
}
