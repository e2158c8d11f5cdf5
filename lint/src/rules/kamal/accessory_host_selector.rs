use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// An accessory without exactly one of `host`, `hosts`, `role`, `roles`, `tag` and `tags`.
    ///
    /// ## What it does
    /// Reports an accessory that says nowhere to run, or that uses two or more of these selectors
    /// (each gets a label). A selector with an empty value still counts as given.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 stops with
    /// ``accessories/db: specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags` ``. The
    /// selectors are alternatives, not filters to combine: `hosts:` lists several hosts, `roles:`
    /// several roles, `tags:` several host tags.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   db:
    ///     image: postgres:16
    ///     host: 10.0.1.12
    ///     role: web
    /// ```
    /// Use instead:
    /// ```yaml
    /// accessories:
    ///   db:
    ///     image: postgres:16
    ///     host: 10.0.1.12
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.8 (accessory checks, step 2)
    /// - [Kamal docs: accessories](https://kamal-deploy.org/docs/configuration/accessories/)
    /// - [`validator/accessory.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator/accessory.rb)
    /// - [basecamp/kamal#1547](https://github.com/basecamp/kamal/pull/1547): accessories placed by host tags
    pub static ACCESSORY_HOST_SELECTOR = {
        code: "K020",
        name: "accessory-host-selector",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// Accessory `name` at `key` (context `ctx`) with these host `selectors` (their names and
/// keys): none or several.
pub(crate) fn diagnostic(
    key: Span,
    ctx: &Ctx,
    name: &str,
    selectors: &[(String, Span)],
) -> Diagnostic {
    let message = if selectors.is_empty() {
        format!("accessory `{name}` says nowhere to run: give it `host`, `hosts`, `role`, `roles`, `tag` or `tags`")
    } else {
        let names: Vec<String> = selectors.iter().map(|(n, _)| format!("`{n}`")).collect();
        format!(
            "accessory `{name}` has {} host selectors ({}); Kamal takes exactly one",
            selectors.len(),
            names.join(", ")
        )
    };
    let mut d = Diagnostic::new(&ACCESSORY_HOST_SELECTOR, key, message).with_kamal(
        ctx.message("specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags`"),
    );
    for (_, span) in selectors {
        d = d.with_label(*span, "selector");
    }
    d.with_help(if selectors.is_empty() {
        "add e.g. `host: 192.0.2.10` or `roles: [web]`"
    } else {
        "keep one selector (`hosts:` can list several hosts, `roles:` several roles)"
    })
}
