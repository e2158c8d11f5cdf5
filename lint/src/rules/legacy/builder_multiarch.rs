use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::kamal::ctx::Ctx;
use crate::text::Span;

declare_rule! {
    /// Kamal 1's `builder.multiarch`: Kamal 2 takes the architectures in `builder.arch`.
    ///
    /// ## What it does
    /// Reports `multiarch` under `builder`.
    ///
    /// ## Why is this bad?
    /// Kamal 2 rejects it (`builder: unknown key: multiarch`) and requires `builder.arch`
    /// (`builder: Builder arch not set` otherwise). `multiarch: false` meant "build for the
    /// local architecture"; now name it.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   multiarch: false
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: amd64
    /// ```
    ///
    /// ## Fix
    /// Replaces `multiarch: false` with `arch: amd64` and `multiarch: true` with
    /// `arch: [amd64, arm64]` when no `arch` is set (unsafe: check the architecture of your
    /// servers).
    ///
    /// ## References
    /// - Kamal 2.8.2, §5 (Kamal 1 → Kamal 2) and §3.7 (builder)
    pub static BUILDER_MULTIARCH = {
        code: "L005",
        name: "builder-multiarch",
        category: Legacy,
        severity: Error,
        fix: Sometimes,
    };
}

/// `builder.multiarch` (its key at `span`), among the unknown keys Kamal names in `kamal`;
/// `value` is its boolean, `replace` the `multiarch: VALUE` text when it can be replaced (no
/// `arch` is set, key and value in one file).
pub(crate) fn diagnostic(
    span: Span,
    ctx: &Ctx,
    kamal: &str,
    value: Option<bool>,
    replace: Option<Span>,
) -> Diagnostic {
    let d = Diagnostic::new(
        &BUILDER_MULTIARCH,
        span,
        "`builder.multiarch` is Kamal 1 configuration: Kamal 2 takes the architectures in `builder.arch`",
    )
    .with_kamal(ctx.message(kamal))
    .with_help("set `arch: amd64` (or `arm64`, or both as a list) instead");
    let arch = match value {
        Some(true) => "[amd64, arm64]",
        Some(false) => "amd64",
        None => return d,
    };
    let Some(replace) = replace else {
        return d;
    };
    d.with_fix(Fix {
        applicability: Applicability::Unsafe,
        message: format!("use `arch: {arch}`"),
        edits: vec![Edit {
            span: replace,
            content: format!("arch: {arch}"),
        }],
    })
}
