use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A host-list entry written as a hash that does not hold exactly one host.
    ///
    /// ## What it does
    /// In host lists (`servers`, a role's list or `hosts`, `proxy.hosts`, an accessory's `hosts`)
    /// an entry is a host name or a one-key hash `HOST: TAG` / `HOST: [TAG, …]` that tags the host.
    /// This rule reports hash entries with several keys (or none).
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 rejects the configuration with `servers/web/0: multiple hosts found`, the path
    /// naming the list and the entry's index. The cause is almost always a missing `-`: YAML then
    /// reads the second host as one more key of the first entry.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.1.10: primary
    ///       10.0.1.11: replica
    /// ```
    /// Use instead:
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.1.10: primary
    ///     - 10.0.1.11: replica
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §2 (rule 3: `hosts` lists), §3.2 (servers) and §3.3 (host tags)
    /// - [Kamal docs: servers](https://kamal-deploy.org/docs/configuration/servers/)
    /// - [`validator.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator.rb)
    pub static MULTIPLE_HOSTS = {
        code: "K004",
        name: "multiple-hosts-in-entry",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// A host entry (at `span`) that is a hash of `pairs` pairs, not one.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, pairs: usize) -> Diagnostic {
    Diagnostic::new(
        &MULTIPLE_HOSTS,
        span,
        format!("a host entry must be one `HOST: TAGS` pair, this one has {pairs}"),
    )
    .with_kamal(ctx.message("multiple hosts found"))
    .with_help("write each host as its own list item: `- HOST: TAG`")
}
