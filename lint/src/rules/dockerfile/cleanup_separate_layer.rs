use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::syntax::dockerfile::Instruction;
use crate::text::Span;

use super::image;
use super::shell::{self, SimpleCommand};

declare_rule! {
    /// Package-manager cleanup in a `RUN` of its own: the files stay in the earlier layer.
    ///
    /// ## What it does
    /// Reports `apt-get clean`, `rm -rf /var/lib/apt/lists/*` and `/var/cache/apt` (and the
    /// `apk`, `yum` and `dnf` equivalents) in a `RUN` that installs nothing itself, when an
    /// earlier `RUN` of the stage — or of the stages it is built on — installed packages.
    ///
    /// ## Why is this bad?
    /// Every `RUN` adds a layer on top of the previous ones; deleting files in a later layer
    /// hides them but does not remove them from the image, which still carries the package
    /// lists and caches (often tens of megabytes) that every deploy pushes to the registry and
    /// pulls on every server. The cleanup only helps in the same `RUN` as the install.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update -qq && apt-get install --no-install-recommends -y libvips
    /// RUN rm -rf /var/lib/apt/lists/*
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update -qq && \
    ///     apt-get install --no-install-recommends -y libvips && \
    ///     rm -rf /var/lib/apt/lists /var/cache/apt/archives
    /// ```
    ///
    /// ## References
    /// - <https://docs.docker.com/build/building/best-practices/#apt-get>
    /// - hadolint DL3009
    pub static CLEANUP_SEPARATE_LAYER = {
        code: "F013",
        name: "cleanup-in-separate-layer",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

/// The program a command runs (its basename), its index, and its first word that is not an
/// option (the subcommand of package managers).
fn tool_and_sub(c: &SimpleCommand) -> Option<(usize, &str, Option<&str>)> {
    let i = c.command_index()?;
    let tool = shell::basename(&c.words[i].text);
    let sub = c
        .words
        .iter()
        .skip(i + 1)
        .find(|w| !w.text.starts_with('-'))
        .map(|w| w.text.as_str());
    Some((i, tool, sub))
}

/// The package manager a command installs or updates with.
fn installs(c: &SimpleCommand) -> bool {
    let Some((_, tool, sub)) = tool_and_sub(c) else {
        return false;
    };
    match tool {
        "apt-get" | "apt" | "aptitude" => matches!(
            sub,
            Some("install" | "update" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep")
        ),
        "apk" => matches!(sub, Some("add" | "update" | "upgrade")),
        "yum" | "dnf" | "microdnf" => {
            matches!(
                sub,
                Some("install" | "update" | "upgrade" | "groupinstall" | "makecache")
            )
        }
        _ => false,
    }
}

/// A cleanup of package lists or caches.
fn cleans(c: &SimpleCommand) -> bool {
    let Some((i, tool, sub)) = tool_and_sub(c) else {
        return false;
    };
    match tool {
        "apt-get" | "apt" => matches!(sub, Some("clean" | "autoclean")),
        "yum" | "dnf" | "microdnf" => sub == Some("clean"),
        "apk" => sub == Some("cache") && c.words.iter().any(|w| w.text == "clean"),
        "rm" => c.words.iter().skip(i + 1).any(|w| {
            [
                "/var/lib/apt/lists",
                "/var/cache/apt",
                "/var/cache/apk",
                "/var/cache/yum",
                "/var/cache/dnf",
            ]
            .iter()
            .any(|p| w.text.starts_with(p))
        }),
        _ => false,
    }
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        let df = &source.parsed;
        let text = &cx.files.get(source.file).text;
        // the last installing RUN of each stage (inherited by the stages built on it)
        let mut installed: Vec<Option<usize>> = Vec::new();
        for stage in &df.stages {
            let mut last = stage
                .parent
                .and_then(|p| installed.get(p).copied().flatten());
            for i in stage.from + 1..stage.instructions.end {
                let ins: &Instruction = &df.instructions[i];
                if ins.keyword != "RUN" {
                    continue;
                }
                let scripts = image::run_scripts(ins);
                let commands: Vec<(Option<usize>, SimpleCommand)> = scripts
                    .iter()
                    .flat_map(|(text, offset)| {
                        shell::commands(text).into_iter().map(move |c| (*offset, c))
                    })
                    .collect();
                if commands.iter().any(|(_, c)| installs(c)) {
                    last = Some(i);
                    continue;
                }
                let Some(prev) = last else { continue };
                // one report per `RUN`, at its first cleanup command
                if let Some((offset, c)) = commands.iter().find(|(_, c)| cleans(c)) {
                    let (Some(first), Some(end)) = (c.words.first(), c.words.last()) else {
                        continue;
                    };
                    let range = image::script_range(ins, *offset, first.range.start..end.range.end);
                    let p = &df.instructions[prev];
                    out.push(
                        Diagnostic::new(
                            &CLEANUP_SEPARATE_LAYER,
                            Span::new(source.file, range),
                            "this cleanup runs in its own `RUN`: the files stay in the earlier layer, and the image is no smaller",
                        )
                        .with_label(
                            Span::new(source.file, first_line(text, p)),
                            "the packages were installed in this layer",
                        )
                        .with_help("move the cleanup to the end of the `RUN` that installs the packages"),
                    );
                }
            }
            installed.push(last);
        }
    }
}

/// The first line of an instruction (from its keyword).
pub(crate) fn first_line(text: &str, ins: &Instruction) -> std::ops::Range<usize> {
    let start = ins.keyword_span.start;
    let end = text
        .get(start..)
        .and_then(|t| t.find('\n'))
        .map_or(ins.span.end, |n| (start + n).min(ins.span.end));
    let end = if text.get(..end).is_some_and(|t| t.ends_with('\r')) {
        end - 1
    } else {
        end
    };
    start..end.max(start)
}
