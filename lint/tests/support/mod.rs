//! Helpers shared by the lint crate's integration tests: a deterministic generator and the
//! byte mutations of the no-panic property tests, a span check, and an in-memory project.
//! Each test file uses a subset.
#![allow(dead_code)]

use std::ops::Range;
use std::path::PathBuf;

use sextant_lint::vfs::MemVfs;
use sextant_lint::{check, Project, Report, Settings};

/// A small deterministic PRNG (xorshift), so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    /// The next number of the sequence.
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

    /// One of `items`, picked with [`Rng::below`].
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// One edit [`mutate`] makes at a random position of the text.
#[derive(Clone, Copy)]
pub enum Edit {
    /// Removes up to 19 bytes.
    Delete,
    /// Inserts one of the fragments given to [`mutate`].
    Insert,
    /// Replaces one byte with a random one (nothing, at the very end of the text).
    Overwrite,
}

/// `seed` with one to six random edits, each picked from `edits` (an edit listed twice is
/// picked twice as often), inserting fragments of `inserts`. The result may not be UTF-8.
pub fn mutate(rng: &mut Rng, seed: &str, edits: &[Edit], inserts: &[&str]) -> Vec<u8> {
    let mut text = seed.as_bytes().to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(text.len() + 1);
        match edits[rng.below(edits.len())] {
            Edit::Delete => {
                let end = (at + rng.below(20)).min(text.len());
                text.drain(at..end);
            }
            Edit::Insert => {
                let insert = rng.pick(inserts).as_bytes();
                text.splice(at..at, insert.iter().copied());
            }
            Edit::Overwrite => {
                if at < text.len() {
                    text[at] = rng.below(256) as u8;
                }
            }
        }
    }
    text
}

/// Whether `span` is ordered and lies inside `text` with both ends on character boundaries.
pub fn span_fits(text: &str, span: &Range<usize>) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

/// A valid configuration whose registry password is the secret `P`.
pub const BASE: &str = "service: app\nimage: user/app\nregistry:\n  username: u\n  password: [P]\nbuilder:\n  arch: amd64\nservers:\n  - 10.0.0.1\n";

/// Checks an in-memory project at `/p` holding `files` (relative path, text) with `settings`
/// (their `base_dir` set to the project). A `.kamal/secrets-common` defines the secret
/// [`BASE`] uses, so that only the tested rules report.
pub fn check_files(files: &[(&str, &str)], settings: Settings) -> Report {
    let mut vfs = MemVfs::new();
    let root = PathBuf::from("/p");
    vfs.insert(root.join(".kamal/secrets-common"), b"P=$P\n".to_vec());
    for (path, text) in files {
        vfs.insert(root.join(path), text.as_bytes().to_vec());
    }
    let settings = Settings {
        base_dir: root.clone(),
        ..settings
    };
    check(&vfs, &Project::at(root), &settings).expect("loads")
}
