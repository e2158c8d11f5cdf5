use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A `service` name with characters other than letters, digits, `-` and `_`.
    ///
    /// ## What it does
    /// Checks `service` against Kamal's pattern `^[a-z0-9_-]+$` (case-insensitive). Dots, spaces
    /// and slashes are reported, and so is a number (`service: 123`), which Kamal cannot match.
    ///
    /// ## Why is this bad?
    /// The service name starts every container name and is the `service` label by which Kamal finds
    /// its containers. Kamal 2.8.2 stops with
    /// `Service name can only include alphanumeric characters, hyphens, and underscores`.
    ///
    /// ## Example
    /// ```yaml
    /// service: acme.storefront
    /// ```
    /// Use instead:
    /// ```yaml
    /// service: acme-storefront
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.1 (`service`), §4.1 (step 17) and §4.3
    /// - [Kamal docs: configuration overview](https://kamal-deploy.org/docs/configuration/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static INVALID_SERVICE_NAME = {
        code: "K010",
        name: "invalid-service-name",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The service name is invalid; `name` is its text when it is a string or a symbol.
pub(crate) fn diagnostic(span: Span, name: Option<&str>) -> Diagnostic {
    let help = match name {
        Some(name) => {
            let suggestion: String = name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            format!("rename it, e.g. `{suggestion}`")
        }
        None => "write the name as a string of letters, e.g. `service: my-app`".into(),
    };
    Diagnostic::new(
        &INVALID_SERVICE_NAME,
        span,
        "the service name may only use letters, digits, `-` and `_`",
    )
    .with_kamal("Service name can only include alphanumeric characters, hyphens, and underscores")
    .with_help(help)
}
