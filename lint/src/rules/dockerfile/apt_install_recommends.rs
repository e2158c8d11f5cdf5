use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::ProjectContext;
use crate::text::Span;

use super::image;
use super::shell;

declare_rule! {
    /// `apt-get install` without `--no-install-recommends`.
    ///
    /// ## What it does
    /// Reports `apt-get install` and `apt install` commands in `RUN` without
    /// `--no-install-recommends` (or `-o APT::Install-Recommends=false`). Dockerfiles that
    /// configure APT to skip recommended packages (a `RUN` or `COPY` mentioning
    /// `Install-Recommends`) are left alone.
    ///
    /// ## Why is this bad?
    /// Debian and Ubuntu install each package's *recommended* packages by default: for server
    /// images these are mostly documentation, fonts, X11 libraries and tools the app never
    /// uses. They make the image larger — every deploy pushes it to the registry and pulls it
    /// on every server — and widen what a vulnerability scan flags. Rails' generated
    /// Dockerfile passes `--no-install-recommends` everywhere.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update -qq && apt-get install -y libvips postgresql-client
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update -qq && apt-get install --no-install-recommends -y libvips postgresql-client
    /// ```
    ///
    /// ## Fix
    /// Adds `--no-install-recommends` after `install` (unsafe: a package the app needs may
    /// come in only as a recommendation).
    ///
    /// ## References
    /// - <https://docs.docker.com/build/building/best-practices/#apt-get>
    /// - hadolint DL3015
    pub static APT_INSTALL_RECOMMENDS = {
        code: "F017",
        name: "apt-install-recommends",
        category: Dockerfile,
        severity: Info,
        fix: Sometimes,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        let df = &source.parsed;
        let configured = df.instructions.iter().any(|ins| {
            matches!(ins.keyword.as_str(), "RUN" | "COPY" | "ADD")
                && (ins.args_text().contains("Install-Recommends")
                    || ins
                        .heredocs
                        .iter()
                        .any(|h| h.body.contains("Install-Recommends")))
        });
        if configured {
            continue;
        }
        for ins in &df.instructions {
            if ins.keyword != "RUN" {
                continue;
            }
            for (text, offset) in image::run_scripts(ins) {
                for c in shell::commands(&text) {
                    let Some(i) = c.command_index() else { continue };
                    let tool = shell::basename(&c.words[i].text);
                    if !matches!(tool, "apt-get" | "apt") {
                        continue;
                    }
                    let Some(install) = c.words[i + 1..]
                        .iter()
                        .find(|w| !w.text.starts_with('-'))
                        .filter(|w| w.text == "install")
                    else {
                        continue;
                    };
                    let opted_out = c.words.iter().enumerate().any(|(n, w)| {
                        w.text == "--no-install-recommends"
                            || w.text.contains("Install-Recommends")
                            || (w.text == "-o"
                                && c.words
                                    .get(n + 1)
                                    .is_some_and(|v| v.text.contains("Install-Recommends")))
                    });
                    if opted_out {
                        continue;
                    }
                    let range =
                        image::script_range(ins, offset, c.words[i].range.start..install.range.end);
                    let mut d = Diagnostic::new(
                        &APT_INSTALL_RECOMMENDS,
                        Span::new(source.file, range),
                        format!("`{tool} install` without `--no-install-recommends` also installs every recommended package"),
                    )
                    .with_help("add `--no-install-recommends`, and install what the app needs by name");
                    let at = image::script_range(ins, offset, install.range.clone()).end;
                    d = d.with_fix(Fix {
                        applicability: Applicability::Unsafe,
                        message: "add `--no-install-recommends`".into(),
                        edits: vec![Edit {
                            span: Span::empty(source.file, at),
                            content: " --no-install-recommends".into(),
                        }],
                    });
                    out.push(d);
                }
            }
        }
    }
}
