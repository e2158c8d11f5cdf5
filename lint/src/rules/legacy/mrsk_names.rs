use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// `MRSK_*` names and `.mrsk` paths from Kamal's first name.
    ///
    /// ## What it does
    /// Reports env variables and secrets named `MRSK_…`, and paths under `.mrsk`.
    ///
    /// ## Why is this bad?
    /// Kamal was called MRSK until 2023; since then it sets and reads `KAMAL_*` variables and
    /// the `.kamal` folder. `MRSK_REGISTRY_PASSWORD` or `.mrsk/hooks` are never looked at, so
    /// whatever relied on them silently stops working.
    ///
    /// ## Example
    /// ```yaml
    /// registry:
    ///   password:
    ///     - MRSK_REGISTRY_PASSWORD
    /// hooks_path: .mrsk/hooks
    /// ```
    /// Use instead:
    /// ```yaml
    /// registry:
    ///   password:
    ///     - KAMAL_REGISTRY_PASSWORD
    /// hooks_path: .kamal/hooks
    /// ```
    ///
    /// ## References
    /// - <https://github.com/basecamp/kamal/releases/tag/v0.16.0> (the rename)
    pub static MRSK_NAMES = {
        code: "L007",
        name: "mrsk-names",
        category: Legacy,
        severity: Warning,
        fix: None,
    };
}

fn report(out: &mut Vec<Diagnostic>, node: &Node, name: &str) {
    out.push(
        Diagnostic::new(
            &MRSK_NAMES,
            node.span,
            format!("`{name}` uses Kamal's old name MRSK: Kamal 2 uses `KAMAL_*` and `.kamal`"),
        )
        .with_help("rename it from MRSK/.mrsk to KAMAL/.kamal"),
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
