use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A registry without the `username` or `password` it needs.
    ///
    /// ## What it does
    /// Reports a missing or empty `username` or `password` in `registry` (root or accessory). A
    /// local registry, `server: localhost:PORT` (Kamal ≥ 2.8), needs neither; `server: localhost`
    /// without a port is not local. No `registry` section at all means Docker Hub without
    /// credentials.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with `registry/username: is required` or `registry/password: is required`.
    /// This is also what a configuration without a `registry` section gets: Kamal's
    /// `Missing required configuration for registry` never appears in 2.8.2.
    ///
    /// ## Example
    /// ```yaml
    /// registry:
    ///   server: ghcr.io
    ///   username: acme
    /// ```
    /// Use instead (with `KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD` in `.kamal/secrets`):
    /// ```yaml
    /// registry:
    ///   server: ghcr.io
    ///   username: acme
    ///   password:
    ///     - KAMAL_REGISTRY_PASSWORD
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.5 (registry) and §4.3 (a missing registry)
    /// - [Kamal docs: Docker registry](https://kamal-deploy.org/docs/configuration/docker-registry/)
    /// - [`validator/registry.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/registry.rb)
    /// - [basecamp/kamal#1355](https://github.com/basecamp/kamal/pull/1355): the local registry (`server: localhost:PORT`)
    pub static MISSING_REGISTRY_CREDENTIAL = {
        code: "K006",
        name: "missing-registry-credential",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The registry has no (or a blank) `name` (`username` or `password`); `ctx` is the key's.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, name: &str) -> Diagnostic {
    Diagnostic::new(
        &MISSING_REGISTRY_CREDENTIAL,
        span,
        format!("the registry needs a `{name}`"),
    )
    .with_kamal(ctx.message("is required"))
    .with_help(if name == "password" {
        "add `password: [KAMAL_REGISTRY_PASSWORD]` and define the secret in \
         `.kamal/secrets` (or use a local registry, `server: localhost:5555`)"
    } else {
        "add `username: …` (or use a local registry, `server: localhost:5555`)"
    })
}
