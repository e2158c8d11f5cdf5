//! `check_unknown_keys!`: the keys of a hash that its schema section does not know, reported
//! together under Kamal's one message and each at its place (a Kamal 1 key under its legacy
//! rule, a key of a later Kamal under K026).

use sextant_schema::Section;

use super::common::Checker;
use super::legacy;
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
use crate::syntax::psych::Typed;
use crate::syntax::yaml::{Entry, Node};

/// Every key of the hash missing from the section, reported together (`unknown keys: a, b`)
/// and each at its place.
pub(super) fn unknown_keys(
    v: &mut Checker,
    node: &Node,
    section: &'static Section,
    ctx: &Ctx,
    allow_extensions: bool,
) {
    let Some(entries) = node.map() else {
        return;
    };
    let unknown: Vec<&Entry> = entries
        .iter()
        .filter(|e| !e.key.is_erb())
        .filter(|e| {
            let name = e.key.ruby_to_s();
            if allow_extensions && name.starts_with("x-") {
                return false;
            }
            // only String keys (Symbols at the root) can match the example's keys
            let is_name = e.key.as_str().is_some()
                || matches!(e.key.scalar().map(|s| &s.typed), Some(Typed::Symbol(_)))
                    && allow_extensions;
            !is_name
                || section
                    .key(&name)
                    .is_none_or(|k| !k.available_in(v.version))
        })
        .collect();
    report_unknown(v, &unknown, section, ctx, node);
}

/// Reports unknown keys, each at its place, all sharing Kamal's one message.
pub(super) fn report_unknown(
    v: &mut Checker,
    unknown: &[&Entry],
    section: &'static Section,
    ctx: &Ctx,
    node: &Node,
) {
    if unknown.is_empty() {
        return;
    }
    let names: Vec<String> = unknown.iter().map(|e| e.key.ruby_to_s()).collect();
    let kamal = rules::unknown_keys_kamal(&names);
    for (entry, name) in unknown.iter().zip(&names) {
        if let Some(d) = legacy::unknown_key(section, name, entry, node, ctx, &kamal) {
            v.push(d);
            continue;
        }
        let span = entry.key.span;
        let d = match section.key(name).filter(|k| !k.available_in(v.version)) {
            Some(k) => rules::requires_newer_kamal(span, ctx, &kamal, name, k.since, v.version),
            None => rules::unknown_key(span, ctx, &kamal, name, section),
        };
        v.push(d);
    }
}
