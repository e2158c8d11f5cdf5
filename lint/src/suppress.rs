//! Inline suppressions: `# sextant: ignore[code-or-name, ...]` at the end of a line (that line)
//! or alone on a line (the next line), and `# sextant: ignore-file[...]` anywhere in a file.
//! Works in every file type whose parser hands over its comments (YAML, secrets, hooks,
//! Dockerfile). A suppression that suppresses nothing, or names no rule, is itself reported.

use std::collections::HashMap;
use std::ops::Range;

use crate::config::Selector;
use crate::diagnostic::Diagnostic;
use crate::files::Files;
use crate::registry::{self as rules, Rule};
use crate::text::{FileId, Span};

/// A comment of some file: its byte range (from `#`) and its text after `#`.
#[derive(Clone, Debug)]
pub struct CommentRef {
    pub range: Range<usize>,
    pub text: String,
}

impl CommentRef {
    /// The comment of `text` at `range` (which starts at its `#`).
    pub fn in_text(text: &str, range: Range<usize>) -> CommentRef {
        let body = text.get(range.clone()).unwrap_or_default();
        CommentRef {
            text: body.strip_prefix('#').unwrap_or(body).to_string(),
            range,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    /// A 0-based line.
    Line(usize),
    File,
}

#[derive(Clone, Debug)]
struct Code {
    text: String,
    span: Span,
    selector: Option<Selector>,
    used: bool,
}

#[derive(Clone, Debug)]
struct Suppression {
    scope: Scope,
    /// The whole comment.
    comment: Span,
    /// The range to delete when the whole suppression is unused.
    removal: Span,
    /// The `[...]` list (inside the brackets).
    list: Span,
    codes: Vec<Code>,
}

/// Whether the tool behind an external code ran on the file (shellcheck's codes: its rule is
/// enabled and shellcheck actually checked that file).
fn external_ran(file: FileId, ran_on: &[FileId], enabled: &dyn Fn(&Rule) -> bool) -> bool {
    ran_on.contains(&file)
        && rules::ALL
            .iter()
            .any(|r| r.name == "shellcheck" && enabled(r))
}

/// The suppressions of all files of one analysis.
#[derive(Default)]
pub struct Suppressions {
    items: Vec<Suppression>,
    /// The files an external tool (shellcheck) checked.
    external: Vec<FileId>,
}

impl Suppressions {
    /// Records that the external tool (shellcheck) checked this file: its codes' suppressions
    /// there can be judged unused.
    pub fn external_ran_on(&mut self, file: FileId) {
        if !self.external.contains(&file) {
            self.external.push(file);
        }
    }

    /// Reads the suppression directives among a file's comments.
    pub fn add_file(&mut self, files: &Files, file: FileId, comments: &[CommentRef]) {
        let source = files.get(file);
        let text = &source.text;
        for c in comments {
            let Some(at) = c.text.find("sextant:") else {
                continue;
            };
            // offset of the comment text in the file (after `#`)
            let text_start = c.range.start + 1;
            let rest = &c.text[at + "sextant:".len()..];
            let trimmed = rest.trim_start();
            let directive_start = text_start + at + "sextant:".len() + (rest.len() - trimmed.len());
            let (file_scope, after) = if let Some(r) = trimmed.strip_prefix("ignore-file[") {
                (true, r)
            } else if let Some(r) = trimmed.strip_prefix("ignore[") {
                (false, r)
            } else {
                continue;
            };
            let list_start = directive_start + (trimmed.len() - after.len());
            let Some(close) = after.find(']') else {
                continue;
            };
            let list = &after[..close];
            let mut codes = Vec::new();
            let mut offset = 0;
            for part in list.split(',') {
                let lead = part.len() - part.trim_start().len();
                let name = part.trim();
                if !name.is_empty() {
                    let start = list_start + offset + lead;
                    codes.push(Code {
                        text: name.to_string(),
                        span: Span::new(file, start..start + name.len()),
                        selector: Selector::parse(name).or_else(|| Selector::external(name)),
                        used: false,
                    });
                }
                offset += part.len() + 1;
            }
            let line = source.index.line_of(c.range.start);
            let line_range = source.index.line_range(line, text);
            let before = &text[line_range.start..c.range.start];
            let standalone = before.trim().is_empty();
            let scope = if file_scope {
                Scope::File
            } else if standalone {
                Scope::Line(line + 1)
            } else {
                Scope::Line(line)
            };
            // what to delete when unused: the whole line for a standalone comment, else the
            // comment and the spaces before it
            let removal = if standalone {
                let mut end = line_range.end;
                let bytes = text.as_bytes();
                if bytes.get(end) == Some(&b'\r') {
                    end += 1;
                }
                if bytes.get(end) == Some(&b'\n') {
                    end += 1;
                }
                line_range.start..end
            } else {
                let trailing_ws = before.len() - before.trim_end().len();
                (c.range.start - trailing_ws)..c.range.end
            };
            self.items.push(Suppression {
                scope,
                comment: Span::new(file, c.range.clone()),
                removal: Span::new(file, removal),
                list: Span::new(file, list_start..list_start + close),
                codes,
            });
        }
    }

    /// Drops suppressed diagnostics, then reports unused and unknown suppressions (if those two
    /// rules are enabled, per `enabled`). Call it before rule selection filters diagnostics
    /// out, so that a suppression of any rule that reported something counts as used.
    pub fn apply(
        &mut self,
        files: &Files,
        diagnostics: &mut Vec<Diagnostic>,
        enabled: &dyn Fn(&Rule) -> bool,
    ) {
        // the suppressions of each file and of each line: a diagnostic looks at those that can
        // apply to it, not at every suppression (a file may hold a comment on each line)
        let mut whole_file: HashMap<FileId, Vec<usize>> = HashMap::new();
        let mut by_line: HashMap<(FileId, usize), Vec<usize>> = HashMap::new();
        for (i, s) in self.items.iter().enumerate() {
            match s.scope {
                Scope::File => whole_file.entry(s.comment.file).or_default().push(i),
                Scope::Line(l) => by_line.entry((s.comment.file, l)).or_default().push(i),
            }
        }
        let none: Vec<usize> = Vec::new();
        diagnostics.retain(|d| {
            let line = files.get(d.span.file).index.line_of(d.span.start as usize);
            let mut suppressed = false;
            let file_wide = whole_file.get(&d.span.file).unwrap_or(&none);
            let on_line = by_line.get(&(d.span.file, line)).unwrap_or(&none);
            for &i in file_wide.iter().chain(on_line) {
                let Some(s) = self.items.get_mut(i) else {
                    continue;
                };
                for code in &mut s.codes {
                    if code
                        .selector
                        .as_ref()
                        .is_some_and(|sel| sel.matches_diagnostic(d))
                    {
                        code.used = true;
                        suppressed = true;
                    }
                }
            }
            !suppressed
        });
        for s in &self.items {
            for code in &s.codes {
                if code.selector.is_none() && enabled(&rules::UNKNOWN_SUPPRESSION) {
                    diagnostics.push(rules::unknown_suppression(code.span, &code.text));
                }
            }
            // a code is unused only if some rule it names ran: for rules that are not enabled
            // nothing can be said
            let unused: Vec<&Code> = s
                .codes
                .iter()
                .filter(|c| !c.used)
                .filter(|c| {
                    // an external code is judged only where its tool checked the file
                    c.selector.as_ref().is_some_and(|sel| {
                        rules::ALL.iter().any(|r| sel.matches(r) && enabled(r))
                            || c.text.to_ascii_uppercase().starts_with("SC")
                                && external_ran(s.comment.file, &self.external, enabled)
                    })
                })
                .collect();
            if unused.is_empty() || !enabled(&rules::UNUSED_SUPPRESSION) {
                continue;
            }
            let all_unused = s.codes.iter().all(|c| !c.used);
            let fix = if all_unused {
                rules::remove_suppression(s.removal)
            } else {
                let kept: Vec<&str> = s
                    .codes
                    .iter()
                    .filter(|c| c.used)
                    .map(|c| c.text.as_str())
                    .collect();
                rules::remove_suppressed_codes(s.list, &kept)
            };
            for code in unused {
                let span = if all_unused { s.comment } else { code.span };
                diagnostics.push(rules::unused_suppression(span, &code.text, fix.clone()));
                if all_unused {
                    // one diagnostic for the whole comment is enough
                    break;
                }
            }
        }
    }
}
