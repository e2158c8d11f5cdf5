use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;
use crate::text::Span;
use sextant_schema::Section;

declare_rule! {
    /// A key that Kamal does not know in its section.
    ///
    /// ## What it does
    /// Reports every key missing from its section's schema for the Kamal version checked against,
    /// each at its place: at the root and inside `servers.ROLE`, `proxy`, `builder`, `registry`,
    /// `accessories.NAME`, `env`, `ssh`, `boot`, `logging` and the other sections. `x-` keys are
    /// ignored, but only at the root. The help suggests the closest known key. Kamal 1 leftovers
    /// (`traefik`, `healthcheck`, `stop_wait_time`, `multiarch`) are reported by the legacy `L`
    /// rules instead, and keys of a later Kamal by K002.
    ///
    /// ## Why is this bad?
    /// Kamal 2.8.2 rejects the whole configuration, naming all unknown keys of the section at once:
    /// `proxy: unknown key: app_prot`, `proxy/healthcheck: unknown keys: port, retries`. Two
    /// surprises: `x-` keys only work at the root (`proxy: unknown key: x-port`), and YAML 1.1
    /// reads a bare `on:` key as `true`, which fails as `unknown key: true`.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   app_prot: 3000
    ///   healthcheck:
    ///     path: /up
    ///     port: 3000
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   app_port: 3000
    ///   healthcheck:
    ///     path: /up
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §2 (rule 7: unknown keys) and §3.4 (proxy)
    /// - [Kamal docs: proxy](https://kamal-deploy.org/docs/configuration/proxy/)
    /// - [`validator.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration/validator.rb)
    pub static UNKNOWN_KEY = {
        code: "K001",
        name: "unknown-key",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// Kamal's one message for all the unknown keys of a hash (`unknown keys: a, b`), shared by
/// every rule that reports one of them (this one, K026 and the Kamal 1 keys).
pub(crate) fn kamal_message(names: &[String]) -> String {
    if names.len() == 1 {
        format!("unknown key: {}", names[0])
    } else {
        format!("unknown keys: {}", names.join(", "))
    }
}

/// The unknown key `name` (at `span`) in the hash at `ctx` of the schema's `section`; `kamal`
/// is [`kamal_message`] for the hash.
pub(crate) fn diagnostic(
    span: Span,
    ctx: &Ctx,
    kamal: &str,
    name: &str,
    section: &Section,
) -> Diagnostic {
    let d = Diagnostic::new(
        &UNKNOWN_KEY,
        span,
        format!("unknown key `{name}` in {}", ctx.display()),
    )
    .with_kamal(ctx.message(kamal));
    match help(name, section) {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// `x-` keys below the root are not ignored; typos get the closest known key.
fn help(name: &str, section: &Section) -> Option<String> {
    if name.starts_with("x-") {
        return Some("`x-` keys are only ignored at the root of the file".into());
    }
    let best = section
        .keys
        .iter()
        .map(|k| (strsim::levenshtein(name, k.name), k.name))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min();
    best.map(|(_, k)| format!("did you mean `{k}`?"))
}
