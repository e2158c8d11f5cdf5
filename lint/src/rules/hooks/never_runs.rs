use super::{active_dirs, first_line, hook_name, shown, HOOKS};
use crate::diagnostic::Diagnostic;
use crate::project::{display_name, normalize};
use crate::rules::context::ProjectContext;

declare_rule! {
    /// A file in the hooks folder that Kamal never runs: a near-miss of a hook name, an unknown
    /// `pre-*`/`post-*` name, or a hook in a folder no configuration uses.
    ///
    /// ## What it does
    /// Looks at every file in `.kamal/hooks` and in the `hooks_path` folders and reports:
    /// - names that almost match a hook: with an extension (`pre-deploy.sh`), underscores
    ///   (`pre_deploy`), no hyphen (`predeploy`), capitals (`Pre-Deploy`) or a typo
    ///   (`pre-deply`), saying which hook was meant;
    /// - `pre-*` and `post-*` names Kamal has no hook for (`pre-migrate`, `post-build`);
    /// - correctly named hooks in `.kamal/hooks` when every configuration sets `hooks_path` to
    ///   another folder.
    ///
    /// Helper scripts that another hook refers to by name (`source .kamal/hooks/lib.sh`),
    /// near-misses next to the hook they resemble (`pre-deploy.sh` beside `pre-deploy`),
    /// `.sample` files (see `hook-sample-inactive`), dotfiles, editor backups and the Kamal 1
    /// `traefik` names (a Kamal error, K031) are not reported.
    ///
    /// ## Why is this bad?
    /// Kamal runs `HOOKS_PATH/NAME` when that exact path exists, and nothing else: the file
    /// name must be the hook name, with no extension and in lower case. A misnamed hook is
    /// silently skipped, so the check it was written for (CI status, a clean checkout, a
    /// notification) never happens, and nothing tells you.
    ///
    /// ## Example
    /// ```text
    /// .kamal/hooks/pre-deploy.sh
    /// ```
    /// Use instead:
    /// ```text
    /// .kamal/hooks/pre-deploy
    /// ```
    /// (executable, with a shebang such as `#!/bin/sh`).
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.1 (discovery) and §8.2 (hook names)
    /// - [Kamal docs: hooks overview](https://kamal-deploy.org/docs/hooks/overview/): "The hook
    ///   filename must be the hook name without any extension"
    /// - [`lib/kamal/commands/hook.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/commands/hook.rb)
    pub static HOOK_NEVER_RUNS = {
        code: "H001",
        name: "hook-never-runs",
        category: Hooks,
        severity: Warning,
        fix: None,
    };
}

/// Extensions people give hook scripts.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "sh", "bash", "zsh", "rb", "py", "js", "mjs", "cjs", "ts", "pl", "exe", "cmd", "bat", "ps1",
];

/// Why a file name misses a hook.
enum Miss {
    /// The hook it almost is, and how it differs.
    NearMiss(&'static str, &'static str),
    /// A `pre-`/`post-` name Kamal does not know.
    Unknown,
}

fn classify(file_name: &str) -> Option<Miss> {
    let lower = file_name.to_ascii_lowercase();
    let (stem, extension) = match lower.rsplit_once('.') {
        Some((stem, ext)) if SCRIPT_EXTENSIONS.contains(&ext) && !stem.is_empty() => {
            (stem.to_string(), true)
        }
        Some(_) => return None,
        None => (lower.clone(), false),
    };
    let mut normalized: String = stem
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect();
    for prefix in ["pre", "post"] {
        if normalized.starts_with(prefix) && !normalized[prefix.len()..].starts_with('-') {
            let rest = normalized[prefix.len()..].to_string();
            if !rest.is_empty() {
                normalized = format!("{prefix}-{rest}");
            }
        }
    }
    while normalized.contains("--") {
        normalized = normalized.replace("--", "-");
    }
    let mapped = normalized.replace("traefik", "proxy");
    let how = if extension {
        "has an extension"
    } else if file_name.contains('_') {
        "uses underscores"
    } else if file_name.chars().any(|c| c.is_ascii_uppercase()) {
        "has capitals (it runs only on a case-insensitive file system, as macOS's)"
    } else if normalized.contains("traefik") {
        "names Traefik"
    } else {
        "lacks a hyphen"
    };
    if let Some(hook) = hook_name(&mapped) {
        return Some(Miss::NearMiss(hook, how));
    }
    if normalized.len() >= 7 {
        if let Some((hook, _)) = HOOKS
            .iter()
            .map(|h| (h.name, strsim::levenshtein(&mapped, h.name)))
            .filter(|(_, d)| *d <= 2)
            .min_by_key(|(_, d)| *d)
        {
            return Some(Miss::NearMiss(hook, "is misspelt"));
        }
    }
    if normalized.starts_with("pre-") || normalized.starts_with("post-") {
        return Some(Miss::Unknown);
    }
    None
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    let dirs = active_dirs(cx);
    for hook in cx.hooks {
        let name = hook.name.as_str();
        if name.starts_with('.')
            || name.starts_with('#')
            || name.ends_with('~')
            || name.ends_with(".sample")
            || matches!(name, "pre-traefik-reboot" | "post-traefik-reboot")
        {
            continue;
        }
        let text = &cx.files.get(hook.file).text;
        let at = first_line(hook, text);
        let folder = hook.path.parent().map(normalize);
        if hook_name(name).is_some() {
            // a hook in a folder no load reads
            let Some(dirs) = &dirs else { continue };
            if folder.as_ref().is_some_and(|f| dirs.contains(f)) {
                continue;
            }
            let used: Vec<String> = dirs
                .iter()
                .map(|d| format!("`{}`", display_name(d, cx.root)))
                .collect();
            out.push(
                Diagnostic::new(
                    &HOOK_NEVER_RUNS,
                    at,
                    format!(
                        "`{}` never runs: the configuration sets `hooks_path`, so Kamal looks for hooks in {} only",
                        shown(cx, hook),
                        used.join(" and ")
                    ),
                )
                .with_help("move the hook to the `hooks_path` folder, or remove `hooks_path`"),
            );
            continue;
        }
        let Some(miss) = classify(name) else { continue };
        // a helper that a hook of the same folder uses by name
        let helper = cx.hooks.iter().any(|other| {
            other.file != hook.file
                && other.path.parent() == hook.path.parent()
                && cx.files.get(other.file).text.contains(name)
        });
        if helper {
            continue;
        }
        // the hook it resembles exists: this is a copy or a helper, not the hook
        if let Miss::NearMiss(meant, _) = miss {
            if cx
                .hooks
                .iter()
                .any(|h| h.name == meant && h.path.parent() == hook.path.parent())
            {
                continue;
            }
        }
        let d = match miss {
            Miss::NearMiss(hook_name, how) => Diagnostic::new(
                &HOOK_NEVER_RUNS,
                at,
                format!(
                    "`{}` never runs: its name {how}, and Kamal runs only a file named exactly `{hook_name}`",
                    shown(cx, hook)
                ),
            )
            .with_help(format!("rename it to `{hook_name}`")),
            Miss::Unknown => Diagnostic::new(
                &HOOK_NEVER_RUNS,
                at,
                format!(
                    "`{}` never runs: Kamal has no `{name}` hook",
                    shown(cx, hook)
                ),
            )
            .with_help(format!(
                "Kamal's hooks are {}",
                HOOKS
                    .iter()
                    .map(|h| format!("`{}`", h.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meant(name: &str) -> Option<&'static str> {
        match classify(name)? {
            Miss::NearMiss(h, _) => Some(h),
            Miss::Unknown => Some("?"),
        }
    }

    #[test]
    fn near_misses() {
        assert_eq!(meant("pre_deploy"), Some("pre-deploy"));
        assert_eq!(meant("predeploy"), Some("pre-deploy"));
        assert_eq!(meant("pre-deploy.sh"), Some("pre-deploy"));
        assert_eq!(meant("Pre-Deploy"), Some("pre-deploy"));
        assert_eq!(meant("pre-deply"), Some("pre-deploy"));
        assert_eq!(meant("postdeploy.rb"), Some("post-deploy"));
        assert_eq!(meant("pre-traefik-reboot.sh"), Some("pre-proxy-reboot"));
        assert_eq!(meant("pre-migrate"), Some("?"));
        assert_eq!(meant("setup-server.sh"), None);
        assert_eq!(meant("pre-deploy.disabled"), None);
        assert_eq!(meant("README.md"), None);
    }
}
