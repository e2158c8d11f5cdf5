use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;
use sextant_schema::Version;

declare_rule! {
    /// A key that only a later Kamal release knows.
    ///
    /// ## What it does
    /// Reports keys that the Kamal version checked against does not have but a later release does;
    /// against 2.8.2: `secrets_path` and `sshkit.dns_retries` (2.9.0), `proxy.run` and
    /// `boot.parallel_roles` (2.10.0), `hooks_output` (2.11.0), `output`, `stop_timeout` and
    /// `ssh.forward_agent` (2.12.0). The version is `--kamal-version`, else `kamal-version` in
    /// `.sextant.toml`, else the `kamal` entry of `Gemfile.lock`, else `minimum_version`, else
    /// 2.8.2.
    ///
    /// ## Why is this bad?
    /// The setting is right for a newer Kamal, but the Kamal that reads it is older and rejects the
    /// configuration like any unknown key: Kamal 2.8.2 stops with `unknown key: secrets_path`.
    ///
    /// ## Example
    /// ```yaml
    /// # Gemfile.lock pins kamal (2.8.2)
    /// secrets_path: .kamal/secrets
    /// ```
    /// Use instead:
    /// ```yaml
    /// # Gemfile.lock pins kamal (2.9.0), after `bundle update kamal`
    /// minimum_version: "2.9.0"
    /// secrets_path: .kamal/secrets
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.1 (keys not valid in 2.8.2) and Appendix B (after 2.8.2)
    /// - [Kamal docs: configuration overview](https://kamal-deploy.org/docs/configuration/overview/)
    /// - [`validator.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator.rb)
    pub static REQUIRES_NEWER_KAMAL = {
        code: "K002",
        name: "requires-newer-kamal",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// The key `name` (at `span`) exists from Kamal `since`, newer than the `version` checked
/// against; `kamal` is Kamal's unknown-keys message for the hash ([`super::unknown_key::kamal_message`]).
pub(crate) fn diagnostic(
    span: Span,
    ctx: &Ctx,
    kamal: &str,
    name: &str,
    since: Version,
    version: Version,
) -> Diagnostic {
    Diagnostic::new(
        &REQUIRES_NEWER_KAMAL,
        span,
        format!("`{name}` requires Kamal ≥ {since} (checking against Kamal {version})"),
    )
    .with_kamal(ctx.message(kamal))
    .with_help(format!(
        "upgrade Kamal to {since} or later (and set `minimum_version`), or remove the key"
    ))
}
