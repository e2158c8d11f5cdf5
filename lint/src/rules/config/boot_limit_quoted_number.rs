use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::LoadContext;

declare_rule! {
    /// `boot.limit` given as a quoted number: Kamal crashes when it boots.
    ///
    /// ## What it does
    /// Reports a `boot.limit` that is a string of digits without `%`, such as `"2"`.
    ///
    /// ## Why is this bad?
    /// Only two forms work: an integer (`2`, that many hosts at a time) or a percentage string
    /// (`25%`). Kamal's validator accepts any string, but a numeric string is passed straight to
    /// Ruby's `each_slice`, which raises a `TypeError` in the middle of the deploy.
    ///
    /// ## Example
    /// ```yaml
    /// boot:
    ///   limit: "2"
    /// ```
    /// Use instead:
    /// ```yaml
    /// boot:
    ///   limit: 2
    /// ```
    ///
    /// ## Fix
    /// Removes the quotes (safe).
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.11 (boot)
    /// - <https://kamal-deploy.org/docs/configuration/booting/>
    pub static BOOT_LIMIT_QUOTED_NUMBER = {
        code: "C004",
        name: "boot-limit-quoted-number",
        category: Config,
        severity: Error,
        fix: Always,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(limit) = cx.config.get("boot").and_then(|b| b.get("limit")) else {
        return;
    };
    let Some(text) = limit.as_str().filter(|_| !limit.is_erb()) else {
        return;
    };
    let digits = text.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    out.push(
        Diagnostic::new(
            &BOOT_LIMIT_QUOTED_NUMBER,
            limit.span,
            format!("`boot.limit` is the string \"{digits}\": Kamal crashes on it at boot; use the number {digits} or a percentage"),
        )
        .with_fix(Fix {
            applicability: Applicability::Safe,
            message: format!("use the number {digits}"),
            edits: vec![Edit {
                span: limit.span,
                content: digits.to_string(),
            }],
        }),
    );
}
