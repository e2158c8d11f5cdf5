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

/// Serves the protocol on stdin/stdout until the client says `exit` or closes stdin (which
/// ends the process within a second whatever the server is doing, see `transport`).
/// Returns whether the client asked for `shutdown` first (the exit status is 0 then, else 1,
/// as the protocol asks).
pub fn run() -> std::io::Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let shut_down = Arc::new(AtomicBool::new(false));
    let flag = shut_down.clone();
    // stdin goes through the message guard, stdout through one writer (see `transport`)
    let (input, output) = transport::stdio(shut_down.clone());
    runtime.block_on(async {
        let (service, socket) =
            LspService::new(|client| server::Backend::new(client, flag.clone()));
        Server::new(input, output.writer(), socket)
            .serve(service)
            .await;
    });
    // analyses still running are not waited for
    runtime.shutdown_background();
    output.drain(std::time::Duration::from_millis(500));
    Ok(shut_down.load(Ordering::SeqCst))
}
