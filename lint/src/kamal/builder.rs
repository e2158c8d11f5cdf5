//! The Builder validator's own checks (SPEC §3.7), after the generic ones.

use super::{Checker, Ctx};
use crate::registry as rules;
use crate::syntax::yaml::Node;
use crate::text::Span;

pub(super) fn check(v: &mut Checker, config: &Node, anchor: Span) {
    let ctx = Ctx::root().join("builder");
    let entry = config.entry("builder");
    let builder = match entry {
        None => None,
        Some(e) if e.value.is_erb() => return,
        Some(e) if e.value.is_map() => Some(&e.value),
        // not a hash: the generic check said so
        Some(_) => return,
    };
    let get = |k: &str| builder.and_then(|b| b.entry(k));

    if let Some(cache) = get("cache").filter(|c| c.value.is_map()) {
        if let Some(t) = cache.value.get("type") {
            let truthy = !t.is_null() && t.as_bool() != Some(false) && !t.is_erb();
            let name = t.ruby_to_s();
            if truthy && name != "gha" && name != "registry" {
                v.error(
                    &rules::INVALID_CACHE_TYPE,
                    t.span,
                    &ctx,
                    &format!("Invalid cache type: {name}"),
                    format!("`{name}` is not a cache type Kamal knows"),
                )
                .help = Some("use `type: gha` or `type: registry`".into());
            }
        }
    }

    let arch = get("arch");
    let absent_unknown = arch.is_none() && v.dynamic;
    if arch.is_none_or(|a| a.value.is_blank()) && !absent_unknown {
        let at = arch
            .map(|a| a.key.span)
            .or(entry.map(|e| e.key.span))
            .unwrap_or(anchor);
        v.error(
            &rules::BUILDER_ARCH_MISSING,
            at,
            &ctx,
            "Builder arch not set",
            "no `builder.arch`: Kamal 2 needs to know which architecture(s) to build",
        )
        .help = Some(if builder.is_none() {
            "add `builder:\\n  arch: amd64` (or arm64, or both as a list)".replace("\\n", "\n")
        } else {
            "add `arch: amd64` (or `arm64`, or both as a list) under `builder`".into()
        });
    }

    if let (Some(pack), Some(arch)) = (get("pack"), arch) {
        let truthy = !pack.value.is_null() && pack.value.as_bool() != Some(false);
        if truthy && arch.value.seq().is_some_and(|a| a.len() > 1) {
            v.error(
                &rules::BUILDPACKS_MULTIPLE_ARCH,
                pack.key.span,
                &ctx,
                "buildpacks only support building for one arch",
                "buildpacks (`pack`) build for one architecture only",
            )
            .label(arch.value.span, "several arches here")
            .help = Some("build for a single arch, or use a Dockerfile".into());
        }
    }

    if let Some(local) = get("local") {
        let remote_blank = get("remote").is_none_or(|r| r.value.is_blank());
        if local.value.as_bool() == Some(false) && remote_blank {
            v.error(
                &rules::BUILDER_NO_REMOTE,
                local.value.span,
                &ctx,
                "Cannot disable local builds, no remote is set",
                "`local: false` sends every build to the remote builder, but no `remote` is set",
            )
            .help = Some("set `remote: ssh://user@builder-host`, or remove `local: false`".into());
        }
    }
}
