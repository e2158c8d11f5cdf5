//! The security suite (SECURITY.md): one test per finding of the hostile-project review, and the
//! property tests behind each promise — no reads or writes outside the project, no secret in any
//! output, nothing from the project executed, bounded time and memory, a server that keeps serving.
//! Each module covers one mechanism.

mod costs;
mod files;
mod redaction;
mod server;
mod shellcheck;
mod writer;

#[path = "../common/mod.rs"]
mod common;
#[path = "../support/lsp_client.rs"]
mod lsp_client;
