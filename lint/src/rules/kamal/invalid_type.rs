use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::syntax::psych::Typed;
use crate::syntax::yaml::Node;
use crate::text::Span;

declare_rule! {
    /// A value of the wrong type for its key.
    ///
    /// ## What it does
    /// Checks every value against the type Kamal's validator expects, with Kamal's own rules:
    /// strings also accept numbers, booleans and symbols; integers must be unquoted whole numbers;
    /// `servers` and role bodies are lists or hashes; `ssl` is a boolean or a hash; `arch` a string
    /// or a list. Scalars are typed as Psych types them (YAML 1.1): `"3000"` is a string,
    /// `2024-01-01` a date, an empty value `null`. Values written with ERB are not checked.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops at the first one with `PATH: should be …`, for instance
    /// `proxy/app_port: should be an integer` or `env/clear/RELEASED: should be a string`. The
    /// messages are `should be a string`, `should be an integer`, `should be a boolean`,
    /// `should be an array`, `should be a hash`, `should be an array or a hash`,
    /// `should be a string or a hash`, `should be a string or an array`,
    /// `should be an array or a string`, and for `ssl`, literally,
    /// `should be a boolean or a boolean or a hash`.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   app_port: "3000"
    /// retain_containers: "3"
    /// env:
    ///   clear:
    ///     RELEASED: 2024-01-01
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   app_port: 3000
    /// retain_containers: 3
    /// env:
    ///   clear:
    ///     RELEASED: "2024-01-01"
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §2 (the validator's type system) and §1 (step 5: YAML 1.1 typing)
    /// - [`validator.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator.rb)
    pub static INVALID_TYPE = {
        code: "K003",
        name: "invalid-type",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `node` (blamed at `span`) should be `expected` (Kamal's words: `a string`, `a hash` …).
pub(crate) fn diagnostic(span: Span, ctx: &Ctx, expected: &str, node: &Node) -> Diagnostic {
    let what = if ctx.as_str().is_empty() {
        "the configuration".to_string()
    } else {
        format!("`{}`", ctx.as_str())
    };
    let message = format!("{what} should be {expected}, found {}", node.kind_name());
    let d = Diagnostic::new(&INVALID_TYPE, span, message)
        .with_kamal(ctx.message(&format!("should be {expected}")));
    match help(node, expected) {
        Some(help) => d.with_help(help),
        None => d,
    }
}

fn help(node: &Node, expected: &str) -> Option<&'static str> {
    let s = node.scalar()?;
    match (&s.typed, expected) {
        (Typed::Str, "an integer") if s.text.trim().parse::<i64>().is_ok() => {
            Some("remove the quotes: Kamal wants a number here, not a string")
        }
        (Typed::Float(_), "an integer") => Some("use a whole number"),
        (Typed::Date | Typed::Time, _) => {
            Some("YAML reads this as a date; quote it to keep it a string")
        }
        (Typed::Null, _) => Some("give the key a value, or remove it"),
        (Typed::Str, "a boolean") => Some("write `true` or `false` without quotes"),
        _ => None,
    }
}
