use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// `retain_containers` below 1.
    ///
    /// ## What it does
    /// Reports `retain_containers` set to 0 or a negative number. The default is 5.
    ///
    /// ## Why is this bad?
    /// After a deploy Kamal prunes old containers and images, keeping this many; it must at least
    /// keep the one that is running, and stops with `Must retain at least 1 container`. Keep more
    /// than one if you want `kamal rollback` to have an older version to go back to.
    ///
    /// ## Example
    /// ```yaml
    /// retain_containers: 0
    /// ```
    /// Use instead:
    /// ```yaml
    /// retain_containers: 3
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.1 (`retain_containers`) and §4.1 (step 16)
    /// - [Kamal docs: configuration overview](https://kamal-deploy.org/docs/configuration/overview/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    pub static RETAIN_CONTAINERS_TOO_LOW = {
        code: "K013",
        name: "retain-containers-too-low",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// `retain_containers: n` with `n` below 1.
pub(crate) fn diagnostic(span: Span, n: i128) -> Diagnostic {
    Diagnostic::new(
        &RETAIN_CONTAINERS_TOO_LOW,
        span,
        format!("`retain_containers: {n}`: Kamal must keep at least the running container"),
    )
    .with_kamal("Must retain at least 1 container")
    .with_help("use 1 or more (the default is 5)")
}
