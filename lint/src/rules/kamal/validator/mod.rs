//! Kamal's own validation, reproduced: every check Kamal 2.8.2 runs on a loaded configuration
//! (SPEC §2–§4), driven by the schema. The validator decides when and where a K rule (or a
//! Kamal 1 leftover's L rule) applies; the words are the rules' own (their files' constructors,
//! with Kamal's exact message). Unlike Kamal, which stops at the first error, every problem is
//! reported.
//!
//! The order of checks follows SPEC §4.1, in [`validate`], so the diagnostics come out in
//! Kamal's order. The files form no cycle: `validate` calls the area modules, the recursive
//! walk (`generic`) calls the areas it dispatches to, and every module uses the leaf `common`
//! (the checker, the load and the shared type checks) and `keys` (unknown keys).

mod accessories;
mod builder;
mod common;
mod env;
mod generic;
mod hosts;
mod keys;
mod legacy;
mod proxy;
mod registry;
mod required;
mod servers;

use common::Checker;
pub use common::Load;

use super::ctx::Ctx;
use crate::diagnostic::Diagnostic;

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
