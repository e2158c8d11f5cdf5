use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// The configuration file of the destination given with `-d` does not exist.
    ///
    /// ## What it does
    /// With `-d DEST`, reports a missing `config/deploy.DEST.yml`: the base file's name with its
    /// extension replaced by `.DEST.yml` (also for a `deploy.yaml` base, or the file given with
    /// `-c`). Without `-d`, sextant checks the destination files it finds, so this cannot happen.
    ///
    /// ## Why is this bad?
    /// Kamal stops before reading anything, with a `RuntimeError` naming the absolute path:
    /// `Configuration file not found in /home/me/storefront/config/deploy.staging.yml`. Usually the
    /// destination name is misspelt, or the file was never committed.
    ///
    /// ## Example
    /// ```text
    /// $ sextant check -d staging     # and there is no config/deploy.staging.yml
    /// ```
    /// Use instead:
    /// ```yaml
    /// # config/deploy.staging.yml: only what differs from config/deploy.yml
    /// servers:
    ///   web:
    ///     - 10.0.2.10
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (steps 1 and 3) and §6 (destinations)
    /// - [Kamal docs: configuration overview](https://kamal-deploy.org/docs/configuration/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static CONFIG_FILE_NOT_FOUND = {
        code: "K032",
        name: "config-file-not-found",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `-d DEST` (or a destination found) without its file `name` at `path`.
pub(crate) fn missing_destination(span: Span, dest: &str, name: &str, path: &Path) -> Diagnostic {
    Diagnostic::new(
        &CONFIG_FILE_NOT_FOUND,
        span,
        format!("destination `{dest}` has no configuration file `{name}`"),
    )
    .with_kamal(format!(
        "Configuration file not found in {}",
        path.display()
    ))
    .with_help(format!(
        "create `{name}` (it may hold only the keys that differ), or check the destination name"
    ))
}

/// A destination file that exists but cannot be read.
pub(crate) fn unreadable_destination(span: Span, error: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::new(
        &CONFIG_FILE_NOT_FOUND,
        span,
        format!("cannot read the destination file: {error}"),
    )
}
