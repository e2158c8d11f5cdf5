use super::{active, first_line, shown};
use crate::diagnostic::Diagnostic;
use crate::git::ModeSource;
use crate::rules::context::ProjectContext;

declare_rule! {
    /// A hook without the executable bit: Kamal cannot run it.
    ///
    /// ## What it does
    /// Reads the mode of each hook from the git index when the project is a git checkout and
    /// the hook is tracked (`100644` is not executable, `100755` is), so that every operating
    /// system and every CI runner gets the same answer; otherwise from the file system. Reports
    /// hooks that are not executable — and tracked hooks that git records as executable but
    /// that are not executable in this checkout.
    ///
    /// ## Why is this bad?
    /// Kamal runs a hook as `/usr/bin/env .kamal/hooks/NAME`. Without the executable bit that
    /// fails with `Permission denied` and exit status 126, which counts as a failed hook: the
    /// Kamal command aborts with ``Hook `NAME` failed``. A hook created on Windows, or committed
    /// from an editor that drops modes, is `100644` in git, so it fails in CI and in every fresh
    /// clone even when it works on the machine where it was written.
    ///
    /// ## Example
    /// ```text
    /// $ git ls-files -s .kamal/hooks
    /// 100644 3f2a… 0	.kamal/hooks/pre-deploy
    /// ```
    /// Use instead:
    /// ```sh
    /// chmod +x .kamal/hooks/pre-deploy
    /// git update-index --chmod=+x .kamal/hooks/pre-deploy
    /// ```
    ///
    /// ## Fix
    /// None: sextant does not change file modes.
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1 (a hook needs the executable bit, or fails with 126/127)
    /// - [Kamal docs: hooks overview](https://kamal-deploy.org/docs/hooks/overview/)
    /// - [`lib/kamal/commands/hook.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/commands/hook.rb)
    pub static HOOK_NOT_EXECUTABLE = {
        code: "H004",
        name: "hook-not-executable",
        category: Hooks,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (_, hook) in active(cx) {
        let Some(bit) = hook.executable else { continue };
        let path = shown(cx, hook);
        let text = &cx.files.get(hook.file).text;
        let at = first_line(hook, text);
        let fails = format!(
            "Kamal's `/usr/bin/env {path}` fails with `Permission denied` (exit status 126)"
        );
        let d = match (bit.executable, bit.source, bit.on_disk) {
            // git records it executable: only this checkout lacks the bit
            (true, ModeSource::GitIndex, Some(false)) => Diagnostic::new(
                &HOOK_NOT_EXECUTABLE,
                at,
                format!("`{path}` is not executable in this checkout (git records it as 100755): here {fails}"),
            )
            .with_help(format!("run `chmod +x {path}`")),
            (true, _, _) => continue,
            // executable here, but not in git: every other checkout fails
            (false, ModeSource::GitIndex, Some(true)) => Diagnostic::new(
                &HOOK_NOT_EXECUTABLE,
                at,
                format!("git records `{path}` as 100644, not executable (although it is in this checkout): in every fresh clone, CI included, {fails}"),
            )
            .with_help(format!("run `git update-index --chmod=+x {path}` and commit")),
            (false, _, _) => Diagnostic::new(
                &HOOK_NOT_EXECUTABLE,
                at,
                format!("`{path}` is not executable: {fails}"),
            )
            .with_help(format!("run `chmod +x {path}` and commit the mode (`git update-index --chmod=+x {path}`)")),
        };
        out.push(d);
    }
}
