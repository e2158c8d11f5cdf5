//! `.kamal/secrets`, `.kamal/secrets-common` and `.kamal/secrets.DEST`: dotenv 3.1 syntax as
//! Kamal 2.8.2 reads it (SPEC §7.2), with byte offsets for everything. Never runs anything, never
//! reads the process environment, never panics.
//!
//! # How faithful
//!
//! dotenv 3.1.5 does not parse line by line: it scans the whole text (CRLF and lone CR turned into
//! LF, a UTF-8 BOM dropped) with one regular expression, `LINE`, whose pieces can cross line
//! breaks (`\s` matches `\n`), and silently skips whatever the expression does not match. This
//! module reproduces that expression's backtracking order by hand, so the same text gives the
//! same keys and values:
//!
//! ```text
//! (?:^|\A) \s* (export\s+)? ([\w.]+)
//! (?: (?:\s*=\s*?|:\s+?) ( \s*'(?:\\'|[^'])*' | \s*"(?:\\"|[^"])*" | [^#\n]+ )? )?
//! \s* (?:\#.*)? (?:$|\z)
//! ```
//!
//! Consequences worth knowing (all reproduced, several tested in `lint/tests/dotenv.rs`):
//! * a bare `KEY` line defines `KEY` as `""`; `KEY:value` (no space after the colon), `KEY value`
//!   or `-KEY=1` are skipped without a word ([`SecretsFile::ignored_lines`]);
//! * `#` ends an unquoted value even without a space before it (`A=abc#def` gives `abc`);
//! * a value may start on the next line (`A=\n"x"` gives `x`, `A:\nx` gives `x`);
//! * whether a value counts as quoted is decided on the whole value (`A="a" "b"` is double-quoted
//!   `a" "b`; `A='a' b` is unquoted and keeps its quotes).
//!
//! The value of an entry is then computed as `Dotenv::Parser#parse_value` does: strip; remove the
//! surrounding quotes; in double quotes turn `\n`/`\r` into literal backslash sequences (or into
//! real line breaks with `DOTENV_LINEBREAK_MODE=legacy`); unless single-quoted remove backslash
//! escapes except `\$`, substitute `$NAME`/`${NAME}` (earlier keys of the same file, then the
//! caller's environment, then `""`), then `$(command)` (Kamal runs `kamal secrets …` in-process,
//! anything else in a shell). This module never runs a command: [`Part::Command`] records it, and
//! [`SecretsFile::static_value`] answers `None` when a value needs one.

use std::collections::HashMap;
use std::ops::Range;

/// A parsed secrets file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretsFile {
    /// Every `KEY=value`, `KEY: value`, `export KEY=value`, bare `KEY` and `export KEY` dotenv
    /// recognises, in file order.
    pub entries: Vec<Entry>,
    /// Full-line and trailing comments, in file order.
    pub comments: Vec<Comment>,
    pub problems: Vec<Problem>,
    /// Lines dotenv skips without a word (not an entry, not a comment, not blank), trimmed of
    /// surrounding whitespace. Kamal never sees anything written there.
    pub ignored_lines: Vec<Range<usize>>,
    /// The text starts with a UTF-8 byte order mark (dotenv drops it).
    pub bom: bool,
    /// The first entry that sets `DOTENV_LINEBREAK_MODE=legacy` (statically), when the file has
    /// one: from there on `\n` and `\r` in double-quoted values become real line breaks (the
    /// process environment can also set it: see [`SecretsFile::static_value`]).
    pub legacy_linebreaks: Option<Range<usize>>,
    /// Every assigned key with the index in `entries` of its last assignment (what
    /// [`SecretsFile::get`] answers, in constant time: a file may hold a million keys).
    last: HashMap<String, usize>,
    /// The index in `entries` of each key's first assignment, in order ([`SecretsFile::keys`]).
    first: Vec<usize>,
}

/// One entry recognised by dotenv.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    /// Written with `export ` in front.
    pub export: bool,
    /// The `export` keyword.
    pub export_span: Option<Range<usize>>,
    /// `export KEY` (or `export KEY=` with nothing after it): assigns nothing; dotenv only checks
    /// that `KEY` was defined earlier in the file and raises `Dotenv::FormatError` otherwise.
    pub export_only: bool,
    pub separator: Separator,
    /// The `=` or `:` (empty, at the end of the key, when there is none).
    pub separator_span: Range<usize>,
    /// How dotenv reads the value (decided on the whole stripped value, as dotenv does).
    pub quote: Quote,
    /// The value as written, quotes included, surrounding whitespace excluded; may span lines.
    pub raw_value: String,
    /// Where `raw_value` is (empty, after the separator or key, when there is no value).
    pub value_span: Range<usize>,
    /// The value decomposed, in order.
    pub parts: Vec<Part>,
    /// From `export` or the key to the end of the value.
    pub span: Range<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Separator {
    /// `KEY=value` (spaces allowed around `=`).
    Equals,
    /// `KEY: value` (the colon must be followed by whitespace).
    Colon,
    /// A bare `KEY` or `export KEY`.
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quote {
    None,
    Single,
    Double,
}

/// A piece of a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Text after dotenv's unescaping for that quote style (`\$NAME` and `\$(…)` give `$NAME`
    /// and `$(…)` here; CRLF inside a value is a single `\n`, as dotenv sees it; `\n` in double
    /// quotes follows `DOTENV_LINEBREAK_MODE` as set earlier in the file, the process
    /// environment is not consulted).
    Literal { text: String, span: Range<usize> },
    /// `$NAME`, `${NAME}` (also `${NAME` and `$NAME}`, which dotenv accepts). `span` covers exactly
    /// what dotenv replaces.
    Variable {
        name: String,
        /// Written with `{`.
        braced: bool,
        span: Range<usize>,
    },
    /// `$(…)` with balanced parentheses. Never run.
    Command {
        /// The text between the parentheses as dotenv hands it on, before variable values are
        /// put in (`${SECRETS}` stays as written; `\$X` is already `$X`).
        command: String,
        /// From `$` to `)`.
        span: Range<usize>,
        /// Variables inside the command: dotenv 3.1 substitutes them before the command runs.
        variables: Vec<VariableRef>,
        /// Set when Kamal runs it in-process as `kamal secrets …`.
        kamal: Option<Box<KamalSecretsCall>>,
    },
}

/// A `$NAME` / `${NAME}` inside a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableRef {
    pub name: String,
    pub braced: bool,
    pub span: Range<usize>,
}

/// `kamal secrets fetch|extract|print …` recognised inside `$(…)` (Kamal's
/// `InlineCommandSubstitution`: the command matches `\A\s*kamal\s*secrets\s+` and is split with
/// Ruby's `Shellwords`). Spans point at the words in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KamalSecretsCall {
    /// The word after `secrets` (`fetch`, `extract`, `print`, or whatever was written; empty when
    /// missing).
    pub subcommand: String,
    pub subcommand_span: Range<usize>,
    /// `-a VALUE`, `-a=VALUE`, `--adapter VALUE`, `--adapter=VALUE` (the last one given wins).
    pub adapter: Option<(String, Range<usize>)>,
    pub account: Option<(String, Range<usize>)>,
    pub from: Option<(String, Range<usize>)>,
    /// Positional arguments after the subcommand: for `fetch` the secret names, for `extract` the
    /// name then the JSON argument.
    pub names: Vec<(String, Range<usize>)>,
    /// Every word, shell-split, starting with `kamal` and `secrets`.
    pub args: Vec<(String, Range<usize>)>,
}

/// Something dotenv or Kamal will trip over, or that almost certainly does not mean what it
/// looks like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub message: String,
    pub span: Range<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// `export KEY` before `KEY` is defined in this file: dotenv raises
    /// `Dotenv::FormatError` (`Line "…" has an unset variable`) and Kamal stops.
    UnsetExport,
    /// The value starts with a quote that does not close it: dotenv reads it unquoted and keeps
    /// the quote characters.
    UnterminatedQuote,
    /// An unmatched quote in a `kamal secrets` command: Ruby's `shellsplit` raises
    /// `ArgumentError` and Kamal stops.
    CommandUnmatchedQuote,
}

impl ProblemKind {
    /// Kamal fails when it reads the file.
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            ProblemKind::UnsetExport | ProblemKind::CommandUnmatchedQuote
        )
    }
}

/// A `#` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Text after `#`, up to the end of the line.
    pub text: String,
    /// From `#` to the end of the line (line break excluded).
    pub span: Range<usize>,
    /// On the same line as an entry, after it.
    pub trailing: bool,
}

impl Part {
    pub fn span(&self) -> &Range<usize> {
        match self {
            Part::Literal { span, .. }
            | Part::Variable { span, .. }
            | Part::Command { span, .. } => span,
        }
    }
}

impl Entry {
    /// The value when it is made of literal text only (no variable, no command): what dotenv
    /// produces whatever the environment. `None` otherwise, and for `export_only` entries.
    pub fn literal_value(&self) -> Option<String> {
        if self.export_only {
            return None;
        }
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal { text, .. } => out.push_str(text),
                _ => return None,
            }
        }
        Some(out)
    }

    /// The `kamal secrets …` calls in this value.
    pub fn kamal_calls(&self) -> impl Iterator<Item = &KamalSecretsCall> {
        self.parts.iter().filter_map(|p| match p {
            Part::Command { kamal, .. } => kamal.as_deref(),
            _ => None,
        })
    }

    /// Whether the value runs a command.
    pub fn has_command(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Command { .. }))
    }
}

impl SecretsFile {
    /// The entry that gives `key` its value: the last assignment (as dotenv, later wins).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.last.get(key).and_then(|&i| self.entries.get(i))
    }

    /// The keys dotenv's hash ends up with, in its order (first assignment).
    pub fn keys(&self) -> Vec<&str> {
        self.first
            .iter()
            .filter_map(|&i| self.entries.get(i))
            .map(|e| e.key.as_str())
            .collect()
    }

    /// A problem that makes Kamal fail when it reads this file.
    pub fn fatal_problem(&self) -> Option<&Problem> {
        self.problems.iter().find(|p| p.kind.is_fatal())
    }

    /// The value dotenv 3.1 would produce when it needs no command and no process env
    /// (evaluates the whole file: use [`SecretsFile::static_values`] for many keys):
    /// variables resolve to earlier keys of the same file, else to `env(name)` (caller-provided
    /// closure), else `""`. `None` when the key is not defined, when a command is involved
    /// (directly, through a variable, or through a variable's value that contains `$(…)`), or
    /// when the file has a fatal problem (dotenv raises: there is no value at all).
    pub fn static_value(&self, key: &str, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        self.static_values(env)?
            .into_iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v)
    }

    /// Every key with its static value (see [`SecretsFile::static_value`]), in dotenv's hash
    /// order; `None` when the file has a fatal problem.
    pub fn static_values(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Option<Vec<(String, Option<String>)>> {
        if self.fatal_problem().is_some() {
            return None;
        }
        let mut state = Evaluation::default();
        for entry in &self.entries {
            if !state.apply(entry, env) {
                return None;
            }
        }
        Some(state.into_pairs())
    }
}

/// Parses a secrets file.
pub fn parse(text: &str) -> SecretsFile {
    let src = Source::new(text);
    let mut parser = Parser {
        src: &src,
        entries: Vec::new(),
        comments: Vec::new(),
        problems: Vec::new(),
        ignored_lines: Vec::new(),
        legacy_linebreaks: None,
        evaluation: Evaluation::default(),
        evaluated: 0,
        covered: Vec::new(),
    };
    parser.run();
    parser.collect_uncovered_lines();
    parser.comments.sort_by_key(|c| c.span.start);
    let mut last: HashMap<String, usize> = HashMap::new();
    let mut first = Vec::new();
    for (i, entry) in parser.entries.iter().enumerate() {
        if entry.export_only {
            continue;
        }
        match last.get_mut(entry.key.as_str()) {
            Some(slot) => *slot = i,
            None => {
                last.insert(entry.key.clone(), i);
                first.push(i);
            }
        }
    }
    SecretsFile {
        last,
        first,
        entries: parser.entries,
        comments: parser.comments,
        problems: parser.problems,
        ignored_lines: parser.ignored_lines,
        bom: src.bom,
        legacy_linebreaks: parser.legacy_linebreaks,
    }
}

// ---------------------------------------------------------------------------------------------
// The normalised text dotenv scans.

/// The text as dotenv sees it (BOM dropped, CRLF and CR turned into LF), with the byte offset in
/// the original text of every character.
///
/// An ASCII text without CR (almost every secrets file) is used as it is: character `i` is byte
/// `i`. Otherwise the characters are copied out with their offsets (8 bytes a character, where
/// a `char` and a `usize` per byte made 12: a 50 MB file cost 600 MB).
struct Source<'a> {
    text: &'a str,
    /// `None`: the text itself (ASCII, no CR, no BOM).
    decoded: Option<Decoded>,
    bom: bool,
}

struct Decoded {
    chars: Vec<char>,
    /// `offs[i]` is where `chars[i]` starts in `text`; one extra entry holds `text.len()`
    /// (files are read up to 64 MB: offsets fit in 32 bits).
    offs: Vec<u32>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Source<'a> {
        let bom = text.starts_with('\u{feff}');
        if text.is_ascii() && !text.contains('\r') {
            return Source {
                text,
                decoded: None,
                bom,
            };
        }
        let start = if bom { '\u{feff}'.len_utf8() } else { 0 };
        let mut chars = Vec::with_capacity(text.len());
        let mut offs = Vec::with_capacity(text.len() + 1);
        let mut iter = text
            .get(start..)
            .unwrap_or("")
            .char_indices()
            .map(|(i, c)| (i + start, c))
            .peekable();
        while let Some((i, c)) = iter.next() {
            if c == '\r' {
                if let Some(&(_, '\n')) = iter.peek() {
                    iter.next();
                }
                chars.push('\n');
            } else {
                chars.push(c);
            }
            offs.push(u32::try_from(i).unwrap_or(u32::MAX));
        }
        offs.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        Source {
            text,
            decoded: Some(Decoded { chars, offs }),
            bom,
        }
    }

    fn len(&self) -> usize {
        match &self.decoded {
            Some(d) => d.chars.len(),
            None => self.text.len(),
        }
    }

    fn at(&self, i: usize) -> Option<char> {
        match &self.decoded {
            Some(d) => d.chars.get(i).copied(),
            None => self.text.as_bytes().get(i).map(|&b| char::from(b)),
        }
    }

    fn off(&self, i: usize) -> usize {
        match &self.decoded {
            Some(d) => d
                .offs
                .get(i)
                .map_or(self.text.len(), |&o| o as usize)
                .min(self.text.len()),
            None => i.min(self.text.len()),
        }
    }

    fn span(&self, a: usize, b: usize) -> Range<usize> {
        let (s, e) = (self.off(a), self.off(b));
        s..e.max(s)
    }

    fn slice(&self, a: usize, b: usize) -> &'a str {
        let r = self.span(a, b);
        self.text.get(r).unwrap_or("")
    }

    fn string(&self, a: usize, b: usize) -> String {
        match &self.decoded {
            Some(d) => d
                .chars
                .get(a..b.min(self.len()))
                .unwrap_or(&[])
                .iter()
                .collect(),
            None => self
                .text
                .get(a..b.min(self.len()))
                .unwrap_or("")
                .to_string(),
        }
    }

    fn ch(&self, i: usize) -> Ch {
        Ch {
            c: self.at(i).unwrap_or('\0'),
            s: self.off(i),
            e: self.off(i + 1),
        }
    }

    /// First index at or after `i` that is not Ruby whitespace.
    fn skip_ws(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(is_ruby_space) {
            i += 1;
        }
        i
    }

    fn find_from(&self, mut i: usize, c: char) -> Option<usize> {
        while let Some(x) = self.at(i) {
            if x == c {
                return Some(i);
            }
            i += 1;
        }
        None
    }
}

/// Ruby's `\s`: ASCII space, tab, LF, VT, FF, CR.
fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// What Ruby's `String#strip` removes (whitespace and NUL).
fn is_strip(c: char) -> bool {
    is_ruby_space(c) || c == '\0'
}

/// `[\w.]` with Ruby's ASCII `\w`.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// `[A-Z0-9_]` under `/i`.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

// ---------------------------------------------------------------------------------------------
// The LINE expression, by hand.

/// One match of `LINE`, in character indices of [`Source`].
struct LineMatch {
    start: usize,
    end: usize,
    export: Option<usize>,
    key: (usize, usize),
    separator: Option<(Separator, usize)>,
    /// The `value` group as captured (before strip).
    value: Option<(usize, usize)>,
    /// `#…` up to the end of its line.
    comment: Option<(usize, usize)>,
}

/// `\s* (?:\#.*)? (?:$|\z)` from `q`, with the regex's backtracking: where the match ends, and
/// the comment it took.
fn tail(src: &Source, q: usize) -> Option<(usize, Option<(usize, usize)>)> {
    let ws_end = src.skip_ws(q);
    if src.at(ws_end) == Some('#') {
        let end = src.find_from(ws_end, '\n').unwrap_or(src.len());
        return Some((end, Some((ws_end, end))));
    }
    if ws_end >= src.len() {
        return Some((src.len(), None));
    }
    // Give whitespace back until `$` holds: just before the last line break taken.
    (q..ws_end)
        .rev()
        .find(|&i| src.at(i) == Some('\n'))
        .map(|i| (i, None))
}

/// Closing-quote candidates of `'(?:\\'|[^'])*'` (or the `"` form) opened at `open`, in the order
/// the greedy loop offers them (the farthest first).
fn closers(src: &Source, open: usize, quote: char) -> Vec<usize> {
    let mut found = Vec::new();
    let mut i = open + 1;
    while let Some(c) = src.at(i) {
        if c == quote {
            found.push(i);
            let escaped = i > open + 1 && src.at(i - 1) == Some('\\');
            if !escaped {
                break;
            }
        }
        i += 1;
    }
    found.reverse();
    found
}

type ValueMatch = (Option<(usize, usize)>, usize, Option<(usize, usize)>);

/// `( \s*'…' | \s*"…" | [^#\n]+ )? \s* (?:\#.*)? (?:$|\z)` from `p`.
fn value_and_tail(src: &Source, p: usize) -> Option<ValueMatch> {
    let w = src.skip_ws(p);
    for quote in ['\'', '"'] {
        if src.at(w) == Some(quote) {
            for close in closers(src, w, quote) {
                if let Some((end, comment)) = tail(src, close + 1) {
                    return Some((Some((p, close + 1)), end, comment));
                }
            }
        }
    }
    let mut e = p;
    while src.at(e).is_some_and(|c| c != '#' && c != '\n') {
        e += 1;
    }
    if e > p {
        // After the longest unquoted run comes `#`, a line break or the end: the tail always
        // matches there, so shorter runs never need trying.
        if let Some((end, comment)) = tail(src, e) {
            return Some((Some((p, e)), end, comment));
        }
    }
    tail(src, p).map(|(end, comment)| (None, end, comment))
}

/// Everything after `(export\s+)?`, from the key at `ks`.
fn match_from_key(
    src: &Source,
    start: usize,
    ks: usize,
    export: Option<usize>,
) -> Option<LineMatch> {
    let mut ke = ks;
    while src.at(ke).is_some_and(is_key_char) {
        ke += 1;
    }
    if ke == ks {
        return None;
    }
    let build = |separator, (value, end, comment): ValueMatch| LineMatch {
        start,
        end,
        export,
        key: (ks, ke),
        separator,
        value,
        comment,
    };
    // `\s*=\s*?`: the lazy whitespace is tried shortest first.
    let eq = src.skip_ws(ke);
    if src.at(eq) == Some('=') {
        let after = eq + 1;
        let run = src.skip_ws(after);
        for p in after..=run {
            if let Some(m) = value_and_tail(src, p) {
                return Some(build(Some((Separator::Equals, eq)), m));
            }
        }
    }
    // `:\s+?`
    if src.at(ke) == Some(':') {
        let after = ke + 1;
        let run = src.skip_ws(after);
        for p in after + 1..=run {
            if let Some(m) = value_and_tail(src, p) {
                return Some(build(Some((Separator::Colon, ke)), m));
            }
        }
    }
    tail(src, ke).map(|(end, comment)| build(None, (None, end, comment)))
}

/// `LINE` anchored at the line start `start`.
fn match_line(src: &Source, start: usize) -> Option<LineMatch> {
    let s = src.skip_ws(start);
    let is_export = "export"
        .chars()
        .enumerate()
        .all(|(k, c)| src.at(s + k) == Some(c))
        && src.at(s + 6).is_some_and(is_ruby_space);
    if is_export {
        let ks = src.skip_ws(s + 6);
        if let Some(m) = match_from_key(src, start, ks, Some(s)) {
            return Some(m);
        }
    }
    match_from_key(src, start, s, None)
}

// ---------------------------------------------------------------------------------------------
// Building the tree.

struct Parser<'s, 'a> {
    src: &'s Source<'a>,
    entries: Vec<Entry>,
    comments: Vec<Comment>,
    problems: Vec<Problem>,
    ignored_lines: Vec<Range<usize>>,
    legacy_linebreaks: Option<Range<usize>>,
    /// Values so far, without any environment: decides `DOTENV_LINEBREAK_MODE` for the parts.
    /// Brought up to date only when needed ([`Parser::catch_up`]): most files never need it.
    evaluation: Evaluation,
    /// How many of `entries` `evaluation` has seen.
    evaluated: usize,
    /// Character ranges taken by matches.
    covered: Vec<(usize, usize)>,
}

impl Parser<'_, '_> {
    fn run(&mut self) {
        let src = self.src;
        let len = src.len();
        let mut pos = 0;
        while pos < len {
            let at_line_start = pos == 0 || src.at(pos - 1) == Some('\n');
            if !at_line_start {
                match src.find_from(pos, '\n') {
                    Some(nl) => {
                        pos = nl + 1;
                        continue;
                    }
                    None => break,
                }
            }
            match match_line(src, pos) {
                Some(m) => {
                    self.covered.push((m.start, m.end));
                    let next = m.end.max(pos + 1);
                    self.record(m);
                    pos = next;
                }
                None => {
                    // Every line start up to the first non-blank character fails the same way.
                    let s = src.skip_ws(pos);
                    match src.find_from(s, '\n') {
                        Some(nl) => pos = nl + 1,
                        None => break,
                    }
                }
            }
        }
    }

    fn record(&mut self, m: LineMatch) {
        let src = self.src;
        let (ks, ke) = m.key;
        let key = src.string(ks, ke);
        let (separator, sep_span) = match m.separator {
            Some((sep, at)) => (sep, src.span(at, at + 1)),
            None => (Separator::None, src.span(ke, ke)),
        };
        let sep_end_idx = m.separator.map(|(_, at)| at + 1).unwrap_or(ke);
        let (vs, ve) = match m.value {
            Some((a, b)) => {
                let (mut a, mut b) = (a, b);
                while a < b && src.at(a).is_some_and(is_strip) {
                    a += 1;
                }
                while b > a && src.at(b - 1).is_some_and(is_strip) {
                    b -= 1;
                }
                (a, b)
            }
            None => (sep_end_idx, sep_end_idx),
        };
        let quote = quote_of(src, vs, ve);
        let export_only = m.export.is_some() && m.value.is_none();
        let start_idx = m.export.unwrap_or(ks);
        let end_idx = ve.max(sep_end_idx);
        let mut entry = Entry {
            key,
            key_span: src.span(ks, ke),
            export: m.export.is_some(),
            export_span: m.export.map(|e| src.span(e, e + 6)),
            export_only,
            separator,
            separator_span: sep_span,
            quote,
            raw_value: src.slice(vs, ve).to_string(),
            value_span: src.span(vs, ve),
            parts: Vec::new(),
            span: src.span(start_idx, end_idx),
        };

        if let Some((cs, ce)) = m.comment {
            let trailing = !(end_idx..cs).any(|i| src.at(i) == Some('\n'));
            self.comments.push(Comment {
                text: src.string(cs + 1, ce),
                span: src.span(cs, ce),
                trailing,
            });
        }

        if export_only {
            self.catch_up();
            if !self.evaluation.defines(&entry.key) {
                let line = src.string(m.start, m.end);
                self.problems.push(Problem {
                    kind: ProblemKind::UnsetExport,
                    message: format!("Line {} has an unset variable", ruby_inspect(&line)),
                    span: entry.span.clone(),
                });
            }
            self.entries.push(entry);
            return;
        }

        if quote == Quote::None && matches!(src.at(vs), Some('\'' | '"')) {
            let which = if src.at(vs) == Some('\'') {
                "single"
            } else {
                "double"
            };
            self.problems.push(Problem {
                kind: ProblemKind::UnterminatedQuote,
                message: format!(
                    "the value opens a {which} quote that does not close it: dotenv reads it \
                     unquoted and keeps the quote characters in the value"
                ),
                span: entry.value_span.clone(),
            });
        }

        let (inner_a, inner_b) = if quote == Quote::None {
            (vs, ve)
        } else {
            (vs + 1, ve.saturating_sub(1).max(vs + 1))
        };
        let plain = quote == Quote::Single
            || (inner_a..inner_b).all(|i| !matches!(src.at(i), Some('\\' | '$')));
        if plain {
            // Nothing to unescape or substitute: the text as it is (what `decompose` gives).
            if inner_a < inner_b {
                entry.parts = vec![Part::Literal {
                    text: src.string(inner_a, inner_b),
                    span: src.span(inner_a, inner_b),
                }];
            }
        } else {
            let inner: Vec<Ch> = (inner_a..inner_b).map(|i| src.ch(i)).collect();
            // the mode matters only for `\n` and `\r` in double quotes
            let legacy = quote == Quote::Double && {
                self.catch_up();
                self.evaluation.legacy_mode(&no_env).unwrap_or(false)
            };
            let mut problems = Vec::new();
            entry.parts = decompose(&inner, quote, legacy, &mut problems);
            self.problems.append(&mut problems);
        }

        let key_is_mode = entry.key == LINEBREAK_MODE;
        self.entries.push(entry);
        if key_is_mode && self.legacy_linebreaks.is_none() {
            self.catch_up();
            if self.evaluation.value(LINEBREAK_MODE) == Some(Some("legacy")) {
                self.legacy_linebreaks = self.entries.last().map(|e| e.span.clone());
            }
        }
    }

    /// Applies the entries `evaluation` has not seen yet (each entry once in all: linear).
    fn catch_up(&mut self) {
        for entry in self.entries.get(self.evaluated..).unwrap_or(&[]) {
            self.evaluation.apply(entry, &no_env);
        }
        self.evaluated = self.entries.len();
    }

    /// Comments and ignored lines outside every match.
    fn collect_uncovered_lines(&mut self) {
        let src = self.src;
        let len = src.len();
        let mut covered = self.covered.iter().peekable();
        let mut ls = 0;
        while ls < len {
            let le = src.find_from(ls, '\n').unwrap_or(len);
            while covered.peek().is_some_and(|&&(_, end)| end < le) {
                covered.next();
            }
            let inside = covered
                .peek()
                .is_some_and(|&&(start, end)| start <= ls && le <= end);
            if !inside {
                let mut a = ls;
                while a < le && src.at(a).is_some_and(is_ruby_space) {
                    a += 1;
                }
                let mut b = le;
                while b > a && src.at(b - 1).is_some_and(is_ruby_space) {
                    b -= 1;
                }
                if a < b {
                    if src.at(a) == Some('#') {
                        self.comments.push(Comment {
                            text: src.string(a + 1, b),
                            span: src.span(a, le),
                            trailing: false,
                        });
                    } else {
                        self.ignored_lines.push(src.span(a, b));
                    }
                }
            }
            ls = le + 1;
        }
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

const LINEBREAK_MODE: &str = "DOTENV_LINEBREAK_MODE";

/// `\A(['"])(.*)\1\z` on the stripped value.
fn quote_of(src: &Source, vs: usize, ve: usize) -> Quote {
    if ve < vs + 2 {
        return Quote::None;
    }
    match (src.at(vs), src.at(ve - 1)) {
        (Some('\''), Some('\'')) => Quote::Single,
        (Some('"'), Some('"')) => Quote::Double,
        _ => Quote::None,
    }
}

/// `String#inspect` for the message dotenv raises.
fn ruby_inspect(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{1b}' => out.push_str("\\e"),
            '#' if matches!(chars.peek(), Some('{' | '$' | '@')) => out.push_str("\\#"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// Values: unescaping and substitution, keeping where every character came from.

/// A character of a value and the bytes of the file it comes from.
#[derive(Clone, Copy, Debug)]
struct Ch {
    c: char,
    s: usize,
    e: usize,
}

fn span_of(chars: &[Ch]) -> Range<usize> {
    let s = chars.iter().map(|c| c.s).min().unwrap_or(0);
    let e = chars.iter().map(|c| c.e).max().unwrap_or(s);
    s..e.max(s)
}

/// `whole` without its leading backslash, the backslash's bytes given to the next character.
fn drop_backslash(whole: &[Ch]) -> Vec<Ch> {
    let mut rest = whole.get(1..).unwrap_or(&[]).to_vec();
    if let (Some(first), Some(bs)) = (rest.first_mut(), whole.first()) {
        first.s = first.s.min(bs.s);
    }
    rest
}

fn text_of(chars: &[Ch]) -> String {
    chars.iter().map(|c| c.c).collect()
}

/// `value.gsub('\X', …)` for `X` = `n` or `r`, as `expand_newlines` does.
fn replace_escape(v: &[Ch], letter: char, real: char, legacy: bool) -> Vec<Ch> {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while let Some(&ch) = v.get(i) {
        let next = v.get(i + 1);
        if ch.c == '\\' && next.is_some_and(|n| n.c == letter) {
            let e = next.map_or(ch.e, |n| n.e);
            if legacy {
                out.push(Ch {
                    c: real,
                    s: ch.s,
                    e,
                });
            } else {
                // The replacement `"\\\\\\n"` yields `\\n`, which unescaping turns back into `\n`.
                for c in ['\\', '\\', letter] {
                    out.push(Ch { c, s: ch.s, e });
                }
            }
            i += 2;
        } else {
            out.push(ch);
            i += 1;
        }
    }
    out
}

/// `unescape_characters`: `gsub(/\\([^$])/, '\1')`.
fn unescape_characters(v: &[Ch]) -> Vec<Ch> {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while let Some(&ch) = v.get(i) {
        match v.get(i + 1) {
            Some(next) if ch.c == '\\' && next.c != '$' => {
                out.push(Ch {
                    c: next.c,
                    s: ch.s,
                    e: next.e,
                });
                i += 2;
            }
            _ => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// The value after quote removal and dotenv's unescaping, before substitution.
fn unescape(inner: &[Ch], quote: Quote, legacy: bool) -> Vec<Ch> {
    match quote {
        Quote::Single => inner.to_vec(),
        Quote::Double => {
            let v = replace_escape(inner, 'n', '\n', legacy);
            let v = replace_escape(&v, 'r', '\r', legacy);
            unescape_characters(&v)
        }
        Quote::None => unescape_characters(inner),
    }
}

#[derive(Debug)]
enum VarKind {
    /// `\$…`: the backslash is dropped, the rest kept.
    Escaped,
    Named {
        name: String,
        braced: bool,
    },
    /// `$`, `${`, `$}` … without a name: kept as is.
    Bare,
}

/// A match of dotenv's `VARIABLE` expression, `(\\)?(\$)(?!\()\{?([A-Z0-9_]+)?\}?` (`/i`).
#[derive(Debug)]
struct VarMatch {
    start: usize,
    end: usize,
    kind: VarKind,
}

fn find_variables(v: &[Ch]) -> Vec<VarMatch> {
    let at = |i: usize| v.get(i).map(|c| c.c);
    let mut found = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let escaped = at(i) == Some('\\') && at(i + 1) == Some('$') && at(i + 2) != Some('(');
        let plain = at(i) == Some('$') && at(i + 1) != Some('(');
        if !escaped && !plain {
            i += 1;
            continue;
        }
        let mut j = if escaped { i + 2 } else { i + 1 };
        let braced = at(j) == Some('{');
        if braced {
            j += 1;
        }
        let name_start = j;
        while at(j).is_some_and(is_name_char) {
            j += 1;
        }
        let name: String = v
            .get(name_start..j)
            .unwrap_or(&[])
            .iter()
            .map(|c| c.c)
            .collect();
        if at(j) == Some('}') {
            j += 1;
        }
        let kind = if escaped {
            VarKind::Escaped
        } else if name.is_empty() {
            VarKind::Bare
        } else {
            VarKind::Named { name, braced }
        };
        found.push(VarMatch {
            start: i,
            end: j,
            kind,
        });
        i = j;
    }
    found
}

/// A match of `(?<backslash>\\)?\$(?<cmd>\((?:[^()]|\g<cmd>)+\))`.
#[derive(Debug)]
struct CmdMatch {
    start: usize,
    end: usize,
    escaped: bool,
}

fn find_commands(v: &[Ch]) -> Vec<CmdMatch> {
    let n = v.len();
    let at = |i: usize| v.get(i).map(|c| c.c);
    // Matching parentheses (one stack pass) and a prefix count of empty `()` pairs: `(` at `i`
    // starts a `cmd` exactly when it has a partner and no `()` lies between them.
    let mut partner: Vec<Option<usize>> = vec![None; n];
    let mut stack = Vec::new();
    let mut empties = Vec::with_capacity(n + 1);
    empties.push(0usize);
    for i in 0..n {
        match at(i) {
            Some('(') => stack.push(i),
            Some(')') => {
                if let Some(open) = stack.pop() {
                    if let Some(slot) = partner.get_mut(open) {
                        *slot = Some(i);
                    }
                }
            }
            _ => {}
        }
        let last = empties.last().copied().unwrap_or(0);
        let empty_here = at(i) == Some('(') && at(i + 1) == Some(')');
        empties.push(last + usize::from(empty_here));
    }
    let group_end = |open: usize| -> Option<usize> {
        let close = partner.get(open).copied().flatten()?;
        let before = empties.get(open).copied()?;
        let through = empties.get(close).copied()?;
        (through == before).then_some(close + 1)
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < n {
        if at(i) == Some('\\') && at(i + 1) == Some('$') && at(i + 2) == Some('(') {
            if let Some(end) = group_end(i + 2) {
                found.push(CmdMatch {
                    start: i,
                    end,
                    escaped: true,
                });
                i = end;
                continue;
            }
        }
        if at(i) == Some('$') && at(i + 1) == Some('(') {
            if let Some(end) = group_end(i + 1) {
                found.push(CmdMatch {
                    start: i,
                    end,
                    escaped: false,
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// Splits a value into parts (syntactically: variables are not replaced).
fn decompose(inner: &[Ch], quote: Quote, legacy: bool, problems: &mut Vec<Problem>) -> Vec<Part> {
    let mut parts = Vec::new();
    if quote == Quote::Single {
        if !inner.is_empty() {
            parts.push(Part::Literal {
                text: text_of(inner),
                span: span_of(inner),
            });
        }
        return parts;
    }
    let u = unescape(inner, quote, legacy);
    let vars = find_variables(&u);
    let cmds = find_commands(&u);
    let mut literal: Vec<Ch> = Vec::new();
    let flush = |literal: &mut Vec<Ch>, parts: &mut Vec<Part>| {
        if !literal.is_empty() {
            parts.push(Part::Literal {
                text: text_of(literal),
                span: span_of(literal),
            });
            literal.clear();
        }
    };
    let mut vars = vars.into_iter().peekable();
    let mut cmds = cmds.into_iter().peekable();
    let mut i = 0;
    while i < u.len() {
        // Matches never overlap; anything starting before `i` is stale.
        while vars.next_if(|v| v.start < i).is_some() {}
        while cmds.next_if(|c| c.start < i).is_some() {}
        if let Some(cmd) = cmds.next_if(|c| c.start == i) {
            let whole = u.get(cmd.start..cmd.end).unwrap_or(&[]);
            // Variables inside the command are dealt with here.
            let mut inside = Vec::new();
            while let Some(var) = vars.next_if(|v| v.start < cmd.end) {
                inside.push(var);
            }
            if cmd.escaped {
                literal.extend(drop_backslash(whole));
            } else {
                flush(&mut literal, &mut parts);
                parts.push(command_part(&u, &cmd, &inside, problems));
            }
            i = cmd.end;
            continue;
        }
        if let Some(var) = vars.next_if(|v| v.start == i) {
            let whole = u.get(var.start..var.end).unwrap_or(&[]);
            match var.kind {
                VarKind::Escaped => literal.extend(drop_backslash(whole)),
                VarKind::Bare => literal.extend_from_slice(whole),
                VarKind::Named { name, braced } => {
                    flush(&mut literal, &mut parts);
                    parts.push(Part::Variable {
                        name,
                        braced,
                        span: span_of(whole),
                    });
                }
            }
            i = var.end.max(i + 1);
            continue;
        }
        if let Some(&ch) = u.get(i) {
            literal.push(ch);
        }
        i += 1;
    }
    flush(&mut literal, &mut parts);
    parts
}

fn command_part(u: &[Ch], cmd: &CmdMatch, vars: &[VarMatch], problems: &mut Vec<Problem>) -> Part {
    // Between `$(` and `)`; escaped variables lose their backslash, the others stay as written.
    let (a, b) = (cmd.start + 2, cmd.end.saturating_sub(1));
    let mut text: Vec<Ch> = Vec::new();
    let mut variables = Vec::new();
    let mut vars = vars.iter().peekable();
    let mut i = a;
    while i < b {
        if let Some(var) = vars.next_if(|v| v.start == i) {
            let whole = u.get(var.start..var.end.min(b)).unwrap_or(&[]);
            match &var.kind {
                VarKind::Escaped => text.extend(drop_backslash(whole)),
                VarKind::Bare => text.extend_from_slice(whole),
                VarKind::Named { name, braced } => {
                    variables.push(VariableRef {
                        name: name.clone(),
                        braced: *braced,
                        span: span_of(whole),
                    });
                    text.extend_from_slice(whole);
                }
            }
            i = var.end.max(i + 1);
            continue;
        }
        while vars.next_if(|v| v.start < i).is_some() {}
        if let Some(&ch) = u.get(i) {
            text.push(ch);
        }
        i += 1;
    }
    let span = span_of(u.get(cmd.start..cmd.end).unwrap_or(&[]));
    let kamal = kamal_call(&text, &span, problems).map(Box::new);
    Part::Command {
        command: text_of(&text),
        span,
        variables,
        kamal,
    }
}

// ---------------------------------------------------------------------------------------------
// `kamal secrets …` inside `$(…)`.

/// A word of Ruby's `Shellwords.shellsplit`, with the file bytes of each of its characters.
struct Word {
    text: String,
    chars: Vec<(usize, usize)>,
    span: Range<usize>,
}

/// Ruby's `Shellwords.shellsplit`; `Err` carries the words before an unmatched quote.
fn shellsplit(v: &[Ch]) -> Result<Vec<Word>, Vec<Word>> {
    let at = |i: usize| v.get(i).map(|c| c.c);
    let mut words = Vec::new();
    let mut field: Vec<Ch> = Vec::new();
    let mut field_start: Option<usize> = None;
    let mut field_end = 0;
    let mut i = 0;
    let push_field =
        |field: &mut Vec<Ch>, start: Option<usize>, end: usize, words: &mut Vec<Word>| {
            let whole = start.and_then(|s| v.get(s..end)).unwrap_or(&[]);
            words.push(Word {
                text: text_of(field),
                chars: field.iter().map(|c| (c.s, c.e)).collect(),
                span: span_of(whole),
            });
            field.clear();
        };
    loop {
        while at(i).is_some_and(is_ruby_space) {
            i += 1;
        }
        let Some(c) = at(i) else { break };
        let token_start = i;
        match c {
            '\'' => {
                let mut j = i + 1;
                while at(j).is_some_and(|x| x != '\'') {
                    j += 1;
                }
                if at(j).is_none() {
                    return Err(words);
                }
                field.extend_from_slice(v.get(i + 1..j).unwrap_or(&[]));
                i = j + 1;
            }
            '"' => {
                let mut j = i + 1;
                let mut body = Vec::new();
                loop {
                    match at(j) {
                        None => return Err(words),
                        Some('"') => break,
                        Some('\\') if at(j + 1).is_some() => {
                            let (bs, next) = (v.get(j), v.get(j + 1));
                            if let (Some(&bs), Some(&next)) = (bs, next) {
                                if matches!(next.c, '$' | '`' | '"' | '\\' | '\n') {
                                    body.push(Ch {
                                        c: next.c,
                                        s: bs.s,
                                        e: next.e,
                                    });
                                } else {
                                    body.push(bs);
                                    body.push(next);
                                }
                            }
                            j += 2;
                        }
                        Some(_) => {
                            if let Some(&ch) = v.get(j) {
                                body.push(ch);
                            }
                            j += 1;
                        }
                    }
                }
                field.extend(body);
                i = j + 1;
            }
            '\\' => match (v.get(i), v.get(i + 1)) {
                (Some(&bs), Some(&next)) => {
                    if next.c == '\n' {
                        field.push(bs);
                        field.push(next);
                    } else {
                        field.push(Ch {
                            c: next.c,
                            s: bs.s,
                            e: next.e,
                        });
                    }
                    i += 2;
                }
                (Some(&bs), None) => {
                    field.push(bs);
                    i += 1;
                }
                _ => break,
            },
            _ => {
                while at(i).is_some_and(|x| !is_ruby_space(x) && !matches!(x, '\\' | '\'' | '"')) {
                    if let Some(&ch) = v.get(i) {
                        field.push(ch);
                    }
                    i += 1;
                }
            }
        }
        field_start.get_or_insert(token_start);
        field_end = i;
        match at(i) {
            Some(x) if is_ruby_space(x) => {
                push_field(&mut field, field_start.take(), field_end, &mut words);
                i += 1;
            }
            None => {
                push_field(&mut field, field_start.take(), field_end, &mut words);
                break;
            }
            Some(_) => {}
        }
    }
    if field_start.is_some() {
        push_field(&mut field, field_start.take(), field_end, &mut words);
    }
    Ok(words)
}

/// Thor string options of `kamal secrets fetch` and Kamal's class options that take a value.
fn option_name(word: &str) -> Option<&'static str> {
    Some(match word {
        "-a" | "--adapter" => "adapter",
        "--account" => "account",
        "--from" => "from",
        "--version" => "version",
        "-h" | "--hosts" => "hosts",
        "-r" | "--roles" => "roles",
        "-c" | "--config-file" => "config-file",
        "-d" | "--destination" => "destination",
        _ => return None,
    })
}

fn word_value(word: &Word, from_char: usize) -> (String, Range<usize>) {
    let text: String = word.text.chars().skip(from_char).collect();
    let spans = word.chars.get(from_char..).unwrap_or(&[]);
    let span = match (
        spans.iter().map(|s| s.0).min(),
        spans.iter().map(|s| s.1).max(),
    ) {
        (Some(s), Some(e)) => s..e.max(s),
        _ => word.span.end..word.span.end,
    };
    (text, span)
}

fn kamal_call(
    command: &[Ch],
    command_span: &Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<KamalSecretsCall> {
    // `\A\s*kamal\s*secrets\s+`
    let at = |i: usize| command.get(i).map(|c| c.c);
    let mut i = 0;
    while at(i).is_some_and(is_ruby_space) {
        i += 1;
    }
    let starts = |i: usize, word: &str| word.chars().enumerate().all(|(k, c)| at(i + k) == Some(c));
    if !starts(i, "kamal") {
        return None;
    }
    i += 5;
    while at(i).is_some_and(is_ruby_space) {
        i += 1;
    }
    if !starts(i, "secrets") || !at(i + 7).is_some_and(is_ruby_space) {
        return None;
    }
    let words = match shellsplit(command) {
        Ok(words) => words,
        Err(words) => {
            problems.push(Problem {
                kind: ProblemKind::CommandUnmatchedQuote,
                message: "unmatched quote in this `kamal secrets` command: Kamal splits it with \
                          Ruby's `shellsplit`, which raises `ArgumentError (Unmatched quote)`"
                    .to_string(),
                span: command_span.clone(),
            });
            words
        }
    };
    // `kamalsecrets …` passes the regular expression but is not the `secrets` command.
    if words.first().map(|w| w.text.as_str()) != Some("kamal")
        || words.get(1).map(|w| w.text.as_str()) != Some("secrets")
    {
        return None;
    }
    let (subcommand, subcommand_span) = match words.get(2) {
        Some(w) => (w.text.clone(), w.span.clone()),
        None => (
            String::new(),
            command_span.end.saturating_sub(1)..command_span.end.saturating_sub(1),
        ),
    };
    let mut call = KamalSecretsCall {
        subcommand,
        subcommand_span,
        adapter: None,
        account: None,
        from: None,
        names: Vec::new(),
        args: words
            .iter()
            .map(|w| (w.text.clone(), w.span.clone()))
            .collect(),
    };
    let rest = words.get(3..).unwrap_or(&[]);
    let mut k = 0;
    while let Some(word) = rest.get(k) {
        k += 1;
        let text = word.text.as_str();
        if text == "--" {
            for w in rest.get(k..).unwrap_or(&[]) {
                call.names.push((w.text.clone(), w.span.clone()));
            }
            break;
        }
        if !(text.starts_with('-') && text.len() > 1) {
            call.names.push((text.to_string(), word.span.clone()));
            continue;
        }
        let (switch, inline_value) = match text.split_once('=') {
            Some((switch, _)) => (switch, Some(switch.chars().count() + 1)),
            None => (text, None),
        };
        let Some(option) = option_name(switch) else {
            continue;
        };
        let value = match inline_value {
            Some(from) => Some(word_value(word, from)),
            None => match rest.get(k) {
                Some(next) if !(next.text.starts_with('-') && next.text.len() > 1) => {
                    k += 1;
                    Some(word_value(next, 0))
                }
                _ => None,
            },
        };
        match option {
            "adapter" => call.adapter = value.or(call.adapter),
            "account" => call.account = value.or(call.account),
            "from" => call.from = value.or(call.from),
            _ => {}
        }
    }
    Some(call)
}

// ---------------------------------------------------------------------------------------------
// Static evaluation.

/// dotenv's hash while it reads the file, with `None` for values only a command could give.
#[derive(Default)]
struct Evaluation {
    order: Vec<String>,
    values: HashMap<String, Option<String>>,
}

impl Evaluation {
    fn defines(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    fn value(&self, key: &str) -> Option<Option<&str>> {
        self.values.get(key).map(|v| v.as_deref())
    }

    /// `(@hash["DOTENV_LINEBREAK_MODE"] || ENV["DOTENV_LINEBREAK_MODE"]) == "legacy"`; `None`
    /// when a command decides it.
    fn legacy_mode(&self, env: &dyn Fn(&str) -> Option<String>) -> Option<bool> {
        match self.value(LINEBREAK_MODE) {
            Some(Some(v)) => Some(v == "legacy"),
            Some(None) => None,
            None => Some(env(LINEBREAK_MODE).as_deref() == Some("legacy")),
        }
    }

    /// Applies one entry; `false` when dotenv raises here.
    fn apply(&mut self, entry: &Entry, env: &dyn Fn(&str) -> Option<String>) -> bool {
        if entry.export_only {
            return self.defines(&entry.key);
        }
        let value = self.evaluate(entry, env);
        if !self.values.contains_key(&entry.key) {
            self.order.push(entry.key.clone());
        }
        self.values.insert(entry.key.clone(), value);
        true
    }

    fn evaluate(&self, entry: &Entry, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let normalized = entry.raw_value.replace("\r\n", "\n").replace('\r', "\n");
        let mut chars: Vec<char> = normalized.chars().collect();
        if entry.quote != Quote::None {
            chars.pop();
            if !chars.is_empty() {
                chars.remove(0);
            }
        }
        let inner: Vec<Ch> = chars.into_iter().map(|c| Ch { c, s: 0, e: 0 }).collect();
        if entry.quote == Quote::Single {
            return Some(text_of(&inner));
        }
        let unescaped = match self.legacy_mode(env) {
            Some(legacy) => unescape(&inner, entry.quote, legacy),
            None => {
                let (a, b) = (
                    unescape(&inner, entry.quote, false),
                    unescape(&inner, entry.quote, true),
                );
                if text_of(&a) != text_of(&b) {
                    return None;
                }
                a
            }
        };
        // Variables first (dotenv 3.1.x) …
        let mut substituted: Vec<Ch> = Vec::with_capacity(unescaped.len());
        let mut i = 0;
        for var in find_variables(&unescaped) {
            substituted.extend_from_slice(unescaped.get(i..var.start).unwrap_or(&[]));
            let whole = unescaped.get(var.start..var.end).unwrap_or(&[]);
            match var.kind {
                VarKind::Escaped => substituted.extend_from_slice(whole.get(1..).unwrap_or(&[])),
                VarKind::Bare => substituted.extend_from_slice(whole),
                VarKind::Named { name, .. } => {
                    let value = match self.values.get(&name) {
                        Some(Some(v)) => v.clone(),
                        Some(None) => return None,
                        None => env(&name).unwrap_or_default(),
                    };
                    substituted.extend(value.chars().map(|c| Ch { c, s: 0, e: 0 }));
                }
            }
            i = var.end;
        }
        substituted.extend_from_slice(unescaped.get(i..).unwrap_or(&[]));
        // … then commands, on the substituted text.
        let mut out = String::new();
        let mut i = 0;
        for cmd in find_commands(&substituted) {
            if !cmd.escaped {
                return None;
            }
            out.extend(
                substituted
                    .get(i..cmd.start)
                    .unwrap_or(&[])
                    .iter()
                    .map(|c| c.c),
            );
            out.extend(
                substituted
                    .get(cmd.start + 1..cmd.end)
                    .unwrap_or(&[])
                    .iter()
                    .map(|c| c.c),
            );
            i = cmd.end;
        }
        out.extend(substituted.get(i..).unwrap_or(&[]).iter().map(|c| c.c));
        Some(out)
    }

    fn into_pairs(mut self) -> Vec<(String, Option<String>)> {
        self.order
            .into_iter()
            .map(|k| {
                let v = self.values.remove(&k).flatten();
                (k, v)
            })
            .collect()
    }
}
