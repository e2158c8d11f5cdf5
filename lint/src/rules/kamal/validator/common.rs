//! What every part of the validator shares, and nothing that calls back into it: the load, the
//! checker that collects diagnostics, and the type checks (`should be a string`, arrays and
//! hashes of strings) of Kamal's `Validator` base class.

use std::path::Path;

use sextant_schema::Version;

use crate::diagnostic::Diagnostic;
use crate::rules;
use crate::rules::kamal::ctx::Ctx;
use crate::syntax::yaml::{Entry, Node};
use crate::text::Span;
use crate::vfs::Vfs;

/// One configuration as Kamal would load it.
pub struct Load<'a> {
    /// The merged root hash.
    pub config: &'a Node,
    /// `-d DEST`, or `None` for the base configuration alone.
    pub destination: Option<&'a str>,
    /// Where to report problems that have no place (a missing key): the start of the base file.
    pub anchor: Span,
    /// The Kamal version checked against.
    pub version: Version,
    /// ERB may add keys (a standalone `<%= … %>` line): missing keys prove nothing.
    pub dynamic: bool,
    /// `require_destination` is not enforced (the base load checked beside its destinations).
    pub ignore_require_destination: bool,
    /// Kamal's working directory, for `hooks_path`.
    pub root: &'a Path,
    pub vfs: &'a dyn Vfs,
    /// A span for a hook file that exists, given its path (the engine loads it as a source).
    pub hook_span: &'a dyn Fn(&Path) -> Option<Span>,
}

pub(crate) struct Checker {
    pub version: Version,
    /// ERB may add keys anywhere: checks that a key is absent are skipped.
    pub dynamic: bool,
    pub out: Vec<Diagnostic>,
}

impl Checker {
    /// Reports a diagnostic built by its rule's constructor.
    pub fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    pub fn at_least(&self, major: u16, minor: u16, patch: u16) -> bool {
        self.version >= Version::new(major, minor, patch)
    }
}

/// The span to blame for a value: the value itself, or its key when the value is empty.
fn value_span(key: Option<&Node>, value: &Node) -> Span {
    match key {
        Some(k) if value.span.is_empty() => k.span,
        _ => value.span,
    }
}

/// `should be X`, at the value (or its key when the value is empty).
pub(super) fn type_error(
    v: &mut Checker,
    node: &Node,
    key: Option<&Node>,
    ctx: &Ctx,
    expected: &str,
) {
    v.push(rules::invalid_type(
        value_span(key, node),
        ctx,
        expected,
        node,
    ));
}

/// `validate_type!(value, String)` (ERB values pass).
pub(super) fn string(v: &mut Checker, node: &Node, key: Option<&Node>, ctx: &Ctx) {
    if !node.is_erb() && !node.is_stringish() {
        type_error(v, node, key, ctx, "a string");
    }
}

/// An array whose items are strings or hashes (`validate_type! item, String, Hash`): type
/// errors are reported, and the hash items are returned with their contexts.
pub(super) fn string_or_hash_items<'n>(
    v: &mut Checker,
    node: &'n Node,
    key: Option<&Node>,
    ctx: &Ctx,
) -> Vec<(Ctx, &'n Node, &'n [Entry])> {
    if node.is_erb() {
        return Vec::new();
    }
    let Some(items) = node.seq() else {
        type_error(v, node, key, ctx, "an array");
        return Vec::new();
    };
    let mut hashes = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let ictx = ctx.index(i);
        if item.is_erb() || item.is_stringish() {
            continue;
        }
        match item.map() {
            Some(entries) => hashes.push((ictx, item, entries)),
            None => type_error(v, item, None, &ictx, "a string or a hash"),
        }
    }
    hashes
}

/// `validate_array_of!(value, String)`.
pub(super) fn array_of_strings(v: &mut Checker, node: &Node, key: Option<&Node>, ctx: &Ctx) {
    let Some(items) = node.seq() else {
        return type_error(v, node, key, ctx, "an array");
    };
    for (i, item) in items.iter().enumerate() {
        if !item.is_erb() && !item.is_stringish() {
            type_error(v, item, None, &ctx.index(i), "a string");
        }
    }
}

/// `validate_hash_of!(value, String)`.
pub(super) fn hash_of_strings(v: &mut Checker, node: &Node, key: Option<&Node>, ctx: &Ctx) {
    let Some(entries) = node.map() else {
        return type_error(v, node, key, ctx, "a hash");
    };
    for e in entries {
        if !e.value.is_erb() && !e.value.is_stringish() {
            type_error(
                v,
                &e.value,
                Some(&e.key),
                &ctx.join(&e.key.ruby_to_s()),
                "a string",
            );
        }
    }
}
