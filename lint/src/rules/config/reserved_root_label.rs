use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// A root label named `service`, `role` or `destination`.
    ///
    /// ## What it does
    /// Reports root `labels` that use one of the names Kamal sets on every container itself.
    ///
    /// ## Why is this bad?
    /// Kamal rejects these names in role and accessory labels, but not at the root, where they
    /// override Kamal's own labels. Kamal finds its containers by these labels, so commands
    /// such as `kamal app details`, pruning and rollbacks stop seeing the app's containers.
    ///
    /// ## Example
    /// ```yaml
    /// labels:
    ///   service: billing
    /// ```
    /// Use instead:
    /// ```yaml
    /// labels:
    ///   app.service: billing
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.1 (`labels`) and §12.14
    pub static RESERVED_ROOT_LABEL = {
        code: "C013",
        name: "reserved-root-label",
        category: Config,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(labels) = cx.config.get("labels").and_then(|l| l.map()) else {
        return;
    };
    for e in labels {
        if let Some(name) = e.key.as_str() {
            if ["service", "role", "destination"].contains(&name) {
                out.push(
                    Diagnostic::new(
                        &RESERVED_ROOT_LABEL,
                        e.key.span,
                        format!("root label `{name}` overrides the label Kamal uses to find its containers"),
                    )
                    .with_help("rename the label"),
                );
            }
        }
    }
}
