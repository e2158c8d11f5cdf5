use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::secrets::secret_name;
use crate::syntax::yaml::{Entry, Node};
use crate::text::Span;

declare_rule! {
    /// An `ARG` or `ENV` named like a secret: its value ends up in the image or its history.
    ///
    /// ## What it does
    /// Reports `ARG` and `ENV` instructions whose name says it holds a secret
    /// (`RAILS_MASTER_KEY`, `DB_PASSWORD`, `GITHUB_TOKEN`, `*_SECRET`, `*_API_KEY`, …; names of
    /// dummies such as `SECRET_KEY_BASE_DUMMY`, public keys and GPG fingerprints excepted), and
    /// `ARG`s named like one of the `builder.secrets` (Kamal passes those as build secrets,
    /// which an `ARG` never receives). An `ENV` with an empty value is left alone. Values are
    /// never printed.
    ///
    /// ## Why is this bad?
    /// Build args are recorded in the image's history (`docker history --no-trunc` shows the
    /// value of every `ARG` a `RUN` step used) and in the build cache Kamal may push to the
    /// registry; `ENV` values are part of the image configuration that anyone who can pull the
    /// image reads with `docker inspect`, and every container of every role inherits them.
    /// Kamal has the right tools for both needs: `builder.secrets` with
    /// `RUN --mount=type=secret` for the build, and `env.secret` in deploy.yml for the
    /// running app, which Kamal writes to an env file on the host.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG RAILS_MASTER_KEY
    /// ENV RAILS_MASTER_KEY=$RAILS_MASTER_KEY
    /// RUN ./bin/rails assets:precompile
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile
    /// ```
    /// and, for the running app:
    /// ```yaml
    /// env:
    ///   secret:
    ///     - RAILS_MASTER_KEY
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.6 (`env.secret`), §3.7 (`builder.secrets`) and §7.4
    /// - <https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/>
    /// - <https://docs.docker.com/build/building/secrets/>
    pub static SECRET_IN_ARG_OR_ENV = {
        code: "F005",
        name: "secret-in-arg-or-env",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

/// A secret-looking name that is not a dummy, a public key or a key fingerprint.
pub(crate) fn secret_like(name: &str) -> bool {
    if !secret_name(name) {
        return false;
    }
    let upper = name.to_ascii_uppercase();
    !upper.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        matches!(
            w,
            "DUMMY" | "FAKE" | "PLACEHOLDER" | "GPG" | "PGP" | "PUBLIC" | "PUB"
        )
    })
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(source) = cx.dockerfile() else {
        return;
    };
    let builder = cx.config.get("builder");
    let secrets = walk::string_items(builder.and_then(|b| b.get("secrets")));
    let build_args: Vec<&Entry> = builder
        .and_then(|b| b.get("args"))
        .filter(|a| !a.is_erb())
        .and_then(Node::map)
        .map(|m| m.iter().filter(|e| !e.key.is_erb()).collect())
        .unwrap_or_default();
    for ins in &source.parsed.instructions {
        match ins.keyword.as_str() {
            "ARG" => {
                for decl in ins.arg_decls() {
                    let secret = secrets.iter().find(|(_, n)| *n == decl.name);
                    if !secret_like(&decl.name) && secret.is_none() {
                        continue;
                    }
                    let what = if secret.is_some() {
                        "has the name of a build secret"
                    } else {
                        "looks like a secret"
                    };
                    let mut d = Diagnostic::new(
                        &SECRET_IN_ARG_OR_ENV,
                        Span::new(source.file, decl.name_span),
                        format!(
                            "`ARG {}` {what}: build args are recorded in the image history and the build cache",
                            decl.name
                        ),
                    )
                    .with_help(format!(
                        "list it in `builder.secrets` and read it with `RUN --mount=type=secret,id={}` in the step that needs it",
                        decl.name
                    ));
                    if let Some((node, _)) = secret {
                        d = d.with_label(
                            node.span,
                            "Kamal passes this with `--secret`: an `ARG` never receives it",
                        );
                    }
                    if let Some(e) = build_args.iter().find(|e| e.key.ruby_to_s() == decl.name) {
                        d = d.with_label(
                            e.key.span,
                            "its value is passed here as a build arg, and stays in the image history",
                        );
                    }
                    out.push(d);
                }
            }
            "ENV" => {
                for pair in ins.env_pairs() {
                    if !secret_like(&pair.key) || pair.value.trim().is_empty() {
                        continue;
                    }
                    let from_arg = pair.value.contains('$');
                    out.push(
                        Diagnostic::new(
                            &SECRET_IN_ARG_OR_ENV,
                            Span::new(source.file, pair.key_span),
                            format!(
                                "`ENV {}` {} a secret into the image: anyone who can pull it reads the value with `docker inspect`",
                                pair.key,
                                if from_arg { "copies" } else { "bakes" }
                            ),
                        )
                        .with_help(
                            "pass it to the containers with `env.secret` in deploy.yml, and to build steps with a secret mount",
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}
