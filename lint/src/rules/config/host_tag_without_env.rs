use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::syntax::yaml::Node;

declare_rule! {
    /// A host tag with no `env.tags` entry: Kamal crashes when it boots that host.
    ///
    /// ## What it does
    /// Reports tags given to hosts (`- 10.0.0.5: [gpu]`) that have no `env.tags.TAG` entry in
    /// the root env.
    ///
    /// ## Why is this bad?
    /// Kamal's validation does not check tags, but when it builds the env of a tagged host at
    /// deploy time it looks up `env.tags.TAG` and crashes on a missing one
    /// (`undefined method 'env' for nil:NilClass`, or `undefined method '[]' for nil:NilClass`
    /// when there is no `env` at all). This happens even for tags used only to place accessories.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.0.5: gpu
    /// ```
    /// Use instead:
    /// ```yaml
    /// servers:
    ///   web:
    ///     - 10.0.0.5: gpu
    /// env:
    ///   tags:
    ///     gpu: {}
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.3 (host tags)
    /// - <https://kamal-deploy.org/docs/configuration/environment-variables/>
    pub static HOST_TAG_WITHOUT_ENV = {
        code: "C001",
        name: "host-tag-without-env",
        category: Config,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let env = cx.config.get("env");
    if env.is_some_and(Node::is_erb) || cx.dynamic {
        return;
    }
    let tags = env.and_then(|e| e.get("tags"));
    if tags.is_some_and(|t| t.is_erb() || !t.is_map()) {
        return;
    }
    for (role, host) in cx.roles.hosts() {
        for (tag, span) in &host.tags {
            if tags.is_some_and(|t| t.get(tag).is_some()) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &HOST_TAG_WITHOUT_ENV,
                    *span,
                    format!(
                        "host `{}` of role `{}` has the tag `{tag}`, which has no `env.tags.{tag}` entry: Kamal crashes booting it",
                        host.name, role.name
                    ),
                )
                .with_help(format!("add `{tag}: {{}}` under `env.tags` (it may stay empty)")),
            );
        }
    }
}
