use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// `asset_path` on a role that does not run behind kamal-proxy, where it does nothing.
    ///
    /// ## What it does
    /// Reports a role's own `asset_path` when that role does not run the proxy.
    ///
    /// ## Why is this bad?
    /// Asset bridging (keeping old and new assets available during a deploy) only happens for
    /// roles behind kamal-proxy. On other roles the setting is silently ignored.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   job:
    ///     hosts: [10.0.0.6]
    ///     asset_path: /rails/public/assets
    /// ```
    /// Use instead: remove `asset_path` from the role (or turn the proxy on for it).
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.1 (`asset_path`) and §12.13
    pub static ASSET_PATH_WITHOUT_PROXY = {
        code: "P006",
        name: "asset-path-without-proxy",
        category: Proxy,
        severity: Info,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for role in cx.roles.list.iter().filter(|r| !r.running_proxy) {
        if let Some(e) = role.entry("asset_path") {
            out.push(
                Diagnostic::new(
                    &ASSET_PATH_WITHOUT_PROXY,
                    e.key.span,
                    format!(
                        "role `{}` does not run behind kamal-proxy: its `asset_path` has no effect",
                        role.name
                    ),
                )
                .with_help("remove it, or set `proxy: true` on the role"),
            );
        }
    }
}
