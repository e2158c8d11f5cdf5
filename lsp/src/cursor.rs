//! Where the cursor is in a YAML file, read from the text alone (indentation, `key:` and `- `),
//! so that hover and completion work while the file is half-typed and does not parse.

use std::ops::Range;

/// The shape of one line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    /// Byte columns of the `- ` sequence markers, left to right.
    pub dashes: Vec<usize>,
    /// The key (unquoted) and its byte range in the line (quotes included).
    pub key: Option<(String, Range<usize>)>,
    /// Byte column of the `:` after the key.
    pub colon: Option<usize>,
    /// The value after the colon (or after the last dash when there is no key), trimmed, without
    /// a trailing comment, and its start column.
    pub value: Option<(String, usize)>,
    /// Column of the first character that is not a space or a dash marker.
    pub content: usize,
    /// Blank, a comment, or an ERB tag line: no structure.
    pub empty: bool,
}

/// Reads one line (without its line break).
pub fn line(text: &str) -> Line {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut out = Line::default();
    loop {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i < bytes.len()
            && bytes[i] == b'-'
            && (i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t')
        {
            out.dashes.push(i);
            i += 1;
            continue;
        }
        break;
    }
    out.content = i;
    let rest = &text[i..];
    let trimmed = rest.trim_end();
    if (trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("<%"))
        && out.dashes.is_empty()
    {
        out.empty = true;
        return out;
    }
    if let Some((key, key_len, colon)) = key_at(rest) {
        out.key = Some((key, i..i + key_len));
        out.colon = Some(i + colon);
        let after = i + colon + 1;
        let value = strip_comment(&text[after..]);
        let lead = text[after..].len() - text[after..].trim_start().len();
        if !value.trim().is_empty() {
            out.value = Some((value.trim().to_string(), after + lead));
        }
    } else {
        let value = strip_comment(rest);
        if !value.trim().is_empty() {
            out.value = Some((value.trim().to_string(), i));
        }
    }
    out
}

/// A `key:` at the start of `text`: the key, its length as written, and the colon's offset.
fn key_at(text: &str) -> Option<(String, usize, usize)> {
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if first == b'"' || first == b'\'' {
        let end = text[1..].find(first as char)? + 1;
        let after = &text[end + 1..];
        let colon = after.len() - after.trim_start_matches(' ').len();
        if after[colon..].starts_with(':') && is_key_end(&after[colon + 1..]) {
            return Some((text[1..end].to_string(), end + 1, end + 1 + colon));
        }
        return None;
    }
    if b"#&*!|>%@`{[,]}".contains(&first) {
        return None;
    }
    let mut from = 0;
    while let Some(pos) = text[from..].find(':') {
        let colon = from + pos;
        if is_key_end(&text[colon + 1..]) {
            let key = text[..colon].trim_end();
            if key.contains(" #") {
                return None;
            }
            return Some((key.to_string(), key.len(), colon));
        }
        from = colon + 1;
    }
    None
}

fn is_key_end(after: &str) -> bool {
    after.is_empty() || after.starts_with(' ') || after.starts_with('\t')
}

/// The text before a ` #` comment (outside quotes).
fn strip_comment(text: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && prev == ' ' => quote = Some(c),
            None if c == '#' && (prev == ' ' || prev == '\t') => return &text[..i],
            None => {}
        }
        prev = c;
    }
    text
}

/// What the cursor is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    /// On a key (or where a new key of the current mapping would be typed).
    Key,
    /// In the value after `key:` (of the key in [`Cursor::key`]).
    Value,
    /// In an item of a sequence (after `- `), of the mapping key ending [`Cursor::path`].
    Item,
    /// Inside a block scalar (`|`, `>`) or a flow collection: nothing to offer.
    Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// Keys of the enclosing mappings, outermost first (sequence items are transparent).
    pub path: Vec<String>,
    /// The key written on the cursor's line at the cursor's level, and its byte range in the
    /// file.
    pub key: Option<(String, Range<usize>)>,
    pub at: At,
    /// The word typed so far before the cursor, and where it starts in the file.
    pub word: (String, usize),
    /// The scalar under the cursor (a value or item), and its byte range in the file.
    pub scalar: Option<(String, Range<usize>)>,
    /// Column where a key of the current mapping starts.
    pub column: usize,
}

/// Where `offset` is in `text`.
pub fn at(text: &str, offset: usize) -> Cursor {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let raw = text[line_start..line_end].trim_end_matches('\r');
    let col = offset - line_start;
    let here = line(raw);
    let word_start = word_start(&raw[..col.min(raw.len())], |c| {
        c.is_alphanumeric() || "_-.$/".contains(c)
    });
    let word = (
        raw[word_start..col.min(raw.len())].to_string(),
        line_start + word_start,
    );

    let mut path = Vec::new();
    let mut key = None;
    let mut scalar = None;
    let (mut at, level) = match (&here.key, here.colon) {
        (Some((k, range)), Some(colon)) if col <= colon => {
            key = Some((k.clone(), line_start + range.start..line_start + range.end));
            (At::Key, range.start)
        }
        (Some((k, range)), Some(_)) => {
            key = Some((k.clone(), line_start + range.start..line_start + range.end));
            if let Some((v, start)) = &here.value {
                scalar = Some((
                    unquote(v).to_string(),
                    line_start + start..line_start + start + v.len(),
                ));
            }
            let at = match &here.value {
                Some((v, _)) if v.starts_with('[') || v.starts_with('{') => At::Text,
                _ => At::Value,
            };
            (at, range.start)
        }
        _ if !here.dashes.is_empty() && col > *here.dashes.last().unwrap_or(&0) => {
            if let Some((v, start)) = &here.value {
                scalar = Some((
                    unquote(v).to_string(),
                    line_start + start..line_start + start + v.len(),
                ));
            }
            (At::Item, *here.dashes.last().unwrap_or(&0))
        }
        _ if here.empty => (At::Key, col.min(raw.len())),
        _ => (At::Key, here.content.min(col)),
    };
    let column = match at {
        At::Item => here.content,
        _ => level,
    };

    let mut target = level;
    let mut in_block = false;
    let mut pos = line_start;
    while target > 0 && pos > 0 {
        let prev_end = pos - 1;
        let prev_start = text[..prev_end].rfind('\n').map_or(0, |i| i + 1);
        pos = prev_start;
        let l = line(text[prev_start..prev_end].trim_end_matches('\r'));
        if l.empty {
            continue;
        }
        if let Some((k, range)) = &l.key {
            if range.start < target {
                let value = l.value.as_ref().map(|(v, _)| v.as_str()).unwrap_or("");
                if is_block_indicator(value) {
                    in_block = true;
                }
                path.push(k.clone());
                target = range.start;
                if let Some(&d) = l.dashes.iter().rev().find(|&&d| d < target) {
                    target = d;
                }
                continue;
            }
        }
        if let Some(&d) = l.dashes.iter().rev().find(|&&d| d < target) {
            target = d;
        } else if l.key.is_none() && l.content < target && l.dashes.is_empty() {
            // a continuation line of a multi-line scalar: not structure
            continue;
        }
    }
    path.reverse();
    // inside a block scalar, or inside a comment
    let code = strip_comment(raw);
    let in_comment = col > code.len() && raw[code.len()..].trim_start().starts_with('#');
    if in_block || in_comment {
        at = At::Text;
    }
    Cursor {
        path,
        key,
        at,
        word,
        scalar,
        column,
    }
}

fn is_block_indicator(value: &str) -> bool {
    let v = value
        .split_whitespace()
        .find(|w| !w.starts_with('&') && !w.starts_with('!'))
        .unwrap_or("");
    v.starts_with('|') || v.starts_with('>')
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub use sextant_lint::text::word_start;

/// The byte offset of the line containing `offset`, and the line's text.
pub fn line_at(text: &str, offset: usize) -> (usize, &str) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    (start, text[start..end].trim_end_matches('\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(marked: &str) -> Cursor {
        let offset = marked.find('‸').expect("cursor mark");
        let text = marked.replacen('‸', "", 1);
        at(&text, offset)
    }

    #[test]
    fn lines() {
        let l = line("  - name: web # comment");
        assert_eq!(l.dashes, vec![2]);
        assert_eq!(l.key, Some(("name".into(), 4..8)));
        assert_eq!(l.value, Some(("web".into(), 10)));
        let l = line("  \"quoted key\": 1");
        assert_eq!(l.key, Some(("quoted key".into(), 2..14)));
        let l = line("  - 192.168.0.1");
        assert_eq!(l.key, None);
        assert_eq!(l.value, Some(("192.168.0.1".into(), 4)));
        assert!(line("   # comment").empty);
        assert!(line("<% if x %>").empty);
        let l = line("url: http://x:80");
        assert_eq!(l.key.as_ref().map(|k| k.0.as_str()), Some("url"));
        assert_eq!(l.value, Some(("http://x:80".into(), 5)));
        let l = line("image: \"a # b\" # c");
        assert_eq!(l.value, Some(("\"a # b\"".into(), 7)));
    }

    #[test]
    fn key_paths() {
        let c = cursor("service: x\nproxy:\n  ssl: true\n  heal‸\n");
        assert_eq!(c.path, vec!["proxy"]);
        assert_eq!(c.at, At::Key);
        assert_eq!(c.word.0, "heal");

        let c = cursor("proxy:\n  healthcheck:\n    pa‸th: /up\n");
        assert_eq!(c.path, vec!["proxy", "healthcheck"]);
        assert_eq!(c.key.as_ref().map(|k| k.0.as_str()), Some("path"));
        assert_eq!(c.at, At::Key);

        let c = cursor("builder:\n  arch: ‸amd64\n");
        assert_eq!(c.path, vec!["builder"]);
        assert_eq!(c.at, At::Value);
        assert_eq!(c.scalar.as_ref().map(|s| s.0.as_str()), Some("amd64"));

        let c = cursor("accessories:\n  db:\n    roles:\n      - we‸\n");
        assert_eq!(c.path, vec!["accessories", "db", "roles"]);
        assert_eq!(c.at, At::Item);
        assert_eq!(c.word.0, "we");

        let c = cursor("servers:\n  web:\n    hosts:\n      - 1.1.1.1\n    ‸\n");
        assert_eq!(c.path, vec!["servers", "web"]);
        assert_eq!(c.at, At::Key);

        let c = cursor("env:\n  secret:\n    - A\n  # comment\n\n    - ‸\n");
        assert_eq!(c.path, vec!["env", "secret"]);
        assert_eq!(c.at, At::Item);

        let c = cursor("‸");
        assert!(c.path.is_empty());
        assert_eq!(c.at, At::Key);
    }

    #[test]
    fn sequence_of_mappings() {
        let c = cursor("x:\n  - name: a\n    ima‸\n");
        assert_eq!(c.path, vec!["x"]);
        let c = cursor("x:\n  - name: a\n    opts:\n      ke‸\n");
        assert_eq!(c.path, vec!["x", "opts"]);
    }

    #[test]
    fn comments_are_text() {
        assert_eq!(cursor("# a comm‸ent\n").at, At::Text);
        assert_eq!(cursor("proxy: # x‸\n").at, At::Text);
        assert_eq!(cursor("proxy:‸ # x\n").at, At::Value);
    }

    #[test]
    fn block_scalars_are_text() {
        let c = cursor("aliases:\n  x: |\n    ech‸o\n");
        assert_eq!(c.at, At::Text);
    }

    #[test]
    fn words_after_wide_characters() {
        assert_eq!(word_start("echo 😀abc", |c| c.is_ascii_alphanumeric()), 9);
        assert_eq!(word_start("abc", |c| c.is_ascii_alphanumeric()), 0);
        assert_eq!(word_start("é", |c| c.is_ascii_alphanumeric()), 2);
    }

    #[test]
    fn any_offset_is_safe() {
        let text = "é:\n  - ü: [a, b]\n  \"q: 1\n  - - - x\n'\n";
        for i in 0..=text.len() + 3 {
            let _ = at(text, i);
        }
    }
}
