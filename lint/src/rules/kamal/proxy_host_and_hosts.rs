use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A proxy with both `host` and `hosts`.
    ///
    /// ## What it does
    /// Reports a proxy hash (root, role or accessory) that has both keys, also when they come from
    /// different files (`host` in `config/deploy.yml`, `hosts` in a destination file), and a role's
    /// proxy that has both once merged over the root `proxy` (root `host`, role `hosts`). The
    /// diagnostic is at the later key, with a label at the other.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with `proxy: Specify one of 'host' or 'hosts', not both`. A destination
    /// file cannot remove a key of the base file, only add one, so switching from `host` to `hosts`
    /// in one file breaks the merged configuration.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   hosts:
    ///     - app.example.com
    ///     - www.example.com
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   hosts:
    ///     - app.example.com
    ///     - www.example.com
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.4 (proxy validation, step 3) and §6 (destinations)
    /// - [Kamal docs: proxy](https://kamal-deploy.org/docs/configuration/proxy/)
    /// - [`validator/proxy.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/proxy.rb)
    /// - [basecamp/kamal#1832](https://github.com/basecamp/kamal/issues/1832): `host` in `deploy.yml`, `hosts` in `deploy.staging.yml`
    pub static PROXY_HOST_AND_HOSTS = {
        code: "K016",
        name: "proxy-host-and-hosts",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The later of `host` and `hosts` at `span`, the earlier at `other`.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, other: Span) -> Diagnostic {
    Diagnostic::new(
        &PROXY_HOST_AND_HOSTS,
        span,
        "the proxy has both `host` and `hosts`",
    )
    .with_kamal(ctx.message("Specify one of 'host' or 'hosts', not both"))
    .with_label(other, "the other one is here")
    .with_help("keep only `hosts:` and list every host name there")
}
