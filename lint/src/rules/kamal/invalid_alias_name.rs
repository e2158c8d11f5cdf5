use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// An alias name with characters other than lowercase letters, digits, `-` and `_`.
    ///
    /// ## What it does
    /// Checks each name under `aliases` against `\A[a-z0-9_-]+\z`; the help suggests a valid
    /// spelling.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 rejects the whole configuration, not just the alias, so every command fails:
    /// `aliases/Console: Invalid alias name: 'Console'. Must only contain lowercase letters, alphanumeric, hyphens and underscores.`
    ///
    /// ## Example
    /// ```yaml
    /// aliases:
    ///   Console: app exec --interactive --reuse "bin/rails console"
    /// ```
    /// Use instead:
    /// ```yaml
    /// aliases:
    ///   console: app exec --interactive --reuse "bin/rails console"
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §9 (aliases)
    /// - [Kamal docs: aliases](https://kamal-deploy.org/docs/configuration/aliases/)
    /// - [`validator/alias.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/alias.rb)
    pub static INVALID_ALIAS_NAME = {
        code: "K022",
        name: "invalid-alias-name",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The alias `name` (as Kamal takes it back from the context) is not a valid alias name.
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, name: &str) -> Diagnostic {
    let suggestion: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Diagnostic::new(
        &INVALID_ALIAS_NAME,
        span,
        format!("alias name `{name}` may only use lowercase letters, digits, `-` and `_`"),
    )
    .with_kamal(ctx.message(&format!(
        "Invalid alias name: '{name}'. Must only contain lowercase letters, alphanumeric, hyphens and underscores."
    )))
    .with_help(format!("rename it, e.g. `{suggestion}`"))
}
