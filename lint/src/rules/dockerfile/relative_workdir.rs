use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::text::Span;

declare_rule! {
    /// A relative `WORKDIR` with no absolute one before it: the path depends on the base image.
    ///
    /// ## What it does
    /// Reports a `WORKDIR` whose path (variables substituted) does not start with `/` when no
    /// absolute `WORKDIR` comes before it in its stage or the stages it is built on.
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against the working directory of the base image, which
    /// the Dockerfile does not show and which a new base image version may change: `COPY` then
    /// writes, and the app starts, somewhere else. Paths that Kamal and deploy.yml rely on —
    /// `asset_path` (`/rails/public/assets`), volumes mounted at `/rails/storage`, the
    /// entrypoint path — then point at nothing.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ruby:3.4-slim
    /// WORKDIR rails
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ruby:3.4-slim
    /// WORKDIR /rails
    /// ```
    ///
    /// ## References
    /// - <https://docs.docker.com/reference/build-checks/workdir-relative-path/>
    /// - <https://docs.docker.com/reference/dockerfile/#workdir>
    /// - hadolint DL3000
    pub static RELATIVE_WORKDIR = {
        code: "F012",
        name: "relative-workdir",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        let df = &source.parsed;
        // whether each stage ends with an absolute (or unknown) working directory
        let mut known: Vec<bool> = Vec::new();
        for stage in &df.stages {
            let mut absolute = stage
                .parent
                .and_then(|p| known.get(p).copied())
                .unwrap_or(false);
            for i in stage.from + 1..stage.instructions.end {
                let Some(word) = df.instructions[i].workdir() else {
                    continue;
                };
                let path = df.scope_at(i).substitute(&word.value);
                let path = path.trim();
                if path.starts_with('/')
                    || path.contains('$')
                    || path.get(1..3).is_some_and(|p| p == ":\\" || p == ":/")
                {
                    absolute = true;
                    continue;
                }
                if absolute {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &RELATIVE_WORKDIR,
                        Span::new(source.file, word.span),
                        format!("relative `WORKDIR {path}`: it lands wherever the base image's working directory is"),
                    )
                    .with_help(format!("write the absolute path (`WORKDIR /{path}`, if the base image starts at `/`)")),
                );
                // one report per stage is enough: later paths build on this one
                absolute = true;
            }
            known.push(absolute);
        }
    }
}
