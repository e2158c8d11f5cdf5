use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// `error_pages_path` that does not exist or holds no `4xx.html`/`5xx.html` page.
    ///
    /// ## What it does
    /// Reports an `error_pages_path` folder that is missing, or has no file named like
    /// `404.html` or `503.html`.
    ///
    /// ## Why is this bad?
    /// Kamal uploads only files matching `4??.html` and `5??.html` from that folder. A missing
    /// folder or misnamed pages mean kamal-proxy keeps serving its default pages, silently.
    ///
    /// ## Example
    /// ```yaml
    /// error_pages_path: public/errors   # holds not-found.html
    /// ```
    /// Use instead: name the pages by status code (`404.html`, `500.html`, `503.html`).
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.1 (`error_pages_path`, 2.6.0)
    pub static ERROR_PAGES_MISSING = {
        code: "C011",
        name: "error-pages-missing",
        category: Config,
        severity: Warning,
        fix: None,
    };
}

fn is_page(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 8
        && (b[0] == b'4' || b[0] == b'5')
        && b[1] != b'/'
        && b[2] != b'/'
        && name.ends_with(".html")
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(path) = cx.config.get("error_pages_path") else {
        return;
    };
    let Some(text) = path.as_str().filter(|_| !path.is_erb()) else {
        return;
    };
    let dir = cx.project.resolve(text);
    let vfs = cx.project.vfs;
    if vfs.kind(&dir) == crate::vfs::EntryKind::Outside {
        // not looked at (file-not-read says so)
        return;
    }
    if !vfs.is_dir(&dir) {
        out.push(
            Diagnostic::new(
                &ERROR_PAGES_MISSING,
                path.span,
                format!("`error_pages_path` `{text}` does not exist in the project"),
            )
            .with_help(
                "create the folder with pages named `404.html`, `500.html`, …, or remove the key",
            ),
        );
        return;
    }
    let pages = vfs
        .read_dir(&dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| is_page(n))
        .count();
    if pages == 0 {
        out.push(
            Diagnostic::new(
                &ERROR_PAGES_MISSING,
                path.span,
                format!("`{text}` has no `4xx.html` or `5xx.html` page: Kamal uploads nothing"),
            )
            .with_help("name the pages by status code, e.g. `404.html`, `503.html`"),
        );
    }
}
