use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A registry `username` or `password` that is neither a string nor a list of one secret name.
    ///
    /// ## What it does
    /// Checks `username` and `password` of the root registry and of accessory registries with
    /// Kamal's strict rule: a string, used as it is, or a list of exactly one string, the name of
    /// a secret looked up in `.kamal/secrets`. Numbers, longer lists and hashes are reported.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with
    /// `registry/password: should be a string or an array with one string (for secret lookup)`
    /// (`accessories/NAME/registry/…` for an accessory). Unlike other string settings, numbers are
    /// refused here, and a list of several names is not a list of fallbacks.
    ///
    /// ## Example
    /// ```yaml
    /// registry:
    ///   server: ghcr.io
    ///   username: acme
    ///   password:
    ///     - KAMAL_REGISTRY_PASSWORD
    ///     - GITHUB_TOKEN
    /// ```
    /// Use instead:
    /// ```yaml
    /// registry:
    ///   server: ghcr.io
    ///   username: acme
    ///   password:
    ///     - KAMAL_REGISTRY_PASSWORD
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §2 (the registry exception) and §3.5 (registry)
    /// - [Kamal docs: Docker registry](https://kamal-deploy.org/docs/configuration/docker-registry/)
    /// - [`validator/registry.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/registry.rb)
    /// - [basecamp/kamal#91](https://github.com/basecamp/kamal/pull/91): the one-item list form for secrets
    pub static INVALID_REGISTRY_CREDENTIAL = {
        code: "K005",
        name: "invalid-registry-credential",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The registry's `name` (`username` or `password`) is a `found` (the value's kind in words).
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, name: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        &INVALID_REGISTRY_CREDENTIAL,
        span,
        format!(
            "registry `{name}` should be a string, or a list of one secret name, found {found}"
        ),
    )
    .with_kamal(ctx.message("should be a string or an array with one string (for secret lookup)"))
    .with_help(format!(
        "write `{name}: [SECRET_NAME]` to look the value up in `.kamal/secrets`"
    ))
}
