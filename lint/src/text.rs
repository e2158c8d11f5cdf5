//! Byte spans inside, line/column only at the edges: the one line-index type of the project.

use std::ops::Range;

/// Identifies a source file inside one analysis ([`crate::files::Files`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end.max(range.start) as u32,
        }
    }

    pub fn empty(file: FileId, at: usize) -> Span {
        Span::new(file, at..at)
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both (same file assumed; else `self`).
    pub fn cover(&self, other: Span) -> Span {
        if self.file != other.file {
            return *self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A 0-based line and a 0-based column counted in the chosen unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Maps byte offsets to lines and columns (in characters, UTF-16 units or bytes) and back.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<u32>,
    len: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Unicode scalar values (what humans and ruff's JSON count).
    Char,
    /// UTF-16 code units (the LSP default).
    Utf16,
    /// Bytes (LSP `utf-8` encoding).
    Utf8,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i as u32 + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i as u32 + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len() as u32,
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte range of a 0-based line, without its line break.
    pub fn line_range(&self, line: usize, text: &str) -> Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(self.len) as usize;
        let mut end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.len)
            .max(start as u32) as usize;
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        start..end
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = (offset as u32).min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Line and column of a byte offset. An offset inside a multi-byte character counts as that
    /// character's start.
    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line] as usize;
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let slice = &text[start..end];
        let col = match unit {
            ColumnUnit::Char => slice.chars().count(),
            ColumnUnit::Utf16 => slice.chars().map(char::len_utf16).sum(),
            ColumnUnit::Utf8 => slice.len(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Byte offset of a line and column; positions past the end of a line clamp to its end.
    pub fn offset(&self, text: &str, at: LineCol, unit: ColumnUnit) -> usize {
        let line = at.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line_range(line, text);
        let slice = &text[range.clone()];
        let mut counted = 0u32;
        for (i, c) in slice.char_indices() {
            if counted >= at.col {
                return range.start + i;
            }
            counted += match unit {
                ColumnUnit::Char => 1,
                ColumnUnit::Utf16 => c.len_utf16() as u32,
                ColumnUnit::Utf8 => c.len_utf8() as u32,
            };
        }
        range.end
    }
}

/// Where the word ending `text` starts: after its last character that is not a word
/// character. A byte offset on a character boundary, whatever the width of that character.
pub fn word_start(text: &str, is_word: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .rev()
        .find(|(_, c)| !is_word(*c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "a: 1\r\nb: é😀x\nc";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        let x = text.find('x').unwrap();
        assert_eq!(
            idx.line_col(text, x, ColumnUnit::Char),
            LineCol { line: 1, col: 5 }
        );
        assert_eq!(
            idx.line_col(text, x, ColumnUnit::Utf16),
            LineCol { line: 1, col: 6 }
        );
        assert_eq!(
            idx.line_col(text, x, ColumnUnit::Utf8),
            LineCol { line: 1, col: 9 }
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 6 }, ColumnUnit::Utf16),
            x
        );
        assert_eq!(idx.line_range(0, text), 0..4);
        // out of range positions clamp, never panic
        assert_eq!(
            idx.offset(text, LineCol { line: 9, col: 9 }, ColumnUnit::Char),
            text.len()
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 99 }, ColumnUnit::Char),
            4
        );
        let inside = text.find('é').unwrap() + 1;
        assert_eq!(idx.line_col(text, inside, ColumnUnit::Char).col, 3);
    }

    #[test]
    fn lone_carriage_returns_break_lines() {
        let idx = LineIndex::new("a\rb\r\nc");
        assert_eq!(idx.line_count(), 3);
    }
}
