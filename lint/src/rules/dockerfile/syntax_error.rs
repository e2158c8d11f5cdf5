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
                    problem.message.clone(),
                )
                .with_help("Docker stops the build here: `kamal deploy` fails before it starts"),
            );
        }
    }
}
