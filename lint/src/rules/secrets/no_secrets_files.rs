use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;

declare_rule! {
    /// The configuration uses secrets but none of the secrets files Kamal would read is here.
    ///
    /// ## What it does
    /// Notes once per load, when the configuration refers to secrets and no secrets file exists
    /// at all, or none of the files Kamal reads for that load exists and `.gitignore` lists them
    /// (or no other secrets file defines the names) — common in CI, where they are not
    /// committed. Secrets are then not checked one by one.
    ///
    /// ## Why is this bad?
    /// It may be intended (the files are created on the deploying machine), but on that machine
    /// Kamal needs them: `Secret 'NAME' not found, no secret files (.kamal/secrets-common,
    /// .kamal/secrets) provided`.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   secret:
    ///     - RAILS_MASTER_KEY
    /// ```
    /// with no `.kamal/secrets` in the checkout.
    ///
    /// Use instead: commit a `.kamal/secrets` that only reads from the environment or a
    /// password manager (`RAILS_MASTER_KEY=$RAILS_MASTER_KEY`), so that its names can be
    /// checked.
    ///
    /// ## References
    /// - Kamal 2.8.2 secrets, §7.1 and §7.4
    pub static NO_SECRETS_FILES = {
        code: "S002",
        name: "no-secrets-files",
        category: Secrets,
        severity: Info,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    if !cx.project.secrets.is_empty() {
        return;
    }
    let refs = walk::secret_refs(cx.config, &cx.roles);
    let Some(first) = refs.first() else {
        return;
    };
    out.push(
        Diagnostic::new(
            &NO_SECRETS_FILES,
            first.span,
            format!(
                "the configuration uses {} secret{} but the project has no `.kamal/secrets*` file: they are not checked",
                refs.len(),
                if refs.len() == 1 { "" } else { "s" }
            ),
        )
        .with_help("commit a `.kamal/secrets` that reads values from the environment or a password manager"),
    );
}

/// A secrets file this load reads (`missing`, display names) is not in the project, and
/// `count` secret references are defined in no other file: S001's finding for such a load.
pub(crate) fn missing_file(
    span: crate::text::Span,
    load_title: &str,
    missing: &[String],
    count: usize,
) -> Diagnostic {
    Diagnostic::new(
        &NO_SECRETS_FILES,
        span,
        format!(
            "{load_title}, Kamal also reads {}, which is not in the project: {count} secret{} not defined elsewhere {} not checked",
            missing.join(" and "),
            if count == 1 { "" } else { "s" },
            if count == 1 { "is" } else { "are" }
        ),
    )
    .with_help("commit a secrets file that reads values from the environment or a password manager")
}
