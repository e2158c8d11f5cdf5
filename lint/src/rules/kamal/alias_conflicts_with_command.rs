use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// An alias named like a built-in Kamal command.
    ///
    /// ## What it does
    /// Reports aliases named after one of Kamal 2.8.2's commands: `accessory`, `app`, `audit`,
    /// `build`, `config`, `deploy`, `details`, `docs`, `init`, `lock`, `proxy`, `prune`,
    /// `redeploy`, `registry`, `remove`, `rollback`, `secrets`, `server`, `setup`, `upgrade`,
    /// `version`.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 rejects the whole configuration, so every command fails, including the one the
    /// alias was meant to shorten:
    /// `aliases/version: Alias 'version' conflicts with a built-in command.`
    /// New Kamal releases can add commands, so an alias that worked may break after an upgrade.
    ///
    /// ## Example
    /// ```yaml
    /// aliases:
    ///   version: app version
    /// ```
    /// Use instead:
    /// ```yaml
    /// aliases:
    ///   app-version: app version
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §9 (aliases) and §11 (CLI surface)
    /// - [Kamal docs: aliases](https://kamal-deploy.org/docs/configuration/aliases/)
    /// - [`validator/alias.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/alias.rb)
    /// - [basecamp/kamal#912](https://github.com/basecamp/kamal/pull/912): aliases, and their possible conflicts with future commands
    pub static ALIAS_CONFLICTS_WITH_COMMAND = {
        code: "K023",
        name: "alias-conflicts-with-command",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The alias `name` (its key at `span`) is a Kamal command.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, name: &str) -> Diagnostic {
    Diagnostic::new(
        &ALIAS_CONFLICTS_WITH_COMMAND,
        span,
        format!("alias `{name}` has the name of the Kamal command `kamal {name}`"),
    )
    .with_kamal(ctx.message(&format!(
        "Alias '{name}' conflicts with a built-in command."
    )))
    .with_help("Kamal rejects the whole configuration: rename the alias")
}
