use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;

declare_rule! {
    /// An accessory `files` entry whose local file does not exist.
    ///
    /// ## What it does
    /// Reports `files` entries (`LOCAL:REMOTE`) of accessories whose local path is not in the
    /// project.
    ///
    /// ## Why is this bad?
    /// Kamal uploads each local file when it boots the accessory; a missing one stops
    /// `kamal accessory boot` (and `kamal setup`) with an error on your machine.
    ///
    /// ## Example
    /// ```yaml
    /// accessories:
    ///   db:
    ///     image: mysql:8.4
    ///     host: 10.0.0.7
    ///     files:
    ///       - config/mysql/production.cnf:/etc/mysql/my.cnf
    /// ```
    /// Use instead: create the file, or fix the path (it is relative to the project root).
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.8 (accessory `files`)
    pub static ACCESSORY_FILE_MISSING = {
        code: "A005",
        name: "accessory-file-missing",
        category: Accessories,
        severity: Error,
        fix: None,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    for (name, acc) in walk::accessories(cx.config) {
        for (node, entry) in walk::string_items(acc.get("files")) {
            let Some((local, _)) = entry.split_once(':') else {
                continue;
            };
            if local.is_empty() || local.contains("<%") || local.contains('$') {
                continue;
            }
            let path = cx.project.resolve(local);
            if !cx.project.vfs.exists(&path) {
                out.push(
                    Diagnostic::new(
                        &ACCESSORY_FILE_MISSING,
                        node.span,
                        format!("accessory `{name}` uploads `{local}`, which does not exist in the project"),
                    )
                    .with_help("create the file or fix the path (relative to the project root)"),
                );
            }
        }
    }
}
