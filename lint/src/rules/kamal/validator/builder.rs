//! The Builder validator's own checks (SPEC §3.7), after the generic ones.

use super::common::Checker;
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
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
                v.push(rules::invalid_cache_type(t.span, &ctx, &name));
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
        v.push(rules::builder_arch_missing(at, &ctx, builder.is_some()));
    }

    if let (Some(pack), Some(arch)) = (get("pack"), arch) {
        let truthy = !pack.value.is_null() && pack.value.as_bool() != Some(false);
        if truthy && arch.value.seq().is_some_and(|a| a.len() > 1) {
            v.push(rules::buildpacks_multiple_arch(
                pack.key.span,
                &ctx,
                arch.value.span,
            ));
        }
    }

    if let Some(local) = get("local") {
        let remote_blank = get("remote").is_none_or(|r| r.value.is_blank());
        if local.value.as_bool() == Some(false) && remote_blank {
            v.push(rules::builder_no_remote(local.value.span, &ctx));
        }
    }
}
