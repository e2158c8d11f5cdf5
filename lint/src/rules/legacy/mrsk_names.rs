use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// `MRSK_*` names and `.mrsk` paths from Kamal's first name.
    ///
    /// ## What it does
    /// Reports clear env variables and secrets named `MRSK_…`, and a `hooks_path` under `.mrsk`.
    ///
    /// ## Why is this bad?
    /// Kamal was called MRSK until 2023; since then it sets `KAMAL_*` variables and defaults to
    /// the `.kamal` folder. These names are usually leftovers of a migration: a secret named
    /// `MRSK_REGISTRY_PASSWORD` is looked up in `.kamal/secrets` like any other, so it fails
    /// once the secrets were renamed to `KAMAL_*`; a `hooks_path` under `.mrsk` keeps hooks in a
    /// folder nobody expects any more. Names you still define and folders that still exist
    /// keep working: then the rename is only a cleanup.
    ///
    /// ## Example
    /// ```yaml
    /// registry:
    ///   password:
    ///     - MRSK_REGISTRY_PASSWORD   # .kamal/secrets defines KAMAL_REGISTRY_PASSWORD
    /// hooks_path: .mrsk/hooks
    /// ```
    /// Use instead (after moving the hooks to `.kamal/hooks`):
    /// ```yaml
    /// registry:
    ///   password:
    ///     - KAMAL_REGISTRY_PASSWORD
    /// ```
    ///
    /// ## References
    /// - <https://github.com/basecamp/kamal/releases/tag/v0.16.0> (the rename)
    pub static MRSK_NAMES = {
        code: "L007",
        name: "mrsk-names",
        category: Legacy,
        severity: Info,
        fix: None,
    };
}

fn report(out: &mut Vec<Diagnostic>, node: &Node, name: &str) {
    out.push(
        Diagnostic::new(
            &MRSK_NAMES,
            node.span,
            format!("`{name}` uses Kamal's old name MRSK: it works only as long as you define it yourself; Kamal itself sets and reads `KAMAL_*` and `.kamal`"),
        )
        .with_help("rename it to the KAMAL/.kamal name everywhere it is defined and used (secrets files, hook folder)"),
    );
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for env in walk::envs(cx.config, &cx.roles) {
        for e in &env.clear {
            let k = e.key.ruby_to_s();
            if k.starts_with("MRSK_") {
                report(out, &e.key, &k);
            }
        }
    }
    for r in walk::secret_refs(cx.config, &cx.roles) {
        if r.name.starts_with("MRSK_") || r.var.starts_with("MRSK_") {
            report(out, r.node, &r.name);
        }
    }
    if let Some(h) = cx.config.get("hooks_path") {
        if h.as_str().is_some_and(|p| p.contains(".mrsk")) {
            report(out, h, &h.ruby_to_s());
        }
    }
}
