use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::ProjectContext;
use crate::text::Span;

declare_rule! {
    /// `ADD` of local files or folders, where `COPY` does the same without surprises.
    ///
    /// ## What it does
    /// Reports `ADD` instructions whose sources are all local paths that are not archives.
    /// `ADD` of URLs, Git repositories and local `.tar*` archives (which `ADD` unpacks), and
    /// `ADD` with its own options (`--checksum`, `--keep-git-dir`, `--unpack`), are what `ADD`
    /// is for and are left alone.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it unpacks local tar archives and downloads URLs. For plain
    /// files `COPY` does exactly the same thing, and says so; with `ADD`, a file that happens
    /// to be a tarball (a vendored gem, a fixture) is unpacked in the image instead of copied.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD . /rails
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// COPY . /rails
    /// ```
    ///
    /// ## Fix
    /// Replaces `ADD` with `COPY` (safe: the sources are local files that are not archives).
    ///
    /// ## References
    /// - <https://docs.docker.com/build/building/best-practices/#add-or-copy>
    /// - hadolint DL3020
    pub static ADD_INSTEAD_OF_COPY = {
        code: "F015",
        name: "add-instead-of-copy",
        category: Dockerfile,
        severity: Warning,
        fix: Always,
    };
}

const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst",
    ".gz", ".bz2", ".xz", ".zst", ".lz4",
];

/// A source `COPY` handles the same way: a local path that is not (or cannot match) an archive.
fn plain_local(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    !(source.is_empty()
        || source.contains("://")
        || source.starts_with("git@")
        || source.contains('$')
        || source.starts_with("<<")
        || ARCHIVES.iter().any(|a| lower.ends_with(a))
        // a glob could match an archive
        || (source.contains(['*', '?', '[']) && !lower.ends_with('/') && {
            let tail = lower.rsplit('/').next().unwrap_or(&lower);
            tail.ends_with('*') || tail.contains(".t") || tail.contains(".gz")
        }))
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        for ins in &source.parsed.instructions {
            if ins.keyword != "ADD" || !ins.heredocs.is_empty() {
                continue;
            }
            if ins
                .flags
                .iter()
                .any(|f| !matches!(f.name.as_str(), "chown" | "chmod" | "link" | "exclude"))
            {
                continue;
            }
            let words = ins.words();
            let Some((_, sources)) = words.split_last() else {
                continue;
            };
            if sources.is_empty() || !sources.iter().all(|w| plain_local(&w.value)) {
                continue;
            }
            let written = &cx.files.get(source.file).text[ins.keyword_span.clone()];
            let copy = if written.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            out.push(
                Diagnostic::new(
                    &ADD_INSTEAD_OF_COPY,
                    Span::new(source.file, ins.keyword_span.clone()),
                    "`ADD` of local files: `COPY` does the same without unpacking archives or fetching URLs",
                )
                .with_help("use `COPY`; keep `ADD` for URLs, Git repositories and archives to unpack")
                .with_fix(Fix {
                    applicability: Applicability::Safe,
                    message: "use `COPY`".into(),
                    edits: vec![Edit {
                        span: Span::new(source.file, ins.keyword_span.clone()),
                        content: copy.into(),
                    }],
                }),
            );
        }
    }
}
