use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// An alias (`*name`) with no anchor (`&name`) before it in the same file.
    ///
    /// ## What it does
    /// Reports aliases whose anchor is not defined earlier in the same file. When the anchor is in
    /// `config/deploy.yml` and the alias in a destination file, the help says so.
    ///
    /// ## Why is this bad?
    /// Kamal parses each file on its own and only then merges them, so anchors never cross files.
    /// Psych stops with `Unknown alias: default_env` (Psych 5.1 and later say
    /// `An alias referenced an unknown anchor: default_env`) and no command runs. A destination
    /// file rarely needs the alias anyway: the merge keeps every key of the base it does not set.
    ///
    /// ## Example
    /// ```yaml
    /// # config/deploy.staging.yml; `&default_env` is defined in config/deploy.yml
    /// env:
    ///   clear:
    ///     <<: *default_env
    ///     RAILS_ENV: staging
    /// ```
    /// Use instead:
    /// ```yaml
    /// # config/deploy.staging.yml; the merge keeps the base file's other `env.clear` keys
    /// env:
    ///   clear:
    ///     RAILS_ENV: staging
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §1 (step 5: anchors work within one file) and §6 (destinations)
    /// - [Kamal docs: anchors](https://kamal-deploy.org/docs/configuration/anchors/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb): each file is loaded separately, then `deep_merge!`d
    pub static UNKNOWN_ANCHOR = {
        code: "Y003",
        name: "unknown-anchor",
        category: Yaml,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn diagnostic(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(
        &UNKNOWN_ANCHOR,
        span,
        format!("alias `*{name}` refers to no anchor `&{name}` defined before it in this file"),
    )
    .with_kamal(format!("Unknown alias: {name}"))
}

/// The help for an alias in a destination file whose anchor the base file defines.
pub(crate) fn cross_file_help(name: &str) -> String {
    format!(
        "`&{name}` is defined in the base file, but anchors do not cross files: Kamal parses each file on its own"
    )
}
