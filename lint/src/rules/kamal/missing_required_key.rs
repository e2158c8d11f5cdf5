use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A configuration missing `service`, `image`, or both `servers` and `accessories`.
    ///
    /// ## What it does
    /// Reports, at the top of `config/deploy.yml`, a configuration (the base alone, or merged with
    /// a destination) that lacks `service`, lacks `image` (unless the registry is local, where the
    /// image defaults to the service name), or has neither `servers` nor `accessories`. When ERB
    /// may write keys of its own (a `<%= %>` tag alone on a line), nothing is reported.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with `Missing required configuration for service`,
    /// `Missing required configuration for image` or `No servers or accessories specified`. A
    /// destination file may supply what the base lacks: sextant checks each merged configuration.
    ///
    /// ## Example
    /// ```yaml
    /// service: storefront
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    /// ```
    /// Use instead:
    /// ```yaml
    /// service: storefront
    /// image: acme/storefront
    /// servers:
    ///   web:
    ///     - 10.0.1.10
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.1 (root keys) and §4.1 (step 14: required keys)
    /// - [Kamal docs: configuration overview](https://kamal-deploy.org/docs/configuration/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static MISSING_REQUIRED_KEY = {
        code: "K007",
        name: "missing-required-key",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// No `service`.
pub(crate) fn missing_service(span: Span) -> Diagnostic {
    missing(
        span,
        "service",
        "`service` is missing: Kamal needs the service name",
        "add `service: my-app`",
    )
}

/// No `image` (and no local registry to default it to the service name).
pub(crate) fn missing_image(span: Span) -> Diagnostic {
    missing(
        span,
        "image",
        "`image` is missing: Kamal needs the image repository to build and pull",
        "add `image: OWNER/NAME`, the repository to push to (with a local registry, `server: localhost:PORT`, it defaults to the service name)",
    )
}

fn missing(span: Span, what: &str, message: &str, help: &str) -> Diagnostic {
    Diagnostic::new(&MISSING_REQUIRED_KEY, span, message)
        .with_kamal(format!("Missing required configuration for {what}"))
        .with_help(help)
}

/// Neither `servers` nor `accessories`.
pub(crate) fn no_servers(span: Span) -> Diagnostic {
    Diagnostic::new(
        &MISSING_REQUIRED_KEY,
        span,
        "no `servers` (and no `accessories`): there is nothing to deploy to",
    )
    .with_kamal("No servers or accessories specified")
    .with_help("add `servers:` with the hosts to deploy to")
}
