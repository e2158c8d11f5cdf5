//! Kamal's own validation, reproduced: every check Kamal 2.8.2 runs on a loaded configuration
//! (SPEC §2–§4), driven by the schema, with Kamal's exact message in `kamal_message`. Unlike
//! Kamal, which stops at the first error, every problem is reported.
//!
//! The order of checks follows SPEC §4.1 so the diagnostics come out in Kamal's order.

mod accessories;
mod builder;
mod env;
mod generic;
mod legacy;
mod proxy;
mod registry;
mod required;
mod servers;

use std::path::Path;

use sextant_schema::Version;

use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::syntax::yaml::Node;
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

/// Runs every Kamal check on a load.
pub fn validate(load: &Load) -> Vec<Diagnostic> {
    let mut v = Checker {
        version: load.version,
        dynamic: load.dynamic,
        out: Vec::new(),
    };
    let config = load.config;
    // 1. root keys and types
    generic::check_root(&mut v, config);
    // 2-3. servers and roles
    let roles = servers::check(&mut v, config);
    // 4. registry
    let reg = config.entry("registry");
    registry::check(
        &mut v,
        reg.map(|e| &e.value),
        &Ctx::root().join("registry"),
        true,
        reg.map_or(load.anchor, |e| e.key.span),
    );
    // 5. accessories
    accessories::check(&mut v, config, &roles);
    // 6-12. aliases, boot, builder, env, logging, proxy, ssh, sshkit are checked by the root
    // walk (generic); their semantic checks:
    builder::check(&mut v, config, load.anchor);
    proxy::check_root(&mut v, config);
    // 13-21.
    required::check(&mut v, load, &roles);
    v.out
}

/// A Kamal context path (`servers/web/proxy`), as Kamal prints it before its messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ctx(String);

impl Ctx {
    pub fn root() -> Ctx {
        Ctx(String::new())
    }

    /// `with_context(key)`: blank keys (nil, "", whitespace) are left out, as Ruby's `present?`.
    pub fn join(&self, key: &str) -> Ctx {
        if key.trim().is_empty() {
            return self.clone();
        }
        if self.0.is_empty() {
            Ctx(key.to_string())
        } else {
            Ctx(format!("{}/{}", self.0, key))
        }
    }

    pub fn index(&self, i: usize) -> Ctx {
        self.join(&i.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Kamal's full message: `context: message`, or the message alone at the root.
    pub fn message(&self, message: &str) -> String {
        if self.0.is_empty() {
            message.to_string()
        } else {
            format!("{}: {}", self.0, message)
        }
    }

    /// The path for humans (`the root`, or `` `servers/web` ``).
    pub fn display(&self) -> String {
        if self.0.is_empty() {
            "the root".into()
        } else {
            format!("`{}`", self.0)
        }
    }
}

pub(crate) struct Checker {
    pub version: Version,
    /// ERB may add keys anywhere: checks that a key is absent are skipped.
    pub dynamic: bool,
    pub out: Vec<Diagnostic>,
}

impl Checker {
    /// Reports a Kamal error: `message` for humans, `ctx: kamal` as Kamal's own message.
    pub fn error(
        &mut self,
        rule: &'static Rule,
        span: Span,
        ctx: &Ctx,
        kamal: &str,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::new(rule, span, message).with_kamal(ctx.message(kamal));
        self.out.push(d);
        self.out.last_mut().expect("just pushed")
    }

    pub fn at_least(&self, major: u16, minor: u16, patch: u16) -> bool {
        self.version >= Version::new(major, minor, patch)
    }
}

/// The span to blame for a value: the value itself, or its key when the value is empty.
pub(crate) fn value_span(key: Option<&Node>, value: &Node) -> Span {
    match key {
        Some(k) if value.span.is_empty() => k.span,
        _ => value.span,
    }
}
