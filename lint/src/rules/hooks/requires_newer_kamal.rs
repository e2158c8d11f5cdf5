use super::{active, first_line, hook_since, shown};
use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;

declare_rule! {
    /// A hook that the targeted Kamal version does not run yet.
    ///
    /// ## What it does
    /// Reports a hook whose name exists only from a later Kamal release than the one checked
    /// against (`--kamal-version`, `Gemfile.lock`'s kamal, `minimum_version`, else 2.8.2):
    /// `pre-app-boot` and `post-app-boot` arrived with Kamal 2.6.0.
    ///
    /// ## Why is this bad?
    /// An older Kamal does not know the name and silently skips the file: whatever the hook
    /// does before or after each boot group (draining a load balancer, stopping old
    /// containers) does not happen.
    ///
    /// ## Example
    /// ```text
    /// .kamal/hooks/pre-app-boot     # with kamal 2.5.3 in Gemfile.lock
    /// ```
    /// Use instead: upgrade Kamal (`bundle update kamal`), or do the work in a hook the
    /// version runs (`pre-deploy`).
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.2 (hook names)
    /// - [Kamal docs: pre-app-boot](https://kamal-deploy.org/docs/hooks/pre-app-boot/)
    pub static HOOK_REQUIRES_NEWER_KAMAL = {
        code: "H003",
        name: "hook-requires-newer-kamal",
        category: Hooks,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (name, hook) in active(cx) {
        let since = hook_since(name);
        if since <= cx.version {
            continue;
        }
        let text = &cx.files.get(hook.file).text;
        out.push(
            Diagnostic::new(
                &HOOK_REQUIRES_NEWER_KAMAL,
                first_line(hook, text),
                format!(
                    "Kamal runs the `{name}` hook from {since}; with Kamal {} (the version checked against) `{}` never runs",
                    cx.version,
                    shown(cx, hook)
                ),
            )
            .with_help(format!("upgrade Kamal to {since} or later, or move this work to a hook {} runs", cx.version)),
        );
    }
}
