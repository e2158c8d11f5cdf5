use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::syntax::yaml::Node;

use super::image::Image;

declare_rule! {
    /// A Docker `HEALTHCHECK` in an image whose roles run behind kamal-proxy, which ignores it.
    ///
    /// ## What it does
    /// Reports the `HEALTHCHECK` in effect in the image a load builds (the last one of the
    /// stage Kamal builds and the stages it is built on, unless it is `HEALTHCHECK NONE`) when
    /// at least one role runs behind kamal-proxy.
    ///
    /// ## Why is this bad?
    /// For roles behind the proxy, Kamal 2 decides whether a new container is healthy by
    /// kamal-proxy's own HTTP check — `GET` on `proxy.healthcheck.path` (default `/up`) at
    /// `app_port` — and never looks at Docker's health status, so tuning the `HEALTHCHECK`
    /// changes nothing about deploys. It still runs in every container, and for roles
    /// **without** the proxy (job workers with their own `cmd`) Kamal does wait for Docker's
    /// status to be `healthy`: a check that probes the web server fails there and stops their
    /// deploy.
    ///
    /// ## Example
    /// ```dockerfile
    /// HEALTHCHECK --interval=30s CMD curl -f http://localhost/up || exit 1
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   healthcheck:
    ///     path: /up
    ///     interval: 3
    ///     timeout: 3
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.1 (`readiness_delay`), §3.4 (`proxy.healthcheck`) and §5
    /// - <https://kamal-deploy.org/docs/configuration/proxy/#healthcheck>
    /// - <https://docs.docker.com/reference/dockerfile/#healthcheck>
    pub static IMAGE_HEALTHCHECK_IGNORED = {
        code: "F006",
        name: "image-healthcheck-ignored",
        category: Dockerfile,
        severity: Info,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(image) = Image::of(cx) else { return };
    let Some(proxied) = cx.roles.list.iter().find(|r| r.running_proxy) else {
        return;
    };
    let Some((_, ins)) = image
        .instructions()
        .into_iter()
        .rfind(|(_, i)| i.keyword == "HEALTHCHECK")
    else {
        return;
    };
    if ins.healthcheck().is_none_or(|h| h.none) {
        return;
    }
    let path = proxied
        .proxy
        .and_then(|p| p.value.get("healthcheck"))
        .or_else(|| cx.config.get("proxy").and_then(|p| p.get("healthcheck")))
        .and_then(|h| h.get("path"))
        .filter(|p| !p.is_erb())
        .and_then(Node::as_str)
        .unwrap_or("/up")
        .to_string();
    let mut d = Diagnostic::new(
        &IMAGE_HEALTHCHECK_IGNORED,
        image.span(ins.keyword_span.start..ins.span.end),
        format!(
            "kamal-proxy ignores Docker's `HEALTHCHECK`: it checks `{path}` on `app_port` itself before sending traffic"
        ),
    )
    .with_help("tune the check with `proxy.healthcheck` (`path`, `interval`, `timeout`) in deploy.yml");
    let site = proxied
        .proxy
        .map(|p| p.key.span)
        .or_else(|| cx.config.entry("proxy").map(|p| p.key.span));
    if let Some(span) = site {
        d = d.with_label(span, "the health check that counts is configured here");
    }
    for role in cx.roles.list.iter().filter(|r| !r.running_proxy) {
        if let (Some(key), Some(_)) = (role.key, role.get("cmd")) {
            d = d.with_label(
                key.span,
                format!(
                    "role `{}` runs without the proxy: Kamal waits for this `HEALTHCHECK` to pass, which fails if it probes a server `cmd` does not start",
                    role.name
                ),
            );
        }
    }
    out.push(d);
}
