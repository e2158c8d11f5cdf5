use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::text::Span;

declare_rule! {
    /// Several `CMD`, `ENTRYPOINT` or `HEALTHCHECK` in one stage: only the last one counts.
    ///
    /// ## What it does
    /// Reports every `CMD`, `ENTRYPOINT` and `HEALTHCHECK` of a stage that a later one of the
    /// same kind in that stage replaces.
    ///
    /// ## Why is this bad?
    /// These instructions set one value of the image configuration; each replaces the previous
    /// one, so the earlier ones are dead code — and often the one the author meant. A
    /// Dockerfile that ends with a development `CMD` left below the production one starts the
    /// wrong server under Kamal.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["./bin/thrust", "./bin/rails", "server"]
    /// CMD ["./bin/rails", "server", "-b", "0.0.0.0"]
    /// ```
    /// Use instead: keep one `CMD`.
    ///
    /// ## References
    /// - <https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/>
    /// - hadolint DL4003, DL4004
    pub static MULTIPLE_CMD = {
        code: "F010",
        name: "multiple-cmd",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        let df = &source.parsed;
        for stage in &df.stages {
            for keyword in ["CMD", "ENTRYPOINT", "HEALTHCHECK"] {
                let found: Vec<usize> = (stage.from + 1..stage.instructions.end)
                    .filter(|&i| df.instructions[i].keyword == keyword)
                    .collect();
                let Some((&last, earlier)) = found.split_last() else {
                    continue;
                };
                let last = &df.instructions[last];
                for &i in earlier {
                    let ins = &df.instructions[i];
                    out.push(
                        Diagnostic::new(
                            &MULTIPLE_CMD,
                            Span::new(source.file, ins.keyword_span.start..ins.span.end),
                            format!("this `{keyword}` has no effect: a later `{keyword}` in the same stage replaces it"),
                        )
                        .with_label(
                            Span::new(source.file, last.keyword_span.start..last.span.end),
                            "this one counts",
                        )
                        .with_help(format!("keep one `{keyword}` per stage")),
                    );
                }
            }
        }
    }
}
