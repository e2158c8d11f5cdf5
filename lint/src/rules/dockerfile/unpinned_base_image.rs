use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::text::Span;

declare_rule! {
    /// `FROM` an image without a tag, or with `:latest`.
    ///
    /// ## What it does
    /// Reports base images written without a tag or digest (`FROM node`) or with the `latest`
    /// tag. Earlier stages (`FROM build`), `scratch`, and images whose reference uses an
    /// `ARG` (`FROM ruby:$RUBY_VERSION-slim`) are left alone.
    ///
    /// ## Why is this bad?
    /// Without a tag Docker pulls `latest`, which moves: the next `kamal deploy` may build on a
    /// new major version of the language or the OS that nobody tested, and two builds of the
    /// same commit (a deploy and a later rebuild for a destination or a rollback) differ. The
    /// failure then shows up at boot on the servers, not in review.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// ```
    /// or a digest (`node:22-slim@sha256:…`) for fully reproducible builds.
    ///
    /// ## References
    /// - <https://docs.docker.com/build/building/best-practices/#pin-base-image-versions>
    /// - hadolint DL3006, DL3007
    pub static UNPINNED_BASE_IMAGE = {
        code: "F014",
        name: "unpinned-base-image",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        let df = &source.parsed;
        for (n, stage) in df.stages.iter().enumerate() {
            let image = stage.image.trim();
            if stage.parent.is_some() || image.is_empty() || image.contains('$') {
                continue;
            }
            let lower = image.to_ascii_lowercase();
            // an earlier stage by name (also one defined later is not a stage reference)
            if lower == "scratch"
                || df.stages[..n]
                    .iter()
                    .any(|s| s.name.as_deref() == Some(lower.as_str()))
            {
                continue;
            }
            let (name, digest) = match image.split_once('@') {
                Some((n, d)) => (n, Some(d)),
                None => (image, None),
            };
            if digest.is_some() {
                continue;
            }
            let last = name.rsplit('/').next().unwrap_or(name);
            let tag = last.split_once(':').map(|(_, t)| t);
            let message = match tag {
                None => format!(
                    "`FROM {image}` has no tag: Docker pulls whatever `latest` is at build time"
                ),
                Some("latest") => {
                    format!("`FROM {image}` builds on whatever `latest` is at build time")
                }
                Some(_) => continue,
            };
            out.push(
                Diagnostic::new(
                    &UNPINNED_BASE_IMAGE,
                    Span::new(source.file, stage.image_span.clone()),
                    message,
                )
                .with_help("pin a version tag (`ruby:3.4-slim`, `node:22-slim`) or a digest, so every build uses the image you tested"),
            );
        }
    }
}
