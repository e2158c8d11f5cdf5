//! A minimal language client for tests and benchmarks: runs `sextant lsp` and talks to it over
//! stdio, as an editor does (framing, ids, answering the server's own requests).
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    /// `None` once closed ([`Client::close_stdin`]).
    stdin: Option<ChildStdin>,
    /// Whether requests from the server get an answer (a client that never answers, when not).
    pub answer_server_requests: bool,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received and not yet taken.
    pub notifications: VecDeque<Value>,
    /// Requests the server sent us (answered automatically), oldest first.
    pub server_requests: Vec<Value>,
    /// Every publishDiagnostics received, in order (params).
    pub published: Vec<Value>,
}

pub fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Client {
    pub fn start(bin: &Path) -> Client {
        Client::start_with(bin, |_| {})
    }

    /// Starts the server with `configure` applied to its command first (environment, ...).
    pub fn start_with(bin: &Path, configure: impl FnOnce(&mut Command)) -> Client {
        let mut command = Command::new(bin);
        configure(&mut command);
        let mut child = command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start sextant lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(v) = header.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("server sends JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin: Some(stdin),
            answer_server_requests: true,
            rx,
            next_id: 1,
            notifications: VecDeque::new(),
            server_requests: Vec::new(),
            published: Vec::new(),
        }
    }

    /// Sends raw bytes (for malformed-input tests).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    /// Closes the server's standard input (end of input).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits up to `limit` for the server process to end; its exit code (`Some(None)`: killed
    /// by a signal), or `None` when it still runs.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<Option<i32>> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status.code());
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("json");
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.send_raw(&framed);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Receives one message, answering server requests on the way. `None` on timeout.
    fn recv(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = match self.rx.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            };
            if msg.get("method").is_some() && msg.get("id").is_some() {
                // a request from the server: registerCapability, refresh, ... all get `null`
                let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": null});
                self.server_requests.push(msg);
                if self.answer_server_requests {
                    self.send(&reply);
                }
                continue;
            }
            if msg["method"] == "textDocument/publishDiagnostics" {
                self.published.push(msg["params"].clone());
            }
            return Some(msg);
        }
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("no response to {method} within {TIMEOUT:?}"));
            if msg.get("id") == Some(&json!(id)) {
                return match msg.get("error") {
                    Some(e) => Err(e.clone()),
                    None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
                };
            }
            self.notifications.push_back(msg);
        }
    }

    /// Waits for a notification matching `pred` and takes it. Other notifications stay queued,
    /// except diagnostics of the same document published before the match (superseded).
    pub fn wait_notification(
        &mut self,
        pred: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        let mut scanned = 0;
        loop {
            if let Some(i) = self.notifications.iter().skip(scanned).position(&pred) {
                let i = scanned + i;
                let found = self.notifications.remove(i).expect("index in queue");
                if found["method"] == "textDocument/publishDiagnostics" {
                    let uri = found["params"]["uri"].clone();
                    let mut index = 0;
                    self.notifications.retain(|n| {
                        index += 1;
                        !(index <= i
                            && n["method"] == "textDocument/publishDiagnostics"
                            && n["params"]["uri"] == uri)
                    });
                }
                return Some(found);
            }
            scanned = self.notifications.len();
            let msg = self.recv(deadline)?;
            self.notifications.push_back(msg);
        }
    }

    /// Waits for diagnostics of `uri` (and, when given, for that document version); returns the
    /// publishDiagnostics params.
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Value {
        let n = self
            .wait_notification(
                |m| {
                    m["method"] == "textDocument/publishDiagnostics"
                        && m["params"]["uri"] == uri
                        && version.is_none_or(|v| m["params"]["version"] == v)
                },
                TIMEOUT,
            )
            .unwrap_or_else(|| panic!("no diagnostics for {uri} (version {version:?})"));
        n["params"].clone()
    }

    /// The standard handshake. `capabilities` are the client capabilities.
    pub fn initialize(&mut self, root: &Path, capabilities: Value, options: Value) -> Value {
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": file_uri(root),
                    "capabilities": capabilities,
                    "initializationOptions": options,
                }),
            )
            .expect("initialize succeeds");
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, path: &Path, text: &str, version: i64) -> String {
        let uri = file_uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}}),
        );
        uri
    }

    pub fn change_full(&mut self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// shutdown + exit; returns the exit status code.
    pub fn shutdown(mut self) -> Option<i32> {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Ok(Value::Null));
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "server did not exit after `exit`"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The most recent diagnostics published for `uri`, after letting pending messages in for
    /// `settle`.
    pub fn latest(&mut self, uri: &str, settle: Duration) -> Option<Value> {
        let deadline = Instant::now() + settle;
        while let Some(msg) = self.recv(deadline) {
            self.notifications.push_back(msg);
        }
        self.published
            .iter()
            .rev()
            .find(|p| p["uri"] == uri)
            .cloned()
    }

    /// The server process id (for memory measurements).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the server process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Capabilities of a typical push-diagnostics editor (Neovim-like).
pub fn push_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "publishDiagnostics": {"versionSupport": true},
            "completion": {"completionItem": {"snippetSupport": true}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}}
        },
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
    })
}
