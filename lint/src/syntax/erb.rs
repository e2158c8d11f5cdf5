//! ERB in Kamal config files: found, masked with same-length filler, never evaluated.
//!
//! Kamal renders `deploy.yml` with Ruby's ERB (no trim mode) before parsing it as YAML. sextant
//! cannot and will not run that code, so every tag is replaced by filler of the same byte length
//! before parsing: offsets stay exact, and a value written with ERB parses as an unknown scalar.
//! Tags alone on their line (`<% if … %>`, `<%= render … %>`) become blank lines.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagKind {
    /// `<%= … %>`: output, its value unknown.
    Output,
    /// `<% … %>`: code (control flow).
    Code,
    /// `<%# … %>`: comment.
    Comment,
}

#[derive(Clone, Debug)]
pub struct Tag {
    pub kind: TagKind,
    /// The whole tag, `<%` to `%>` inclusive.
    pub range: Range<usize>,
    /// Nothing but whitespace and other tags share its line(s).
    pub standalone: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErbProblemKind {
    /// `<%-` or `-%>`: needs ERB trim mode, which Kamal does not enable.
    TrimMarker,
    /// `<%` without a closing `%>`.
    Unterminated,
    /// Ruby code that cannot parse (unbalanced brackets or quotes, dangling operator, `end`s).
    RubySyntax(String),
}

#[derive(Clone, Debug)]
pub struct ErbProblem {
    pub kind: ErbProblemKind,
    pub range: Range<usize>,
}

/// The result of scanning a file for ERB.
#[derive(Clone, Debug, Default)]
pub struct Erb {
    pub tags: Vec<Tag>,
    pub problems: Vec<ErbProblem>,
}

impl Erb {
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    /// Whether any output or code tag overlaps the byte range (comments do not count).
    pub fn touches(&self, range: Range<usize>) -> bool {
        let i = self.tags.partition_point(|t| t.range.end <= range.start);
        self.tags[i..]
            .iter()
            .take_while(|t| t.range.start < range.end.max(range.start + 1))
            .any(|t| t.kind != TagKind::Comment)
    }

    /// A standalone output tag (`<%= … %>` alone on its line): it may produce any YAML.
    pub fn has_structural_output(&self) -> bool {
        self.tags
            .iter()
            .any(|t| t.standalone && t.kind == TagKind::Output)
    }

    /// Whether a standalone code tag (`<% if %>`, `<% end %>`) lies between two offsets: content
    /// on either side may be exclusive alternatives.
    pub fn control_between(&self, from: usize, to: usize) -> bool {
        // tags are in order and do not overlap: only those starting in `from..to` can qualify
        let first = self.tags.partition_point(|t| t.range.start < from);
        self.tags[first..]
            .iter()
            .take_while(|t| t.range.start < to)
            .any(|t| t.kind == TagKind::Code && t.standalone && t.range.end <= to)
    }

    /// The tag starting at this offset, skipping whitespace, YAML comments and blank lines.
    pub fn output_tag_after(&self, text: &str, from: usize) -> Option<&Tag> {
        let bytes = text.as_bytes();
        let mut i = from;
        if bytes.get(i) == Some(&b':') {
            i += 1;
        }
        loop {
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'#' {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            break;
        }
        let at = self.tags.partition_point(|t| t.range.start < i);
        let tag = self.tags.get(at).filter(|t| t.range.start == i)?;
        match tag.kind {
            TagKind::Output => Some(tag),
            // `<% … %>` lines then more: look past them.
            TagKind::Code | TagKind::Comment if tag.standalone => {
                self.output_tag_after(text, tag.range.end)
            }
            _ => None,
        }
    }
}

/// Finds the ERB tags of a text and returns it masked: same byte length, tags replaced by filler.
pub fn mask(text: &str) -> (String, Erb) {
    let bytes = text.as_bytes();
    let mut erb = Erb::default();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'<' && bytes[i + 1] == b'%' {
            if bytes.get(i + 2) == Some(&b'%') {
                // `<%%` is a literal `<%`.
                i += 3;
                continue;
            }
            let start = i;
            let (kind, body_start) = match bytes.get(i + 2) {
                Some(b'=') => (TagKind::Output, i + 3),
                Some(b'#') => (TagKind::Comment, i + 3),
                _ => (TagKind::Code, i + 2),
            };
            if bytes.get(i + 2) == Some(&b'-') {
                erb.problems.push(ErbProblem {
                    kind: ErbProblemKind::TrimMarker,
                    range: i..i + 3,
                });
            }
            // find the closing `%>`, skipping `%%>`
            let mut j = body_start;
            let mut end = None;
            while j + 1 < bytes.len() {
                if bytes[j] == b'%' && bytes[j + 1] == b'%' && bytes.get(j + 2) == Some(&b'>') {
                    j += 3;
                    continue;
                }
                if bytes[j] == b'%' && bytes[j + 1] == b'>' {
                    end = Some(j + 2);
                    break;
                }
                j += 1;
            }
            let Some(end) = end else {
                erb.problems.push(ErbProblem {
                    kind: ErbProblemKind::Unterminated,
                    range: start..(start + 2),
                });
                erb.tags.push(Tag {
                    kind,
                    range: start..bytes.len(),
                    standalone: false,
                });
                break;
            };
            if end >= 3 && bytes[end - 3] == b'-' && end - 3 >= body_start {
                erb.problems.push(ErbProblem {
                    kind: ErbProblemKind::TrimMarker,
                    range: end - 3..end,
                });
            }
            erb.tags.push(Tag {
                kind,
                range: start..end,
                standalone: false,
            });
            i = end;
            continue;
        }
        i += 1;
    }
    mark_standalone(text, &mut erb.tags);
    check_ruby(text, &mut erb);

    let mut masked = bytes.to_vec();
    for tag in &erb.tags {
        let filler = if tag.standalone || tag.kind != TagKind::Output {
            b' '
        } else {
            b'x'
        };
        for b in &mut masked[tag.range.clone()] {
            if tag.standalone && (*b == b'\n' || *b == b'\r') {
                continue;
            }
            *b = filler;
        }
    }
    // Only ASCII bytes replaced whole tags (which start and end on ASCII), so this stays UTF-8.
    let masked = String::from_utf8(masked)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (masked, erb)
}

/// A tag is standalone when its lines hold nothing but whitespace and tags.
fn mark_standalone(text: &str, tags: &mut [Tag]) {
    let bytes = text.as_bytes();
    // Tags come in order and do not overlap: the line start of each is found by scanning on from
    // the previous tag, the line end is shared by the tags of one line, and so is the answer
    // (a line of many tags costs its length once, not once per tag).
    let mut scanned = 0;
    let mut line_start = 0;
    let mut line_end: Option<(usize, usize)> = None; // (searched from, newline or end)
    let mut last: Option<(usize, usize, bool)> = None; // (from, to, standalone)
    for i in 0..tags.len() {
        let start = tags[i].range.start.min(bytes.len());
        while scanned < start {
            if bytes[scanned] == b'\n' {
                line_start = scanned + 1;
            }
            scanned += 1;
        }
        let from = line_start;
        let end = tags[i].range.end.min(bytes.len());
        let to = match line_end {
            Some((searched, nl)) if searched <= end && end <= nl => nl,
            _ => {
                let nl = bytes[end..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| end + p);
                line_end = Some((end, nl));
                nl
            }
        };
        if let Some((f, t, standalone)) = last {
            if (f, t) == (from, to) {
                tags[i].standalone = standalone;
                continue;
            }
        }
        let mut pos = from;
        let mut only_tags = true;
        let mut k = tags.partition_point(|t| t.range.end <= from);
        while pos < to {
            if k < tags.len() && tags[k].range.start == pos {
                pos = tags[k].range.end;
                k += 1;
                continue;
            }
            if !matches!(bytes[pos], b' ' | b'\t' | b'\r') {
                only_tags = false;
                break;
            }
            pos += 1;
        }
        tags[i].standalone = only_tags;
        last = Some((from, to, only_tags));
    }
}

/// A light check of the Ruby inside tags, for the mistakes that make ERB raise a SyntaxError:
/// unbalanced brackets or quotes, an output expression ending in an operator, blocks opened and
/// never closed (or closed twice). Conservative: anything it does not understand passes.
fn check_ruby(text: &str, erb: &mut Erb) {
    let mut depth: i64 = 0;
    let mut first_unclosed: Option<Range<usize>> = None;
    for tag in &erb.tags {
        if tag.kind == TagKind::Comment {
            continue;
        }
        let body_start = tag.range.start + if tag.kind == TagKind::Output { 3 } else { 2 };
        let body_end = tag.range.end.saturating_sub(2).max(body_start);
        let Some(code) = text.get(body_start..body_end) else {
            continue;
        };
        let code = code.trim_start_matches('-').trim_end_matches('-');
        let scan = scan_ruby(code);
        if let Some(problem) = scan.problem {
            erb.problems.push(ErbProblem {
                kind: ErbProblemKind::RubySyntax(problem),
                range: tag.range.clone(),
            });
            continue;
        }
        if tag.kind == TagKind::Output && code.trim().is_empty() {
            erb.problems.push(ErbProblem {
                kind: ErbProblemKind::RubySyntax("empty `<%= %>` tag".into()),
                range: tag.range.clone(),
            });
            continue;
        }
        if tag.kind == TagKind::Output && scan.opens == 0 {
            if let Some(op) = dangling_operator(code) {
                erb.problems.push(ErbProblem {
                    kind: ErbProblemKind::RubySyntax(format!(
                        "the expression ends with `{op}`, which needs an operand"
                    )),
                    range: tag.range.clone(),
                });
                continue;
            }
        }
        depth += scan.opens as i64 - scan.ends as i64;
        if depth < 0 {
            erb.problems.push(ErbProblem {
                kind: ErbProblemKind::RubySyntax("`end` without a block to close".into()),
                range: tag.range.clone(),
            });
            depth = 0;
        } else if depth > 0 && first_unclosed.is_none() && scan.opens > 0 {
            first_unclosed = Some(tag.range.clone());
        } else if depth == 0 {
            first_unclosed = None;
        }
    }
    if depth > 0 {
        if let Some(range) = first_unclosed {
            erb.problems.push(ErbProblem {
                kind: ErbProblemKind::RubySyntax(
                    "this block is never closed with `<% end %>`".into(),
                ),
                range,
            });
        }
    }
}

struct RubyScan {
    opens: usize,
    ends: usize,
    problem: Option<String>,
}

impl RubyScan {
    fn unsure() -> RubyScan {
        RubyScan {
            opens: 0,
            ends: 0,
            problem: None,
        }
    }
}

fn closing(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        b'{' => b'}',
        b'<' => b'>',
        other => other,
    }
}

/// Skips a string body starting after its opening `quote`; `#{…}` interpolation is followed
/// when `interpolate`. Returns the index after the closing quote, or `None` when unterminated.
fn skip_string(bytes: &[u8], mut i: usize, quote: u8, interpolate: bool) -> Option<usize> {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'#' if interpolate && bytes.get(i + 1) == Some(&b'{') => {
                i = skip_interpolation(bytes, i + 2)?;
            }
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Skips `#{ … }` from just after the `{`, nested strings included.
fn skip_interpolation(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            q @ (b'"' | b'`') => {
                i = skip_string(bytes, i + 1, q, true)?;
                continue;
            }
            b'\'' => {
                i = skip_string(bytes, i + 1, b'\'', false)?;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Skips a `%w[…]`-style literal body from just after its opening delimiter.
fn skip_percent_literal(bytes: &[u8], mut i: usize, open: u8) -> Option<usize> {
    let close = closing(open);
    let mut depth = 1;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i + 1);
            }
        } else if c == open && open != close {
            depth += 1;
        }
        i += 1;
    }
    None
}

/// Tokenises just enough Ruby: strings (with interpolation), `%` literals, regexps, comments,
/// brackets, and the words that open and close blocks. Anything it cannot follow (heredocs)
/// makes it give up without a verdict.
fn scan_ruby(code: &str) -> RubyScan {
    let bytes = code.as_bytes();
    let mut stack: Vec<u8> = Vec::new();
    let mut opens = 0;
    let mut ends = 0;
    let mut i = 0;
    let mut statement_start = true;
    // an operand is expected (so `/` starts a regexp and `%(` a literal)
    let mut operand = true;
    let fail = |opens, ends, problem: String| RubyScan {
        opens,
        ends,
        problem: Some(problem),
    };
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'#' if bytes.get(i + 1) == Some(&b'{') => match skip_interpolation(bytes, i + 2) {
                Some(next) => {
                    i = next;
                    operand = false;
                    continue;
                }
                None => return fail(opens, ends, "unclosed `#{`".into()),
            },
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' | b'`' => match skip_string(bytes, i + 1, c, c != b'\'') {
                Some(next) => {
                    i = next;
                    statement_start = false;
                    operand = false;
                    continue;
                }
                None => {
                    return fail(
                        opens,
                        ends,
                        format!("unterminated string (missing `{}`)", c as char),
                    )
                }
            },
            b'<' if bytes.get(i + 1) == Some(&b'<')
                && bytes
                    .get(i + 2)
                    .is_some_and(|b| matches!(b, b'~' | b'-' | b'A'..=b'Z' | b'"' | b'\'')) =>
            {
                // a heredoc: too much Ruby to follow here
                return RubyScan::unsure();
            }
            b'/' if operand => {
                match skip_string(bytes, i + 1, b'/', true) {
                    Some(next) => i = next,
                    None => return RubyScan::unsure(),
                }
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1; // flags
                }
                operand = false;
                continue;
            }
            b'%' if operand || bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                let (kind, at) = match bytes.get(i + 1) {
                    Some(k) if k.is_ascii_alphabetic() => (Some(*k), i + 2),
                    _ => (None, i + 1),
                };
                let Some(&open) = bytes.get(at) else {
                    return RubyScan::unsure();
                };
                let known = kind.is_none_or(|k| b"wWiIqQxrs".contains(&k));
                if !known || open.is_ascii_alphanumeric() || open.is_ascii_whitespace() {
                    i += 1;
                    operand = true;
                    continue;
                }
                match skip_percent_literal(bytes, at + 1, open) {
                    Some(next) => i = next,
                    None => {
                        return fail(
                            opens,
                            ends,
                            format!(
                                "unterminated `%{}` literal",
                                kind.map_or(' ', |k| k as char)
                            ),
                        )
                    }
                }
                statement_start = false;
                operand = false;
                continue;
            }
            b'(' | b'[' | b'{' => {
                stack.push(c);
                statement_start = c != b'{';
                operand = true;
            }
            b')' | b']' | b'}' => {
                let want = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                if stack.pop() != Some(want) {
                    return fail(opens, ends, format!("unexpected `{}`", c as char));
                }
                statement_start = false;
                operand = false;
            }
            b';' | b'\n' => {
                statement_start = true;
                operand = true;
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'@' || c == b'$' => {
                let start = i;
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                // `foo?`/`foo!` method names, `key:` labels
                if i < bytes.len() && matches!(bytes[i], b'?' | b'!') {
                    i += 1;
                }
                let word = &code[start..i];
                let after_dot = start > 0 && bytes[start - 1] == b'.';
                if !after_dot {
                    match word {
                        "if" | "unless" | "while" | "until" if statement_start => opens += 1,
                        "case" | "begin" | "def" | "class" | "module" | "for" => opens += 1,
                        "do" => opens += 1,
                        "end" => ends += 1,
                        _ => {}
                    }
                }
                let keyword = matches!(
                    word,
                    "if" | "unless"
                        | "while"
                        | "until"
                        | "and"
                        | "or"
                        | "not"
                        | "when"
                        | "return"
                        | "then"
                        | "else"
                        | "elsif"
                        | "do"
                        | "begin"
                        | "in"
                        | "puts"
                        | "raise"
                        | "case"
                );
                statement_start = matches!(word, "then" | "else" | "do" | "begin");
                operand = keyword;
                continue;
            }
            b' ' | b'\t' | b'\r' => {}
            b'0'..=b'9' => {
                statement_start = false;
                operand = false;
            }
            _ => {
                // operators and punctuation expect an operand after them
                statement_start = false;
                operand = true;
            }
        }
        i += 1;
    }
    if let Some(open) = stack.last() {
        return fail(
            opens,
            ends,
            format!(
                "unclosed `{}` (missing `{}`)",
                *open as char,
                closing(*open) as char
            ),
        );
    }
    RubyScan {
        opens,
        ends,
        problem: None,
    }
}

fn dangling_operator(code: &str) -> Option<&'static str> {
    let t = code.trim_end();
    ["&&", "||", "+", "-", "*", "/", ",", "=", "<", ".", "(", "["]
        .into_iter()
        .find(|op| t.ends_with(op))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_offsets_and_parses() {
        let text = "host: \"<%= ENV[\"HOST\"] %>\"\nport: <%= 5 %>\n";
        let (masked, erb) = mask(text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(erb.tags.len(), 2);
        assert_eq!(masked, "host: \"xxxxxxxxxxxxxxxxxx\"\nport: xxxxxxxx\n");
        assert!(erb.problems.is_empty());
    }

    #[test]
    fn control_lines_become_blank() {
        let text = "a: 1\n<% if x %>\nb: 2\n<% end %>\n<%# note %>\n";
        let (masked, erb) = mask(text);
        assert_eq!(masked, "a: 1\n          \nb: 2\n         \n           \n");
        assert!(erb.tags.iter().all(|t| t.standalone));
        assert!(erb.control_between(0, text.len()));
        assert!(erb.problems.is_empty());
    }

    #[test]
    fn multibyte_content_keeps_byte_length() {
        let text = "a: <%= \"é😀\" %>\n";
        let (masked, _) = mask(text);
        assert_eq!(masked.len(), text.len());
        assert!(masked.is_char_boundary(masked.len() - 1));
    }

    #[test]
    fn trim_markers_are_reported() {
        let (_, erb) = mask("a: <%- x -%>\n");
        let trims = erb
            .problems
            .iter()
            .filter(|p| p.kind == ErbProblemKind::TrimMarker)
            .count();
        assert_eq!(trims, 2);
    }

    #[test]
    fn literal_percent_tag() {
        let (masked, erb) = mask("a: <%% x %>\n");
        assert!(erb.tags.is_empty());
        assert_eq!(masked, "a: <%% x %>\n");
    }

    #[test]
    fn ruby_syntax_problems() {
        let bad = |s: &str| {
            let (_, erb) = mask(s);
            erb.problems
                .iter()
                .any(|p| matches!(p.kind, ErbProblemKind::RubySyntax(_)))
        };
        assert!(bad("a: <%= 1 + %>"));
        assert!(bad("a: <%= foo( %>"));
        assert!(bad("a: <%= \"x %>"));
        assert!(bad("<% if x %>\na: 1\n"));
        assert!(bad("<% end %>\n"));
        assert!(!bad("a: <%= ENV.fetch(\"X\") { \"y\" } %>"));
        assert!(!bad("<% %w[a b].each do |h| %>\n- <%= h %>\n<% end %>\n"));
        assert!(!bad("<% if x %>\na: 1\n<% else %>\na: 2\n<% end %>\n"));
        assert!(!bad("a: <%= x if y %>"));
        assert!(!bad("a: <%= `git rev-parse HEAD`.strip %>"));
        assert!(!bad("a: <%= %x(whoami) %>"));
        assert!(!bad("<% x = File.read(\"a\").match?(/^#{name}=\\S/) %>"));
        assert!(!bad("<% a = %W[A_#{b}_C D] %>"));
        assert!(!bad("<% s = \"#{h[\"k\"]}\" %>"));
        assert!(!bad("<% x = <<~EOS\n  (\nEOS\n%>"));
        assert!(!bad("a: <%= 10 % 3 %>"));
        assert!(!bad("a: <%= x.split(/[(]/) %>"));
    }

    #[test]
    fn unterminated_tag() {
        let (masked, erb) = mask("a: <%= x\nb: 2\n");
        assert_eq!(masked.len(), "a: <%= x\nb: 2\n".len());
        assert!(erb
            .problems
            .iter()
            .any(|p| p.kind == ErbProblemKind::Unterminated));
    }
}
