use sextant_schema::Version;

use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// A setting Kamal accepts but ignores (`run_directory`; `ssh.config` before 2.9).
    ///
    /// ## What it does
    /// Reports `run_directory`, which Kamal 2 validates but never uses (the run directory on
    /// hosts is always `.kamal`), and `ssh.config` when checking against Kamal before 2.9.0,
    /// where it is documented and validated but not passed to SSH.
    ///
    /// ## Why is this bad?
    /// The setting looks effective and is not: files end up in `.kamal` anyway. Before 2.9.0,
    /// Kamal's SSH library reads `~/.ssh/config` whatever `ssh.config` says: `config: true`
    /// changes nothing, and `config: false` does not stop it. Kamal's own `ssh.user` (default
    /// `root`) and `ssh.port` (default 22) still win over the `User` and `Port` written there.
    ///
    /// ## Example
    /// ```yaml
    /// run_directory: /var/kamal
    /// ssh:
    ///   config: true
    /// ```
    /// Use instead: remove `run_directory`; for SSH settings, put them under `ssh:`
    /// (`user`, `port`, `proxy`, `keys`) or upgrade to Kamal 2.9 or later.
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.1 and §3.9; surprises §13.5–13.6
    pub static NO_EFFECT_KEY = {
        code: "C009",
        name: "no-effect-key",
        category: Config,
        severity: Info,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    if let Some(e) = cx.config.entry("run_directory") {
        out.push(
            Diagnostic::new(
                &NO_EFFECT_KEY,
                e.key.span,
                "`run_directory` has no effect: Kamal 2 always uses `.kamal` on the hosts",
            )
            .with_help("remove it"),
        );
    }
    if cx.version() < Version::new(2, 9, 0) {
        if let Some(e) = cx.config.get("ssh").and_then(|s| s.entry("config")) {
            out.push(
                Diagnostic::new(
                    &NO_EFFECT_KEY,
                    e.key.span,
                    format!(
                        "`ssh.config` has no effect before Kamal 2.9.0 (checking against Kamal {})",
                        cx.version()
                    ),
                )
                .with_help("set the SSH options under `ssh:` directly, or upgrade Kamal"),
            );
        }
    }
}
