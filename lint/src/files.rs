//! The source files of one analysis: path, text and line index, by [`FileId`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::text::{ColumnUnit, FileId, LineCol, LineIndex, Span};

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Where the file is (or would be) on disk.
    pub path: PathBuf,
    /// The name shown to users (relative to the working directory when possible).
    pub name: String,
    pub text: String,
    pub index: LineIndex,
    /// The file does not exist (a missing destination file named in a diagnostic).
    pub missing: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Files {
    files: Vec<SourceFile>,
    /// Path → the first file added with it ([`Files::find`] is a lookup, not a scan: a hooks
    /// folder may hold any number of files).
    by_path: HashMap<PathBuf, FileId>,
}

impl Files {
    pub fn add(&mut self, path: PathBuf, name: String, text: String) -> FileId {
        let index = LineIndex::new(&text);
        let id = FileId(self.files.len() as u32);
        self.by_path.entry(path.clone()).or_insert(id);
        self.files.push(SourceFile {
            path,
            name,
            text,
            index,
            missing: false,
        });
        id
    }

    pub fn add_missing(&mut self, path: PathBuf, name: String) -> FileId {
        let id = self.add(path, name, String::new());
        self.files[id.0 as usize].missing = true;
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// 0-based line and column of a span's start and end.
    pub fn range(&self, span: Span, unit: ColumnUnit) -> (LineCol, LineCol) {
        let f = self.get(span.file);
        (
            f.index.line_col(&f.text, span.start as usize, unit),
            f.index.line_col(&f.text, span.end as usize, unit),
        )
    }

    pub fn slice(&self, span: Span) -> &str {
        let f = self.get(span.file);
        f.text.get(span.range()).unwrap_or("")
    }
}

/// Decodes file bytes: a UTF-8 BOM is kept (parsers skip it), invalid bytes become `?` one for
/// one so that byte offsets stay exact. Returns the offset of the first invalid byte.
pub fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let first = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let mut out = String::with_capacity(bytes.len());
            let mut rest = &bytes[..];
            loop {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or(""));
                        let bad = e.error_len().unwrap_or(rest.len() - good);
                        for _ in 0..bad {
                            out.push('?');
                        }
                        rest = &rest[good + bad..];
                    }
                }
            }
            (out, Some(first))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_keep_offsets() {
        let (text, first) = decode(b"a: \xff\xfe b\nc: \xc3\xa9".to_vec());
        assert_eq!(first, Some(3));
        assert_eq!(text, "a: ?? b\nc: é");
        assert_eq!(text.len(), 13);
    }
}
