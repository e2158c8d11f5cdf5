use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::text::Span;

use super::image;

declare_rule! {
    /// A `builder.args` key that no `ARG` of the Dockerfile declares.
    ///
    /// ## What it does
    /// Compares the keys of `builder.args`, which Kamal passes as `--build-arg KEY=VALUE`, with
    /// the `ARG` instructions of the Dockerfile the load builds (in any stage, or before the
    /// first `FROM`). BuildKit's predefined args (`HTTP_PROXY` and the other proxy variables,
    /// `SOURCE_DATE_EPOCH`, `BUILDKIT_*`) need no declaration. A declared name that differs
    /// only in case or by a typo is pointed out.
    ///
    /// ## Why is this bad?
    /// A build arg reaches the build only through an `ARG` of the same name (case matters);
    /// otherwise Docker ignores it with a warning few people read (`One or more build-args
    /// [RUBY_VERSON] were not consumed`), and the build quietly uses the `ARG`'s default — or
    /// an empty value. The usual cause is a renamed `ARG` or a typo.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   arch: amd64
    ///   args:
    ///     RUBY_VERSON: 3.4.1
    /// ```
    /// ```dockerfile
    /// ARG RUBY_VERSION=3.3.5
    /// FROM ruby:$RUBY_VERSION-slim
    /// ```
    /// Use instead:
    /// ```yaml
    ///   args:
    ///     RUBY_VERSION: 3.4.1
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.7 (`builder.args`) and §10.2
    /// - <https://docs.docker.com/reference/dockerfile/#arg>
    /// - <https://docs.docker.com/build/building/variables/#pre-defined-build-arguments>
    pub static BUILD_ARG_UNDECLARED = {
        code: "F002",
        name: "build-arg-undeclared",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

/// Build args BuildKit knows without an `ARG`.
fn predefined(name: &str) -> bool {
    matches!(
        name,
        "HTTP_PROXY"
            | "http_proxy"
            | "HTTPS_PROXY"
            | "https_proxy"
            | "FTP_PROXY"
            | "ftp_proxy"
            | "NO_PROXY"
            | "no_proxy"
            | "ALL_PROXY"
            | "all_proxy"
            | "SOURCE_DATE_EPOCH"
    ) || name.starts_with("BUILDKIT_")
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(source) = cx.dockerfile() else {
        return;
    };
    let Some(args) = cx.config.get("builder").and_then(|b| b.get("args")) else {
        return;
    };
    let Some(entries) = args.map().filter(|_| !args.is_erb()) else {
        return;
    };
    let declared: Vec<(String, Span)> = source
        .parsed
        .instructions
        .iter()
        .flat_map(|ins| ins.arg_decls())
        .filter(|d| !d.name.is_empty())
        .map(|d| (d.name, Span::new(source.file, d.name_span)))
        .collect();
    for e in entries {
        if e.key.is_erb() {
            continue;
        }
        let name = e.key.ruby_to_s();
        if predefined(&name) || declared.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let near = declared.iter().find(|(n, _)| image::similar(n, &name));
        let mut d = Diagnostic::new(
            &BUILD_ARG_UNDECLARED,
            e.key.span,
            format!("build arg `{name}` is not declared by any `ARG` of the Dockerfile: the build ignores it"),
        );
        d = match near {
            Some((n, span)) => d
                .with_label(*span, format!("`ARG {n}` is declared here"))
                .with_help(format!("did you mean `{n}`? Build arg names are case-sensitive")),
            None => d.with_help(format!(
                "declare `ARG {name}` in the stage that uses it (after its `FROM`), or remove it from `builder.args`"
            )),
        };
        out.push(d);
    }
}
