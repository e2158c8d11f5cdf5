use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::psych::Typed;
use crate::syntax::yaml::Style;

declare_rule! {
    /// An unquoted accessory port like `2222:22`, which YAML 1.1 reads as a base-60 number.
    ///
    /// ## What it does
    /// Reports accessory `port` values written without quotes as `A:B` (or `A:B:C`) whose parts
    /// after the first are below 60, which Ruby's YAML parser turns into a single integer.
    ///
    /// ## Why is this bad?
    /// `port: 2222:22` loads as the integer 8000520; Kamal accepts it (ports may be numbers) and
    /// runs `docker run --publish 8000520:8000520`, which fails, or for small values publishes a
    /// port you never asked for. `3306:3306` and `80:80` happen to stay strings, which makes the
    /// bug look random.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   smtp:
    ///     image: boky/postfix:v4.3.0
    ///     host: 10.0.0.9
    ///     port: 2525:25
    /// ```
    /// Use instead: a quoted mapping (here also bound to the host's private address, so the
    /// relay is not open to the internet, see A001):
    /// ```yaml
    ///     port: "10.0.0.9:2525:25"
    /// ```
    ///
    /// ## Fix
    /// Quotes the value (safe).
    ///
    /// ## References
    /// - Kamal 2.8.2 loading, §1.5 (YAML 1.1 sexagesimal integers)
    pub static ACCESSORY_PORT_SEXAGESIMAL = {
        code: "A008",
        name: "accessory-port-sexagesimal",
        category: Accessories,
        severity: Error,
        fix: Always,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for entry in walk::accessory_entries(cx.config) {
        let Some(port) = entry.value.get("port") else {
            continue;
        };
        let Some(s) = port.scalar() else { continue };
        if s.erb || s.style != Style::Plain || !s.text.contains(':') {
            continue;
        }
        let Typed::Int(n) = s.typed else { continue };
        let value = n.map_or_else(|| "a huge number".to_string(), |n| n.to_string());
        out.push(
            Diagnostic::new(
                &ACCESSORY_PORT_SEXAGESIMAL,
                port.span,
                format!(
                    "unquoted, `{}` is the base-60 number {value} for Kamal: accessory `{}` would publish that port",
                    s.text,
                    entry.key.ruby_to_s()
                ),
            )
            .with_fix(Fix {
                applicability: Applicability::Safe,
                message: "quote the port mapping".into(),
                edits: vec![Edit {
                    span: port.span,
                    content: format!("\"{}\"", s.text),
                }],
            }),
        );
    }
}
