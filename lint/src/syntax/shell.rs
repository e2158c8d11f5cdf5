//! Hook scripts (`.kamal/hooks/*`): what a rule needs to know about a script Kamal runs, with
//! byte spans for everything, never running anything and never panicking.
//!
//! * the shebang (`#!/bin/sh`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S ruby -w`) and the
//!   language it selects (a script without one is run by `/bin/sh`: `/usr/bin/env` execs the file,
//!   the kernel refuses it, and `execvp` falls back to the shell);
//! * for shell scripts: every variable use (`$NAME`, `${NAME}`, `${NAME:-x}`, `${#NAME}` …; not
//!   inside single quotes, not escaped, not in comments, in here-documents only when the delimiter
//!   is unquoted), every simple command with its words (quotes removed, expansions kept as
//!   written), the assignments, the here-documents, the comments, and for each command the
//!   constructs around it (`if` conditions, loops, `case`, functions, `&&`/`||` lists);
//! * for Ruby, Python, Node and Perl scripts: comments and environment reads (`ENV["X"]`,
//!   `ENV.fetch("X")`, `os.environ["X"]`, `os.getenv("X")`, `process.env.X`, `$ENV{X}`).
//!
//! # Why a hand-written lexer
//!
//! The rules look at tokens (words, variables, commands), not at a full syntax tree, and the deep
//! analysis of shell scripts is shellcheck's job (run when installed). A lexer in the house style
//! (like `dotenv` and `dockerfile`) keeps sextant free of a C toolchain at build time (tree-sitter
//! grammars are C), keeps byte spans exact in the same way as the other parsers, and handles
//! the parts rules depend on precisely: quoting, here-documents, nested substitutions and
//! comments. What it does not model (arithmetic details, `[[ ]]` operators, brace expansion) is
//! read as plain words.

use std::ops::Range;

/// How deeply substitutions and parameter expansions may nest before the rest is read as text.
const MAX_DEPTH: usize = 64;

/// A parsed hook script.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub shebang: Option<Shebang>,
    /// From the shebang; a script without one is run by `/bin/sh`.
    pub language: Language,
    /// Comments (not the shebang): `#` comments for shell, Ruby, Python and Perl.
    pub comments: Vec<Comment>,
    /// Variable uses in shell scripts, environment reads in other languages.
    pub variables: Vec<VarUse>,
    /// Shell scripts: every simple command, in the order they end.
    pub commands: Vec<Command>,
    /// Shell scripts: `NAME=value` (alone, before a command, after `export`/`local`/
    /// `declare`/`readonly`), `read NAME`, `for NAME in`.
    pub assignments: Vec<Assignment>,
    pub heredocs: Vec<Heredoc>,
    /// Shell scripts: `for NAME in WORDS`.
    pub for_loops: Vec<ForLoop>,
    pub problems: Vec<Problem>,
    /// Scripts in other languages: the ranges outside comments (code and strings).
    pub code: Vec<Range<usize>>,
    /// The names in `assignments`, built on first use ([`Script::assigned`] is a lookup: a
    /// hook may assign and use any number of variables).
    assigned_names: AssignedNames,
}

/// A cache of [`Script::assigned`]'s set; never part of what a script is (always equal).
#[derive(Clone, Debug, Default)]
struct AssignedNames(std::sync::OnceLock<std::collections::HashSet<String>>);

impl PartialEq for AssignedNames {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for AssignedNames {}

/// The language a shebang selects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Language {
    Shell(Shell),
    Ruby,
    Python,
    Node,
    Perl,
    /// An interpreter sextant does not analyse (its basename).
    Other(String),
    /// No shebang: `/bin/sh` runs it.
    #[default]
    Default,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Sh,
    Bash,
    Dash,
    Ksh,
    Zsh,
    Ash,
}

impl Language {
    /// Whether the script is read as a shell script (including one without a shebang).
    pub fn is_shell(&self) -> bool {
        matches!(self, Language::Shell(_) | Language::Default)
    }

    /// The `--shell` shellcheck understands for this language, if it checks it.
    pub fn shellcheck_dialect(&self) -> Option<&'static str> {
        match self {
            Language::Default | Language::Shell(Shell::Sh | Shell::Ash) => Some("sh"),
            Language::Shell(Shell::Bash) => Some("bash"),
            Language::Shell(Shell::Dash) => Some("dash"),
            Language::Shell(Shell::Ksh) => Some("ksh"),
            _ => None,
        }
    }

    fn from_interpreter(name: &str) -> Language {
        let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        match name {
            "sh" | "posh" | "yash" => Language::Shell(Shell::Sh),
            "bash" => Language::Shell(Shell::Bash),
            "dash" => Language::Shell(Shell::Dash),
            "ksh" | "ksh93" | "mksh" | "pdksh" | "oksh" => Language::Shell(Shell::Ksh),
            "zsh" => Language::Shell(Shell::Zsh),
            "ash" | "busybox" => Language::Shell(Shell::Ash),
            "ruby" | "jruby" | "truffleruby" => Language::Ruby,
            "node" | "nodejs" | "bun" | "deno" | "tsx" | "ts-node" => Language::Node,
            "perl" => Language::Perl,
            _ if base == "python" || base == "pypy" || name == "uv" => Language::Python,
            _ if base == "ruby" => Language::Ruby,
            _ if base == "perl" => Language::Perl,
            _ => Language::Other(name.to_string()),
        }
    }
}

/// The `#!` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shebang {
    /// From `#!` to the end of the line (the line break excluded, a `\r` included).
    pub span: Range<usize>,
    /// The program the kernel runs (`/usr/bin/env`, `/bin/bash`).
    pub path: String,
    pub path_span: Range<usize>,
    /// The words after the program, split at blanks (Linux passes them as one argument).
    pub args: Vec<(String, Range<usize>)>,
    /// The interpreter: the program's file name, or with `env` the program `env` runs.
    pub interpreter: String,
    pub interpreter_span: Range<usize>,
    pub via_env: bool,
    /// `env -S` (split the rest into arguments).
    pub env_split: bool,
    /// The line ends with `\r` (a CRLF file): the interpreter's name then ends with it.
    pub carriage_return: bool,
    /// A UTF-8 byte order mark precedes `#!`: the kernel does not see a shebang.
    pub bom: bool,
}

/// A comment: its range (from `#` to the end of the line) and its text after `#`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Range<usize>,
    pub text: String,
}

/// A shell word.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub span: Range<usize>,
    /// Quotes removed and escapes resolved; expansions (`$X`, `${X:-y}`, `$(cmd)`) kept as
    /// written.
    pub text: String,
    /// Holds no expansion.
    pub literal: bool,
    /// Some part of it is quoted or escaped.
    pub quoted: bool,
    /// Variable uses inside it (indices into [`Script::variables`]).
    pub vars: Vec<usize>,
}

/// A compound construct around a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Construct {
    If,
    Loop,
    Case,
    Group,
    Subshell,
    Function,
    /// `$(…)`, `` `…` ``, `<(…)`.
    Substitution,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enclosing {
    pub construct: Construct,
    /// The condition: of an `if` (all its conditions so far, `elif`s included), of a
    /// `while`/`until`, a `for` header, a `case` subject. `None` while inside the condition.
    pub condition: Option<Range<usize>>,
    /// The command is part of the condition itself.
    pub in_condition: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AndOr {
    And,
    Or,
}

/// A redirection target (`> file`, `<<< "$X"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    pub operator: String,
    pub target: Word,
}

/// A simple command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub span: Range<usize>,
    pub words: Vec<Word>,
    /// Assignments before the command name (indices into [`Script::assignments`]).
    pub assignments: Vec<usize>,
    pub redirects: Vec<Redirect>,
    /// The constructs around it, outermost first.
    pub context: Vec<Enclosing>,
    /// Runs only after `&&` or `||` (or in a pipeline that does).
    pub after: Option<AndOr>,
}

impl Command {
    /// The command name (its first word).
    pub fn name(&self) -> Option<&Word> {
        self.words.first()
    }

    /// Whether it runs only under some condition: inside an `if`, a loop, a `case`, a
    /// function, or after `&&`/`||`.
    pub fn conditional(&self) -> bool {
        self.after.is_some()
            || self.context.iter().any(|e| {
                matches!(
                    e.construct,
                    Construct::If | Construct::Loop | Construct::Case | Construct::Function
                ) || e.in_condition
            })
    }

    /// The ranges of the conditions it depends on (`if`, `while`, `case` subjects).
    pub fn conditions(&self) -> impl Iterator<Item = &Range<usize>> {
        self.context.iter().filter_map(|e| e.condition.as_ref())
    }
}

/// A variable use (shell) or an environment read (other languages).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VarUse {
    pub name: String,
    /// The whole expansion (`$X`, `${X:-y}`, `ENV["X"]`).
    pub span: Range<usize>,
    pub name_span: Range<usize>,
    pub braced: bool,
    /// What follows the name inside `${…}` (`:-`, `-`, `:?`, `#`, `%%`, `//`, `[`, `:` …); for
    /// other languages `fetch` with a default, `get`.
    pub operator: Option<String>,
    /// `${#X}`.
    pub length: bool,
    /// `${!X}`.
    pub indirect: bool,
    /// Inside double quotes or a here-document.
    pub quoted: bool,
    pub in_heredoc: bool,
    /// The command whose words or redirections hold it.
    pub command: Option<usize>,
    /// The assignment whose value holds it.
    pub assignment: Option<usize>,
}

impl VarUse {
    /// `${X:-d}`, `${X-d}`, `${X:=d}`, `${X=d}`, `${X:+a}`, `${X+a}`: unset is handled.
    pub fn defaulted(&self) -> bool {
        self.operator
            .as_deref()
            .is_some_and(|o| matches!(o, ":-" | "-" | ":=" | "=" | ":+" | "+" | "default" | "get"))
    }

    /// `${X:?msg}`, `${X?msg}`: unset is a deliberate error.
    pub fn required(&self) -> bool {
        matches!(self.operator.as_deref(), Some(":?" | "?"))
    }

    /// The script handles the variable being unset: a default, a `:?` check, a `key?` test.
    pub fn guarded(&self) -> bool {
        self.defaulted() || self.required() || self.operator.as_deref() == Some("test")
    }
}

/// `NAME=value`, `read NAME`, `for NAME in`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub name_span: Range<usize>,
    /// The value (`None` for `read NAME` and `for NAME`).
    pub value: Option<Word>,
    pub span: Range<usize>,
    /// The command it prefixes (`NAME=x cmd`), or the `export`/`local` command it is an
    /// argument of.
    pub command: Option<usize>,
}

/// `for NAME in WORDS; do`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForLoop {
    pub variable: String,
    pub items: Vec<Word>,
}

/// A here-document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    /// The delimiter is quoted: the body is not expanded.
    pub quoted: bool,
    pub strip_tabs: bool,
    /// The body (without the delimiter line).
    pub body: Range<usize>,
    pub command: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
}

impl Script {
    /// The names every assignment of the script gives a value.
    pub fn assigned(&self, name: &str) -> bool {
        // built once, when `assignments` is complete (after parsing)
        self.assigned_names
            .0
            .get_or_init(|| self.assignments.iter().map(|a| a.name.clone()).collect())
            .contains(name)
    }

    /// The text of a variable use's word, when it is in a command word.
    pub fn word_of(&self, var: usize) -> Option<(&Command, &Word)> {
        let v = self.variables.get(var)?;
        let cmd = self.commands.get(v.command?)?;
        let word = cmd
            .words
            .iter()
            .chain(cmd.redirects.iter().map(|r| &r.target))
            .find(|w| w.vars.contains(&var))?;
        Some((cmd, word))
    }
}

/// Parses a hook script.
pub fn parse(text: &str) -> Script {
    let mut script = Script::default();
    let (shebang, body_start) = shebang(text);
    script.language = match &shebang {
        Some(s) if s.bom => Language::Default,
        Some(s) => Language::from_interpreter(s.interpreter.trim_end_matches('\r')),
        None => Language::Default,
    };
    script.shebang = shebang;
    match script.language.clone() {
        Language::Default | Language::Shell(_) => {
            let mut p = Parser::new(text, body_start, script);
            p.list(Term::Eof);
            // whatever is left (a stray terminator at the top level) is read again as a list
            while p.pos < p.b.len() {
                let before = p.pos;
                p.pos += 1;
                p.list(Term::Eof);
                if p.pos <= before {
                    break;
                }
            }
            script = p.out;
        }
        Language::Ruby | Language::Python | Language::Perl | Language::Node => {
            other::scan(text, body_start, &mut script);
        }
        Language::Other(_) => {}
    }
    script
}

/// Reads the `#!` line; returns it and where the script's body starts.
fn shebang(text: &str) -> (Option<Shebang>, usize) {
    let (bom, start) = if text.starts_with("\u{feff}#!") {
        (true, 3)
    } else if text.starts_with("#!") {
        (false, 0)
    } else {
        return (None, 0);
    };
    let eol = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let body_start = (eol + 1).min(text.len());
    let line = &text[start..eol];
    let carriage_return = line.ends_with('\r');
    let content_end = if carriage_return { eol - 1 } else { eol };
    // words of the line after `#!`
    let mut words: Vec<(String, Range<usize>)> = Vec::new();
    let mut i = start + 2;
    let bytes = text.as_bytes();
    while i < content_end {
        while i < content_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        let w = i;
        while i < content_end && !matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        if i > w {
            words.push((text[w..i].to_string(), w..i));
        }
    }
    let (path, path_span) = words
        .first()
        .cloned()
        .unwrap_or_else(|| (String::new(), start + 2..start + 2));
    let args: Vec<(String, Range<usize>)> = words.iter().skip(1).cloned().collect();
    let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let via_env = base(&path) == "env";
    let mut env_split = false;
    let (interpreter, interpreter_span) = if via_env {
        let mut found = None;
        let mut skip_next = false;
        for (w, span) in &args {
            if skip_next {
                skip_next = false;
                continue;
            }
            if w == "-S" || w == "--split-string" || w.starts_with("-S") && w.len() > 2 {
                env_split = true;
                if w.len() > 2 && w.starts_with("-S") {
                    found = Some((base(&w[2..]), span.start + 2..span.end));
                    break;
                }
                continue;
            }
            if w == "-u" || w == "--unset" || w == "-C" || w == "--chdir" {
                skip_next = true;
                continue;
            }
            if w.starts_with('-') || w.contains('=') {
                if w.starts_with("--split-string=") {
                    env_split = true;
                }
                continue;
            }
            found = Some((base(w), span.clone()));
            break;
        }
        found.unwrap_or_else(|| (String::new(), path_span.end..path_span.end))
    } else {
        let name = base(&path);
        let name_start = path_span.end - name.len().min(path_span.len());
        (name, name_start..path_span.end)
    };
    let shebang = Shebang {
        span: start..eol,
        path,
        path_span,
        args,
        interpreter,
        interpreter_span,
        via_env,
        env_split,
        carriage_return,
        bom,
    };
    (Some(shebang), body_start)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Term {
    Eof,
    Paren,
    Backtick,
}

#[derive(Clone, Debug)]
struct Frame {
    construct: Construct,
    cond_start: usize,
    condition: Option<Range<usize>>,
    in_condition: bool,
    /// `case`: reading patterns (up to `)`).
    patterns: bool,
    /// `case`: reading the subject (up to `in`).
    subject: bool,
}

impl Frame {
    fn new(construct: Construct, at: usize) -> Frame {
        Frame {
            construct,
            cond_start: at,
            condition: None,
            in_condition: false,
            patterns: false,
            subject: false,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Mode {
    #[default]
    Normal,
    /// After `for`/`select`: the header up to `;`, a newline or `do`.
    ForHeader,
    /// After `function`: the name.
    FunctionName,
}

#[derive(Default)]
struct Cmd {
    start: Option<usize>,
    end: usize,
    words: Vec<Word>,
    assignments: Vec<usize>,
    redirects: Vec<Redirect>,
    heredocs: Vec<usize>,
    mode: Mode,
    /// `[[ … ]]` not yet closed.
    test: bool,
}

impl Cmd {
    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.assignments.is_empty() && self.redirects.is_empty()
    }
}

struct Pending {
    heredoc: usize,
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    out: Script,
    stack: Vec<Frame>,
    pending: Vec<Pending>,
    depth: usize,
    next_after: Option<AndOr>,
    pending_function: bool,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn valid_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && is_ident_start(b[0]) && b.iter().all(|&c| is_ident(c))
}

const KEYWORDS: &[&str] = &[
    "if", "then", "elif", "else", "fi", "while", "until", "for", "select", "do", "done", "case",
    "esac", "{", "}", "!", "time", "function",
];

impl<'a> Parser<'a> {
    fn new(text: &'a str, start: usize, out: Script) -> Parser<'a> {
        Parser {
            text,
            b: text.as_bytes(),
            pos: start,
            out,
            stack: Vec::new(),
            pending: Vec::new(),
            depth: 0,
            next_after: None,
            pending_function: false,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.pos + offset).copied()
    }

    /// The length of the character at `pos` (1 past the end).
    fn char_len(&self) -> usize {
        self.text
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .map_or(1, char::len_utf8)
    }

    fn slice(&self, range: Range<usize>) -> &'a str {
        self.text.get(range).unwrap_or("")
    }

    fn problem(&mut self, span: Range<usize>, message: &str) {
        self.out.problems.push(Problem {
            span,
            message: message.to_string(),
        });
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.pos += 1,
                Some(b'\\') if self.peek_at(1) == Some(b'\n') => self.pos += 2,
                Some(b'\\') if self.peek_at(1) == Some(b'\r') && self.peek_at(2) == Some(b'\n') => {
                    self.pos += 3
                }
                _ => break,
            }
        }
    }

    fn comment(&mut self) {
        let start = self.pos;
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let text_end = if self.b.get(end.wrapping_sub(1)) == Some(&b'\r') && end > start + 1 {
            end - 1
        } else {
            end
        };
        self.out.comments.push(Comment {
            span: start..text_end,
            text: self.slice(start + 1..text_end).to_string(),
        });
        self.pos = end;
    }

    fn case_patterns(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| f.construct == Construct::Case && f.patterns)
    }

    fn case_subject(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| f.construct == Construct::Case && f.subject)
    }

    /// Reads a command list up to its terminator (consumed) or the end of the text.
    fn list(&mut self, term: Term) {
        let base = self.stack.len();
        let mut cmd = Cmd::default();
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else {
                self.finish(&mut cmd);
                break;
            };
            if cmd.test {
                // `[[ … ]]`: operators are words until `]]`
                if matches!(c, b'\n' | b';') {
                    cmd.test = false;
                    continue;
                }
                let word = self.word(true);
                if word.span.is_empty() {
                    self.pos += self.char_len();
                    continue;
                }
                if word.text == "]]" && !word.quoted {
                    cmd.test = false;
                }
                cmd.end = word.span.end;
                cmd.words.push(word);
                continue;
            }
            match c {
                b'\n' => {
                    self.pos += 1;
                    self.finish(&mut cmd);
                    self.heredoc_bodies();
                }
                b'#' => self.comment(),
                b';' => {
                    self.pos += 1;
                    let mut arm_end = false;
                    if self.peek() == Some(b';') {
                        self.pos += 1;
                        arm_end = true;
                        if self.peek() == Some(b'&') {
                            self.pos += 1;
                        }
                    } else if self.peek() == Some(b'&') {
                        self.pos += 1;
                        arm_end = true;
                    }
                    self.finish(&mut cmd);
                    if arm_end {
                        if let Some(f) = self
                            .stack
                            .iter_mut()
                            .rev()
                            .find(|f| f.construct == Construct::Case)
                        {
                            f.patterns = true;
                        }
                    }
                }
                b'&' => {
                    self.pos += 1;
                    match self.peek() {
                        Some(b'&') => {
                            self.pos += 1;
                            self.finish(&mut cmd);
                            self.next_after = Some(AndOr::And);
                        }
                        Some(b'>') => {
                            self.pos += 1;
                            if self.peek() == Some(b'>') {
                                self.pos += 1;
                            }
                            self.redirect_target(&mut cmd, "&>");
                        }
                        _ => {
                            self.finish(&mut cmd);
                        }
                    }
                }
                b'|' => {
                    self.pos += 1;
                    if self.peek() == Some(b'|') {
                        self.pos += 1;
                        self.finish(&mut cmd);
                        self.next_after = Some(AndOr::Or);
                    } else {
                        if self.peek() == Some(b'&') {
                            self.pos += 1;
                        }
                        let after = self.finish(&mut cmd);
                        if !self.case_patterns() {
                            self.next_after = after;
                        }
                    }
                }
                b'(' => {
                    if self.case_patterns() {
                        self.pos += 1;
                        continue;
                    }
                    if cmd.mode == Mode::ForHeader {
                        // `for ((i = 0; …))`
                        self.pos += 1;
                        self.skip_balanced_parens();
                        continue;
                    }
                    if cmd.is_empty() && self.pending_function {
                        // `function name () {`
                        let save = self.pos;
                        self.pos += 1;
                        self.skip_blanks();
                        if self.peek() == Some(b')') {
                            self.pos += 1;
                            continue;
                        }
                        self.pos = save;
                    }
                    if cmd.is_empty() {
                        if self.peek_at(1) == Some(b'(') {
                            let start = self.pos;
                            self.pos += 2;
                            self.arithmetic();
                            cmd.start.get_or_insert(start);
                            cmd.end = self.pos;
                        } else {
                            self.pos += 1;
                            let construct = if std::mem::take(&mut self.pending_function) {
                                Construct::Function
                            } else {
                                Construct::Subshell
                            };
                            self.stack.push(Frame::new(construct, self.pos));
                        }
                        continue;
                    }
                    // `name ()`: a function definition
                    let save = self.pos;
                    self.pos += 1;
                    self.skip_blanks();
                    if self.peek() == Some(b')')
                        && cmd.words.len() == 1
                        && cmd.assignments.is_empty()
                    {
                        self.pos += 1;
                        cmd = Cmd::default();
                        self.pending_function = true;
                    } else {
                        // not valid here: read it as text
                        self.pos = save + 1;
                    }
                }
                b')' => {
                    if self.case_patterns() {
                        self.pos += 1;
                        cmd = Cmd::default();
                        if let Some(f) = self.stack.last_mut() {
                            f.patterns = false;
                        }
                        continue;
                    }
                    if self.stack.len() > base
                        && self.stack.last().is_some_and(|f| {
                            matches!(f.construct, Construct::Subshell | Construct::Function)
                        })
                    {
                        self.pos += 1;
                        self.finish(&mut cmd);
                        self.stack.pop();
                        continue;
                    }
                    if term == Term::Paren {
                        self.pos += 1;
                        self.finish(&mut cmd);
                        break;
                    }
                    self.pos += 1;
                    self.finish(&mut cmd);
                }
                b'`' if term == Term::Backtick => {
                    self.pos += 1;
                    self.finish(&mut cmd);
                    break;
                }
                b'<' | b'>' => self.redirect(&mut cmd),
                _ => {
                    // `2>&1`: digits right before a redirection are its file descriptor
                    if c.is_ascii_digit() {
                        let mut i = self.pos;
                        while self.b.get(i).is_some_and(u8::is_ascii_digit) {
                            i += 1;
                        }
                        if matches!(self.b.get(i), Some(b'<' | b'>')) {
                            self.pos = i;
                            continue;
                        }
                    }
                    let word = self.word(false);
                    if word.span.is_empty() {
                        self.pos += self.char_len();
                        continue;
                    }
                    self.handle_word(&mut cmd, word);
                }
            }
        }
        self.stack.truncate(base);
    }

    fn handle_word(&mut self, cmd: &mut Cmd, word: Word) {
        let plain = !word.quoted && word.literal;
        if self.case_subject() {
            if plain && word.text == "in" {
                if let Some(f) = self.stack.last_mut() {
                    f.subject = false;
                    f.patterns = true;
                    f.condition = Some(f.cond_start..word.span.start);
                }
            }
            return;
        }
        if self.case_patterns() {
            if plain && word.text == "esac" && cmd.is_empty() {
                self.pop_to(Construct::Case);
            }
            // pattern words are not commands
            return;
        }
        match cmd.mode {
            Mode::ForHeader => {
                if plain && word.text == "do" && cmd.words.len() > 1 {
                    self.finish(cmd);
                    self.keyword("do", &word);
                } else {
                    cmd.words.push(word);
                }
                return;
            }
            Mode::FunctionName => {
                cmd.mode = Mode::Normal;
                self.pending_function = true;
                return;
            }
            Mode::Normal => {}
        }
        let at_start = cmd.words.is_empty() && cmd.assignments.is_empty();
        if at_start && plain && KEYWORDS.contains(&word.text.as_str()) {
            match word.text.as_str() {
                "for" | "select" => {
                    self.keyword(&word.text, &word);
                    cmd.mode = Mode::ForHeader;
                    cmd.start = None;
                }
                "function" => cmd.mode = Mode::FunctionName,
                "case" => {
                    self.keyword("case", &word);
                }
                kw => self.keyword(kw, &word),
            }
            return;
        }
        if cmd.words.is_empty() {
            if let Some(a) = self.assignment_of(&word) {
                let idx = self.out.assignments.len();
                for &v in &word.vars {
                    if let Some(var) = self.out.variables.get_mut(v) {
                        var.assignment = Some(idx);
                    }
                }
                self.out.assignments.push(a);
                cmd.start.get_or_insert(word.span.start);
                cmd.end = word.span.end;
                cmd.assignments.push(idx);
                return;
            }
        }
        cmd.start.get_or_insert(word.span.start);
        cmd.end = word.span.end;
        if cmd.words.is_empty() && plain && word.text == "[[" {
            cmd.test = true;
        }
        cmd.words.push(word);
    }

    fn keyword(&mut self, kw: &str, word: &Word) {
        let at = word.span.end;
        match kw {
            "if" => {
                let mut f = Frame::new(Construct::If, at);
                f.in_condition = true;
                self.stack.push(f);
            }
            "elif" => {
                if let Some(f) = self.top(Construct::If) {
                    f.in_condition = true;
                }
            }
            "then" => {
                if let Some(f) = self.top(Construct::If) {
                    f.in_condition = false;
                    f.condition = Some(f.cond_start..word.span.start);
                }
            }
            "while" | "until" => {
                let mut f = Frame::new(Construct::Loop, at);
                f.in_condition = true;
                self.stack.push(f);
            }
            "for" | "select" => {
                let mut f = Frame::new(Construct::Loop, at);
                f.in_condition = true;
                self.stack.push(f);
            }
            "do" => {
                if let Some(f) = self.top(Construct::Loop) {
                    f.in_condition = false;
                    f.condition = Some(f.cond_start..word.span.start);
                }
            }
            "case" => {
                let mut f = Frame::new(Construct::Case, at);
                f.subject = true;
                self.stack.push(f);
            }
            "fi" => self.pop_to(Construct::If),
            "done" => self.pop_to(Construct::Loop),
            "esac" => self.pop_to(Construct::Case),
            "{" => {
                let construct = if std::mem::take(&mut self.pending_function) {
                    Construct::Function
                } else {
                    Construct::Group
                };
                self.stack.push(Frame::new(construct, at));
            }
            "}" => {
                if let Some(i) = self
                    .stack
                    .iter()
                    .rposition(|f| matches!(f.construct, Construct::Group | Construct::Function))
                {
                    // never pop frames of an enclosing substitution
                    if !self.stack[i..]
                        .iter()
                        .any(|f| f.construct == Construct::Substitution)
                    {
                        self.stack.truncate(i);
                    }
                }
            }
            _ => {}
        }
    }

    /// The innermost open frame of a construct, if no substitution lies between.
    fn top(&mut self, construct: Construct) -> Option<&mut Frame> {
        let i = self
            .stack
            .iter()
            .rposition(|f| f.construct == construct || f.construct == Construct::Substitution)?;
        let f = self.stack.get_mut(i)?;
        (f.construct == construct).then_some(f)
    }

    fn pop_to(&mut self, construct: Construct) {
        if let Some(i) = self
            .stack
            .iter()
            .rposition(|f| f.construct == construct || f.construct == Construct::Substitution)
        {
            if self.stack[i].construct == construct {
                self.stack.truncate(i);
            }
        }
    }

    /// `NAME=value`, `NAME+=value`, `NAME[i]=value` (the name unquoted).
    fn assignment_of(&self, word: &Word) -> Option<Assignment> {
        let raw = self.slice(word.span.clone());
        let name_len = raw.bytes().take_while(|&b| is_ident(b)).count();
        if name_len == 0 || !is_ident_start(raw.as_bytes()[0]) {
            return None;
        }
        let rest = &raw[name_len..];
        let after = if let Some(r) = rest.strip_prefix("+=") {
            r
        } else if let Some(r) = rest.strip_prefix('=') {
            r
        } else if rest.starts_with('[') {
            let close = rest.find("]=")?;
            &rest[close + 2..]
        } else {
            return None;
        };
        let value_start = word.span.end - after.len();
        let name = raw[..name_len].to_string();
        let cooked_prefix = word.text.find('=').map_or(word.text.len(), |i| i + 1);
        let value = Word {
            span: value_start..word.span.end,
            text: word.text.get(cooked_prefix..).unwrap_or("").to_string(),
            literal: word.literal,
            quoted: word.quoted,
            vars: word.vars.clone(),
        };
        Some(Assignment {
            name,
            name_span: word.span.start..word.span.start + name_len,
            value: Some(value),
            span: word.span.clone(),
            command: None,
        })
    }

    /// Ends the current command; returns the `&&`/`||` it ran after.
    fn finish(&mut self, cmd: &mut Cmd) -> Option<AndOr> {
        let done = std::mem::take(cmd);
        if done.mode == Mode::ForHeader {
            let mut words = done.words.into_iter();
            if let Some(var) = words.next().filter(|w| valid_name(&w.text)) {
                self.out.assignments.push(Assignment {
                    name: var.text.clone(),
                    name_span: var.span.clone(),
                    value: None,
                    span: var.span.clone(),
                    command: None,
                });
                let rest: Vec<Word> = words.collect();
                let items = match rest.split_first() {
                    Some((first, items)) if first.text == "in" && !first.quoted => items.to_vec(),
                    _ => Vec::new(),
                };
                self.out.for_loops.push(ForLoop {
                    variable: var.text,
                    items,
                });
            }
            return None;
        }
        if done.words.is_empty() {
            // assignments alone (or redirections alone): no command
            for &h in &done.heredocs {
                if let Some(h) = self.out.heredocs.get_mut(h) {
                    h.command = None;
                }
            }
            if !done.is_empty() {
                return self.next_after.take();
            }
            return None;
        }
        let idx = self.out.commands.len();
        for w in done
            .words
            .iter()
            .chain(done.redirects.iter().map(|r| &r.target))
        {
            for &v in &w.vars {
                if let Some(var) = self.out.variables.get_mut(v) {
                    var.command = Some(idx);
                }
            }
        }
        for &a in &done.assignments {
            if let Some(a) = self.out.assignments.get_mut(a) {
                a.command = Some(idx);
            }
        }
        for &h in &done.heredocs {
            if let Some(h) = self.out.heredocs.get_mut(h) {
                h.command = Some(idx);
            }
        }
        // `export A=1`, `local B=$x`, `read -r C D`
        let name = done.words[0].text.as_str();
        if matches!(
            name,
            "export" | "local" | "declare" | "typeset" | "readonly"
        ) {
            for w in done.words.iter().skip(1) {
                if let Some(mut a) = self.assignment_of(w) {
                    a.command = Some(idx);
                    self.out.assignments.push(a);
                }
            }
        } else if name == "read" || name == "mapfile" || name == "readarray" {
            let mut skip = false;
            for w in done.words.iter().skip(1) {
                if skip {
                    skip = false;
                    continue;
                }
                if w.text.starts_with('-') {
                    skip = matches!(
                        w.text.as_str(),
                        "-p" | "-d" | "-t" | "-n" | "-N" | "-u" | "-i" | "-C" | "-c"
                    );
                    if w.text.len() > 1 && w.text.ends_with('a') {
                        continue;
                    }
                    continue;
                }
                if valid_name(&w.text) {
                    self.out.assignments.push(Assignment {
                        name: w.text.clone(),
                        name_span: w.span.clone(),
                        value: None,
                        span: w.span.clone(),
                        command: Some(idx),
                    });
                }
            }
        }
        let start = done.start.unwrap_or(done.words[0].span.start);
        let end = done.end.max(start);
        let context = self
            .stack
            .iter()
            .map(|f| Enclosing {
                construct: f.construct,
                condition: f.condition.clone(),
                in_condition: f.in_condition,
            })
            .collect();
        let after = self.next_after.take();
        self.out.commands.push(Command {
            span: start..end,
            words: done.words,
            assignments: done.assignments,
            redirects: done.redirects,
            context,
            after,
        });
        after
    }

    fn redirect(&mut self, cmd: &mut Cmd) {
        let start = self.pos;
        let c = self.b[self.pos];
        // process substitution as a word: `<(cmd)`, `>(cmd)`
        if self.peek_at(1) == Some(b'(') {
            self.pos += 2;
            self.substitution(Term::Paren);
            cmd.start.get_or_insert(start);
            cmd.end = self.pos;
            return;
        }
        self.pos += 1;
        let mut op = String::from(c as char);
        if c == b'<' && self.peek() == Some(b'<') {
            self.pos += 1;
            if self.peek() == Some(b'<') {
                self.pos += 1;
                op = "<<<".into();
            } else {
                let strip_tabs = self.peek() == Some(b'-');
                if strip_tabs {
                    self.pos += 1;
                }
                self.heredoc_start(cmd, start, strip_tabs);
                return;
            }
        } else if let Some(n @ (b'>' | b'&' | b'|')) = self.peek() {
            if !(c == b'<' && n == b'|') {
                self.pos += 1;
                op.push(n as char);
            }
        } else if c == b'<' && self.peek() == Some(b'>') {
            self.pos += 1;
            op = "<>".into();
        }
        cmd.start.get_or_insert(start);
        self.redirect_target(cmd, &op);
    }

    fn redirect_target(&mut self, cmd: &mut Cmd, op: &str) {
        self.skip_blanks();
        if matches!(self.peek(), Some(b'<' | b'>')) && self.peek_at(1) == Some(b'(') {
            let start = self.pos;
            self.pos += 2;
            self.substitution(Term::Paren);
            cmd.end = self.pos;
            let _ = start;
            return;
        }
        let target = self.word(false);
        cmd.end = cmd.end.max(target.span.end);
        if !target.span.is_empty() {
            cmd.redirects.push(Redirect {
                operator: op.to_string(),
                target,
            });
        }
    }

    fn heredoc_start(&mut self, cmd: &mut Cmd, start: usize, strip_tabs: bool) {
        self.skip_blanks();
        let delim = self.word(false);
        cmd.start.get_or_insert(start);
        cmd.end = cmd.end.max(delim.span.end);
        if delim.span.is_empty() {
            self.problem(start..self.pos, "here-document without a delimiter");
            return;
        }
        let idx = self.out.heredocs.len();
        self.out.heredocs.push(Heredoc {
            delimiter: delim.text.clone(),
            quoted: delim.quoted,
            strip_tabs,
            body: self.pos..self.pos,
            command: None,
        });
        cmd.heredocs.push(idx);
        self.pending.push(Pending { heredoc: idx });
    }

    /// After a line break: the bodies of the here-documents started on that line.
    fn heredoc_bodies(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            let Some(h) = self.out.heredocs.get(p.heredoc) else {
                continue;
            };
            let (delimiter, strip_tabs, quoted) = (h.delimiter.clone(), h.strip_tabs, h.quoted);
            let body_start = self.pos;
            let mut at = self.pos;
            let mut body_end = None;
            while at < self.b.len() {
                let eol = self.text[at..].find('\n').map_or(self.b.len(), |i| at + i);
                let line = self.slice(at..eol);
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if line == delimiter || line.strip_suffix('\r') == Some(delimiter.as_str()) {
                    body_end = Some(at);
                    at = (eol + 1).min(self.b.len());
                    break;
                }
                at = (eol + 1).min(self.b.len());
                if eol == self.b.len() {
                    break;
                }
            }
            let end = body_end.unwrap_or(self.b.len());
            if body_end.is_none() {
                self.problem(
                    body_start..end,
                    &format!("here-document never ends: no line `{delimiter}`"),
                );
                at = self.b.len();
            }
            if let Some(h) = self.out.heredocs.get_mut(p.heredoc) {
                h.body = body_start..end;
            }
            if !quoted {
                self.pos = body_start;
                let mut sink = String::new();
                let mut vars = Vec::new();
                let mut literal = true;
                while self.pos < end {
                    match self.b[self.pos] {
                        b'\\' => self.pos += 1 + self.char_len_at(self.pos + 1),
                        b'$' => self.dollar(&mut sink, &mut vars, &mut literal, true, true),
                        b'`' => {
                            self.pos += 1;
                            self.substitution(Term::Backtick);
                        }
                        _ => self.pos += self.char_len(),
                    }
                }
                // variables in a here-document belong to the command that reads it
                let cmd = self.out.heredocs.get(p.heredoc).and_then(|h| h.command);
                for v in vars {
                    if let Some(var) = self.out.variables.get_mut(v) {
                        var.command = var.command.or(cmd);
                    }
                }
            }
            self.pos = at.max(self.pos.min(self.b.len()));
        }
    }

    fn char_len_at(&self, at: usize) -> usize {
        self.text
            .get(at..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8)
    }

    /// Reads one word; `test` (inside `[[ ]]`): operators are part of words.
    fn word(&mut self, test: bool) -> Word {
        let start = self.pos;
        let mut text = String::new();
        let mut literal = true;
        let mut quoted = false;
        let mut vars = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' => break,
                b'\r' if self.peek_at(1) == Some(b'\n') || self.peek_at(1).is_none() => break,
                b';' => break,
                b'&' | b'|' | b'<' | b'>' | b')' if !test => break,
                b'(' if !test => {
                    let raw = self.slice(start..self.pos);
                    if (raw.ends_with('=') || raw.ends_with("+="))
                        && !quoted
                        && valid_name(raw.trim_end_matches('=').trim_end_matches('+'))
                    {
                        self.array(&mut text, &mut vars, &mut literal);
                        continue;
                    }
                    if !text.is_empty() && text.ends_with(['@', '!', '+', '*', '?']) {
                        // an extended glob: `@(a|b)`
                        let from = self.pos;
                        self.pos += 1;
                        self.skip_balanced_parens();
                        text.push_str(self.slice(from..self.pos));
                        continue;
                    }
                    break;
                }
                b'\\' => {
                    quoted = true;
                    match self.peek_at(1) {
                        Some(b'\n') => self.pos += 2,
                        None => {
                            self.pos += 1;
                            text.push('\\');
                        }
                        Some(_) => {
                            let len = self.char_len_at(self.pos + 1);
                            text.push_str(self.slice(self.pos + 1..self.pos + 1 + len));
                            self.pos += 1 + len;
                        }
                    }
                }
                b'\'' => {
                    quoted = true;
                    self.pos += 1;
                    let from = self.pos;
                    match self.text[from..].find('\'') {
                        Some(i) => {
                            text.push_str(self.slice(from..from + i));
                            self.pos = from + i + 1;
                        }
                        None => {
                            text.push_str(self.slice(from..self.b.len()));
                            self.pos = self.b.len();
                            self.problem(from - 1..self.b.len(), "unterminated single quote");
                        }
                    }
                }
                b'"' => {
                    quoted = true;
                    self.pos += 1;
                    self.dquote(&mut text, &mut vars, &mut literal);
                }
                b'$' if self.peek_at(1) == Some(b'\'') => {
                    quoted = true;
                    self.pos += 2;
                    let from = self.pos;
                    while let Some(c) = self.peek() {
                        if c == b'\\' {
                            self.pos += 1 + self.char_len_at(self.pos + 1);
                        } else if c == b'\'' {
                            break;
                        } else {
                            self.pos += self.char_len();
                        }
                    }
                    let end = self.pos.min(self.b.len());
                    text.push_str(self.slice(from..end));
                    if self.peek() == Some(b'\'') {
                        self.pos += 1;
                    } else {
                        self.problem(from - 2..end, "unterminated $'…' string");
                    }
                }
                b'$' if self.peek_at(1) == Some(b'"') => {
                    quoted = true;
                    self.pos += 2;
                    self.dquote(&mut text, &mut vars, &mut literal);
                }
                b'$' => self.dollar(&mut text, &mut vars, &mut literal, false, false),
                b'`' => {
                    let from = self.pos;
                    self.pos += 1;
                    self.substitution(Term::Backtick);
                    literal = false;
                    text.push_str(self.slice(from..self.pos));
                }
                _ => {
                    let len = self.char_len();
                    text.push_str(self.slice(self.pos..self.pos + len));
                    self.pos += len;
                }
            }
        }
        Word {
            span: start..self.pos,
            text,
            literal,
            quoted,
            vars,
        }
    }

    /// `NAME=(a b "$c")`: at `(`.
    fn array(&mut self, text: &mut String, vars: &mut Vec<usize>, literal: &mut bool) {
        let from = self.pos;
        self.pos += 1;
        loop {
            self.skip_blanks();
            match self.peek() {
                None => break,
                Some(b')') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\n') => self.pos += 1,
                Some(b'#') => self.comment(),
                Some(_) => {
                    let w = self.word(false);
                    if w.span.is_empty() {
                        self.pos += self.char_len();
                        continue;
                    }
                    *literal &= w.literal;
                    vars.extend(w.vars);
                }
            }
        }
        text.push_str(self.slice(from..self.pos));
    }

    /// Inside `"…"`, after the opening quote; consumes the closing one.
    fn dquote(&mut self, text: &mut String, vars: &mut Vec<usize>, literal: &mut bool) {
        let open = self.pos.saturating_sub(1);
        loop {
            let Some(c) = self.peek() else {
                self.problem(open..self.b.len(), "unterminated double quote");
                return;
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' => match self.peek_at(1) {
                    Some(n @ (b'$' | b'`' | b'"' | b'\\')) => {
                        text.push(n as char);
                        self.pos += 2;
                    }
                    Some(b'\n') => self.pos += 2,
                    _ => {
                        text.push('\\');
                        self.pos += 1;
                    }
                },
                b'$' => self.dollar(text, vars, literal, true, false),
                b'`' => {
                    let from = self.pos;
                    self.pos += 1;
                    self.substitution(Term::Backtick);
                    *literal = false;
                    text.push_str(self.slice(from..self.pos));
                }
                _ => {
                    let len = self.char_len();
                    text.push_str(self.slice(self.pos..self.pos + len));
                    self.pos += len;
                }
            }
        }
    }

    /// At `$`: an expansion (or a literal `$`).
    fn dollar(
        &mut self,
        text: &mut String,
        vars: &mut Vec<usize>,
        literal: &mut bool,
        quoted: bool,
        heredoc: bool,
    ) {
        let start = self.pos;
        self.pos += 1;
        if self.depth >= MAX_DEPTH {
            text.push('$');
            return;
        }
        self.depth += 1;
        match self.peek() {
            Some(b'(') if self.depth < MAX_DEPTH => {
                if self.peek_at(1) == Some(b'(') {
                    self.pos += 2;
                    self.arithmetic();
                } else {
                    self.pos += 1;
                    self.substitution(Term::Paren);
                }
                *literal = false;
            }
            Some(b'(') => {
                self.pos += 1;
                self.skip_balanced_parens();
                *literal = false;
            }
            Some(b'{') => {
                self.pos += 1;
                self.brace(start, vars, quoted, heredoc);
                *literal = false;
            }
            Some(c) if is_ident_start(c) => {
                let name_start = self.pos;
                while self.peek().is_some_and(is_ident) {
                    self.pos += 1;
                }
                let idx = self.out.variables.len();
                self.out.variables.push(VarUse {
                    name: self.slice(name_start..self.pos).to_string(),
                    span: start..self.pos,
                    name_span: name_start..self.pos,
                    quoted: quoted || heredoc,
                    in_heredoc: heredoc,
                    ..VarUse::default()
                });
                vars.push(idx);
                *literal = false;
            }
            Some(c) if c.is_ascii_digit() || b"@*#?$!-".contains(&c) => {
                self.pos += 1;
                *literal = false;
            }
            _ => {}
        }
        self.depth -= 1;
        text.push_str(self.slice(start..self.pos));
    }

    /// After `${`.
    fn brace(&mut self, start: usize, vars: &mut Vec<usize>, quoted: bool, heredoc: bool) {
        self.depth += 1;
        let mut length = false;
        let mut indirect = false;
        if self.peek() == Some(b'#') && self.peek_at(1).is_some_and(is_ident_start) {
            length = true;
            self.pos += 1;
        } else if self.peek() == Some(b'!') && self.peek_at(1).is_some_and(is_ident_start) {
            indirect = true;
            self.pos += 1;
        }
        let name_start = self.pos;
        if self.peek().is_some_and(is_ident_start) {
            while self.peek().is_some_and(is_ident) {
                self.pos += 1;
            }
        } else if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
        } else if self.peek().is_some_and(|c| b"@*#?$!-".contains(&c)) {
            self.pos += 1;
        }
        let name_end = self.pos;
        let idx = self.out.variables.len();
        let named = self.b.get(name_start).copied().is_some_and(is_ident_start);
        if named {
            self.out.variables.push(VarUse {
                name: self.slice(name_start..name_end).to_string(),
                span: start..name_end,
                name_span: name_start..name_end,
                braced: true,
                length,
                indirect,
                quoted: quoted || heredoc,
                in_heredoc: heredoc,
                ..VarUse::default()
            });
            vars.push(idx);
        }
        // the rest, up to the matching `}`
        let rest_start = self.pos;
        let mut sink = String::new();
        let mut lit = true;
        let mut closed = false;
        while let Some(c) = self.peek() {
            match c {
                b'}' => {
                    self.pos += 1;
                    closed = true;
                    break;
                }
                b'\\' => self.pos += 1 + self.char_len_at(self.pos + 1),
                b'\'' if !quoted => {
                    self.pos += 1;
                    match self.text[self.pos..].find('\'') {
                        Some(i) => self.pos += i + 1,
                        None => self.pos = self.b.len(),
                    }
                }
                b'"' => {
                    self.pos += 1;
                    self.dquote(&mut sink, vars, &mut lit);
                }
                b'$' => self.dollar(&mut sink, vars, &mut lit, quoted, heredoc),
                b'`' => {
                    self.pos += 1;
                    self.substitution(Term::Backtick);
                }
                _ => self.pos += self.char_len(),
            }
        }
        if !closed {
            self.problem(start..self.pos, "`${` is never closed with `}`");
        }
        let rest_end = if closed { self.pos - 1 } else { self.pos };
        if named {
            let rest = self.slice(rest_start..rest_end);
            let op = operator(rest);
            if let Some(v) = self.out.variables.get_mut(idx) {
                v.span = start..self.pos;
                v.operator = op;
            }
        }
        self.depth -= 1;
    }

    /// After `$(` or `` ` ``: a nested command list, with a substitution frame.
    fn substitution(&mut self, term: Term) {
        if self.depth >= MAX_DEPTH {
            match term {
                Term::Paren => self.skip_balanced_parens(),
                _ => {
                    match self.text[self.pos..].find('`') {
                        Some(i) => self.pos += i + 1,
                        None => self.pos = self.b.len(),
                    };
                }
            }
            return;
        }
        self.depth += 1;
        let after = self.next_after.take();
        let function = std::mem::take(&mut self.pending_function);
        self.stack
            .push(Frame::new(Construct::Substitution, self.pos));
        let base = self.stack.len();
        self.list(term);
        self.stack.truncate(base - 1);
        self.next_after = after;
        self.pending_function = function;
        self.depth -= 1;
    }

    /// After `((` or `$((`: up to the matching `))`, recording `$` expansions.
    fn arithmetic(&mut self) {
        let mut depth = 0usize;
        let mut sink = String::new();
        let mut vars = Vec::new();
        let mut lit = true;
        while let Some(c) = self.peek() {
            match c {
                b'(' => {
                    depth += 1;
                    self.pos += 1;
                }
                b')' => {
                    if depth == 0 {
                        self.pos += 1;
                        if self.peek() == Some(b')') {
                            self.pos += 1;
                        }
                        return;
                    }
                    depth -= 1;
                    self.pos += 1;
                }
                b'$' => self.dollar(&mut sink, &mut vars, &mut lit, true, false),
                _ => self.pos += self.char_len(),
            }
        }
    }

    /// After an opening `(`: up to the matching `)`, quotes respected, nothing recorded.
    fn skip_balanced_parens(&mut self) {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                b'(' => depth += 1,
                b')' => {
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                    depth -= 1;
                }
                b'\\' => self.pos += self.char_len_at(self.pos + 1),
                b'\'' | b'"' => {
                    let q = c as char;
                    if let Some(i) = self.text[self.pos + 1..].find(q) {
                        self.pos += i + 1;
                    } else {
                        self.pos = self.b.len();
                        return;
                    }
                }
                _ => {}
            }
            self.pos += self.char_len();
        }
    }
}

/// The operator of a `${NAME…}` expansion from the text after the name.
fn operator(rest: &str) -> Option<String> {
    let b = rest.as_bytes();
    let first = *b.first()?;
    let two = rest.get(..2).unwrap_or(rest);
    let op = match first {
        b':' => match b.get(1) {
            Some(b'-' | b'=' | b'?' | b'+') => two,
            _ => ":",
        },
        b'#' | b'%' | b'/' | b'^' | b',' => {
            if b.get(1) == Some(&first) {
                two
            } else {
                &rest[..1]
            }
        }
        b'-' | b'=' | b'?' | b'+' | b'[' | b'@' => &rest[..1],
        _ => return Some(rest.chars().take(2).collect()),
    };
    Some(op.to_string())
}

/// Ruby, Python, Node and Perl scripts: comments, code ranges, environment reads.
mod other {
    use super::{is_ident, is_ident_start, Comment, Language, Script, VarUse};
    use std::ops::Range;

    pub(super) fn scan(text: &str, start: usize, out: &mut Script) {
        let b = text.as_bytes();
        let lang = out.language.clone();
        let hash_comments = matches!(lang, Language::Ruby | Language::Python | Language::Perl);
        let mut comments: Vec<Range<usize>> = Vec::new();
        let mut i = start;
        let mut line_start = true;
        let mut pending_heredocs: Vec<(String, bool)> = Vec::new();
        while i < b.len() {
            // escapes and literals skip bytes: resume on a character boundary
            if !text.is_char_boundary(i) {
                i += 1;
                continue;
            }
            let c = b[i];
            if line_start {
                line_start = false;
                // Ruby `=begin … =end`, Perl POD
                let rest = &text[i..];
                let block = match lang {
                    Language::Ruby if rest.starts_with("=begin") => Some("\n=end"),
                    Language::Perl if rest.starts_with('=') && rest.len() > 1 => Some("\n=cut"),
                    _ => None,
                };
                if let Some(end) = block {
                    let stop = rest.find(end).map_or(b.len(), |k| {
                        let after = i + k + end.len();
                        text[after..].find('\n').map_or(b.len(), |n| after + n)
                    });
                    comments.push(i..stop);
                    i = stop;
                    continue;
                }
            }
            match c {
                b'\n' => {
                    i += 1;
                    line_start = true;
                    // Ruby here-document bodies
                    for (id, squiggly) in std::mem::take(&mut pending_heredocs) {
                        while i < b.len() {
                            let eol = text[i..].find('\n').map_or(b.len(), |k| i + k);
                            let line = &text[i..eol];
                            let line = if squiggly { line.trim() } else { line };
                            i = (eol + 1).min(b.len());
                            if line == id {
                                break;
                            }
                        }
                    }
                }
                b'#' if hash_comments => {
                    let end = text[i..].find('\n').map_or(b.len(), |k| i + k);
                    let text_end = if end > i + 1 && b[end - 1] == b'\r' {
                        end - 1
                    } else {
                        end
                    };
                    out.comments.push(Comment {
                        span: i..text_end,
                        text: text[i + 1..text_end].to_string(),
                    });
                    comments.push(i..end);
                    i = end;
                }
                b'/' if lang == Language::Node && b.get(i + 1) == Some(&b'/') => {
                    let end = text[i..].find('\n').map_or(b.len(), |k| i + k);
                    comments.push(i..end);
                    i = end;
                }
                b'/' if lang == Language::Node && b.get(i + 1) == Some(&b'*') => {
                    let end = text[i + 2..].find("*/").map_or(b.len(), |k| i + 2 + k + 2);
                    comments.push(i..end);
                    i = end;
                }
                b'\'' | b'"' | b'`' => {
                    let triple: String = std::iter::repeat_n(c as char, 3).collect();
                    if lang == Language::Python && text[i..].starts_with(triple.as_str()) {
                        i = text[i + 3..]
                            .find(triple.as_str())
                            .map_or(b.len(), |k| i + 3 + k + 3);
                    } else {
                        i = skip_string(text, i + 1, c, lang == Language::Ruby && c != b'\'', 0);
                    }
                }
                b'%' if lang == Language::Ruby => {
                    // %q(…) %Q[…] %w{…} %(…)
                    let mut k = i + 1;
                    if b.get(k).is_some_and(|x| b"qQwWiIx".contains(x)) {
                        k += 1;
                    }
                    match b.get(k) {
                        Some(&open @ (b'(' | b'[' | b'{' | b'<' | b'|' | b'!' | b'/')) => {
                            let close = match open {
                                b'(' => b')',
                                b'[' => b']',
                                b'{' => b'}',
                                b'<' => b'>',
                                x => x,
                            };
                            let mut depth = 0usize;
                            let mut j = k + 1;
                            while j < b.len() {
                                if b[j] == b'\\' {
                                    j += 2;
                                    continue;
                                }
                                if b[j] == open && open != close {
                                    depth += 1;
                                } else if b[j] == close {
                                    if depth == 0 {
                                        break;
                                    }
                                    depth -= 1;
                                }
                                j += 1;
                            }
                            i = (j + 1).min(b.len());
                        }
                        _ => i += 1,
                    }
                }
                b'?' if lang == Language::Ruby
                    && b.get(i + 1).is_some_and(|x| !x.is_ascii_whitespace()) =>
                {
                    // a character literal such as `?#`
                    i += 2;
                }
                b'<' if lang == Language::Ruby && text[i..].starts_with("<<") => {
                    let mut k = i + 2;
                    let squiggly = matches!(b.get(k), Some(b'~' | b'-'));
                    if squiggly {
                        k += 1;
                    }
                    let quote = b.get(k).copied().filter(|x| matches!(x, b'\'' | b'"'));
                    if quote.is_some() {
                        k += 1;
                    }
                    let id_start = k;
                    while b
                        .get(k)
                        .copied()
                        .is_some_and(|x| x.is_ascii_uppercase() || x == b'_' || x.is_ascii_digit())
                    {
                        k += 1;
                    }
                    if k > id_start
                        && b.get(id_start)
                            .is_some_and(|x| x.is_ascii_uppercase() || *x == b'_')
                    {
                        pending_heredocs.push((text[id_start..k].to_string(), squiggly));
                        if quote.is_some() && b.get(k) == quote.as_ref() {
                            k += 1;
                        }
                        i = k;
                    } else {
                        i += 2;
                    }
                }
                _ => i += text[i..].chars().next().map_or(1, char::len_utf8),
            }
        }
        // code = everything after the shebang line outside comments
        let mut at = start;
        for c in &comments {
            if c.start > at {
                out.code.push(at..c.start);
            }
            at = at.max(c.end);
        }
        if at < b.len() {
            out.code.push(at..b.len());
        }
        let code = out.code.clone();
        for range in code {
            env_reads(text, range, &lang, &mut out.variables);
        }
    }

    /// Skips a string from after its opening quote; returns the offset after the closing one.
    /// Ruby double-quoted strings may hold `#{…}` with strings inside.
    fn skip_string(text: &str, mut i: usize, quote: u8, interpolate: bool, depth: usize) -> usize {
        let b = text.as_bytes();
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                c if c == quote => return i + 1,
                b'#' if interpolate && depth < 16 && b.get(i + 1) == Some(&b'{') => {
                    i += 2;
                    let mut braces = 0usize;
                    while i < b.len() {
                        match b[i] {
                            b'{' => braces += 1,
                            b'}' if braces == 0 => break,
                            b'}' => braces -= 1,
                            q @ (b'\'' | b'"') => {
                                i = skip_string(text, i + 1, q, q == b'"', depth + 1);
                                continue;
                            }
                            _ => {}
                        }
                        i += 1;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        b.len()
    }

    fn env_reads(text: &str, range: Range<usize>, lang: &Language, out: &mut Vec<VarUse>) {
        let Some(code) = text.get(range.clone()) else {
            return;
        };
        // (prefix, kind): the name follows in quotes (or bare for `process.env.` and `$ENV{`)
        let patterns: &[(&str, &str)] = match lang {
            Language::Ruby => &[
                ("ENV[", ""),
                ("ENV.fetch(", "fetch"),
                ("ENV.key?(", "test"),
                ("ENV.has_key?(", "test"),
                ("ENV.include?(", "test"),
                ("ENV.member?(", "test"),
            ],
            Language::Python => &[
                ("environ[", ""),
                ("environ.get(", "get"),
                ("getenv(", "get"),
            ],
            Language::Node => &[("process.env[", ""), ("process.env.", "")],
            Language::Perl => &[("$ENV{", "")],
            _ => &[],
        };
        for (prefix, kind) in patterns {
            let mut from = 0;
            while let Some(k) = code[from..].find(prefix) {
                let at = from + k;
                from = at + prefix.len();
                // `os.environ[` and `environ[` both match once: skip a match inside a longer name
                if at > 0 {
                    let before = code.as_bytes()[at - 1];
                    if is_ident(before) {
                        continue;
                    }
                }
                let b = code.as_bytes();
                let mut j = from;
                while b.get(j).is_some_and(|c| *c == b' ') {
                    j += 1;
                }
                let quote = b
                    .get(j)
                    .copied()
                    .filter(|c| matches!(c, b'"' | b'\'' | b'`'));
                if quote.is_some() {
                    j += 1;
                } else if !(prefix.ends_with('.') || *prefix == "$ENV{") {
                    continue;
                }
                let name_start = j;
                if !b.get(j).copied().is_some_and(is_ident_start) {
                    continue;
                }
                while b.get(j).copied().is_some_and(is_ident) {
                    j += 1;
                }
                let name_end = j;
                if let Some(q) = quote {
                    if b.get(j) != Some(&q) {
                        continue;
                    }
                    j += 1;
                }
                // the end of the expression: `]`, `)`, `}` when next
                let mut end = j;
                let mut k2 = j;
                while b.get(k2).is_some_and(|c| *c == b' ') {
                    k2 += 1;
                }
                let mut operator = (!kind.is_empty()).then(|| kind.to_string());
                match b.get(k2) {
                    Some(b']' | b')' | b'}') => end = k2 + 1,
                    Some(b',') if *kind == "fetch" => {
                        operator = Some("default".into());
                        if let Some(close) = code[k2..].find(')') {
                            end = k2 + close + 1;
                        }
                    }
                    _ => {}
                }
                out.push(VarUse {
                    name: code[name_start..name_end].to_string(),
                    span: range.start + at..range.start + end,
                    name_span: range.start + name_start..range.start + name_end,
                    operator,
                    ..VarUse::default()
                });
            }
        }
        out.sort_by_key(|v| v.span.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators() {
        assert_eq!(operator(":-x").as_deref(), Some(":-"));
        assert_eq!(operator("%%,*").as_deref(), Some("%%"));
        assert_eq!(operator("//,/ ").as_deref(), Some("//"));
        assert_eq!(operator("").as_deref(), None);
    }
}
