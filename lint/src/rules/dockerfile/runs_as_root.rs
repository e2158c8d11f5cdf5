use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

use super::image::Image;

declare_rule! {
    /// The image Kamal builds runs its containers as root.
    ///
    /// ## What it does
    /// Looks for the last `USER` of the stage Kamal builds and of the stages it is built on.
    /// Reports a final `USER root` (or `0`), and the absence of any `USER` unless the base image
    /// is one known to run unprivileged (distroless `:nonroot`, Chainguard, Bitnami,
    /// `nginx-unprivileged`).
    ///
    /// ## Why is this bad?
    /// Without a `USER`, the app runs as the base image's user, root for almost every image
    /// (`ruby`, `node`, `python`, `nginx`, `scratch`). A vulnerability in the app then gives
    /// root inside the container, with write access to everything in the image, to the volumes
    /// Kamal mounts, and a much shorter way out of the container. Rails 8's generated
    /// Dockerfile creates a `rails` user (uid 1000) for this reason; binding port 80 (Thruster)
    /// works without root, since Docker lets containers bind low ports.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ruby:3.4-slim
    /// WORKDIR /rails
    /// COPY . .
    /// CMD ["./bin/thrust", "./bin/rails", "server"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN groupadd --system --gid 1000 rails && \
    ///     useradd rails --uid 1000 --gid 1000 --create-home --shell /bin/bash && \
    ///     chown -R rails:rails db log storage tmp
    /// USER 1000:1000
    /// CMD ["./bin/thrust", "./bin/rails", "server"]
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2, §10.2 (Rails 8 Dockerfile conventions)
    /// - <https://docs.docker.com/build/building/best-practices/#user>
    /// - hadolint DL3002
    pub static IMAGE_RUNS_AS_ROOT = {
        code: "F008",
        name: "image-runs-as-root",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

/// Base images that run as an unprivileged user by default.
fn unprivileged_base(image: &str) -> bool {
    let lower = image.to_ascii_lowercase();
    let (name, tag) = match lower.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, t),
        _ => (lower.as_str(), ""),
    };
    (name.contains("distroless") && tag.contains("nonroot"))
        || (name.starts_with("cgr.dev/chainguard/") && !tag.contains("dev"))
        || name.contains("-unprivileged")
        || name.starts_with("bitnami/")
        || name.starts_with("docker.io/bitnami/")
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(image) = Image::of(cx) else { return };
    let df = image.df();
    let last_user = image
        .instructions()
        .into_iter()
        .rfind(|(_, i)| i.keyword == "USER");
    match last_user {
        Some((i, ins)) => {
            let Some(word) = ins.user() else { return };
            let user = df.scope_at(i).substitute(&word.value);
            let name = user.split(':').next().unwrap_or("").trim();
            if name != "root" && name != "0" {
                return;
            }
            out.push(
                Diagnostic::new(
                    &IMAGE_RUNS_AS_ROOT,
                    image.span(word.span),
                    format!("the image runs as root: `USER {user}` is the last `USER` of the stage Kamal builds"),
                )
                .with_help("switch back to an unprivileged user (`USER 1000:1000`) after the steps that need root"),
            );
        }
        None => {
            let base = image.base_image();
            if base.contains('$') || unprivileged_base(&base) {
                return;
            }
            let from = &df.instructions[image.stage.from];
            out.push(
                Diagnostic::new(
                    &IMAGE_RUNS_AS_ROOT,
                    image.span(from.keyword_span.start..from.span.end),
                    format!(
                        "no `USER` in the stage Kamal builds{}: containers run as the default user of `{base}`, root for most images",
                        if image.chain.len() > 1 { " or the stages it is built on" } else { "" }
                    ),
                )
                .with_help("create an unprivileged user and end the stage with `USER 1000:1000` (or the user's name)"),
            );
        }
    }
}
