//! Dockerfile: text → instructions with exact byte spans, plus syntax problems. Never panics.
//!
//! Written by hand (no crate keeps positions through heredocs) to follow BuildKit's Dockerfile
//! frontend (`frontend/dockerfile/parser` and `parser/instructions`, Dockerfile syntax 1.x):
//!
//! - Lines end at `\n`; trailing `\r` are dropped (CRLF files), a UTF-8 BOM on the first line is
//!   skipped. Every span is a byte range into the original text, on character boundaries.
//! - Parser directives (`# syntax=…`, `# escape=…`, `# check=…`) are recognised only in the block
//!   of lines at the very top: the first line that is not a directive (an instruction, a blank
//!   line, any other comment) ends that block, after which `# escape=` is a plain comment. A
//!   repeated directive and an escape other than `\` or `` ` `` are problems.
//! - An instruction's first line is left-trimmed; a line whose first non-blank character is `#` is
//!   a comment. The escape character as the last non-blank character of a line (spaces and tabs
//!   may follow it) continues the instruction, unless it is itself escaped. In continuation lines,
//!   comment lines and blank lines are skipped, and their leading whitespace is kept (BuildKit
//!   joins the pieces without adding anything).
//! - The keyword is case-insensitive. Leading `--name[=value]` words are the instruction's flags
//!   (`--` alone ends them). `RUN`, `CMD`, `ENTRYPOINT`, `SHELL`, `ADD`, `COPY` and `VOLUME` accept
//!   the JSON array form; text that does not parse as JSON falls back to the shell form, as in
//!   Docker (Go's decoder reads one JSON value, so text after the closing `]` is ignored), while a
//!   JSON array holding something other than strings is an error.
//! - Heredocs (`<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`, with an optional file descriptor) are read
//!   for shell-form `RUN`, `COPY` and `ADD` (also behind `ONBUILD`): each body starts on the line
//!   after the instruction (after the previous body for the next heredoc) and ends at a line equal
//!   to the delimiter (leading tabs ignored for `<<-`).
//! - Problems: unknown instructions, flags BuildKit rejects, missing or extra arguments the way
//!   BuildKit's instruction parser rejects them, instructions other than `ARG` before the first
//!   `FROM`, no `FROM`, unterminated heredocs. (Duplicate stage names are only a BuildKit lint
//!   warning, left to the rules.)
//!
//! Typed views for the rules sit on [`Instruction`] (`words`, `expose_ports`, `arg_decls`,
//! `env_pairs`, `from_image`, `mounts`, …) and [`Dockerfile`] (`substitute`, `scope_at`, stage
//! lookup). Variable substitution never executes anything: unknown variables stay as written.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use super::pmap::PMap;

/// Every instruction BuildKit knows (upper case).
pub const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// JSON nesting accepted inside an exec-form array (Go's decoder stops at 10000 too).
const JSON_DEPTH_LIMIT: usize = 10_000;
/// Nesting of `${a:-${b:-…}}` followed by substitution; deeper text is kept as written.
const SUBSTITUTION_DEPTH_LIMIT: usize = 32;

/// A parsed Dockerfile.
#[derive(Clone, Debug)]
pub struct Dockerfile {
    /// Parser directives from the top of the file, in order.
    pub directives: Vec<Directive>,
    /// Every instruction in order (unknown ones included, with a problem).
    pub instructions: Vec<Instruction>,
    /// One per `FROM`, in order.
    pub stages: Vec<Stage>,
    /// Every `#` comment line outside heredoc bodies, including comment lines inside continued
    /// instructions; parser directives are in [`Dockerfile::directives`] instead.
    pub comments: Vec<Comment>,
    /// Syntax problems, in the order found.
    pub problems: Vec<Problem>,
    /// The escape character: `\` unless `# escape=`` ` ``.
    pub escape: char,
    /// Derived from the stages, once (lookups per name and scopes per stage are constant-time:
    /// a hostile Dockerfile may hold 50 000 stages).
    index: StageIndex,
}

/// What [`Dockerfile`] derives from its stages once, so that no lookup scans them all.
#[derive(Debug, Default)]
struct StageIndex {
    /// Stage name (lower-cased) → the first stage of that name.
    by_name: HashMap<String, usize>,
    /// The `ARG`s before the first `FROM`.
    global: Scope,
    /// Per stage: the `ENV` variables at its end (what a stage built on it inherits).
    env_at_end: Vec<PMap<Option<Arc<str>>>>,
    /// The last scope [`Dockerfile::scope_at`] built (stage, instruction, scope): rules ask for
    /// the instructions of a stage in order, each continuing from the previous one.
    last: Mutex<Option<(usize, usize, Scope)>>,
}

impl Clone for StageIndex {
    fn clone(&self) -> Self {
        StageIndex {
            by_name: self.by_name.clone(),
            global: self.global.clone(),
            env_at_end: self.env_at_end.clone(),
            last: Mutex::new(None),
        }
    }
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower case: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    /// The line from `#` to its end (line break excluded).
    pub span: Range<usize>,
    pub name_span: Range<usize>,
    pub value_span: Range<usize>,
}

/// A comment line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, trimmed (as BuildKit keeps it).
    pub text: String,
    /// From `#` to the end of the line (line break excluded).
    pub span: Range<usize>,
}

/// A syntax problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub span: Range<usize>,
}

/// One instruction, with its continuation lines and heredoc bodies.
#[derive(Clone, Debug)]
pub struct Instruction {
    /// Upper case (`run` → `RUN`).
    pub keyword: String,
    pub keyword_span: Range<usize>,
    /// From the keyword to the end of the last line of the instruction, or of its last heredoc
    /// terminator (line break excluded).
    pub span: Range<usize>,
    /// Leading `--name[=value]` flags, in order.
    pub flags: Vec<Flag>,
    /// What follows the keyword and the flags.
    pub args: Args,
    /// Heredocs, in the order of their markers.
    pub heredocs: Vec<Heredoc>,
    /// For `ONBUILD`: the trigger instruction (itself never an `ONBUILD`).
    pub onbuild: Option<Box<Instruction>>,
    /// The whole instruction as BuildKit sees it: continuation characters, comment lines and
    /// blank lines removed, line pieces joined; maps back to source offsets.
    pub line: Shell,
    /// Where the arguments are in `line`.
    args_range: Range<usize>,
    escape: char,
}

/// A `--name[=value]` flag of an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// Without the leading `--`.
    pub name: String,
    /// After the first `=`, quotes removed; `None` when there is no `=`.
    pub value: Option<String>,
    /// The whole flag word.
    pub span: Range<usize>,
    /// The text after `=` as written.
    pub value_span: Option<Range<usize>>,
    /// Where the text after `=` is in the instruction's [`Instruction::line`].
    value_range: Option<Range<usize>>,
}

/// An instruction's arguments.
#[derive(Clone, Debug, Default)]
pub enum Args {
    /// JSON array form `["a", "b"]`: each element decoded, spanned over its string literal.
    Exec(Vec<Word>),
    /// Shell form (and the arguments of every instruction without a JSON form).
    Shell(Shell),
    /// Nothing after the keyword and flags.
    #[default]
    Empty,
}

/// Text assembled from pieces of the source (an instruction's lines without their continuation
/// characters), with a map from offsets in [`Shell::text`] back to source offsets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shell {
    pub text: String,
    segments: Vec<Segment>,
    /// Source offset of an empty text.
    origin: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    logical: usize,
    source: usize,
    len: usize,
}

/// A word with its decoded value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    /// The word as written (quotes included).
    pub span: Range<usize>,
}

/// A heredoc (`<<EOF` … `EOF`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter with quotes removed.
    pub delimiter: String,
    /// `<<-`: leading tabs are removed from body lines and from the terminator line.
    pub strip_tabs: bool,
    /// Some part of the delimiter was quoted: BuildKit does not expand variables in the body.
    pub quoted: bool,
    /// The file descriptor written before `<<` (`3<<EOF`).
    pub fd: Option<u32>,
    /// The body lines exactly as written (line breaks included, tabs not removed); equal to the
    /// source slice at `body_span`. [`Heredoc::content`] gives what BuildKit passes on.
    pub body: String,
    pub body_span: Range<usize>,
    /// The `<<EOF` word in the instruction line.
    pub marker_span: Range<usize>,
    /// The terminator line; `None` when the heredoc is not terminated.
    pub terminator_span: Option<Range<usize>>,
    /// From the marker to the end of the terminator line (or of the file when unterminated).
    pub span: Range<usize>,
}

/// A build stage: a `FROM` and the instructions up to the next `FROM`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// Position among the stages (what `COPY --from=0` refers to).
    pub index: usize,
    /// The `AS` name, lower-cased as BuildKit does.
    pub name: Option<String>,
    pub name_span: Option<Range<usize>>,
    /// The base image (or earlier stage) as written, variables not substituted.
    pub image: String,
    pub image_span: Range<usize>,
    /// The `--platform` value as written.
    pub platform: Option<String>,
    /// Index of the `FROM` instruction in [`Dockerfile::instructions`].
    pub from: usize,
    /// Indexes into [`Dockerfile::instructions`]: the `FROM` and every instruction up to the next
    /// `FROM`.
    pub instructions: Range<usize>,
    /// The earlier stage this one is built on (`FROM builder`), compared case-insensitively after
    /// substituting global `ARG`s.
    pub parent: Option<usize>,
}

/// One port of an `EXPOSE` instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExposePort {
    /// The word as written, quotes removed, variables not substituted.
    pub text: String,
    /// The port, or the first port of a range; `None` when not a number (`$PORT`).
    pub port: Option<u16>,
    /// The last port of a range (`8080-8090`).
    pub end_port: Option<u16>,
    /// `tcp`, `udp`, … as written after `/`; `None` means Docker's default, tcp.
    pub protocol: Option<String>,
    pub span: Range<usize>,
}

/// One name of an `ARG` instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: String,
    pub name_span: Range<usize>,
    /// The default after `=`, quotes removed, variables not substituted.
    pub default: Option<String>,
    pub default_span: Option<Range<usize>>,
    /// The whole `NAME[=default]` word.
    pub span: Range<usize>,
}

/// A key/value pair of `ENV` or `LABEL` (both the `K=v` form and the legacy `K v` form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub key_span: Range<usize>,
    /// Quotes removed, variables not substituted.
    pub value: String,
    pub value_span: Range<usize>,
    pub span: Range<usize>,
}

/// An image reference split the way Docker reads it (`registry:5000/name:tag@sha256:…`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// The whole reference as written.
    pub text: String,
    /// The repository part (registry and path), without tag and digest.
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    pub span: Range<usize>,
}

/// The `FROM` instruction seen as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FromInstruction {
    pub image: ImageRef,
    /// The `--platform` value as written.
    pub platform: Option<String>,
    pub platform_span: Option<Range<usize>>,
    /// The `AS` name as written (stage names compare case-insensitively).
    pub stage_name: Option<Word>,
}

/// A `RUN --mount=…` flag with its comma-separated options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// The whole flag.
    pub span: Range<usize>,
    pub options: Vec<MountOption>,
}

/// One `key[=value]` option of a mount; keys are lower-cased as BuildKit does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountOption {
    pub key: String,
    pub value: Option<String>,
    /// The option as written when the flag value has no quotes; else the whole flag value.
    pub span: Range<usize>,
}

/// A `HEALTHCHECK` instruction: `NONE`, or `CMD` with a command.
#[derive(Clone, Debug)]
pub struct Healthcheck {
    /// `NONE` (disables the base image's check).
    pub none: bool,
    /// The command after `CMD`: exec or shell form.
    pub command: Args,
}

/// The value of a variable in a [`Scope`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Declared with a value known from the Dockerfile alone.
    Value(&'a str),
    /// Declared, but the value comes from outside (an `ARG` without default, a value built from
    /// another unknown variable).
    Unknown,
    /// Never declared.
    Undeclared,
}

/// Variables in effect at some point of a Dockerfile (`ARG` and `ENV`), for `$VAR`, `${VAR}`,
/// `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}` and `${VAR:?msg}`.
///
/// Copies share their variables (a persistent map): a copy costs nothing, whatever the number
/// of variables.
#[derive(Clone, Debug)]
pub struct Scope {
    /// `ENV` variables (what a stage built on this one inherits).
    env: PMap<Option<Arc<str>>>,
    /// `ARG`s of names no `ENV` has set (ENV wins over ARG of the same name).
    args: PMap<Option<Arc<str>>>,
    escape: char,
}

impl Default for Dockerfile {
    /// An empty Dockerfile (no instructions) with the default escape character.
    fn default() -> Dockerfile {
        Dockerfile {
            directives: Vec::new(),
            instructions: Vec::new(),
            stages: Vec::new(),
            comments: Vec::new(),
            problems: Vec::new(),
            escape: '\\',
            index: StageIndex::default(),
        }
    }
}

impl Default for Scope {
    /// An empty scope with the default escape character `\`.
    fn default() -> Scope {
        Scope::new('\\')
    }
}

impl Shell {
    /// The text, as BuildKit sees it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn empty_at(origin: usize) -> Shell {
        Shell {
            text: String::new(),
            segments: Vec::new(),
            origin,
        }
    }

    fn push(&mut self, source: &str, range: Range<usize>) {
        let piece = sub(source, range.clone());
        if piece.is_empty() {
            if self.segments.is_empty() && self.text.is_empty() {
                self.origin = range.start;
            }
            return;
        }
        self.segments.push(Segment {
            logical: self.text.len(),
            source: range.start,
            len: piece.len(),
        });
        self.text.push_str(piece);
    }

    /// Source offset of an offset in the text (an offset between two pieces maps to the start
    /// of the later piece).
    pub fn to_source(&self, offset: usize) -> usize {
        let idx = self.segments.partition_point(|s| s.logical <= offset);
        match idx.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(seg) => seg.source + (offset - seg.logical).min(seg.len),
            None => self.segments.first().map_or(self.origin, |s| s.source),
        }
    }

    /// Source offset of an offset used as the end of a range (an offset between two pieces maps
    /// to the end of the earlier piece).
    pub fn to_source_end(&self, offset: usize) -> usize {
        let idx = self.segments.partition_point(|s| s.logical < offset);
        match idx.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(seg) => seg.source + (offset - seg.logical).min(seg.len),
            None => self.to_source(offset),
        }
    }

    /// Source range of a range of the text.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.to_source(range.start);
        if range.end <= range.start {
            return start..start;
        }
        start..self.to_source_end(range.end).max(start)
    }

    /// The part of the text in `range`, with its own map.
    pub fn slice(&self, range: Range<usize>) -> Shell {
        let text = sub(&self.text, range.clone()).to_string();
        let mut segments = Vec::new();
        for seg in &self.segments {
            let from = seg.logical.max(range.start);
            let to = (seg.logical + seg.len).min(range.end);
            if from < to {
                segments.push(Segment {
                    logical: from - range.start,
                    source: seg.source + (from - seg.logical),
                    len: to - from,
                });
            }
        }
        Shell {
            text,
            segments,
            origin: self.to_source(range.start),
        }
    }
}

impl Heredoc {
    /// The body as BuildKit passes it on: leading tabs removed from every line for `<<-`.
    pub fn content(&self) -> String {
        if !self.strip_tabs {
            return self.body.clone();
        }
        self.body
            .split_inclusive('\n')
            .map(|line| line.trim_start_matches('\t'))
            .collect()
    }
}

impl Mount {
    /// The value of an option (`type`, `id`, `target`, …); the last one wins.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|o| o.key == key)
            .and_then(|o| o.value.as_deref())
    }

    /// The mount type (`bind` when not given, as in BuildKit).
    pub fn kind(&self) -> &str {
        self.get("type").unwrap_or("bind")
    }
}

impl Scope {
    /// An empty scope for a Dockerfile with the given escape character.
    pub fn new(escape: char) -> Scope {
        Scope {
            env: PMap::default(),
            args: PMap::default(),
            escape,
        }
    }

    /// What the scope knows about a variable.
    pub fn get(&self, name: &str) -> Lookup<'_> {
        match self.env.get(name).or_else(|| self.args.get(name)) {
            Some(Some(value)) => Lookup::Value(value),
            Some(None) => Lookup::Unknown,
            None => Lookup::Undeclared,
        }
    }

    /// Declares an `ENV` variable (`None`: value unknown). ENV wins over ARG of the same name.
    pub fn set_env(&mut self, name: &str, value: Option<String>) {
        self.env.insert(name, value.map(Arc::from));
    }

    /// Declares an `ARG` (`None`: value unknown). Has no effect on a name set by `ENV`, as in
    /// Docker.
    pub fn set_arg(&mut self, name: &str, value: Option<String>) {
        if !self.env.contains_key(name) {
            self.args.insert(name, value.map(Arc::from));
        }
    }

    /// Names declared in this scope.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.env.iter().map(|(k, _)| k).chain(
            self.args
                .iter()
                .map(|(k, _)| k)
                .filter(|k| !self.env.contains_key(k)),
        )
    }

    /// Substitutes variables in `text`, keeping quotes and everything else as written. Unknown
    /// and undeclared variables stay as they are; a default (`${X:-d}`) applies only to an
    /// undeclared or known-empty variable. Nothing inside single quotes is substituted.
    pub fn substitute(&self, text: &str) -> String {
        process(text, self.escape, Some(self), true, 0).0
    }

    /// Expands one word the way Docker does for `ENV`/`ARG` values (quotes removed, escapes
    /// applied, variables substituted). The flag is false when an unknown or undeclared variable
    /// was left in place.
    pub fn expand(&self, word: &str) -> (String, bool) {
        process(word, self.escape, Some(self), false, 0)
    }
}

/// Parses a Dockerfile. Never panics; problems are collected in [`Dockerfile::problems`].
pub fn parse(text: &str) -> Dockerfile {
    let mut parser = Parser {
        text,
        escape: '\\',
        directives: Vec::new(),
        comments: Vec::new(),
        problems: Vec::new(),
        instructions: Vec::new(),
        directives_done: false,
    };
    parser.run();
    let mut file = Dockerfile {
        directives: parser.directives,
        instructions: parser.instructions,
        stages: Vec::new(),
        comments: parser.comments,
        problems: parser.problems,
        escape: parser.escape,
        index: StageIndex::default(),
    };
    file.build_stages();
    file
}

/// Byte range of one line: `start..content_end` is the text without line break (trailing `\r`
/// dropped as BuildKit does), `next` the start of the next line.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    content_end: usize,
    next: usize,
}

struct Parser<'a> {
    text: &'a str,
    escape: char,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    problems: Vec<Problem>,
    instructions: Vec<Instruction>,
    directives_done: bool,
}

/// A heredoc marker found in an instruction line, before its body is read.
struct Marker {
    delimiter: String,
    strip_tabs: bool,
    quoted: bool,
    fd: Option<u32>,
    span: Range<usize>,
}

impl Parser<'_> {
    fn line_at(&self, start: usize) -> Line {
        let bytes = self.text.as_bytes();
        let rest = bytes.get(start..).unwrap_or(&[]);
        let (end, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (start + i, start + i + 1),
            None => (self.text.len(), self.text.len()),
        };
        let mut content_end = end;
        while content_end > start && bytes.get(content_end - 1) == Some(&b'\r') {
            content_end -= 1;
        }
        Line {
            start,
            content_end,
            next,
        }
    }

    fn problem(&mut self, message: impl Into<String>, span: Range<usize>) {
        self.problems.push(Problem {
            message: message.into(),
            span,
        });
    }

    fn run(&mut self) {
        let text = self.text;
        let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
        while pos < text.len() {
            let line = self.line_at(pos);
            pos = line.next;
            let first = skip_space(text, line.start, line.content_end);
            let content = sub(text, first..line.content_end);
            if !self.directives_done {
                if self.directive(first, line.content_end) {
                    continue;
                }
                self.directives_done = true;
            }
            if content.starts_with('#') {
                self.comment(first, line.content_end);
                continue;
            }
            let mut logical = Shell::empty_at(first);
            let (piece_end, mut continued) = self.continuation(first, line.content_end);
            logical.push(text, first..piece_end);
            if !continued && logical.text.is_empty() {
                continue; // blank line
            }
            let mut last_end = line.content_end;
            while continued && pos < text.len() {
                let line = self.line_at(pos);
                pos = line.next;
                let nonblank = skip_space(text, line.start, line.content_end);
                if sub(text, nonblank..line.content_end).starts_with('#') {
                    self.comment(nonblank, line.content_end);
                    continue;
                }
                if nonblank == line.content_end {
                    continue; // empty continuation line (BuildKit only warns)
                }
                let (piece_end, more) = self.continuation(line.start, line.content_end);
                logical.push(text, line.start..piece_end);
                continued = more;
                last_end = line.content_end;
            }
            if logical.text.trim().is_empty() {
                self.problem(
                    "line continuation without an instruction",
                    first..last_end.max(first),
                );
                continue;
            }
            let mut instruction = self.instruction(&logical, 0, first..last_end, true);
            self.heredocs(&mut instruction, &mut pos);
            self.instructions.push(instruction);
        }
    }

    /// Handles a possible parser directive on the line `first..end` (already left-trimmed).
    /// Returns false when the line is not a directive.
    fn directive(&mut self, first: usize, end: usize) -> bool {
        let Some(found) = match_directive(self.text, first, end) else {
            return false;
        };
        let name = found.name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            return false;
        }
        if self.directives.iter().any(|d| d.name == name) {
            self.problem(
                format!("only one {name} parser directive can be used"),
                first..end,
            );
        } else if name == "escape" {
            match found.value.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                other => self.problem(
                    format!("invalid escape token '{other}' does not match ` or \\"),
                    found.value_span.clone(),
                ),
            }
        }
        self.directives.push(Directive {
            name,
            value: found.value,
            span: first..end,
            name_span: found.name_span,
            value_span: found.value_span,
        });
        true
    }

    fn comment(&mut self, hash: usize, end: usize) {
        let text = sub(self.text, hash + 1..end).trim().to_string();
        self.comments.push(Comment {
            text,
            span: hash..end.max(hash),
        });
    }

    /// Whether the line `start..end` ends with a continuation: returns the end of the piece to
    /// keep and true when the escape character (followed only by spaces and tabs) ends the line
    /// and is not itself escaped.
    fn continuation(&self, start: usize, end: usize) -> (usize, bool) {
        let bytes = self.text.as_bytes();
        let mut t = end;
        while t > start && matches!(bytes.get(t - 1), Some(b' ' | b'\t')) {
            t -= 1;
        }
        let escape = self.escape as u8; // always ASCII: '\\' or '`'
        if t > start && bytes.get(t - 1) == Some(&escape) {
            let esc = t - 1;
            if esc == start || bytes.get(esc - 1) != Some(&escape) {
                return (esc, true);
            }
        }
        (end, false)
    }

    /// Parses the instruction starting at `start` in `line` (`start > 0` for an `ONBUILD`
    /// trigger). `span` is the source span of the whole instruction.
    fn instruction(
        &mut self,
        line: &Shell,
        start: usize,
        span: Range<usize>,
        allow_onbuild: bool,
    ) -> Instruction {
        let t = line.as_str();
        let begin = skip_space(t, start, t.len());
        let end = trim_end_space(t, begin, t.len());
        let kw_end = t
            .get(begin..end)
            .and_then(|s| s.find(is_token_space))
            .map_or(end, |i| begin + i);
        let keyword = sub(t, begin..kw_end).to_uppercase();
        let keyword_span = line.source_range(begin..kw_end);
        let span = keyword_span.start..span.end.max(keyword_span.end);

        let (flags, args_start) = extract_flags(line, kw_end, end);
        let args_start = skip_space(t, args_start, end);
        let args_range = args_start..end.max(args_start);
        let args_shell = line.slice(args_range.clone());
        let mut json_error = false;
        let args = if args_shell.text.is_empty() {
            Args::Empty
        } else if takes_json(&keyword) && args_shell.text.starts_with('[') {
            match parse_json_array(&args_shell.text) {
                Json::Strings(items) => Args::Exec(
                    items
                        .into_iter()
                        .map(|(value, r)| Word {
                            value,
                            span: args_shell.source_range(r),
                        })
                        .collect(),
                ),
                Json::NonString => {
                    json_error = true;
                    Args::Shell(args_shell)
                }
                Json::Invalid => Args::Shell(args_shell),
            }
        } else {
            Args::Shell(args_shell)
        };

        let mut onbuild = None;
        if keyword == "ONBUILD" && allow_onbuild && !matches!(args, Args::Empty) {
            let inner = self.instruction(line, args_range.start, span.clone(), false);
            onbuild = Some(Box::new(inner));
        }

        let instruction = Instruction {
            keyword,
            keyword_span,
            span,
            flags,
            args,
            heredocs: Vec::new(),
            onbuild,
            line: line.clone(),
            args_range: args_range.clone(),
            escape: self.escape,
        };
        if json_error {
            let r = instruction.args_span();
            self.problem(
                "when using JSON array syntax, arrays must be comprised of strings only",
                r,
            );
        }
        if allow_onbuild || instruction.keyword != "ONBUILD" {
            self.check(&instruction);
        }
        instruction
    }

    /// Reads the heredoc bodies of `instruction`, starting at `pos`.
    fn heredocs(&mut self, instruction: &mut Instruction, pos: &mut usize) {
        let target = instruction.onbuild.as_deref().unwrap_or(instruction);
        if !matches!(target.keyword.as_str(), "RUN" | "COPY" | "ADD")
            || matches!(target.args, Args::Exec(_))
            || !instruction.line.text.contains("<<")
        {
            return;
        }
        let markers = heredoc_markers(&instruction.line);
        let text = self.text;
        for marker in markers {
            let body_start = (*pos).min(text.len());
            let mut body_end = text.len();
            let mut terminator = None;
            while *pos < text.len() {
                let line = self.line_at(*pos);
                let mut candidate = sub(text, line.start..line.content_end);
                if marker.strip_tabs {
                    candidate = candidate.trim_start_matches('\t');
                }
                if candidate == marker.delimiter {
                    body_end = line.start;
                    terminator = Some(line.start..line.content_end);
                    *pos = line.next;
                    break;
                }
                *pos = line.next;
            }
            if terminator.is_none() {
                self.problem("unterminated heredoc", marker.span.clone());
            }
            let end = terminator.as_ref().map_or(text.len(), |r| r.end);
            let heredoc = Heredoc {
                delimiter: marker.delimiter,
                strip_tabs: marker.strip_tabs,
                quoted: marker.quoted,
                fd: marker.fd,
                body: sub(text, body_start..body_end).to_string(),
                body_span: body_start..body_end.max(body_start),
                marker_span: marker.span.clone(),
                terminator_span: terminator,
                span: marker.span.start..end.max(marker.span.start),
            };
            instruction.span.end = instruction.span.end.max(end);
            instruction.heredocs.push(heredoc);
        }
        if let Some(inner) = instruction.onbuild.as_deref_mut() {
            inner.heredocs = instruction.heredocs.clone();
            inner.span.end = instruction.span.end;
        }
        let problems = copy_heredoc_destination(instruction);
        for (message, span) in problems {
            self.problem(message, span);
        }
    }

    /// BuildKit's per-instruction checks (arguments and flags).
    fn check(&mut self, ins: &Instruction) {
        let kw = ins.keyword.as_str();
        let at = ins.keyword_span.clone();
        let args_span = ins.args_span();
        let whole = at.start..args_span.end.max(at.end);
        if !INSTRUCTIONS.contains(&kw) {
            let mut message = format!("unknown instruction: {kw}");
            if let Some(s) = suggest(kw) {
                message.push_str(&format!(" (did you mean {s}?)"));
            }
            self.problem(message, at);
            return;
        }
        self.check_flags(ins);
        let empty = matches!(ins.args, Args::Empty);
        match kw {
            "ENV" | "LABEL" => {
                if empty {
                    self.problem(format!("{kw} requires at least one argument"), whole);
                } else {
                    let (_, problems) = ins.key_values();
                    for (m, s) in problems {
                        self.problem(m, s);
                    }
                }
            }
            "ARG" => {
                if empty {
                    self.problem("ARG requires at least one argument", whole);
                }
                for decl in ins.arg_decls() {
                    if decl.name.is_empty() {
                        self.problem("ARG names can not be blank", decl.span);
                    }
                }
            }
            "FROM" => {
                let words = split_token_space(&ins.args_text());
                let count = words.len();
                let as_ok = words
                    .get(1)
                    .is_some_and(|(w, _)| w.eq_ignore_ascii_case("as"));
                if count == 3 && as_ok {
                    if let Some((name, r)) = words.get(2) {
                        if !valid_stage_name(&name.to_lowercase()) {
                            let span = ins.args_source_range(r.clone());
                            self.problem(
                                format!("invalid name for build stage: \"{name}\", name can't start with a number or contain symbols"),
                                span,
                            );
                        }
                    }
                } else if count != 1 {
                    self.problem("FROM requires either one or three arguments", whole);
                }
            }
            "COPY" | "ADD" if ins.words().len() < 2 => {
                self.problem(
                    format!("{kw} requires at least two arguments, but only one was provided. Destination could not be determined"),
                    whole,
                );
            }
            "WORKDIR" | "USER" | "MAINTAINER" | "STOPSIGNAL" if empty => {
                self.problem(format!("{kw} requires exactly one argument"), whole);
            }
            "EXPOSE" | "VOLUME" | "ONBUILD" => {
                if empty {
                    self.problem(format!("{kw} requires at least one argument"), whole);
                }
                if let (Some(inner), "ONBUILD") = (ins.onbuild.as_deref(), kw) {
                    match inner.keyword.as_str() {
                        "ONBUILD" => self.problem(
                            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                            inner.keyword_span.clone(),
                        ),
                        "FROM" | "MAINTAINER" => self.problem(
                            format!("{} isn't allowed as an ONBUILD trigger", inner.keyword),
                            inner.keyword_span.clone(),
                        ),
                        _ => {}
                    }
                }
            }
            "SHELL" => {
                if !empty && !matches!(ins.args, Args::Exec(_)) {
                    self.problem("SHELL requires the arguments to be in JSON form", whole);
                } else if matches!(&ins.args, Args::Exec(w) if w.is_empty()) || empty {
                    self.problem("SHELL requires at least one argument", whole);
                }
            }
            "HEALTHCHECK" => {
                if empty {
                    self.problem("HEALTHCHECK requires at least one argument", whole);
                } else if let Some(h) = ins.healthcheck() {
                    if h.none && !matches!(h.command, Args::Empty) {
                        self.problem("HEALTHCHECK NONE takes no arguments", whole);
                    } else if !h.none && matches!(h.command, Args::Empty) {
                        self.problem("Missing command after HEALTHCHECK CMD", whole);
                    }
                } else {
                    let kind = ins
                        .words()
                        .first()
                        .map(|w| w.value.to_uppercase())
                        .unwrap_or_default();
                    self.problem(
                        format!("Unknown type \"{kind}\" in HEALTHCHECK (try CMD)"),
                        args_span,
                    );
                }
            }
            _ => {}
        }
    }

    fn check_flags(&mut self, ins: &Instruction) {
        let allowed: &[(&str, FlagKind)] = match ins.keyword.as_str() {
            "FROM" => &[("platform", FlagKind::String)],
            "RUN" => &[
                ("mount", FlagKind::Strings),
                ("network", FlagKind::String),
                ("security", FlagKind::String),
                ("device", FlagKind::Strings),
            ],
            "COPY" => &[
                ("chown", FlagKind::String),
                ("from", FlagKind::String),
                ("chmod", FlagKind::String),
                ("link", FlagKind::Bool),
                ("parents", FlagKind::Bool),
                ("exclude", FlagKind::Strings),
            ],
            "ADD" => &[
                ("chown", FlagKind::String),
                ("chmod", FlagKind::String),
                ("link", FlagKind::Bool),
                ("keep-git-dir", FlagKind::Bool),
                ("checksum", FlagKind::String),
                ("unpack", FlagKind::Bool),
                ("exclude", FlagKind::Strings),
            ],
            "HEALTHCHECK" => &[
                ("interval", FlagKind::String),
                ("timeout", FlagKind::String),
                ("start-period", FlagKind::String),
                ("start-interval", FlagKind::String),
                ("retries", FlagKind::String),
            ],
            "ARG" => &[("required", FlagKind::Bool)],
            // BuildKit never parses the flags of these.
            "STOPSIGNAL" | "ONBUILD" => return,
            _ => &[],
        };
        if ins.keyword == "HEALTHCHECK"
            && ins
                .words()
                .first()
                .is_some_and(|w| w.value.eq_ignore_ascii_case("none"))
        {
            return; // BuildKit does not parse flags for HEALTHCHECK NONE
        }
        let mut seen: Vec<&str> = Vec::new();
        for flag in &ins.flags {
            let Some((_, kind)) = allowed.iter().find(|(n, _)| *n == flag.name) else {
                let mut message = format!("unknown flag: --{}", flag.name);
                let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
                if let Some(s) = closest(&flag.name, &names) {
                    message.push_str(&format!(" (did you mean {s}?)"));
                }
                self.problem(message, flag.span.clone());
                continue;
            };
            if *kind != FlagKind::Strings && seen.contains(&flag.name.as_str()) {
                self.problem(
                    format!("duplicate flag specified: --{}", flag.name),
                    flag.span.clone(),
                );
            }
            seen.push(&flag.name);
            match (kind, flag.value.as_deref()) {
                (FlagKind::Bool, Some("")) | (FlagKind::String | FlagKind::Strings, None) => self
                    .problem(
                        format!("missing a value on flag: --{}", flag.name),
                        flag.span.clone(),
                    ),
                (FlagKind::Bool, Some(v))
                    if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") =>
                {
                    self.problem(
                        format!("expecting boolean value for flag --{}, not: {v}", flag.name),
                        flag.value_span.clone().unwrap_or(flag.span.clone()),
                    )
                }
                _ => {}
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FlagKind {
    String,
    Bool,
    /// May repeat.
    Strings,
}

/// `COPY <<EOF <<EOF2` with a heredoc as the destination is an error.
fn copy_heredoc_destination(ins: &Instruction) -> Vec<(String, Range<usize>)> {
    let target = ins.onbuild.as_deref().unwrap_or(ins);
    if !matches!(target.keyword.as_str(), "COPY" | "ADD") || target.heredocs.is_empty() {
        return Vec::new();
    }
    let words = target.words();
    match words.last() {
        Some(last) if words.len() >= 2 && parse_heredoc_word(&last.value).is_some() => vec![(
            format!(
                "{} cannot accept a heredoc as a destination",
                target.keyword
            ),
            last.span.clone(),
        )],
        _ => Vec::new(),
    }
}

impl Instruction {
    /// Whether this is the given instruction (upper case).
    pub fn is(&self, keyword: &str) -> bool {
        self.keyword == keyword
    }

    /// The first flag of that name.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// The arguments as text: the shell-form text, exec-form values joined by spaces, or "".
    pub fn args_text(&self) -> String {
        match &self.args {
            Args::Shell(s) => s.text.clone(),
            Args::Exec(words) => words
                .iter()
                .map(|w| w.value.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            Args::Empty => String::new(),
        }
    }

    /// Source span of the arguments, JSON brackets included (empty, after the flags, when there
    /// are none).
    pub fn args_span(&self) -> Range<usize> {
        if matches!(self.args, Args::Empty) {
            let end = self
                .flags
                .last()
                .map_or(self.keyword_span.end, |f| f.span.end);
            return end..end;
        }
        self.line.source_range(self.args_range.clone())
    }

    fn args_source_range(&self, r: Range<usize>) -> Range<usize> {
        match &self.args {
            Args::Shell(s) => s.source_range(r),
            _ => self.args_span(),
        }
    }

    /// Whether the arguments are in JSON (exec) form: `CMD ["rails", "server"]` is, `CMD rails
    /// server` is not.
    pub fn is_exec_form(&self) -> bool {
        matches!(self.args, Args::Exec(_))
    }

    /// The arguments split into words as Docker splits them (whitespace outside quotes; quotes
    /// removed; the escape character escapes the next character; variables left as written).
    /// Exec-form arguments are returned as they are.
    pub fn words(&self) -> Vec<Word> {
        match &self.args {
            Args::Exec(words) => words.clone(),
            Args::Shell(s) => lex_words(&s.text, self.escape)
                .into_iter()
                .map(|w| Word {
                    value: w.value,
                    span: s.source_range(w.range),
                })
                .collect(),
            Args::Empty => Vec::new(),
        }
    }

    /// The whole arguments as one word (quotes removed, whitespace kept): the value of `USER`,
    /// `WORKDIR`, `MAINTAINER`, `STOPSIGNAL`.
    pub fn value(&self) -> Option<Word> {
        match &self.args {
            Args::Shell(s) => Some(Word {
                value: process(&s.text, self.escape, None, false, 0).0,
                span: s.source_range(0..s.text.len()),
            }),
            Args::Exec(_) => self.words().into_iter().next(),
            Args::Empty => None,
        }
    }

    /// The user of a `USER` instruction.
    pub fn user(&self) -> Option<Word> {
        if self.keyword == "USER" {
            self.value()
        } else {
            None
        }
    }

    /// The path of a `WORKDIR` instruction.
    pub fn workdir(&self) -> Option<Word> {
        if self.keyword == "WORKDIR" {
            self.value()
        } else {
            None
        }
    }

    /// The ports of an `EXPOSE` instruction (`80`, `3000/tcp`, `8080-8090/udp`, `$PORT`).
    pub fn expose_ports(&self) -> Vec<ExposePort> {
        if self.keyword != "EXPOSE" {
            return Vec::new();
        }
        self.words()
            .into_iter()
            .map(|w| {
                let (ports, protocol) = match w.value.split_once('/') {
                    Some((p, proto)) => (p, Some(proto.to_string())),
                    None => (w.value.as_str(), None),
                };
                let (first, last) = match ports.split_once('-') {
                    Some((a, b)) => (a, Some(b)),
                    None => (ports, None),
                };
                ExposePort {
                    port: first.parse().ok(),
                    end_port: last.and_then(|b| b.parse().ok()),
                    protocol,
                    text: w.value.clone(),
                    span: w.span,
                }
            })
            .collect()
    }

    /// The names of an `ARG` instruction (`ARG A B=1 C="x y"`).
    pub fn arg_decls(&self) -> Vec<ArgDecl> {
        let Args::Shell(s) = &self.args else {
            return Vec::new();
        };
        if self.keyword != "ARG" {
            return Vec::new();
        }
        lex_words(&s.text, self.escape)
            .into_iter()
            .map(|w| {
                let raw = sub(&s.text, w.range.clone());
                match raw.find('=') {
                    Some(eq) => {
                        let name_r = w.range.start..w.range.start + eq;
                        let value_r = w.range.start + eq + 1..w.range.end;
                        ArgDecl {
                            name: process(
                                sub(&s.text, name_r.clone()),
                                self.escape,
                                None,
                                false,
                                0,
                            )
                            .0,
                            name_span: s.source_range(name_r),
                            default: Some(
                                process(sub(&s.text, value_r.clone()), self.escape, None, false, 0)
                                    .0,
                            ),
                            default_span: Some(s.source_range(value_r)),
                            span: s.source_range(w.range),
                        }
                    }
                    None => ArgDecl {
                        name: w.value,
                        name_span: s.source_range(w.range.clone()),
                        default: None,
                        default_span: None,
                        span: s.source_range(w.range),
                    },
                }
            })
            .collect()
    }

    /// The pairs of an `ENV` instruction, in both forms (`ENV A=b C="d e"` and `ENV A b c`).
    pub fn env_pairs(&self) -> Vec<KeyValue> {
        if self.keyword == "ENV" {
            self.key_values().0
        } else {
            Vec::new()
        }
    }

    /// The pairs of a `LABEL` instruction.
    pub fn label_pairs(&self) -> Vec<KeyValue> {
        if self.keyword == "LABEL" {
            self.key_values().0
        } else {
            Vec::new()
        }
    }

    /// ENV/LABEL pairs, plus the problems BuildKit reports for them.
    fn key_values(&self) -> (Vec<KeyValue>, Vec<(String, Range<usize>)>) {
        let Args::Shell(s) = &self.args else {
            return (Vec::new(), Vec::new());
        };
        let kw = self.keyword.as_str();
        let words = lex_words(&s.text, self.escape);
        let mut pairs = Vec::new();
        let mut problems = Vec::new();
        let Some(first) = words.first() else {
            return (pairs, problems);
        };
        if !sub(&s.text, first.range.clone()).contains('=') {
            // Legacy form: the first whitespace-separated token is the key, the rest the value.
            let t = s.text.as_str();
            let key_end = t.find(is_token_space).unwrap_or(t.len());
            let value_start = skip_token_space(t, key_end);
            if value_start >= t.len() {
                problems.push((
                    format!("{kw} must have two arguments"),
                    s.source_range(0..t.len()),
                ));
                return (pairs, problems);
            }
            let value_r = value_start..t.len();
            pairs.push(KeyValue {
                key: sub(t, 0..key_end).to_string(),
                key_span: s.source_range(0..key_end),
                value: process(sub(t, value_r.clone()), self.escape, None, false, 0).0,
                value_span: s.source_range(value_r),
                span: s.source_range(0..t.len()),
            });
            return (pairs, problems);
        }
        for w in words {
            let raw = sub(&s.text, w.range.clone());
            let Some(eq) = raw.find('=') else {
                problems.push((
                    format!(
                        "Syntax error - can't find = in \"{raw}\". Must be of the form: name=value"
                    ),
                    s.source_range(w.range.clone()),
                ));
                continue;
            };
            let key_r = w.range.start..w.range.start + eq;
            let value_r = w.range.start + eq + 1..w.range.end;
            if eq == 0 {
                problems.push((
                    format!("{kw} names can not be blank"),
                    s.source_range(w.range.clone()),
                ));
            }
            pairs.push(KeyValue {
                key: process(sub(&s.text, key_r.clone()), self.escape, None, false, 0).0,
                key_span: s.source_range(key_r),
                value: process(sub(&s.text, value_r.clone()), self.escape, None, false, 0).0,
                value_span: s.source_range(value_r),
                span: s.source_range(w.range),
            });
        }
        (pairs, problems)
    }

    /// The image, platform and stage name of a `FROM` instruction.
    pub fn from_image(&self) -> Option<FromInstruction> {
        if self.keyword != "FROM" {
            return None;
        }
        let Args::Shell(s) = &self.args else {
            return None;
        };
        let words = split_token_space(&s.text);
        let (image, image_r) = words.first()?;
        let stage_name = match (words.get(1), words.get(2)) {
            (Some((a, _)), Some((name, r))) if a.eq_ignore_ascii_case("as") => Some(Word {
                value: name.clone(),
                span: s.source_range(r.clone()),
            }),
            _ => None,
        };
        let platform = self.flag("platform");
        Some(FromInstruction {
            image: image_ref(image, s.source_range(image_r.clone())),
            platform: platform.and_then(|f| f.value.clone()),
            platform_span: platform.and_then(|f| f.value_span.clone()),
            stage_name,
        })
    }

    /// The `--mount` flags of a `RUN` instruction with their options
    /// (`type=secret,id=foo,target=/run/secrets/foo`).
    pub fn mounts(&self) -> Vec<Mount> {
        self.flags
            .iter()
            .filter(|f| f.name == "mount")
            .map(|f| {
                let value = f.value.clone().unwrap_or_default();
                let value_span = f.value_span.clone().unwrap_or(f.span.clone());
                // Spans of single options are exact when the value is written without quotes
                // or escapes (the decoded value is then the text as written).
                let exact = f
                    .value_range
                    .clone()
                    .filter(|r| sub(&self.line.text, r.clone()) == value);
                let options = split_csv(&value)
                    .into_iter()
                    .filter(|(field, _)| !field.is_empty())
                    .map(|(field, r)| {
                        let (key, value) = match field.split_once('=') {
                            Some((k, v)) => (k.to_lowercase(), Some(v.to_string())),
                            None => (field.to_lowercase(), None),
                        };
                        let span = match &exact {
                            Some(v) => self.line.source_range(v.start + r.start..v.start + r.end),
                            None => value_span.clone(),
                        };
                        MountOption { key, value, span }
                    })
                    .collect();
                Mount {
                    span: f.span.clone(),
                    options,
                }
            })
            .collect()
    }

    /// A `HEALTHCHECK` instruction's kind and command; `None` for another instruction or an
    /// unknown kind.
    pub fn healthcheck(&self) -> Option<Healthcheck> {
        if self.keyword != "HEALTHCHECK" {
            return None;
        }
        let Args::Shell(s) = &self.args else {
            return None;
        };
        let t = s.text.as_str();
        let kind_end = t.find(char::is_whitespace).unwrap_or(t.len());
        let kind = sub(t, 0..kind_end).to_uppercase();
        let rest_start = skip_space(t, kind_end, t.len());
        let rest = s.slice(rest_start..t.len());
        let command = if rest.text.is_empty() {
            Args::Empty
        } else if rest.text.starts_with('[') {
            match parse_json_array(&rest.text) {
                Json::Strings(items) => Args::Exec(
                    items
                        .into_iter()
                        .map(|(value, r)| Word {
                            value,
                            span: rest.source_range(r),
                        })
                        .collect(),
                ),
                _ => Args::Shell(rest),
            }
        } else {
            Args::Shell(rest)
        };
        match kind.as_str() {
            "NONE" => Some(Healthcheck {
                none: true,
                command,
            }),
            "CMD" => Some(Healthcheck {
                none: false,
                command,
            }),
            _ => None,
        }
    }
}

impl Dockerfile {
    /// The last stage (what `docker build` builds without `--target`).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// A stage by its `AS` name (case-insensitive), as `builder.target` names it; the first one
    /// when the name is used twice.
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        let lower = name.to_lowercase();
        self.index
            .by_name
            .get(&lower)
            .and_then(|&i| self.stages.get(i))
    }

    /// A stage the way `COPY --from=` refers to it: by name, else by index.
    pub fn stage_by_ref(&self, reference: &str) -> Option<&Stage> {
        self.stage_by_name(reference).or_else(|| {
            reference
                .parse::<usize>()
                .ok()
                .and_then(|i| self.stages.get(i))
        })
    }

    /// The stage an instruction belongs to (`None` before the first `FROM`).
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        // stages are in order and do not overlap
        let after = self
            .stages
            .partition_point(|s| s.instructions.start <= instruction);
        after
            .checked_sub(1)
            .and_then(|i| self.stages.get(i))
            .filter(|s| s.instructions.contains(&instruction))
    }

    /// The `ARG`s before the first `FROM`: what `FROM` lines see.
    pub fn global_scope(&self) -> Scope {
        self.index.global.clone()
    }

    /// The variables in effect just before instruction `index` runs: the `ENV`s inherited from a
    /// parent stage, then the stage's own `ARG`s (an `ARG NAME` without default takes the global
    /// value, as in BuildKit) and `ENV`s up to that instruction. `FROM` lines and instructions
    /// before the first `FROM` see the global scope.
    pub fn scope_at(&self, index: usize) -> Scope {
        match self.stage_of(index) {
            Some(stage) if index > stage.from => self.stage_scope(stage.index, index),
            _ => self.global_scope(),
        }
    }

    /// Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+x}` … in `text` with the `ARG`
    /// and `ENV` values in scope at the end of stage `stage`. For a `FROM` line (or a `stage`
    /// out of range) the global `ARG`s apply. Unknown variables stay as written.
    pub fn substitute(&self, stage: usize, text: &str) -> String {
        match self.stages.get(stage) {
            Some(s) => self.stage_scope(s.index, s.instructions.end),
            None => self.global_scope(),
        }
        .substitute(text)
    }

    /// The `ENV` variables of the image stage `stage` builds (its own and its parent stages'),
    /// without `ARG`s: what a container started from that stage sees (base-image variables
    /// aside). Values are substituted; unknown ones are [`Lookup::Unknown`].
    pub fn runtime_env(&self, stage: usize) -> Scope {
        match self.index.env_at_end.get(stage) {
            Some(env) => Scope {
                env: env.clone(),
                args: PMap::default(),
                escape: self.escape,
            },
            None => Scope::new(self.escape),
        }
    }

    /// The scope inside stage `stage` before instruction `until` (exclusive).
    fn stage_scope(&self, stage: usize, until: usize) -> Scope {
        let Some(st) = self.stages.get(stage) else {
            return Scope::new(self.escape);
        };
        let until = until.clamp(st.from + 1, st.instructions.end);
        let mut last = self
            .index
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Continue from the last scope built when it is of this stage and not past `until`
        // (copies share their variables: taking one costs nothing).
        let (mut scope, from) = match last.as_ref() {
            Some((s, at, scope)) if *s == stage && *at <= until => (scope.clone(), *at),
            _ => (self.stage_start(st), st.from + 1),
        };
        for ins in self.instructions.get(from..until).unwrap_or(&[]) {
            apply(&mut scope, ins, Some(&self.index.global));
        }
        *last = Some((stage, until, scope.clone()));
        scope
    }

    /// The scope a stage starts with: the `ENV`s of the stage it is built on (never its `ARG`s).
    fn stage_start(&self, st: &Stage) -> Scope {
        Scope {
            env: st
                .parent
                .and_then(|p| self.index.env_at_end.get(p))
                .cloned()
                .unwrap_or_default(),
            args: PMap::default(),
            escape: self.escape,
        }
    }

    fn build_stages(&mut self) {
        let mut seen_from = false;
        let mut problems = Vec::new();
        for ins in &self.instructions {
            if ins.keyword == "FROM" {
                seen_from = true;
            } else if !seen_from
                && ins.keyword != "ARG"
                && INSTRUCTIONS.contains(&ins.keyword.as_str())
            {
                problems.push(Problem {
                    message: format!(
                        "{} before the first FROM: only ARG may come before FROM (no build stage in current context)",
                        ins.keyword
                    ),
                    span: ins.keyword_span.clone(),
                });
            }
        }
        if self.instructions.is_empty() {
            let end = self.comments.last().map_or(0, |c| c.span.end);
            problems.push(Problem {
                message: "file with no instructions".to_string(),
                span: end..end,
            });
        } else if !seen_from {
            let first = self
                .instructions
                .first()
                .map_or(0..0, |i| i.keyword_span.clone());
            problems.push(Problem {
                message: "no FROM instruction: the Dockerfile has no build stage".to_string(),
                span: first,
            });
        }
        let froms: Vec<usize> = self
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| i.keyword == "FROM")
            .map(|(i, _)| i)
            .collect();
        let global = self.global_scope_until(froms.first().copied());
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (n, &from) in froms.iter().enumerate() {
            let end = froms.get(n + 1).copied().unwrap_or(self.instructions.len());
            let Some(ins) = self.instructions.get(from) else {
                continue;
            };
            let info = ins.from_image();
            let (image, image_span) = match &info {
                Some(f) => (f.image.text.clone(), f.image.span.clone()),
                None => (String::new(), ins.args_span()),
            };
            let name = info
                .as_ref()
                .and_then(|f| f.stage_name.as_ref())
                .map(|w| (w.value.to_lowercase(), w.span.clone()));
            let lower = image.to_lowercase();
            let expanded = global.substitute(&image).to_lowercase();
            // the first earlier stage named so (by name, not by scanning every stage)
            let parent = match (by_name.get(&lower), by_name.get(&expanded)) {
                (Some(&a), Some(&b)) => Some(a.min(b)),
                (a, b) => a.or(b).copied(),
            };
            if let Some((stage_name, _)) = &name {
                by_name.entry(stage_name.clone()).or_insert(n);
            }
            let platform = ins.flag("platform").and_then(|f| f.value.clone());
            self.stages.push(Stage {
                index: n,
                name: name.as_ref().map(|(n, _)| n.clone()),
                name_span: name.map(|(_, s)| s),
                image,
                image_span,
                platform,
                from,
                instructions: from..end,
                parent,
            });
        }
        self.problems.append(&mut problems);
        // the ENVs at the end of every stage, parents first (a parent always comes earlier)
        let mut env_at_end: Vec<PMap<Option<Arc<str>>>> = Vec::with_capacity(self.stages.len());
        for st in &self.stages {
            let mut scope = Scope {
                env: st
                    .parent
                    .and_then(|p| env_at_end.get(p))
                    .cloned()
                    .unwrap_or_default(),
                args: PMap::default(),
                escape: self.escape,
            };
            for ins in self
                .instructions
                .get(st.from + 1..st.instructions.end)
                .unwrap_or(&[])
            {
                apply(&mut scope, ins, Some(&global));
            }
            env_at_end.push(scope.env);
        }
        self.index = StageIndex {
            by_name,
            global,
            env_at_end,
            last: Mutex::new(None),
        };
    }

    fn global_scope_until(&self, end: Option<usize>) -> Scope {
        let mut scope = Scope::new(self.escape);
        for ins in self
            .instructions
            .iter()
            .take(end.unwrap_or(self.instructions.len()))
        {
            apply(&mut scope, ins, None);
        }
        scope
    }
}

/// Applies an `ARG` or `ENV` instruction to a scope. `global` is the scope of global `ARG`s for
/// instructions inside a stage (an `ARG NAME` without default there takes the global value).
fn apply(scope: &mut Scope, ins: &Instruction, global: Option<&Scope>) {
    match ins.keyword.as_str() {
        "ARG" => {
            for decl in ins.arg_decls() {
                if decl.name.is_empty() {
                    continue;
                }
                let value = match (&decl.default, decl.default_span.as_ref()) {
                    (Some(_), Some(_)) => {
                        let raw = raw_default(ins, &decl);
                        let (v, complete) = scope.expand(&raw);
                        complete.then_some(v)
                    }
                    _ => match global.map(|g| g.get(&decl.name)) {
                        Some(Lookup::Value(v)) => Some(v.to_string()),
                        _ => None,
                    },
                };
                scope.set_arg(&decl.name, value);
            }
        }
        "ENV" => {
            // All values of one ENV see the variables as they were before it (Docker).
            let before = scope.clone();
            for pair in ins.env_pairs() {
                if pair.key.is_empty() {
                    continue;
                }
                let raw = raw_env_value(ins, &pair);
                let (v, complete) = before.expand(&raw);
                scope.set_env(&pair.key, complete.then_some(v));
            }
        }
        _ => {}
    }
}

/// The default of an `ARG` as written (quotes kept), for expansion.
fn raw_default(ins: &Instruction, decl: &ArgDecl) -> String {
    let Args::Shell(s) = &ins.args else {
        return String::new();
    };
    raw_in(s, decl.default_span.as_ref()).unwrap_or_default()
}

/// The value of an `ENV` pair as written (quotes kept), for expansion.
fn raw_env_value(ins: &Instruction, pair: &KeyValue) -> String {
    let Args::Shell(s) = &ins.args else {
        return String::new();
    };
    raw_in(s, Some(&pair.value_span)).unwrap_or_default()
}

/// The logical text of `shell` whose source range is `span` (found by mapping back).
fn raw_in(shell: &Shell, span: Option<&Range<usize>>) -> Option<String> {
    let span = span?;
    let mut out = String::new();
    for seg in &shell.segments {
        let from = seg.source.max(span.start);
        let to = (seg.source + seg.len).min(span.end);
        if from < to {
            let l = seg.logical + (from - seg.source);
            out.push_str(sub(&shell.text, l..l + (to - from)));
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Lexing helpers
// ---------------------------------------------------------------------------------------------

/// `text[range]`, or "" when the range is not valid (never panics).
fn sub(text: &str, range: Range<usize>) -> &str {
    text.get(range).unwrap_or("")
}

/// First offset in `start..end` that is not Unicode whitespace (Go's `unicode.IsSpace`).
fn skip_space(text: &str, start: usize, end: usize) -> usize {
    match sub(text, start..end).find(|c: char| !c.is_whitespace()) {
        Some(i) => start + i,
        None => end.max(start),
    }
}

/// End of `start..end` without trailing Unicode whitespace.
fn trim_end_space(text: &str, start: usize, end: usize) -> usize {
    start + sub(text, start..end).trim_end().len()
}

/// The separator BuildKit uses between the keyword and the rest, and in `FROM`/legacy `ENV`:
/// `[\t\v\f\r ]`.
fn is_token_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}' | '\r')
}

fn skip_token_space(text: &str, start: usize) -> usize {
    match text
        .get(start..)
        .and_then(|s| s.find(|c| !is_token_space(c)))
    {
        Some(i) => start + i,
        None => text.len(),
    }
}

/// Splits on runs of `[\t\v\f\r ]` (BuildKit's `parseStringsWhitespaceDelimited`).
fn split_token_space(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_token_space(c), start) {
            (true, Some(s)) => {
                out.push((sub(text, s..i).to_string(), s..i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((sub(text, s..text.len()).to_string(), s..text.len()));
    }
    out
}

/// Extracts the leading `--flag[=value]` words of `line` from `start` to `end`, the way
/// BuildKit's `extractBuilderFlags` does (quotes and `\` escapes inside a flag word). Returns the
/// flags and where the arguments start.
fn extract_flags(line: &Shell, start: usize, end: usize) -> (Vec<Flag>, usize) {
    let t = line.as_str();
    let mut flags = Vec::new();
    let mut pos = start;
    loop {
        pos = skip_space(t, pos, end);
        if pos >= end || !sub(t, pos..end).starts_with("--") {
            return (flags, pos);
        }
        let word_start = pos;
        let mut decoded = String::new();
        let mut quote: Option<char> = None;
        let mut chars = sub(t, pos..end).char_indices().peekable();
        let mut word_end = end;
        while let Some((i, c)) = chars.next() {
            match quote {
                None if c.is_whitespace() => {
                    word_end = pos + i;
                    break;
                }
                None if c == '\'' || c == '"' => quote = Some(c),
                Some(q) if c == q => quote = None,
                _ if c == '\\' => {
                    if let Some((_, n)) = chars.next() {
                        decoded.push(n);
                    }
                }
                _ => decoded.push(c),
            }
        }
        pos = word_end;
        if decoded == "--" {
            return (flags, pos);
        }
        let raw = sub(t, word_start..word_end);
        let name_and_value = decoded.get(2..).unwrap_or("");
        let (name, value) = match name_and_value.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (name_and_value.to_string(), None),
        };
        let value_range = raw
            .find('=')
            .filter(|_| decoded.contains('='))
            .map(|eq| word_start + eq + 1..word_end);
        flags.push(Flag {
            name,
            value,
            span: line.source_range(word_start..word_end),
            value_span: value_range.clone().map(|r| line.source_range(r)),
            value_range,
        });
    }
}

/// A shell word found by [`lex_words`]: its range in the lexed text and its decoded value.
struct RawWord {
    range: Range<usize>,
    value: String,
    quoted: bool,
}

/// Splits text into words as Docker's shell lexer does (whitespace outside quotes separates
/// words; `'…'` is literal; in `"…"` the escape character escapes only `"`, `$` and itself;
/// outside quotes it escapes any character). Variables are left as written.
fn lex_words(text: &str, escape: char) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut value = String::new();
        let mut quoted = false;
        let mut end = text.len();
        while let Some((i, c)) = chars.next() {
            if c.is_whitespace() {
                end = i;
                break;
            }
            if c == '\'' {
                quoted = true;
                for (_, q) in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    value.push(q);
                }
            } else if c == '"' {
                quoted = true;
                while let Some((_, q)) = chars.next() {
                    if q == '"' {
                        break;
                    }
                    if q == escape {
                        match chars.peek() {
                            Some(&(_, n)) if n == '"' || n == '$' || n == escape => {
                                value.push(n);
                                chars.next();
                            }
                            Some(_) => value.push(q),
                            None => {}
                        }
                    } else {
                        value.push(q);
                    }
                }
            } else if c == escape {
                if let Some((_, n)) = chars.next() {
                    value.push(n);
                }
            } else {
                value.push(c);
            }
            end = chars.peek().map_or(text.len(), |&(j, _)| j);
        }
        if !value.is_empty() || quoted {
            words.push(RawWord {
                range: start..end,
                value,
                quoted,
            });
        }
    }
    words
}

/// Quote removal, escapes and (with a scope) variable substitution over `text`, in one pass as
/// Docker's shell lexer does. With `keep_quotes` only variables are replaced and everything else
/// is kept as written. Returns the result and whether every variable was known.
fn process(
    text: &str,
    escape: char,
    scope: Option<&Scope>,
    keep_quotes: bool,
    depth: usize,
) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut complete = true;
    let mut in_double = false;
    let mut i = 0;
    let braces = match scope {
        Some(_) if text.contains("${") => brace_pairs(text),
        _ => HashMap::new(),
    };
    while let Some(c) = text.get(i..).and_then(|s| s.chars().next()) {
        let next_i = i + c.len_utf8();
        if c == '\'' && !in_double {
            // literal up to the closing quote
            let rest = sub(text, next_i..text.len());
            let close = rest.find('\'');
            let inner_end = close.map_or(text.len(), |j| next_i + j);
            if keep_quotes {
                out.push('\'');
            }
            out.push_str(sub(text, next_i..inner_end));
            if close.is_some() {
                if keep_quotes {
                    out.push('\'');
                }
                i = inner_end + 1;
            } else {
                i = text.len();
            }
            continue;
        }
        if c == '"' {
            in_double = !in_double;
            if keep_quotes {
                out.push('"');
            }
            i = next_i;
            continue;
        }
        if c == escape {
            let n = text.get(next_i..).and_then(|s| s.chars().next());
            match n {
                None => {
                    if keep_quotes {
                        out.push(c);
                    }
                    i = next_i;
                }
                Some(n) if keep_quotes => {
                    out.push(c);
                    out.push(n);
                    i = next_i + n.len_utf8();
                }
                Some(n) if in_double && !(n == '"' || n == '$' || n == escape) => {
                    out.push(c);
                    i = next_i;
                }
                Some(n) => {
                    out.push(n);
                    i = next_i + n.len_utf8();
                }
            }
            continue;
        }
        if c == '$' {
            if let Some(scope) = scope {
                if let Some((replacement, end, known)) =
                    expand_dollar(text, i, scope, &braces, keep_quotes, depth)
                {
                    out.push_str(&replacement);
                    complete &= known;
                    i = end.max(next_i);
                    continue;
                }
            }
        }
        out.push(c);
        i = next_i;
    }
    (out, complete)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Expands the variable reference starting with `$` at `at`. Returns the replacement, the offset
/// after the reference and whether the value was known; `None` when `$` starts no reference.
/// `braces` maps each `${` to its closing `}` ([`brace_pairs`]).
fn expand_dollar(
    text: &str,
    at: usize,
    scope: &Scope,
    braces: &HashMap<usize, usize>,
    keep_quotes: bool,
    depth: usize,
) -> Option<(String, usize, bool)> {
    let rest = text.get(at + 1..)?;
    if let Some(inner) = rest.strip_prefix('{') {
        let name_len = inner
            .find(|c: char| !is_name_char(c))
            .unwrap_or(inner.len());
        if name_len == 0 {
            return None;
        }
        let name = sub(inner, 0..name_len);
        let after_name = at + 2 + name_len;
        let tail = text.get(after_name..)?;
        let (op, word_start) = if tail.starts_with('}') {
            ("", after_name)
        } else if let Some(op) = [":-", ":+", ":?", "-", "+", "?"]
            .into_iter()
            .find(|op| tail.starts_with(op))
        {
            (op, after_name + op.len())
        } else {
            return None;
        };
        let close = *braces.get(&at)?;
        if close < word_start {
            return None;
        }
        let end = close + 1;
        let original = sub(text, at..end).to_string();
        let lookup = scope.get(name);
        if op.is_empty() {
            return Some(match lookup {
                Lookup::Value(v) => (v.to_string(), end, true),
                _ => (original, end, false),
            });
        }
        if depth >= SUBSTITUTION_DEPTH_LIMIT {
            return Some((original, end, false));
        }
        let word = || {
            process(
                sub(text, word_start..close),
                scope.escape,
                Some(scope),
                keep_quotes,
                depth + 1,
            )
        };
        let result = match (op, lookup) {
            (_, Lookup::Unknown) => (original, false),
            (":-", Lookup::Value(v)) if !v.is_empty() => (v.to_string(), true),
            ("-", Lookup::Value(v)) => (v.to_string(), true),
            (":-" | "-", _) => word(),
            (":+", Lookup::Value(v)) if !v.is_empty() => word(),
            ("+", Lookup::Value(_)) => word(),
            (":+" | "+", _) => (String::new(), true),
            (":?", Lookup::Value(v)) if !v.is_empty() => (v.to_string(), true),
            ("?", Lookup::Value(v)) => (v.to_string(), true),
            _ => (original, false),
        };
        return Some((result.0, end, result.1));
    }
    let first = rest.chars().next()?;
    let name_len = if first.is_ascii_digit() {
        1
    } else if is_name_char(first) {
        rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len())
    } else {
        return None;
    };
    let name = sub(rest, 0..name_len);
    let end = at + 1 + name_len;
    Some(match scope.get(name) {
        Lookup::Value(v) => (v.to_string(), end, true),
        _ => (sub(text, at..end).to_string(), end, false),
    })
}

/// For every `${` in `text` (keyed by the offset of `$`), the offset of the `}` closing it,
/// nested `${…}` included. One pass, so that many unclosed `${` stay linear.
fn brace_pairs(text: &str) -> HashMap<usize, usize> {
    let bytes = text.as_bytes();
    let mut open = Vec::new();
    let mut pairs = HashMap::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                open.push(i);
                i += 1;
            }
            b'}' => {
                if let Some(start) = open.pop() {
                    pairs.insert(start, i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    pairs
}

/// Splits a `--mount` value into comma-separated fields, with `"` quoting as Go's CSV reader.
fn split_csv(value: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut start = 0;
    let mut in_quote = false;
    let mut chars = value.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' if in_quote => {
                if chars.peek().map(|&(_, n)| n) == Some('"') {
                    field.push('"');
                    chars.next();
                } else {
                    in_quote = false;
                }
            }
            '"' => in_quote = true,
            ',' if !in_quote => {
                out.push((std::mem::take(&mut field), start..i));
                start = i + 1;
            }
            _ => field.push(c),
        }
    }
    out.push((field, start..value.len()));
    out
}

/// Heredoc markers in an instruction line: words (split as BuildKit's lexer does, quotes and
/// escapes kept) of the form `[fd]<<[-]DELIM` where `DELIM` holds no `<`.
fn heredoc_markers(line: &Shell) -> Vec<Marker> {
    lex_words(&line.text, '\\')
        .into_iter()
        .filter_map(|w| {
            let raw = sub(&line.text, w.range.clone());
            let (fd, strip_tabs, delimiter, quoted) = parse_heredoc_word(raw)?;
            Some(Marker {
                delimiter,
                strip_tabs,
                quoted,
                fd,
                span: line.source_range(w.range),
            })
        })
        .collect()
}

/// Matches `^(\d*)<<(-?)([^<]*)$` and processes the delimiter: `(fd, strip_tabs, delimiter,
/// quoted)`.
fn parse_heredoc_word(raw: &str) -> Option<(Option<u32>, bool, String, bool)> {
    let digits = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let rest = raw.get(digits..)?.strip_prefix("<<")?;
    let (strip_tabs, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let words = lex_words(rest, '\\');
    let [word] = words.as_slice() else {
        return None;
    };
    if word.value.is_empty() {
        return None;
    }
    let fd = if digits > 0 {
        sub(raw, 0..digits).parse().ok()
    } else {
        None
    };
    Some((fd, strip_tabs, word.value.clone(), word.quoted))
}

/// Instructions whose arguments may be a JSON array.
fn takes_json(keyword: &str) -> bool {
    matches!(
        keyword,
        "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" | "ADD" | "COPY" | "VOLUME"
    )
}

/// BuildKit's stage name rule: `^[a-z][a-z0-9-_.]*$` (after lower-casing).
fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// Splits an image reference into name, tag and digest.
fn image_ref(text: &str, span: Range<usize>) -> ImageRef {
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (text, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest.get(slash..).and_then(|last| last.rfind(':')) {
        Some(colon) => (
            sub(rest, 0..slash + colon).to_string(),
            Some(sub(rest, slash + colon + 1..rest.len()).to_string()),
        ),
        None => (rest.to_string(), None),
    };
    ImageRef {
        text: text.to_string(),
        name,
        tag,
        digest,
        span,
    }
}

/// The parser-directive regular expression `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (RE2,
/// where `\s` is `[\t\n\f\r ]`) on the line `start..end`.
struct FoundDirective {
    name: String,
    name_span: Range<usize>,
    value: String,
    value_span: Range<usize>,
}

fn match_directive(text: &str, start: usize, end: usize) -> Option<FoundDirective> {
    let line = sub(text, start..end);
    let bytes = line.as_bytes();
    let is_s = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    if bytes.first() != Some(&b'#') {
        return None;
    }
    let mut i = 1;
    while bytes.get(i).is_some_and(|&b| is_s(b)) {
        i += 1;
    }
    let name_start = i;
    if !bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
        i += 1;
    }
    let name_end = i;
    while bytes.get(i).is_some_and(|&b| is_s(b)) {
        i += 1;
    }
    if bytes.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while bytes.get(i).is_some_and(|&b| is_s(b)) {
        i += 1;
    }
    let mut value_end = bytes.len();
    while value_end > i && bytes.get(value_end - 1).is_some_and(|&b| is_s(b)) {
        value_end -= 1;
    }
    if value_end <= i {
        return None;
    }
    Some(FoundDirective {
        name: sub(line, name_start..name_end).to_string(),
        name_span: start + name_start..start + name_end,
        value: sub(line, i..value_end).to_string(),
        value_span: start + i..start + value_end,
    })
}

/// Result of reading a JSON array the way Go's `json.Decoder` reads the first value.
enum Json {
    /// Not a JSON value: the shell form applies.
    Invalid,
    /// A JSON array with something other than strings: an error.
    NonString,
    /// An array of strings: decoded values and their ranges (quotes included).
    Strings(Vec<(String, Range<usize>)>),
}

/// Reads the JSON array at the start of `s` (any text after it is ignored, as Go's decoder
/// does). Iterative, so deep nesting cannot overflow the stack.
fn parse_json_array(s: &str) -> Json {
    let b = s.as_bytes();
    if b.first() != Some(&b'[') {
        return Json::Invalid;
    }
    // true: array, false: object
    let mut stack: Vec<bool> = vec![true];
    let mut strings = Vec::new();
    let mut non_string = false;
    let mut p = json_ws(b, 1);
    if b.get(p) == Some(&b']') {
        return Json::Strings(strings);
    }
    'value: loop {
        p = json_ws(b, p);
        let top_level = stack.len() == 1;
        match b.get(p) {
            Some(b'"') => {
                let Some((value, end)) = json_string(s, p) else {
                    return Json::Invalid;
                };
                if top_level {
                    strings.push((value, p..end));
                }
                p = end;
            }
            Some(&open @ (b'[' | b'{')) => {
                if stack.len() >= JSON_DEPTH_LIMIT {
                    return Json::Invalid;
                }
                non_string |= top_level;
                let is_array = open == b'[';
                stack.push(is_array);
                p = json_ws(b, p + 1);
                let close = if is_array { b']' } else { b'}' };
                if b.get(p) == Some(&close) {
                    stack.pop();
                    p += 1;
                } else if is_array {
                    continue 'value;
                } else {
                    match json_key(s, p) {
                        Some(next) => {
                            p = next;
                            continue 'value;
                        }
                        None => return Json::Invalid,
                    }
                }
            }
            Some(b't') if s.get(p..).is_some_and(|r| r.starts_with("true")) => {
                non_string |= top_level;
                p += 4;
            }
            Some(b'f') if s.get(p..).is_some_and(|r| r.starts_with("false")) => {
                non_string |= top_level;
                p += 5;
            }
            Some(b'n') if s.get(p..).is_some_and(|r| r.starts_with("null")) => {
                non_string |= top_level;
                p += 4;
            }
            Some(b'-' | b'0'..=b'9') => {
                let Some(end) = json_number(b, p) else {
                    return Json::Invalid;
                };
                non_string |= top_level;
                p = end;
            }
            _ => return Json::Invalid,
        }
        // After a value: separators and closing brackets.
        loop {
            let Some(&is_array) = stack.last() else {
                return if non_string {
                    Json::NonString
                } else {
                    Json::Strings(strings)
                };
            };
            p = json_ws(b, p);
            match b.get(p) {
                Some(b',') => {
                    p += 1;
                    if !is_array {
                        match json_key(s, json_ws(b, p)) {
                            Some(next) => p = next,
                            None => return Json::Invalid,
                        }
                    }
                    continue 'value;
                }
                Some(b']') if is_array => {
                    stack.pop();
                    p += 1;
                }
                Some(b'}') if !is_array => {
                    stack.pop();
                    p += 1;
                }
                _ => return Json::Invalid,
            }
        }
    }
}

fn json_ws(b: &[u8], mut p: usize) -> usize {
    while matches!(b.get(p), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        p += 1;
    }
    p
}

/// An object key and its colon: returns the offset after `:`.
fn json_key(s: &str, p: usize) -> Option<usize> {
    if s.as_bytes().get(p) != Some(&b'"') {
        return None;
    }
    let (_, end) = json_string(s, p)?;
    let p = json_ws(s.as_bytes(), end);
    (s.as_bytes().get(p) == Some(&b':')).then_some(p + 1)
}

fn json_number(b: &[u8], mut p: usize) -> Option<usize> {
    let digits = |b: &[u8], mut p: usize| {
        let start = p;
        while b.get(p).is_some_and(u8::is_ascii_digit) {
            p += 1;
        }
        (p > start).then_some(p)
    };
    if b.get(p) == Some(&b'-') {
        p += 1;
    }
    match b.get(p) {
        Some(b'0') => p += 1,
        Some(b'1'..=b'9') => p = digits(b, p)?,
        _ => return None,
    }
    if b.get(p) == Some(&b'.') {
        p = digits(b, p + 1)?;
    }
    if matches!(b.get(p), Some(b'e' | b'E')) {
        p += 1;
        if matches!(b.get(p), Some(b'+' | b'-')) {
            p += 1;
        }
        p = digits(b, p)?;
    }
    Some(p)
}

/// Decodes the JSON string starting with `"` at `p`: the value and the offset after the closing
/// quote. Control characters are invalid; unpaired surrogates become U+FFFD (as in Go).
fn json_string(s: &str, p: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.get(p + 1..)?.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, p + 1 + i + 1)),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let hi = hex4(&mut chars)?;
                        if (0xD800..0xDC00).contains(&hi) {
                            // a high surrogate: a low one should follow as `\uDC00`…
                            let rest = chars.as_str();
                            if let Some(lo) = rest
                                .strip_prefix("\\u")
                                .and_then(|r| r.get(..4))
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .filter(|lo| (0xDC00..0xE000).contains(lo))
                            {
                                for _ in 0..6 {
                                    chars.next();
                                }
                                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                            } else {
                                out.push('\u{fffd}');
                            }
                        } else {
                            out.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
                        }
                    }
                    _ => return None,
                }
            }
            c if (c as u32) < 0x20 => return None,
            c => out.push(c),
        }
    }
    None
}

fn hex4(chars: &mut std::str::CharIndices<'_>) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        let (_, c) = chars.next()?;
        v = v * 16 + c.to_digit(16)?;
    }
    Some(v)
}

/// The known instruction closest to an unknown one (edit distance at most 2).
fn suggest(keyword: &str) -> Option<&'static str> {
    closest(keyword, INSTRUCTIONS)
}

fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if word.chars().count() > 64 {
        return None;
    }
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(&lower, &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
