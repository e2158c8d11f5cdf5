use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::secrets::{committed_secret, secret_name, url_password};

declare_rule! {
    /// A secret-looking variable, or a URL with a password, in clear env.
    ///
    /// ## What it does
    /// Reports clear env entries (`env.clear`, or a plain env hash) whose name looks like a
    /// secret (`…_PASSWORD`, `…_TOKEN`, `…_SECRET`, `…_KEY`) or whose value is a URL with a
    /// password, whatever the value's source (ERB included).
    ///
    /// ## Why is this bad?
    /// Clear env goes on the `docker run` command line: it shows in `docker inspect`, in the
    /// server's process list during boot, and in Kamal's output with `-v`. `env.secret` values
    /// are written to a mode-0600 env file on the host instead.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   clear:
    ///     DATABASE_PASSWORD: <%= ENV["DATABASE_PASSWORD"] %>
    /// ```
    /// Use instead:
    /// ```yaml
    /// env:
    ///   secret:
    ///     - DATABASE_PASSWORD
    /// ```
    /// with `DATABASE_PASSWORD=$DATABASE_PASSWORD` in `.kamal/secrets`.
    ///
    /// ## References
    /// - Kamal 2.8.2 env, §3.6 (delivery of clear and secret env)
    pub static SECRET_IN_CLEAR_ENV = {
        code: "S008",
        name: "secret-in-clear-env",
        category: Secrets,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for env in walk::envs(cx.config, &cx.roles) {
        for e in &env.clear {
            if e.key.is_erb() {
                continue;
            }
            let name = e.key.ruby_to_s();
            let value = e.value.ruby_to_s();
            let flag_like = e.value.as_bool().is_some()
                || matches!(value.as_str(), "0" | "1" | "")
                || e.value.as_int().is_some() && !e.value.is_erb();
            let reason = if !e.value.is_erb() && url_password(&value) {
                Some("is a URL with a password")
            } else if secret_name(&name) && !flag_like {
                Some("looks like a secret")
            } else {
                None
            };
            let Some(reason) = reason else { continue };
            // a literal secret is reported once, as committed (S004)
            if !e.value.is_erb() && committed_secret(&name, &value).is_some() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &SECRET_IN_CLEAR_ENV,
                    e.key.span,
                    format!("`{name}` in `{}` {reason}, but clear env shows on the docker command line and in `docker inspect`", env.path),
                )
                .with_help(format!("list `{name}` under `env.secret` and define it in `.kamal/secrets`")),
            );
        }
    }
}
