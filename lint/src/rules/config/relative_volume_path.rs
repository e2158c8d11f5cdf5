use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::rules::walk;

declare_rule! {
    /// A volume whose host side is a relative path.
    ///
    /// ## What it does
    /// Reports `volumes` entries (root and accessories) whose host part is a relative path
    /// (`./data:/data`, `storage/files:/rails/storage`) rather than an absolute path or a volume
    /// name.
    ///
    /// ## Why is this bad?
    /// Kamal passes the entry to `docker run --volume` on the server. A relative path is not
    /// relative to your project there: Docker rejects a path such as `storage/files` as an
    /// invalid volume name (the container does not start), and a path starting with `./` or
    /// `../` is rejected the same way before Docker 23, and from Docker 23 on resolved against
    /// the working directory of the SSH session (the SSH user's home), so data lands somewhere
    /// unexpected.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - ./storage:/rails/storage
    /// ```
    /// Use instead:
    /// ```yaml
    /// volumes:
    ///   - app_storage:/rails/storage          # a named volume
    ///   - /var/lib/app/storage:/rails/storage # or an absolute path
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.1 (`volumes`)
    /// - <https://docs.docker.com/engine/storage/volumes/>
    pub static RELATIVE_VOLUME_PATH = {
        code: "C008",
        name: "relative-volume-path",
        category: Config,
        severity: Warning,
        fix: None,
    };
}

/// The host part of `HOST:CONTAINER[:OPTIONS]` when it is a relative path.
pub(crate) fn relative_host(volume: &str) -> Option<&str> {
    let (host, _) = volume.split_once(':')?;
    if host.is_empty()
        || host.starts_with('/')
        || host.starts_with('$')
        || host.starts_with('~')
        || host.contains("<%")
    {
        return None;
    }
    (host.contains('/') || host.starts_with('.')).then_some(host)
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let mut lists = vec![("", cx.config.get("volumes"))];
    let accessories = walk::accessories(cx.config);
    for (_, acc) in &accessories {
        lists.push(("accessory ", acc.get("volumes")));
    }
    for (what, list) in lists {
        for (node, volume) in walk::string_items(list) {
            if let Some(host) = relative_host(&volume) {
                out.push(
                    Diagnostic::new(
                        &RELATIVE_VOLUME_PATH,
                        node.span,
                        format!("{what}volume host path `{host}` is relative: on the server it is not your project folder"),
                    )
                    .with_help("use an absolute path on the server, or a named volume (`name:/path`)"),
                );
            }
        }
    }
}
