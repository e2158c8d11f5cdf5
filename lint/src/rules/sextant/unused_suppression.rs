use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::text::Span;

declare_rule! {
    /// A `# sextant: ignore[...]` comment that suppresses nothing.
    ///
    /// ## What it does
    /// Reports suppression comments (and codes inside them) that match no diagnostic on the
    /// line they apply to, or, for `ignore-file`, anywhere in the file.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real problem on that line: once the original problem
    /// is fixed, the comment keeps silencing whatever appears there later.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   app_port: 3000  # sextant: ignore[K003]
    /// ```
    /// `app_port` is an integer here, so `K003` suppresses nothing.
    ///
    /// ## Fix
    /// Removes the comment, or just the unused codes when others in the list are used (safe).
    ///
    /// ## References
    /// - ruff's `unused-noqa` (RUF100) works the same way.
    pub static UNUSED_SUPPRESSION = {
        code: "X001",
        name: "unused-suppression",
        category: Sextant,
        severity: Warning,
        fix: Always,
    };
}

/// The suppression of `code` (at `span`: the code, or the whole comment when no code of it is
/// used) suppresses nothing; `fix` is [`remove_comment`] or [`remove_codes`].
pub(crate) fn diagnostic(span: Span, code: &str, fix: Fix) -> Diagnostic {
    Diagnostic::new(
        &UNUSED_SUPPRESSION,
        span,
        format!("this suppression of `{code}` suppresses nothing"),
    )
    .with_fix(fix)
}

/// Deletes a suppression none of whose codes is used (`removal`: the comment, or its line).
pub(crate) fn remove_comment(removal: Span) -> Fix {
    Fix {
        applicability: Applicability::Safe,
        message: "remove the suppression comment".into(),
        edits: vec![Edit {
            span: removal,
            content: String::new(),
        }],
    }
}

/// Keeps only the `kept` codes in the suppression's list (at `list`, inside the brackets).
pub(crate) fn remove_codes(list: Span, kept: &[&str]) -> Fix {
    Fix {
        applicability: Applicability::Safe,
        message: "remove the unused codes".into(),
        edits: vec![Edit {
            span: list,
            content: kept.join(", "),
        }],
    }
}
