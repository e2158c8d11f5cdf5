//! Kamal's Env validator: simple (`NAME: value`) or structured (`clear`/`secret`/`tags`) env.

use sextant_schema::kamal::ENV;

use super::common::{array_of_strings, hash_of_strings, type_error, Checker};
use super::keys::report_unknown;
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
use crate::syntax::yaml::Node;

const SPECIAL: [&str; 3] = ["clear", "secret", "tags"];

pub(super) fn check(v: &mut Checker, node: &Node, key: Option<&Node>, ctx: &Ctx, root: bool) {
    if node.is_erb() {
        return;
    }
    let Some(entries) = node.map() else {
        return type_error(v, node, key, ctx, "a hash");
    };
    let is_special =
        |e: &&crate::syntax::yaml::Entry| e.key.as_str().is_some_and(|k| SPECIAL.contains(&k));
    if !entries.iter().any(|e| is_special(&e)) {
        // simple env: every value string-like
        return hash_of_strings(v, node, key, ctx);
    }
    let unknown: Vec<_> = entries
        .iter()
        .filter(|e| !is_special(e) && !e.key.is_erb())
        .collect();
    report_unknown(v, &unknown, &ENV, ctx, node);
    if let Some(e) = node.entry("clear") {
        hash_of_strings(v, &e.value, Some(&e.key), &ctx.join("clear"));
    }
    if let Some(e) = node.entry("secret") {
        if !e.value.is_erb() {
            array_of_strings(v, &e.value, Some(&e.key), &ctx.join("secret"));
        }
    }
    if let Some(e) = node.entry("tags") {
        // Kamal compares the context with "env": only the root env may have tags.
        if root && ctx.as_str() == "env" {
            let tctx = ctx.join("tags");
            if e.value.is_erb() {
                return;
            }
            let Some(tags) = e.value.map() else {
                return type_error(v, &e.value, Some(&e.key), &tctx, "a hash");
            };
            for t in tags {
                let name = t.key.ruby_to_s();
                let tag_ctx = tctx.join(&name);
                if t.value.is_erb() {
                    continue;
                }
                if !t.value.is_map() {
                    type_error(v, &t.value, Some(&t.key), &tag_ctx, "a hash");
                    continue;
                }
                // a tag's env is an env of its own, where `tags` is not allowed
                check(v, &t.value, Some(&t.key), &tag_ctx, false);
            }
        } else {
            v.push(rules::env_tags_not_root(e.key.span, ctx));
        }
    }
}
