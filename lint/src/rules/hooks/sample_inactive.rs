use super::{active_dirs, first_line, hook_name, shown};
use crate::diagnostic::Diagnostic;
use crate::project::normalize;
use crate::rules::context::ProjectContext;

declare_rule! {
    /// An edited `.sample` hook: it never runs, and no real hook of that name exists.
    ///
    /// ## What it does
    /// Reports `NAME.sample` in a hooks folder Kamal uses when its code differs from the sample
    /// `kamal init` writes and no `NAME` hook sits next to it. The untouched samples of
    /// `kamal init` are not reported.
    ///
    /// ## Why is this bad?
    /// Kamal ignores `.sample` files: they are examples. Editing `pre-deploy.sample` in place —
    /// adding the CI check the team relies on — changes nothing: the hook only runs once the
    /// file is named `pre-deploy` (and is executable).
    ///
    /// ## Example
    /// ```text
    /// .kamal/hooks/pre-deploy.sample   # edited to check CI, never run
    /// ```
    /// Use instead:
    /// ```sh
    /// cp .kamal/hooks/pre-deploy.sample .kamal/hooks/pre-deploy
    /// ```
    /// (or `git mv`), keeping the executable bit.
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1 (`.sample` files are ignored) and §8.3 (the samples of `kamal init`)
    /// - [Kamal docs: hooks overview](https://kamal-deploy.org/docs/hooks/overview/)
    pub static HOOK_SAMPLE_INACTIVE = {
        code: "H002",
        name: "hook-sample-inactive",
        category: Hooks,
        severity: Info,
        fix: None,
    };
}

/// Fingerprints (FNV-1a of the code lines, comments and blank lines left out) of the samples
/// `kamal init` writes.
const SAMPLES: &[(&str, u64)] = &[
    ("docker-setup", 0x7226af176b113e02),
    ("post-app-boot", 0x3c299c0494eb4018),
    ("post-deploy", 0xaba678ffb3fc4931),
    ("post-proxy-reboot", 0xd1d212ad6a84dc4e),
    ("pre-app-boot", 0x8ca17c589fd7fdab),
    ("pre-build", 0xb156a0f640b74907),
    ("pre-connect", 0xe2da2ff0fd057cba),
    ("pre-deploy", 0x750b5964bc03766e),
    ("pre-proxy-reboot", 0x644199f1ebeba323),
];

fn fingerprint(text: &str) -> u64 {
    let code: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut h: u64 = 0xcbf29ce484222325;
    for b in code.join("\n").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Whether a sample is (in its code) what `kamal init` writes, or holds no code at all.
fn pristine(name: &str, text: &str) -> bool {
    let has_code = text
        .lines()
        .map(str::trim)
        .any(|l| !l.is_empty() && !l.starts_with('#'));
    !has_code
        || SAMPLES
            .iter()
            .any(|(n, h)| *n == name && *h == fingerprint(text))
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    let dirs = active_dirs(cx);
    for hook in cx.hooks {
        let Some(name) = hook.name.strip_suffix(".sample").and_then(hook_name) else {
            continue;
        };
        let folder = hook.path.parent().map(normalize);
        if let Some(dirs) = &dirs {
            if !folder.as_ref().is_some_and(|f| dirs.contains(f)) {
                continue;
            }
        }
        let real_exists = cx
            .hooks
            .iter()
            .any(|h| h.name == name && h.path.parent() == hook.path.parent());
        let text = &cx.files.get(hook.file).text;
        if real_exists || pristine(name, text) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &HOOK_SAMPLE_INACTIVE,
                first_line(hook, text),
                format!(
                    "`{}` was edited, but Kamal ignores `.sample` files: there is no `{name}` hook, so this never runs",
                    shown(cx, hook)
                ),
            )
            .with_help(format!("to run it, rename it to `{name}` (keeping it executable)")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_recognised_whatever_their_comments() {
        let sample = "#!/bin/sh\n\n# A comment\necho \"Docker set up on $KAMAL_HOSTS...\"\n";
        assert!(pristine("docker-setup", sample));
        let other_shebang = "#!/usr/bin/env sh\necho \"Docker set up on $KAMAL_HOSTS...\"\n";
        assert!(pristine("docker-setup", other_shebang));
        assert!(!pristine("docker-setup", "#!/bin/sh\nssh root@x true\n"));
        assert!(pristine("pre-deploy", "#!/bin/sh\n# nothing yet\n"));
    }
}
