use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// `require_destination: true`, and no destination to check.
    ///
    /// ## What it does
    /// Reports `require_destination: true` when sextant checks the base configuration on its own:
    /// no `-d` was given and the project has no `config/deploy.DEST.yml`. When destination files
    /// exist, sextant checks each of them instead, and this rule stays silent.
    ///
    /// ## Why is this bad?
    /// Every Kamal command without `-d` stops with `You must specify a destination` (an
    /// `ArgumentError`). Without a destination file there is no destination to give either:
    /// `kamal deploy -d production` fails for want of `config/deploy.production.yml`.
    ///
    /// ## Example
    /// ```yaml
    /// # config/deploy.yml, and no config/deploy.*.yml beside it
    /// require_destination: true
    /// ```
    /// Use instead: keep the setting, and add a destination file.
    /// ```yaml
    /// # config/deploy.production.yml
    /// servers:
    ///   web:
    ///     - 10.0.1.30
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §4.1 (step 13) and §6 (destinations)
    /// - [Kamal docs: configuration overview](https://kamal-deploy.org/docs/configuration/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static DESTINATION_REQUIRED = {
        code: "K030",
        name: "destination-required",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `require_destination: true` (its value at `span`) and no destination.
pub(crate) fn diagnostic(span: Span) -> Diagnostic {
    Diagnostic::new(
        &DESTINATION_REQUIRED,
        span,
        "this configuration requires a destination (`-d DEST`), and none was given",
    )
    .with_kamal("You must specify a destination")
    .with_help("run with `-d DEST`, or add a `config/deploy.DEST.yml` so sextant checks it")
}
