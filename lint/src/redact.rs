//! Secret values never reach any output. One [`Redactor`] is built per analysis (stored on the
//! [`Report`]) from (a) the spans of every value that is or may be a secret — found
//! structurally in parsed files ([`collect`]) and line by line in every file, parsed or not
//! ([`line_spans`]: configs that do not parse, Dockerfiles, hooks, `.sextant.toml`) — and (b)
//! the secret strings themselves, scrubbed from any free text wherever they appear (one
//! Aho-Corasick automaton: linear in the text, whatever the number of values).
//!
//! Every text that leaves the process passes it: the CLI renders [`Report::redacted`] only
//! (masked sources, scrubbed messages, labels, help and fix contents, control characters
//! escaped), and the language server scrubs each payload with [`Redactor::scrub`].

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::diagnostic::Diagnostic;
use crate::engine::Report;
use crate::files::Files;
use crate::rules::context::{HookSource, SecretsSource};
use crate::secrets::{committed_secret, secret_name, token_shape, url_password};
use crate::syntax::dotenv::Part;
use crate::syntax::yaml::{Node, Value, YamlFile};
use crate::text::{FileId, Span};

/// The spans to hide: literal text in secrets files; in config files, values of secret-looking
/// names, credential shapes anywhere, registry credentials written in the file, and comments
/// holding tokens; in hook files, the credentials `hook-hardcoded-credential` finds.
pub fn collect(
    secrets: &[SecretsSource],
    configs: &[(FileId, &YamlFile)],
    hooks: &[HookSource],
    files: &Files,
) -> Vec<Span> {
    let mut out = Vec::new();
    for hook in hooks {
        let text = &files.get(hook.file).text;
        for c in crate::rules::hook_credentials(text, &hook.script) {
            out.push(hook.span(c.value));
        }
    }
    for source in secrets {
        for entry in &source.parsed.entries {
            // a bare line (a key pasted alone) is read as a name with no value: it is the secret
            if bare_secret_line(entry) {
                out.push(source.span(entry.key_span.clone()));
            }
            for part in &entry.parts {
                if let Part::Literal { text, span } = part {
                    if !text.trim().is_empty() {
                        out.push(source.span(span.clone()));
                    }
                }
            }
        }
        // lines dotenv skips may still hold a value
        for line in &source.parsed.ignored_lines {
            out.push(source.span(line.clone()));
        }
        // a commented-out line may still hold an old value
        for c in &source.parsed.comments {
            if c.text.contains('=') || c.text.split_whitespace().any(|w| token_shape(w).is_some()) {
                out.push(source.span(c.span.clone()));
            }
        }
    }
    for (file, yaml) in configs {
        if let Some(root) = &yaml.root {
            walk(root, None, &mut out);
        }
        for c in &yaml.comments {
            if c.text
                .split(|ch: char| ch.is_whitespace() || "=:\"'".contains(ch))
                .any(|w| token_shape(w).is_some() || url_password(w))
            {
                out.push(c.span);
            }
        }
        let _ = file;
    }
    out.sort();
    out.dedup();
    out
}

/// `key` is the mapping key a scalar is the value of; list items have none (lists hold names:
/// `env.secret`, `password: [NAME]`), except that credential shapes are masked anywhere.
fn walk(node: &Node, key: Option<&str>, out: &mut Vec<Span>) {
    match &*node.value {
        Value::Scalar(s) => {
            if s.erb || node.span.is_empty() {
                return;
            }
            let text = node.ruby_to_s();
            // secret *names* (`certificate_pem: CERT_PEM`) are not secrets
            let names_a_secret = key.is_some_and(|k| k.ends_with("_pem"));
            let named = key.is_some_and(secret_name) && !names_a_secret;
            // a literal password, even one written as a NAME (S007 sends it literally)
            let password = key == Some("password");
            if token_shape(&text).is_some()
                || url_password(&text)
                || (named || password) && !text.is_empty()
                || key.is_some_and(|k| !names_a_secret && committed_secret(k, &text).is_some())
            {
                out.push(node.span);
            }
        }
        Value::Seq(items) => {
            for item in items {
                walk(item, None, out);
            }
        }
        Value::Map(entries) => {
            for e in entries {
                let k = e.key.ruby_to_s();
                walk(&e.value, Some(&k), out);
            }
        }
    }
}

/// A line of a secrets file that is a value pasted alone (a master key), which dotenv reads as
/// a name: no `=` or `:` and not an `UPPER_SNAKE` name — or a "name" that is no environment
/// variable name at all (a base64 key ending in `==` is read as a name with an empty value).
pub fn bare_secret_line(entry: &crate::syntax::dotenv::Entry) -> bool {
    entry.separator_span.is_empty() && !entry.export_only && !conventional_name(&entry.key)
        || !env_name(&entry.key)
}

/// The first `n` bytes of `s` at most, cut at a character boundary.
fn head(s: &str, n: usize) -> &str {
    let mut n = n.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

/// A valid environment variable name (`[A-Za-z_][A-Za-z0-9_]*`), at most 128 bytes.
pub fn env_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// An `UPPER_SNAKE` name, the way secrets are named.
pub fn conventional_name(name: &str) -> bool {
    env_name(name)
        && name
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
}

/// Byte ranges of secret-shaped text in any file, line by line, without parsing it (so a
/// config that does not parse, a Dockerfile, a hook or `.sextant.toml` are all covered):
/// values of secret-looking names (`KEY: value`, `KEY=value`, `ENV KEY value`), literal
/// passwords, known token shapes, URLs with a password, `-u user:password`, and in secrets
/// files every literal value, bare line and commented-out assignment.
pub fn line_spans(path: &Path, text: &str) -> Vec<Range<usize>> {
    spans_of(path, text, true)
}

/// `assignments`: also judge `KEY: value` by the key (source text); free text (a message
/// saying "unknown key: traefik") is judged by shapes only.
fn spans_of(path: &Path, text: &str, assignments: bool) -> Vec<Range<usize>> {
    let secrets_file = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("secrets"))
        && path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|p| p == ".kamal");
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        // indentation holds nothing: skipped, so deep indentation costs nothing more
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if !trimmed.is_empty() {
            let indent = body.len() - trimmed.len();
            scan_line(trimmed, at + indent, secrets_file, assignments, &mut out);
        }
        at += line.len();
    }
    out
}

fn is_word_stop(c: char) -> bool {
    is_space(c) || "\"'`()<>[]{},;|\\=".contains(c)
}

/// Whitespace, or a control character (`/proc/self/environ` separates with NUL).
fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

fn scan_line(
    line: &str,
    at: usize,
    secrets_file: bool,
    assignments: bool,
    out: &mut Vec<Range<usize>>,
) {
    let push = |out: &mut Vec<Range<usize>>, r: Range<usize>| {
        if r.start < r.end {
            out.push(at + r.start..at + r.end);
        }
    };
    // token shapes anywhere (`KEY=ghp_…`, `"token":"ghp_…"`)
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (start, is_word_stop(c) || c == ':') {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                if token_shape(&line[s..i]).is_some() {
                    push(out, s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    // URLs with a password (`DATABASE_URL=postgres://app:pw@db/app`)
    for (s, e) in whitespace_words(line) {
        let w = &line[s..e];
        let from = match (w.find('='), w.find("://")) {
            (Some(eq), Some(scheme)) if eq < scheme => eq + 1,
            _ => 0,
        };
        let trimmed = w[from..].trim_matches(['"', '\'', ',', ';']);
        if url_password(trimmed) || token_shape(trimmed).is_some() {
            push(out, s + from..e);
        }
    }
    if !assignments {
        return;
    }
    // `-u user:password`, `--user user:password`, `--user=user:password`, `-uuser:password`
    for found in crate::secrets::user_passwords(line) {
        push(out, found.word);
    }
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if secrets_file {
        if let Some(comment) = trimmed.strip_prefix('#') {
            if comment.contains('=')
                || comment.contains(':')
                || comment
                    .split(is_word_stop)
                    .any(|w| token_shape(w).is_some())
            {
                push(out, indent..line.len());
            }
            return;
        }
        let body = trimmed.strip_prefix("export ").unwrap_or(trimmed);
        let body_at = line.len() - body.len();
        let name_end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .unwrap_or(body.len());
        let after = &body[name_end..];
        let sep = after.trim_start();
        if sep.starts_with('=') || sep.starts_with(':') {
            let v_at = body_at + name_end + (after.len() - sep.len()) + 1;
            let value = line[v_at..].trim_start();
            let v_start = line.len() - value.len();
            if !value.is_empty() && !value.starts_with('$') {
                push(out, v_start..line.len());
            } else if let Some(h) = value.find(" #") {
                push(out, v_start + h..line.len());
            }
        } else if !body.is_empty()
            && !conventional_name(body.split_whitespace().next().unwrap_or(""))
        {
            // a bare line: a value pasted alone
            push(out, body_at..line.len());
        } else if let Some(h) = line.find(" #") {
            // `export NAME # OLD=value`
            push(out, h..line.len());
        }
        return;
    }
    // `ENV KEY value` (Dockerfile, the legacy form)
    let upper = trimmed.get(..4).map(str::to_ascii_uppercase);
    if upper.as_deref() == Some("ENV ") {
        let rest = trimmed[4..].trim_start();
        let r_at = line.len() - rest.len();
        if let Some(sp) = rest.find(char::is_whitespace) {
            let key = &rest[..sp];
            if !key.contains('=') && secret_name(key) {
                let value = rest[sp..].trim();
                if plausible_value(key, value) {
                    let v_start = r_at + sp + (rest[sp..].len() - rest[sp..].trim_start().len());
                    push(out, v_start..line.len());
                }
            }
        }
    }
    // `KEY: value`, `KEY = value`, `KEY=value`, `"KEY": "value"`: one pass over the line; the
    // value judged is at most 256 bytes (linear however many keys a line holds)
    let key_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.';
    let mut run_start: Option<usize> = None;
    let mut last_key: Option<(usize, usize)> = None;
    for (i, c) in line.char_indices() {
        if key_char(c) {
            run_start.get_or_insert(i);
            continue;
        }
        if let Some(s) = run_start.take() {
            last_key = Some((s, i));
        }
        if c != ':' && c != '=' {
            if !(c.is_whitespace() || c == '"' || c == '\'') || c.is_control() {
                last_key = None;
            }
            continue;
        }
        let Some((ks, ke)) = last_key.take() else {
            continue;
        };
        let key = &line[ks..ke];
        let password = key.eq_ignore_ascii_case("password") || key.eq_ignore_ascii_case("passwd");
        if !(secret_name(key) || password) {
            continue;
        }
        let rest = &line[i + 1..];
        let lead = rest.len() - rest.trim_start().len();
        // `KEY=value` (shell, Dockerfile, dotenv) ends at a space unless quoted; `KEY: value`
        // (YAML, TOML) runs to the end of the line
        // only the first 256 bytes of a value are looked at: searching further for its end
        // would make a line of many `KEY=` assignments quadratic
        let window = head(rest, lead + 258);
        let end = if c == '=' && !window[lead..].starts_with(['"', '\'']) {
            window[lead..]
                .find(is_space)
                .map_or(rest.len(), |e| lead + e)
        } else if c == '=' {
            let q = window[lead..].chars().next().unwrap_or('"');
            window[lead + q.len_utf8()..]
                .find(q)
                .map_or(rest.len(), |e| lead + q.len_utf8() + e + 1)
        } else {
            rest.len()
        };
        let mut cut = end.min(256);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let value = rest[..cut].trim();
        if value.is_empty()
            || value.starts_with('[')
            || value.starts_with('{') && !value.starts_with("{{")
        {
            continue;
        }
        if plausible_value(key, value)
            || password && !value.starts_with('$') && !value.contains("<%")
        {
            push(out, i + 1 + lead..i + 1 + end);
            if end == rest.len() {
                break;
            }
        }
    }
}

/// Whether `value` (the rest of a line) may be a secret value of `key`: not a `$VAR`, an ERB
/// tag, a placeholder or a name.
fn plausible_value(key: &str, value: &str) -> bool {
    let v = value
        .split(" #")
        .next()
        .unwrap_or(value)
        .trim()
        .trim_matches(['"', '\'']);
    committed_secret(key, v).is_some()
}

fn whitespace_words(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (start, is_space(c)) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The one redactor of an analysis: the spans to mask in source text, and the secret strings
/// to scrub from any text. Its `Debug` never shows a value.
#[derive(Clone, Default)]
pub struct Redactor {
    spans: Vec<Span>,
    values: Vec<String>,
    matcher: Option<AhoCorasick>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Redactor {{ spans: {}, values: {} }}",
            self.spans.len(),
            self.values.len()
        )
    }
}

impl Redactor {
    /// The redactor of an analysis: `structural` spans (from [`collect`]) plus the line-level
    /// spans of every file.
    pub fn new(files: &Files, structural: Vec<Span>) -> Redactor {
        let mut spans = structural;
        for (id, f) in files.iter() {
            spans.extend(
                line_spans(&f.path, &f.text)
                    .into_iter()
                    .map(|r| Span::new(id, r)),
            );
        }
        spans.sort();
        spans.dedup();
        let values = values(files, &spans);
        let mut r = Redactor {
            spans,
            values,
            matcher: None,
        };
        r.build();
        r
    }

    /// Adds the secret-shaped text of one more document (the language server's open buffer
    /// when it is not part of the analysis).
    pub fn add_text(&mut self, path: &Path, text: &str) {
        let mut extra: Vec<String> = Vec::new();
        for r in line_spans(path, text) {
            if let Some(s) = text.get(r) {
                push_value(&mut extra, s);
            }
        }
        if extra.is_empty() {
            return;
        }
        self.values.extend(extra);
        self.values
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        self.values.dedup();
        self.build();
    }

    fn build(&mut self) {
        self.matcher = if self.values.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&self.values)
                .ok()
        };
        // (when the automaton cannot be built, `scrub_keeping_len` falls back to replacing the
        // values one by one: the redactor never fails open)
    }

    /// The spans masked in source text.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// Whether a byte range of a file holds (part of) a secret.
    pub fn covers(&self, file: FileId, range: Range<usize>) -> bool {
        // the spans are sorted by file, then start: only those of the file starting before the
        // range ends can cover it
        let from = self.spans.partition_point(|s| s.file < file);
        let to = self
            .spans
            .partition_point(|s| s.file < file || s.file == file && (s.start as usize) < range.end);
        self.spans[from..to.max(from)]
            .iter()
            .any(|s| range.start < s.end as usize)
    }

    /// A file's text with its secret spans and every secret value masked, each character
    /// replaced by one of the same UTF-8 length (offsets and columns stay valid).
    pub fn mask_source(&self, text: &str, file: FileId) -> String {
        let masked = mask(text, file, &self.spans);
        self.scrub_keeping_len(&masked)
    }

    fn scrub_keeping_len(&self, text: &str) -> String {
        let Some(m) = &self.matcher else {
            if self.values.is_empty() {
                return text.to_string();
            }
            let mut out = text.to_string();
            for v in &self.values {
                if out.contains(v.as_str()) {
                    out = out.replace(v.as_str(), &same_len_stars(v));
                }
            }
            return out;
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for hit in m.find_iter(text) {
            out.push_str(&text[last..hit.start()]);
            out.push_str(&same_len_stars(&text[hit.start()..hit.end()]));
            last = hit.end();
        }
        out.push_str(&text[last..]);
        out
    }

    /// Free text with every secret value, and every secret-shaped word (token shapes, URLs
    /// with a password), replaced by `*`.
    pub fn scrub(&self, text: &str) -> String {
        let text = self.scrub_keeping_len(text);
        let shaped = spans_of(Path::new(""), &text, false);
        if shaped.is_empty() {
            return text;
        }
        let mut out = text.clone();
        // right to left, so that earlier ranges stay valid
        let mut ranges = shaped;
        ranges.sort_by_key(|r| std::cmp::Reverse(r.start));
        let mut bound = usize::MAX;
        for r in ranges {
            let end = r.end.min(bound);
            if r.start >= end {
                continue;
            }
            out.replace_range(r.start..end, &same_len_stars(&text[r.start..end]));
            bound = r.start;
        }
        out
    }

    /// A diagnostic as it may be shown: message, labels, help, Kamal's message and fix message
    /// scrubbed. A fix whose edits would carry a secret value is withheld (shown scrubbed, a
    /// tool applying it would write stars), with a note in the help; `--fix` still applies it.
    pub fn diagnostic(&self, d: &Diagnostic) -> Diagnostic {
        let mut d = d.clone();
        self.scrub_texts(&mut d);
        let carries = d.fix.as_ref().is_some_and(|fix| {
            fix.edits
                .iter()
                .any(|e| self.scrub(&e.content) != e.content)
        });
        if carries {
            d.fix = None;
            let note = "a fix is available with `--fix`; it is not shown because its edit carries a secret value";
            d.help = Some(match d.help.take() {
                Some(h) => format!("{h} ({note})"),
                None => note.to_string(),
            });
        }
        d
    }

    /// Scrubs the free texts of a diagnostic in place (not its fix edits, which `--fix` writes).
    pub fn scrub_texts(&self, d: &mut Diagnostic) {
        d.message = self.scrub(&d.message);
        for l in &mut d.labels {
            l.message = self.scrub(&l.message);
        }
        if let Some(h) = &mut d.help {
            *h = self.scrub(h);
        }
        if let Some(k) = &mut d.kamal_message {
            *k = self.scrub(k);
        }
        if let Some(fix) = &mut d.fix {
            fix.message = self.scrub(&fix.message);
        }
    }
}

fn same_len_stars(text: &str) -> String {
    text.chars()
        .map(|c| match c.len_utf8() {
            _ if c == '\n' || c == '\r' => c,
            1 => '*',
            2 => '·',
            3 => '•',
            _ => '🔒',
        })
        .collect()
}

/// Control characters, line breaks and bidirectional overrides of project text, escaped
/// (`\n`, `\u{1b}`), for output that is read line by line or on a terminal.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Source text made safe for a terminal without moving any byte: control characters (but
/// line breaks and tabs) and bidirectional overrides become visible characters of the same
/// UTF-8 length.
pub fn neutralize_source(text: &str) -> String {
    let bytes = text.as_bytes();
    // the common case: no control byte, no C1 or bidi candidate
    if !bytes
        .iter()
        .any(|&b| b < 0x20 && b != b'\n' && b != b'\t' || b == 0x7f || b == 0xc2 || b == 0xe2)
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let lone_cr = c == '\r' && bytes.get(i + 1) != Some(&b'\n');
        if c == '\n' || c == '\t' || (c == '\r' && !lone_cr) || !needs_escape(c) && !lone_cr {
            out.push(c);
        } else {
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '·',
                _ => '•',
            });
        }
    }
    out
}

impl Report {
    /// The report as it may leave the process: sources masked (secrets) and neutralized
    /// (control characters), file names and diagnostic texts scrubbed and escaped, fix
    /// contents scrubbed. Every CLI output renders this, never the raw report.
    pub fn redacted(&self) -> Report {
        let r = &self.redactor;
        let mut files = Files::default();
        for (id, f) in self.files.iter() {
            let name = escape_control(&r.scrub(&f.name)).into_owned();
            let name =
                if name.starts_with(|c: char| c.is_ascii_alphanumeric() || "./_~".contains(c)) {
                    name
                } else {
                    format!("./{name}")
                };
            if f.missing {
                files.add_missing(f.path.clone(), name);
            } else {
                let text = neutralize_source(&r.mask_source(&f.text, id));
                files.add(f.path.clone(), name, text);
            }
        }
        let diagnostics = self
            .diagnostics
            .iter()
            .map(|d| {
                let mut d = r.diagnostic(d);
                let esc = |s: &mut String| {
                    if let Cow::Owned(e) = escape_control(s) {
                        *s = e;
                    }
                };
                esc(&mut d.message);
                for l in &mut d.labels {
                    esc(&mut l.message);
                }
                if let Some(h) = &mut d.help {
                    esc(h);
                }
                if let Some(k) = &mut d.kamal_message {
                    esc(k);
                }
                if let Some(x) = &mut d.destination {
                    esc(x);
                }
                for x in &mut d.destinations {
                    esc(x);
                }
                d
            })
            .collect();
        Report {
            project: self.project.clone(),
            files,
            diagnostics,
            version: self.version,
            version_source: self.version_source,
            loads: self.loads.clone(),
            redactor: self.redactor.clone(),
            outline: self.outline.clone(),
        }
    }
}

/// The text of a file with the spans (of that file) masked: each character becomes one of the
/// same UTF-8 length, so byte offsets and character columns stay valid.
pub fn mask(text: &str, file: FileId, spans: &[Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for span in spans.iter().filter(|s| s.file == file) {
        let range = span.range();
        let (Some(start), Some(end)) = (
            floor_boundary(text, range.start),
            floor_boundary(text, range.end.min(text.len())),
        ) else {
            continue;
        };
        let masked = same_len_stars(&text[start..end]);
        bytes[start..end].copy_from_slice(masked.as_bytes());
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn floor_boundary(text: &str, mut at: usize) -> Option<usize> {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    Some(at)
}

/// The secret strings themselves, to scrub from free text such as a diff: never printed, only
/// searched for. Each span's text (quotes trimmed), and each of its words that looks random
/// (letters and digits); common words are left alone (a literal `production` in a secrets
/// file does not blank every destination name).
pub fn values(files: &Files, spans: &[Span]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in spans {
        push_value(&mut out, files.slice(*s));
    }
    // longest first, so that a value containing another is masked whole
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

fn push_value(out: &mut Vec<String>, text: &str) {
    let v = text.trim().trim_matches(['"', '\'']).trim();
    if scrubbable(v) {
        out.push(v.to_string());
    }
    if v.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
        for w in v.split(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
            if scrubbable(w)
                && w.bytes().any(|b| b.is_ascii_digit())
                && w.bytes().any(|b| b.is_ascii_alphabetic())
            {
                out.push(w.to_string());
            }
        }
    }
}

/// A value worth scrubbing from free text: at least 6 characters, and not a plain word.
fn scrubbable(v: &str) -> bool {
    let n = v.chars().count();
    n >= 6 && !(n < 12 && v.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_offsets_and_columns() {
        let text = "A: s3cré😀t\nB: open\n";
        let start = text.find("s3").unwrap();
        let end = text.find('\n').unwrap();
        let masked = mask(text, FileId(0), &[Span::new(FileId(0), start..end)]);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked, "A: ****·🔒*\nB: open\n");
    }

    #[test]
    fn without_its_automaton_the_redactor_still_scrubs() {
        // what `build` leaves when the automaton cannot be built: values, no matcher
        let r = Redactor {
            spans: Vec::new(),
            values: vec!["k8Vq2zLm9xW4".to_string()],
            matcher: None,
        };
        assert_eq!(r.scrub("key k8Vq2zLm9xW4 here"), "key ************ here");
    }

    #[test]
    fn covers_finds_overlaps_by_file_and_position() {
        let f = FileId(1);
        let r = Redactor {
            spans: vec![
                Span::new(FileId(0), 0..100),
                Span::new(f, 10..20),
                Span::new(f, 30..40),
                Span::new(FileId(2), 0..5),
            ],
            values: Vec::new(),
            matcher: None,
        };
        assert!(r.covers(f, 15..16));
        assert!(r.covers(f, 0..11));
        assert!(r.covers(f, 39..50));
        assert!(!r.covers(f, 20..30));
        assert!(!r.covers(f, 40..50));
        assert!(!r.covers(FileId(3), 0..100));
    }

    fn masked(path: &str, text: &str) -> Vec<String> {
        line_spans(Path::new(path), text)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn line_level_spans() {
        // a config line that does not parse, a Dockerfile, a hook, `.sextant.toml`
        assert_eq!(
            masked("config/deploy.yml", "  DB_PASSWORD: hunter22x: [\n"),
            ["hunter22x: ["]
        );
        assert_eq!(
            masked("Dockerfile", "ENV API_TOKEN s3cr3t value\n"),
            ["s3cr3t value"]
        );
        assert_eq!(
            masked("Dockerfile", "ARG DB_PASSWORD=\"a b c1d2\" X=1\n"),
            ["\"a b c1d2\""]
        );
        assert_eq!(
            masked("Dockerfile", "RUN SECRET_KEY_BASE_DUMMY=1 ./bin/rails x\n"),
            Vec::<String>::new()
        );
        assert_eq!(
            masked("hook", "curl -u deploy:pa55word https://x\n"),
            ["deploy:pa55word"]
        );
        assert_eq!(
            masked("hook", "curl -u \"$USER:$PASS\" x\nset -u\nx=\"${A:-}\"\n"),
            Vec::<String>::new()
        );
        assert_eq!(
            masked(".sextant.toml", "api_token = \"abc123def\"\n"),
            ["\"abc123def\""]
        );
        assert_eq!(
            masked("x", "url: postgres://app:pw123456@db/app\n"),
            ["postgres://app:pw123456@db/app"]
        );
        assert_eq!(
            masked("x", "password: KAMAL_REGISTRY_PASSWORD\npassword:\n  - X\n"),
            ["KAMAL_REGISTRY_PASSWORD"]
        );
        // secrets files: literal values, bare lines, commented-out assignments; not commands
        assert_eq!(
            masked(
                ".kamal/secrets",
                "A=lit3ral\nB=$(cat k)\n9f86d081884c\nexport C # OLD=x1\n# D=old\nE=$E\n"
            ),
            ["lit3ral", "9f86d081884c", " # OLD=x1", "# D=old"]
        );
    }

    #[test]
    fn free_text_is_judged_by_shape_only() {
        let r = Redactor::default();
        assert_eq!(r.scrub("unknown key: traefik"), "unknown key: traefik");
        assert_eq!(
            r.scrub("token ghp_0123456789abcdefghijABCDEFGHIJ0123 here"),
            format!("token {} here", "*".repeat(38))
        );
        // common words of a secrets file are not scrubbed everywhere
        let mut with_values = Redactor {
            values: values_of(&["production"]),
            ..Redactor::default()
        };
        with_values.build();
        assert_eq!(with_values.scrub("to production"), "to production");
    }

    fn values_of(v: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for v in v {
            push_value(&mut out, v);
        }
        out
    }

    #[test]
    fn control_characters() {
        assert_eq!(
            escape_control("a\n::error x\u{1b}[2J\u{202e}"),
            "a\\n::error x\\u{1b}[2J\\u{202e}"
        );
        let src = "a\u{1b}b\r\nc\rd\u{9b}e\n";
        let n = neutralize_source(src);
        assert_eq!(n.len(), src.len());
        assert_eq!(n, "a?b\r\nc?d·e\n");
    }
}
