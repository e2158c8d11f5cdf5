use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// More problems of one rule in one file than sextant lists.
    ///
    /// ## What it does
    /// Lists at most the first 1 000 problems of each rule in each file (by position), and says
    /// in one line how many more there are. A file with a million secrets that nothing uses
    /// gets a thousand findings and this summary, not a million lines of output.
    ///
    /// ## Why is this bad?
    /// So many findings of one kind almost always have one cause (a generated file, a pasted
    /// dump, a file that is not what its name says); a report that size helps nobody, and its
    /// size alone — in a CI log, a SARIF upload, an editor — would be a way for a hostile project
    /// to make a check expensive for everyone downstream (see SECURITY.md).
    ///
    /// ## Example
    /// A `.kamal/secrets` of 200 000 lines that the configuration never uses:
    /// ```sh
    /// UNUSED_000001=$UNUSED_000001
    /// UNUSED_000002=$UNUSED_000002
    /// # … 199 998 more
    /// ```
    /// gets 1 000 `S003` findings, then "199 000 more `S003` problems in this file are not
    /// listed".
    ///
    /// Use instead: fix the cause of the first ones listed; the rest usually go with it.
    ///
    /// ## References
    /// - SECURITY.md, "Bounded time and memory".
    pub static TOO_MANY_PROBLEMS = {
        code: "X005",
        name: "too-many-problems",
        category: Sextant,
        severity: Info,
        fix: None,
    };
}

/// The problems of one rule (`code`) in one file beyond the first `shown`.
pub(crate) fn diagnostic(span: Span, code: &str, shown: usize, more: usize) -> Diagnostic {
    Diagnostic::new(
        &TOO_MANY_PROBLEMS,
        span,
        format!(
            "{more} more `{code}` problem{} in this file {} not listed (sextant lists the first {shown} of each rule in a file)",
            if more == 1 { "" } else { "s" },
            if more == 1 { "is" } else { "are" }
        ),
    )
    .with_help("so many of one problem usually have one cause: fix the first ones listed, then check again")
}
