use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::ProjectContext;
use crate::text::Span;

declare_rule! {
    /// A parser directive (`# syntax=` …) below the top of the file, where it is only a comment.
    ///
    /// ## What it does
    /// Reports comments shaped like a parser directive that BuildKit does not read as one:
    /// directives count only in the block of lines at the very top of the Dockerfile, and the
    /// first line that is not a directive — an instruction, a blank line, any other comment —
    /// ends that block.
    ///
    /// ## Why is this bad?
    /// The directive silently does nothing. A misplaced `# syntax=docker/dockerfile:1` leaves
    /// the build on the frontend bundled with the builder, so features the file relies on
    /// (heredocs, `RUN --mount` options, `COPY --link`/`--exclude`) may not parse on an older
    /// builder — such as the one on the remote build host Kamal uses; a misplaced
    /// `# check=error=true` turns no build check into an error; a misplaced `# escape=` leaves
    /// `\` as the escape character. A license header or a blank line above the directive is
    /// the usual cause.
    ///
    /// ## Example
    /// ```dockerfile
    /// # Production image
    /// # syntax=docker/dockerfile:1
    /// FROM ruby:3.4-slim
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1
    /// # Production image
    /// FROM ruby:3.4-slim
    /// ```
    ///
    /// ## Fix
    /// Moves a `# syntax=` directive to the first line when the file has none there (unsafe: it
    /// changes the frontend that builds the image, which may then enforce `# check=` rules).
    ///
    /// ## References
    /// - <https://docs.docker.com/reference/dockerfile/#parser-directives>
    /// - <https://docs.docker.com/build/buildkit/frontend/>
    pub static MISPLACED_PARSER_DIRECTIVE = {
        code: "F009",
        name: "misplaced-parser-directive",
        category: Dockerfile,
        severity: Warning,
        fix: Sometimes,
    };
}

/// `name=value` of a directive-shaped comment text (after `#`), for the known directives.
fn directive(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    let value = value.trim();
    if value.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !name.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    matches!(lower.as_str(), "syntax" | "escape" | "check").then(|| (lower, value.to_string()))
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        let df = &source.parsed;
        let text = &cx.files.get(source.file).text;
        let mut fixed = false;
        for comment in &df.comments {
            let Some((name, value)) = directive(&comment.text) else {
                continue;
            };
            let mut d = Diagnostic::new(
                &MISPLACED_PARSER_DIRECTIVE,
                Span::new(source.file, comment.span.clone()),
                format!("`# {name}=` is not at the top of the file, so BuildKit reads it as a plain comment"),
            )
            .with_help("parser directives must come before any other line, blank lines and comments included");
            let has_syntax = df.directives.iter().any(|d| d.name == "syntax");
            if name == "syntax" && !has_syntax && !fixed {
                fixed = true;
                let line_start = text[..comment.span.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[comment.span.end..]
                    .find('\n')
                    .map_or(text.len(), |i| comment.span.end + i + 1);
                let top = if text.starts_with('\u{feff}') { 3 } else { 0 };
                d = d.with_fix(Fix {
                    applicability: Applicability::Unsafe,
                    message: "move it to the first line".into(),
                    edits: vec![
                        Edit {
                            span: Span::empty(source.file, top),
                            content: format!("# syntax={value}\n"),
                        },
                        Edit {
                            span: Span::new(source.file, line_start..line_end),
                            content: String::new(),
                        },
                    ],
                });
            }
            out.push(d);
        }
    }
}
