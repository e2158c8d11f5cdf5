use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::context::LoadContext;
use crate::rules::walk;

use super::image::{self, Image};

declare_rule! {
    /// A `RUN --mount=type=secret` whose id `builder.secrets` does not list.
    ///
    /// ## What it does
    /// Looks at the secret mounts of the stages the build runs (the stage Kamal builds, the
    /// stages it is built on and those it copies from) and reports an id that is not in
    /// `builder.secrets`, the only build secrets Kamal passes (`--secret id=NAME`).
    ///
    /// ## Why is this bad?
    /// BuildKit mounts nothing for a secret the build was not given: with `required=true` the
    /// build fails (`secret NAME: not found`); without it the step runs with no file at
    /// `/run/secrets/NAME` (or an unset variable), so a `cat` of it fails the step, or a
    /// private dependency is silently skipped. It works on a laptop that passes `--secret` by
    /// hand, and fails under `kamal build`. The severity is error with `required=true`.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN --mount=type=secret,id=BUNDLE_GITHUB__COM,env=BUNDLE_GITHUB__COM bundle install
    /// ```
    /// with no `builder.secrets`. Use instead:
    /// ```yaml
    /// builder:
    ///   arch: amd64
    ///   secrets:
    ///     - BUNDLE_GITHUB__COM
    /// ```
    /// and define `BUNDLE_GITHUB__COM` in `.kamal/secrets`.
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.7 (`builder.secrets`) and §7.4
    /// - <https://docs.docker.com/reference/dockerfile/#run---mounttypesecret>
    pub static BUILD_SECRET_MISSING = {
        code: "F004",
        name: "build-secret-missing",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(image) = Image::of(cx) else { return };
    let builder = cx.config.get("builder");
    let list = builder.and_then(|b| b.get("secrets"));
    if list.is_some_and(|l| l.is_erb() || l.seq().is_some_and(|s| s.iter().any(|i| i.is_erb()))) {
        return;
    }
    if cx.dynamic {
        return;
    }
    let secrets: Vec<String> = walk::string_items(list)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let stages = image::reachable_stages(image.df(), image.stage);
    let mut seen: Vec<String> = Vec::new();
    for m in image::secret_mounts(image.source, &stages) {
        let Some(id) = m.id else { continue };
        if secrets.contains(&id) || seen.contains(&id) {
            continue;
        }
        seen.push(id.clone());
        let outcome = if m.required {
            "the build fails (`required=true`)"
        } else {
            "the step runs without it"
        };
        let mut d = Diagnostic::new(
            &BUILD_SECRET_MISSING,
            m.span,
            format!("build secret `{id}` is not in `builder.secrets`: Kamal does not pass it, so {outcome}"),
        )
        .with_help(format!(
            "add `{id}` to `builder.secrets` (and define it in the secrets files)"
        ));
        let site = cx
            .config
            .get("builder")
            .and_then(|b| b.entry("secrets"))
            .or_else(|| cx.config.entry("builder"));
        if let Some(site) = site {
            let note = if site.key.as_str() == Some("secrets") {
                "the build secrets Kamal passes"
            } else {
                "no `secrets`: Kamal passes no build secret"
            };
            d = d.with_label(site.key.span, note);
        }
        if m.required {
            d.severity = Severity::Error;
        }
        out.push(d);
    }
}
