use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// Proxy SSL turned on without a `host` or `hosts`.
    ///
    /// ## What it does
    /// Reports `ssl: true`, or any `ssl` hash, in a proxy hash (root, role or accessory) that has
    /// no `host` and no `hosts`. A role's own proxy hash is checked before it is merged with the
    /// root proxy, so it needs a host of its own.
    ///
    /// ## Why is this bad?
    /// A certificate is issued for a host name; without one Kamal 2.8.2 stops with
    /// `proxy: Must set a host to enable automatic SSL` (`servers/ROLE/proxy: …` or
    /// `accessories/NAME/proxy: …` elsewhere). The role case surprises: `proxy: {ssl: true}` on a
    /// role fails even when the root proxy has a host; `proxy: true` takes the root settings.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   ssl: true
    ///   app_port: 3000
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   ssl: true
    ///   host: app.example.com
    ///   app_port: 3000
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.4 (proxy validation, step 2) and §13 (item 8)
    /// - [Kamal docs: proxy](https://kamal-deploy.org/docs/configuration/proxy/)
    /// - [`validator/proxy.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/proxy.rb)
    pub static SSL_WITHOUT_HOST = {
        code: "K017",
        name: "ssl-without-host",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `ssl` (its key at `span`) on in the proxy at `ctx`, without a host.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx) -> Diagnostic {
    Diagnostic::new(
        &SSL_WITHOUT_HOST,
        span,
        format!("SSL is on in {} but no `host` is set", ctx.display()),
    )
    .with_kamal(ctx.message("Must set a host to enable automatic SSL"))
    .with_help(if ctx.as_str().starts_with("servers/") {
        "a role's proxy hash is checked before it is merged with the root proxy: set \
         `host` in this role's proxy too, or use `proxy: true` to take the root settings"
    } else {
        "set `host: your.domain` (Let's Encrypt needs a host name)"
    })
}
