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
