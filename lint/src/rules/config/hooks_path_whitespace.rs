use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// `hooks_path` containing whitespace: Kamal cannot run the hooks.
    ///
    /// ## What it does
    /// Reports a `hooks_path` with spaces or other whitespace.
    ///
    /// ## Why is this bad?
    /// Kamal runs a hook locally through SSHKit as the command `HOOKS_PATH/NAME`. SSHKit passes
    /// a command containing whitespace to the shell as a raw line (without `/usr/bin/env` and
    /// without the hook's `KAMAL_*` variables), and the shell splits the path at the space and
    /// runs its first part (`deploy` in the example below), usually `command not found`: the
    /// hook counts as failed and the Kamal command aborts.
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
