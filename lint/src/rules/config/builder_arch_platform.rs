use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::LoadContext;
use crate::syntax::yaml::Node;
use crate::text::Span;

declare_rule! {
    /// `builder.arch` written as a Docker platform (`linux/amd64`): Kamal adds `linux/` itself.
    ///
    /// ## What it does
    /// Reports `builder.arch` values that contain a `/`, such as `linux/amd64`.
    ///
    /// ## Why is this bad?
    /// Kamal builds with `--platform linux/ARCH`, so `arch: linux/amd64` becomes
    /// `--platform linux/linux/amd64` and the build fails. Kamal does not validate arch values.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   arch: linux/amd64
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: amd64
    /// ```
    ///
    /// ## Fix
    /// Removes the `linux/` prefix (safe).
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.7 (builder) and §13.15
    /// - <https://kamal-deploy.org/docs/configuration/builders/>
    pub static BUILDER_ARCH_PLATFORM = {
        code: "C002",
        name: "builder-arch-platform",
        category: Config,
        severity: Error,
        fix: Sometimes,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(arch) = cx.config.get("builder").and_then(|b| b.get("arch")) else {
        return;
    };
    let items: Vec<&Node> = match arch.seq() {
        Some(items) => items.iter().collect(),
        None => vec![arch],
    };
    for item in items {
        let Some(value) = item.as_str().filter(|_| !item.is_erb()) else {
            continue;
        };
        // `arm64/v8` is a valid variant; an OS in front (`linux/amd64`) is the mistake
        let os = value.split('/').next().unwrap_or("");
        if !value.contains('/') || !matches!(os, "linux" | "windows" | "darwin" | "freebsd") {
            continue;
        }
        let mut d = Diagnostic::new(
            &BUILDER_ARCH_PLATFORM,
            item.span,
            format!("`{value}` is a Docker platform: Kamal builds for `linux/{value}`"),
        )
        .with_help("write the architecture alone (`amd64`, `arm64`); Kamal adds `linux/`");
        let source = cx.project.slice(item.span);
        if let Some(rest) = value.strip_prefix("linux/") {
            if let Some(at) = source.find("linux/") {
                d = d.with_fix(Fix {
                    applicability: Applicability::Safe,
                    message: format!("use `{rest}`"),
                    edits: vec![Edit {
                        span: Span {
                            file: item.span.file,
                            start: item.span.start + at as u32,
                            end: item.span.start + (at + "linux/".len()) as u32,
                        },
                        content: String::new(),
                    }],
                });
            }
        }
        out.push(d);
    }
}
