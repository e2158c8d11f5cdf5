use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// `traefik.*` labels left over from Kamal 1: Kamal 2 no longer runs Traefik to read them.
    ///
    /// ## What it does
    /// Reports labels (root, role, accessory) whose name starts with `traefik.`.
    ///
    /// ## Why is this bad?
    /// Kamal 1 routed traffic with Traefik, configured through container labels. Kamal 2 uses
    /// kamal-proxy, which ignores them: routers, middlewares and TLS settings written as labels
    /// silently stop applying. (When you run Traefik yourself as an accessory — an image named
    /// `traefik` — the labels are still read, and the rule stays quiet.)
    ///
    /// ## Example
    /// ```yaml
    /// labels:
    ///   traefik.http.routers.app.rule: Host(`app.demo.io`)
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   host: app.demo.io
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (Kamal 1 → Kamal 2)
    /// - <https://kamal-deploy.org/docs/upgrading/proxy-changes/>
    pub static TRAEFIK_LABELS = {
        code: "L002",
        name: "traefik-labels",
        category: Legacy,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    // Traefik run as an accessory does read them
    let traefik_accessory = walk::accessories(cx.config).iter().any(|(_, acc)| {
        acc.get("image")
            .and_then(Node::as_str)
            .is_some_and(|i| i.contains("traefik"))
    });
    if traefik_accessory {
        return;
    }
    for c in walk::containers(cx.config, &cx.roles) {
        let Some(labels) = c.node.get("labels").and_then(Node::map) else {
            continue;
        };
        let traefik: Vec<_> = labels
            .iter()
            .filter(|e| e.key.as_str().is_some_and(|k| k.starts_with("traefik.")))
            .collect();
        let Some(first) = traefik.first() else {
            continue;
        };
        let message = if traefik.len() == 1 {
            format!(
                "Traefik label `{}` on {} has no effect: Kamal 2 routes with kamal-proxy",
                first.key.ruby_to_s(),
                c.label
            )
        } else {
            format!(
                "{} Traefik labels on {} have no effect: Kamal 2 routes with kamal-proxy",
                traefik.len(),
                c.label
            )
        };
        let mut d = Diagnostic::new(&TRAEFIK_LABELS, first.key.span, message)
            .with_help("configure routing under `proxy:` and remove the labels");
        for other in &traefik[1..] {
            d = d.with_label(other.key.span, "also a Traefik label");
        }
        out.push(d);
    }
}
