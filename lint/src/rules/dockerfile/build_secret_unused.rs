use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::text::Span;

use super::image::{self, Image};

declare_rule! {
    /// A `builder.secrets` name that no `RUN --mount=type=secret` of the build reads.
    ///
    /// ## What it does
    /// Kamal passes each `builder.secrets` name to the build as `--secret id=NAME`. This rule
    /// looks for a `RUN --mount=type=secret,id=NAME` (or a mount whose `target` has that base
    /// name, BuildKit's default id) in the stages the build runs: the stage Kamal builds, the
    /// stages it is built on and those it copies from. An `ARG` of the same name, a common
    /// mistake, is pointed out.
    ///
    /// ## Why is this bad?
    /// A build secret reaches a build step only through a secret mount of the same id; it is
    /// never a build arg nor an environment variable. A secret no step mounts is either a
    /// leftover (Kamal still resolves it, running your password manager at every build) or a
    /// name that does not match what the Dockerfile mounts, so the step that needs it runs
    /// without it — private gems or packages fail to install, or the build silently skips them.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   arch: amd64
    ///   secrets:
    ///     - GITHUB_TOKEN
    /// ```
    /// ```dockerfile
    /// ARG GITHUB_TOKEN
    /// RUN bundle config set rubygems.pkg.github.com "x:$GITHUB_TOKEN" && bundle install
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=GITHUB_TOKEN \
    ///     BUNDLE_RUBYGEMS__PKG__GITHUB__COM="x:$(cat /run/secrets/GITHUB_TOKEN)" bundle install
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.7 (`builder.secrets`) and §10.2
    /// - <https://kamal-deploy.org/docs/configuration/builders/#build-secrets>
    /// - <https://docs.docker.com/build/building/secrets/>
    pub static BUILD_SECRET_UNUSED = {
        code: "F003",
        name: "build-secret-unused",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(image) = Image::of(cx) else { return };
    let secrets = walk::string_items(cx.config.get("builder").and_then(|b| b.get("secrets")));
    if secrets.is_empty() {
        return;
    }
    let stages = image::reachable_stages(image.df(), image.stage);
    let mounts = image::secret_mounts(image.source, &stages);
    if mounts.iter().any(|m| m.id.is_none()) {
        return;
    }
    let args: Vec<(String, Span)> = image
        .df()
        .instructions
        .iter()
        .flat_map(|i| i.arg_decls())
        .map(|d| (d.name, image.span(d.name_span)))
        .collect();
    for (node, name) in secrets {
        if mounts
            .iter()
            .any(|m| m.id.as_deref() == Some(name.as_str()))
        {
            continue;
        }
        let mut d = Diagnostic::new(
            &BUILD_SECRET_UNUSED,
            node.span,
            format!("build secret `{name}` is not mounted by any `RUN --mount=type=secret` of the build"),
        );
        let near = mounts
            .iter()
            .find(|m| m.id.as_deref().is_some_and(|id| image::similar(id, &name)));
        let arg = args.iter().find(|(a, _)| *a == name);
        d = if let Some(m) = near {
            d.with_label(m.span, format!("this mounts `{}`", m.id.clone().unwrap_or_default()))
                .with_help("secret ids are case-sensitive: use the same name in `builder.secrets` and in `id=`")
        } else if let Some((_, span)) = arg {
            d.with_label(*span, "an `ARG` never receives a build secret")
                .with_help(format!(
                    "read it in the step that needs it: `RUN --mount=type=secret,id={name} …` (the value is in /run/secrets/{name}, or in a variable with `env={name}`)"
                ))
        } else {
            d.with_help(format!(
                "read it with `RUN --mount=type=secret,id={name} …` in the step that needs it, or remove it from `builder.secrets`"
            ))
        };
        out.push(d);
    }
}
