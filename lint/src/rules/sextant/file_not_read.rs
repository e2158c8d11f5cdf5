use crate::diagnostic::{Diagnostic, Severity};
use crate::text::Span;
use crate::vfs::ReadError;

declare_rule! {
    /// A file the project uses that sextant did not read.
    ///
    /// ## What it does
    /// sextant reads a project as untrusted input (see SECURITY.md): it reads only regular files
    /// inside the project folder, each up to a size cap. It reports, at its place, every file it
    /// therefore did not check:
    /// - a key that names a path outside the project (`builder.dockerfile: /elsewhere/Dockerfile`,
    ///   `builder.context: ..`, `hooks_path`, `secrets_path`, `error_pages_path` with an absolute
    ///   path or `..` past the project folder) — an info: Kamal reads it, sextant does not;
    /// - a project file that is a symbolic link leading outside the project, a FIFO, socket or
    ///   device, or larger than its cap (16 MiB for configs, hooks and Dockerfiles, 32 MiB for
    ///   secrets files, 1 MiB for `.sextant.toml`) — a warning: nothing in it was checked.
    ///
    /// The message says why and nothing more: it never shows what is at the path.
    ///
    /// ## Why is this bad?
    /// A file sextant cannot read is a file whose problems it cannot report; silently skipping it
    /// would make a clean result mean less than it says. And a link out of a repository is how a
    /// hostile pull request would make a tool read (and print) the CI machine's files.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   dockerfile: /home/deploy/Dockerfile   # outside the project: not checked
    /// ```
    /// Use instead: keep the Dockerfile in the repository (`dockerfile: Dockerfile`), or ignore
    /// this rule for a monorepo whose build context is above the project on purpose.
    ///
    /// ## References
    /// - SECURITY.md, "Reads".
    pub static FILE_NOT_READ = {
        code: "X004",
        name: "file-not-read",
        category: Sextant,
        severity: Warning,
        fix: None,
    };
}

/// A key of the configuration names a path outside the project.
pub(crate) fn outside_key(span: Span, key: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        &FILE_NOT_READ,
        span,
        format!("`{key}` names a path outside the project: sextant does not read it, so it is not checked"),
    )
    .with_help("keep the file inside the project folder, or ignore X004 where that is on purpose");
    d.severity = Severity::Info;
    d
}

/// A project file (or folder) that was refused: `span` is on the file itself, or on the key
/// that named it.
pub(crate) fn refused(span: Span, what: &str, why: &ReadError) -> Diagnostic {
    let help = match why {
        ReadError::Outside | ReadError::LinkOutside => {
            "a symbolic link out of the project is never followed: commit the file itself"
        }
        ReadError::TooLarge(_) => "a file this large is not a Kamal file sextant can check",
        ReadError::NotRegular(_) => "replace it with a regular file",
        _ => "check the file's permissions",
    };
    let why = why.to_string();
    Diagnostic::new(
        &FILE_NOT_READ,
        span,
        format!("{what} was not read: {why}; nothing in it was checked"),
    )
    .with_help(help)
}
