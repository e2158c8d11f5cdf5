use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// `hooks_path` containing whitespace: Kamal cannot run the hooks.
    ///
    /// ## What it does
    /// Reports a `hooks_path` with spaces or other whitespace.
    ///
    /// ## Why is this bad?
    /// Kamal runs a hook as the command `/usr/bin/env HOOKS_PATH/NAME` through SSHKit, which
    /// splits the command on whitespace: the hook is not found and the Kamal command aborts.
    ///
    /// ## Example
    /// ```yaml
    /// hooks_path: deploy hooks
    /// ```
    /// Use instead:
    /// ```yaml
    /// hooks_path: deploy_hooks
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1
    pub static HOOKS_PATH_WHITESPACE = {
        code: "C012",
        name: "hooks-path-whitespace",
        category: Config,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(path) = cx.config.get("hooks_path") else {
        return;
    };
    let Some(text) = path.as_str().filter(|_| !path.is_erb()) else {
        return;
    };
    if text.chars().any(char::is_whitespace) {
        out.push(
            Diagnostic::new(
                &HOOKS_PATH_WHITESPACE,
                path.span,
                "`hooks_path` contains whitespace: Kamal splits the hook command there and cannot run hooks",
            )
            .with_help("rename the folder without spaces"),
        );
    }
}
