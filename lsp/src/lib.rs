//! The sextant language server: `sextant lsp`, over stdio. Every diagnostic comes from the
//! `sextant-lint` engine (the same `check` the CLI runs, on the editor's unsaved buffers); this
//! crate only translates, and adds what an editor needs around it: hover, completion, code
//! actions, definitions and symbols.

mod actions;
mod completion;
mod convert;
mod cursor;
mod definition;
mod hover;
mod secrets;
mod server;
mod state;
mod symbols;
mod transport;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tower_lsp_server::{LspService, Server};

/// Serves the protocol on stdin/stdout until the client says `exit` (or closes stdin).
/// Returns whether the client asked for `shutdown` first (the exit status is 0 then, else 1,
/// as the protocol asks).
pub fn run() -> std::io::Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let shut_down = Arc::new(AtomicBool::new(false));
    let flag = shut_down.clone();
    runtime.block_on(async {
        let (service, socket) =
            LspService::new(|client| server::Backend::new(client, flag.clone()));
        // stdin goes through the message filter (see `transport`) on its way to the server
        let (filtered, server_input) = tokio::io::duplex(1024 * 1024);
        tokio::spawn(transport::filter(tokio::io::stdin(), filtered));
        Server::new(server_input, tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    // the stdin reader may be blocked in a read that never returns: do not wait for it
    runtime.shutdown_background();
    Ok(shut_down.load(Ordering::SeqCst))
}
