use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk::{self, SecretUse};

declare_rule! {
    /// The registry's credentials passed into the app's environment.
    ///
    /// ## What it does
    /// Reports `env.secret` items that hand the registry password (the secret named in
    /// `registry.password`, or `KAMAL_REGISTRY_PASSWORD`) to the containers.
    ///
    /// ## Why is this bad?
    /// The app does not need to push images. Anyone who can read its environment (a debug page,
    /// an error tracker's report, a compromised dependency) can push a malicious image that your
    /// next deploy runs.
    ///
    /// ## Example
    /// ```yaml
    /// registry:
    ///   password: [KAMAL_REGISTRY_PASSWORD]
    /// env:
    ///   secret:
    ///     - KAMAL_REGISTRY_PASSWORD
    /// ```
    /// Use instead: remove it from `env.secret`.
    ///
    /// ## References
    /// - Kamal 2.8.2 registry, §3.5 and env, §3.6
    pub static REGISTRY_CREDENTIALS_IN_ENV = {
        code: "S009",
        name: "registry-credentials-in-env",
        category: Secrets,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let refs = walk::secret_refs(cx.config, &cx.roles);
    let mut registry: Vec<String> = refs
        .iter()
        .filter(|r| r.usage == SecretUse::Registry && r.var == "registry password")
        .map(|r| r.name.clone())
        .collect();
    registry.push("KAMAL_REGISTRY_PASSWORD".into());
    for r in refs.iter().filter(|r| r.usage == SecretUse::Env) {
        if registry.contains(&r.name) {
            out.push(
                Diagnostic::new(
                    &REGISTRY_CREDENTIALS_IN_ENV,
                    r.span,
                    format!("`{}` gives the app the registry password: it could push images your next deploy runs", r.name),
                )
                .with_help("remove it from `env.secret`: only Kamal needs it, on your machine"),
            );
        }
    }
}
