use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A destination file without the base `config/deploy.yml`.
    ///
    /// ## What it does
    /// Reports `config/deploy.DEST.yml` files in a project that has no `config/deploy.yml`
    /// (or no base file named by `-c`).
    ///
    /// ## Why is this bad?
    /// Kamal always loads the base file first and merges the destination file over it: every
    /// command fails with `Configuration file not found in …/config/deploy.yml`, with or
    /// without `-d`.
    ///
    /// ## Example
    /// ```text
    /// config/deploy.production.yml   # and no config/deploy.yml
    /// ```
    /// Use instead: rename the file to `config/deploy.yml`, or move the settings shared by
    /// all destinations into a new `config/deploy.yml`.
    ///
    /// ## References
    /// - Kamal 2.8.2 loading, §1 and destinations, §6
    pub static OVERLAY_WITHOUT_BASE = {
        code: "D003",
        name: "overlay-without-base",
        category: Destinations,
        severity: Error,
        fix: None,
    };
}

/// The destination file `name` exists, the base file `base_name` (at `base_path`) does not.
pub(crate) fn diagnostic(span: Span, name: &str, base_name: &str, base_path: &Path) -> Diagnostic {
    Diagnostic::new(
        &OVERLAY_WITHOUT_BASE,
        span,
        format!("`{name}` is a destination file, but there is no base file `{base_name}`: Kamal cannot load it"),
    )
    .with_kamal(format!("Configuration file not found in {}", base_path.display()))
    .with_help(format!("create `{base_name}` with the shared settings, or rename this file to it"))
}
