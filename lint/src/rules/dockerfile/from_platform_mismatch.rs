use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;
use crate::syntax::yaml::Node;

use super::image::Image;

declare_rule! {
    /// A `FROM --platform` in the image stage pinned to another architecture than `builder.arch`.
    ///
    /// ## What it does
    /// Reads the `--platform` of the stage Kamal builds and of the stages it is built on
    /// (global `ARG` defaults substituted; `$BUILDPLATFORM`, `$TARGETPLATFORM` and other
    /// variables are left alone) and compares its architecture with `builder.arch`. With
    /// several arches, any fixed platform is wrong for the others. Build stages the image only
    /// copies from are not checked: a fixed platform there can be deliberate (cross-compiling,
    /// building assets once).
    ///
    /// ## Why is this bad?
    /// Kamal builds with `--platform linux/ARCH` for the servers' architecture, but a constant
    /// `--platform` on `FROM` wins for that stage: the image holds binaries for the other
    /// architecture, and the container fails on the servers with `exec format error` (or runs
    /// slowly under emulation when the host has it). The deploy fails when the new container
    /// never becomes healthy.
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   arch: amd64
    /// ```
    /// ```dockerfile
    /// FROM --platform=linux/arm64 ruby:3.4-slim
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM ruby:3.4-slim
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.7 (`builder.arch`)
    /// - <https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/>
    /// - hadolint DL3029
    pub static FROM_PLATFORM_MISMATCH = {
        code: "F007",
        name: "from-platform-mismatch",
        category: Dockerfile,
        severity: Error,
        fix: None,
    };
}

/// The architecture of a platform (`linux/arm64/v8` → `arm64`), normalised.
fn arch_of(platform: &str) -> String {
    let parts: Vec<&str> = platform.split('/').collect();
    let arch = match parts.as_slice() {
        [_, arch, ..] => *arch,
        [one] => *one,
        [] => "",
    };
    match arch.to_ascii_lowercase().as_str() {
        "x86_64" | "x86-64" => "amd64".into(),
        "aarch64" => "arm64".into(),
        a => a.to_string(),
    }
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(image) = Image::of(cx) else { return };
    let Some(arch) = cx.config.get("builder").and_then(|b| b.get("arch")) else {
        return;
    };
    if arch.is_erb() {
        return;
    }
    let items: Vec<&Node> = match arch.seq() {
        Some(items) => items.iter().collect(),
        None => vec![arch],
    };
    if items.iter().any(|i| i.is_erb()) {
        return;
    }
    let arches: Vec<String> = items
        .iter()
        .filter_map(|i| i.as_str())
        .map(|a| arch_of(a.trim_start_matches("linux/")))
        .collect();
    if arches.is_empty() {
        return;
    }
    let global = image.df().global_scope();
    for stage in &image.chain {
        let ins = &image.df().instructions[stage.from];
        let Some(from) = ins.from_image() else {
            continue;
        };
        let (Some(platform), Some(span)) = (from.platform, from.platform_span) else {
            continue;
        };
        let platform = global.substitute(&platform);
        if platform.contains('$') || platform.is_empty() {
            continue;
        }
        let pinned = arch_of(&platform);
        let others: Vec<&String> = arches.iter().filter(|a| **a != pinned).collect();
        if others.is_empty() {
            continue;
        }
        let message = if arches.contains(&pinned) {
            format!(
                "this stage is pinned to `{platform}`, but `builder.arch` also builds {}: that image would hold `{pinned}` binaries",
                others.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
            )
        } else {
            format!(
                "this stage is pinned to `{platform}`, but `builder.arch` builds {}: the container fails on the servers with `exec format error`",
                others.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
            )
        };
        out.push(
            Diagnostic::new(&FROM_PLATFORM_MISMATCH, image.span(span), message)
                .with_label(arch.span, "Kamal builds for these architectures")
                .with_help("remove `--platform` (Kamal passes `--platform linux/ARCH` itself), or use `--platform=$BUILDPLATFORM` in build stages only"),
        );
    }
}
