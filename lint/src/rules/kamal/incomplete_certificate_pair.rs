use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A custom certificate without its private key, or a private key without its certificate.
    ///
    /// ## What it does
    /// In an `ssl` hash (Kamal ≥ 2.7), `certificate_pem` and `private_key_pem` name the secrets
    /// that hold the certificate and its key. This rule reports one given without the other, or
    /// with an empty value.
    ///
    /// ## Why is this bad?
    /// kamal-proxy needs both halves to serve TLS. Kamal 2.8.2 stops with
    /// `proxy: Missing private_key_pem setting (required when certificate_pem is present)` or
    /// `proxy: Missing certificate_pem setting (required when private_key_pem is present)`.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   ssl:
    ///     certificate_pem: CERTIFICATE_PEM
    /// ```
    /// Use instead (both names defined in `.kamal/secrets`):
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   ssl:
    ///     certificate_pem: CERTIFICATE_PEM
    ///     private_key_pem: PRIVATE_KEY_PEM
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.4 (proxy validation, step 4)
    /// - [Kamal docs: proxy](https://kamal-deploy.org/docs/configuration/proxy/)
    /// - [`validator/proxy.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/proxy.rb)
    /// - [basecamp/kamal#1585](https://github.com/basecamp/kamal/pull/1585): custom certificate docs
    pub static INCOMPLETE_CERTIFICATE = {
        code: "K018",
        name: "incomplete-certificate-pair",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `certificate_pem` without `private_key_pem`.
pub(crate) fn missing_private_key(span: Span, ctx: &Ctx) -> Diagnostic {
    Diagnostic::new(
        &INCOMPLETE_CERTIFICATE,
        span,
        "a custom certificate needs `private_key_pem` too",
    )
    .with_kamal(
        ctx.message("Missing private_key_pem setting (required when certificate_pem is present)"),
    )
    .with_help("add `private_key_pem: SECRET_NAME` next to `certificate_pem`")
}

/// `private_key_pem` without `certificate_pem`.
pub(crate) fn missing_certificate(span: Span, ctx: &Ctx) -> Diagnostic {
    Diagnostic::new(
        &INCOMPLETE_CERTIFICATE,
        span,
        "a custom private key needs `certificate_pem` too",
    )
    .with_kamal(
        ctx.message("Missing certificate_pem setting (required when private_key_pem is present)"),
    )
    .with_help("add `certificate_pem: SECRET_NAME` next to `private_key_pem`")
}
