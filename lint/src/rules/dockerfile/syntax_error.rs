use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::text::Span;

declare_rule! {
    /// A Dockerfile that Docker cannot parse: the image Kamal builds fails before its first step.
    ///
    /// ## What it does
    /// Reports every problem the Dockerfile parser finds in a Dockerfile a load builds: an
    /// unknown instruction, a missing or extra argument (`COPY` with one path, `FROM` with two
    /// words), a flag an instruction does not take, an unterminated heredoc or JSON array, a
    /// file with no `FROM`. The wording follows BuildKit's.
    ///
    /// The message never quotes raw text of a line that failed to parse: an unknown
    /// instruction is named only when it is shaped like one (letters, at most 20), so a
    /// "Dockerfile" that is really an environment dump prints none of it.
    ///
    /// ## Why is this bad?
    /// `kamal deploy` (and `kamal build push`) builds the image first: BuildKit stops at the
    /// first of these with `dockerfile parse error` and nothing is deployed. Docker names one
    /// problem per run; this reports them all, at their lines and columns.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ruby:3.4-slim
    /// RUNN bundle install
    /// COPY Gemfile
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ruby:3.4-slim
    /// RUN bundle install
    /// COPY Gemfile ./
    /// ```
    ///
    /// ## References
    /// - <https://docs.docker.com/reference/dockerfile/>
    pub static DOCKERFILE_SYNTAX = {
        code: "F018",
        name: "dockerfile-syntax-error",
        category: Dockerfile,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        for problem in &source.parsed.problems {
            out.push(
                Diagnostic::new(
                    &DOCKERFILE_SYNTAX,
                    Span::new(source.file, problem.span.clone()),
                    message(&problem.message),
                )
                .with_help("Docker stops the build here: `kamal deploy` fails before it starts"),
            );
        }
    }
}

/// The problem's message, never quoting raw text of a line that failed to parse: an unknown
/// instruction is named only when it is shaped like one (letters, at most 20), and any other
/// word of the message that is long, holds `=`, control characters or a credential shape is
/// left out.
fn message(raw: &str) -> String {
    if let Some(rest) = raw.strip_prefix("unknown instruction: ") {
        let (word, hint) = match rest.split_once(" (did you mean ") {
            Some((w, h)) => (w, Some(h.trim_end_matches("?)"))),
            None => (rest, None),
        };
        let shaped =
            !word.is_empty() && word.len() <= 20 && word.bytes().all(|b| b.is_ascii_alphabetic());
        let mut out = if shaped {
            format!("unknown instruction `{word}`")
        } else {
            "unknown instruction (a line that is no Dockerfile instruction)".to_string()
        };
        if let Some(h) = hint.filter(|h| h.bytes().all(|b| b.is_ascii_uppercase())) {
            out.push_str(&format!(" (did you mean {h}?)"));
        }
        return out;
    }
    raw.split(' ')
        .map(|w| {
            let risky = w.len() > 40
                || w.contains('=')
                || w.chars().any(char::is_control)
                || crate::secrets::token_shape(w.trim_matches(['"', '\'', ':'])).is_some();
            if risky {
                "…"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::message;

    #[test]
    fn messages_quote_no_raw_line() {
        assert_eq!(
            message("unknown instruction: FROMM (did you mean FROM?)"),
            "unknown instruction `FROMM` (did you mean FROM?)"
        );
        let m = message("unknown instruction: GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ0123");
        assert!(!m.contains("GITHUB") && !m.contains("ghp_"), "{m}");
        let m = message("unknown instruction: s3cr3tvalue12345");
        assert!(!m.contains("s3cr3t"), "{m}");
        assert_eq!(
            message("ENV requires at least one argument"),
            "ENV requires at least one argument"
        );
    }
}
