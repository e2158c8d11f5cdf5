//! Standard input and output of the server, around the protocol library.
//!
//! **Input.** A thread of its own reads stdin, re-frames it, and passes on only messages the
//! library can decode: tower-lsp-server stops reading for good after one undecodable message
//! (its framed reader ends on the first error), so a single body that is not a JSON-RPC 2.0
//! message (`{}`, `null`, a batch, an id of `1.5`, 100 000 nested brackets) would take the
//! server down. Such a body gets a JSON-RPC error answer (`-32700` when it is not JSON, `-32600`
//! otherwise, with its id when it has a usable one, else `null`), or, when it looks like a
//! response of the client, a line on stderr; the server keeps serving. Nesting is bounded by a
//! scan of the bytes before anything is parsed.
//!
//! **End of input.** The reader notices the end of stdin (or an `exit` notification) whatever
//! the rest of the server is doing — an analysis stuck on a file or a tool, a request of the
//! server the client never answers — and, after a short grace for the library to finish on
//! its own, writes out what is queued for stdout and ends the process.
//!
//! **Output.** The library writes into a channel; a writer thread owns stdout and writes whole
//! frames, the library's and the guard's error answers, never interleaving their bytes.
//!
//! Hand-written: the framing is the protocol's own (a header and a body); no crate offers a
//! JSON-RPC validator matching tower-lsp-server's decoder, so the last check here is that
//! decoder's own types ([`Message`]).

use std::io::{Read, Write};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::mpsc;
use tokio_util::sync::PollSender;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// What the start of a buffer holds.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    /// Not enough bytes yet.
    Incomplete,
    /// Bytes to drop: no `Content-Length` header before them.
    Garbage(usize),
    /// A message: its body's range, and the length of the whole frame.
    Message {
        body: std::ops::Range<usize>,
        len: usize,
    },
}

/// Largest message accepted (a bigger Content-Length is garbage, not an allocation).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// Deepest nesting of arrays and objects accepted in a message (serde_json's own limit, 128,
/// would end the library's reader; LSP messages nest a dozen levels at most).
const MAX_DEPTH: usize = 64;

/// How long the library gets to end on its own after the end of input or `exit`.
const GRACE: Duration = Duration::from_millis(200);

/// How long, at the end, what is queued for stdout may take to be written.
const DRAIN: Duration = Duration::from_millis(400);

fn frame(buf: &[u8]) -> Frame {
    let Some(end) = find(buf, b"\r\n\r\n") else {
        // a header block cannot be this long: skip to the next plausible header
        if buf.len() > 8192 {
            return Frame::Garbage(next_header(buf, 1));
        }
        return Frame::Incomplete;
    };
    let headers = String::from_utf8_lossy(&buf[..end]);
    let length = headers.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    match length {
        Some(n) if n <= MAX_MESSAGE => {
            let start = end + 4;
            if buf.len() < start + n {
                Frame::Incomplete
            } else {
                Frame::Message {
                    body: start..start + n,
                    len: start + n,
                }
            }
        }
        _ => Frame::Garbage(next_header(buf, end + 4)),
    }
}

/// Where the next `Content-Length` starts at or after `from` (or the end of the buffer).
fn next_header(buf: &[u8], from: usize) -> usize {
    let from = from.min(buf.len());
    find(&buf[from..], b"Content-Length").map_or(buf.len(), |i| from + i)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Whether arrays and objects nest deeper than `max` (brackets inside strings do not count).
fn deeper_than(body: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    for &b in body {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The library's own message type (`tower_lsp_server::jsonrpc::Message` is private): what it
/// decodes, this decodes.
#[derive(serde::Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Message {
    Response(Response),
    Request(Request),
}

/// What to do with one framed body.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Pass it on; `exit` says it is the `exit` notification.
    Pass { exit: bool },
    /// Answer it with this error response (a JSON body).
    Answer(Vec<u8>),
    /// Drop it, saying why on stderr.
    Drop(&'static str),
}

fn error(id: Id, code: ErrorCode, message: &str) -> Verdict {
    let response = Response::from_error(
        id,
        Error {
            code,
            message: message.to_string().into(),
            data: None,
        },
    );
    match serde_json::to_vec(&response) {
        Ok(body) => Verdict::Answer(body),
        Err(_) => Verdict::Drop("a message that is not JSON-RPC 2.0"),
    }
}

/// Judges one body: a JSON-RPC 2.0 request, notification or response, as the library decodes
/// it, or not.
fn judge(body: &[u8]) -> Verdict {
    let Ok(text) = std::str::from_utf8(body) else {
        return error(Id::Null, ErrorCode::ParseError, "Parse error: not UTF-8");
    };
    if deeper_than(body, MAX_DEPTH) {
        return error(
            Id::Null,
            ErrorCode::InvalidRequest,
            &format!("Invalid request: nested deeper than {MAX_DEPTH} levels"),
        );
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => return error(Id::Null, ErrorCode::ParseError, "Parse error"),
    };
    let invalid = |id: Id, why: &str| error(id, ErrorCode::InvalidRequest, why);
    let obj = match &value {
        Value::Object(obj) => obj,
        Value::Array(_) => return invalid(Id::Null, "Invalid request: batches are not supported"),
        _ => return invalid(Id::Null, "Invalid request: not an object"),
    };
    // the id, when usable: an integer the library takes, a string, or null
    let id = match obj.get("id") {
        None => Some(None),
        Some(Value::Null) => Some(Some(Id::Null)),
        Some(Value::String(s)) => Some(Some(Id::String(s.clone()))),
        Some(Value::Number(n)) => n.as_i64().map(|n| Some(Id::Number(n))),
        Some(_) => None,
    };
    let answer_id = id.clone().flatten().unwrap_or(Id::Null);
    let is_response =
        !obj.contains_key("method") && (obj.contains_key("result") || obj.contains_key("error"));
    if is_response {
        let error_ok = match obj.get("error") {
            None => true,
            Some(Value::Object(e)) => {
                e.get("code").is_some_and(|c| c.as_i64().is_some())
                    && e.get("message").is_some_and(Value::is_string)
            }
            Some(_) => false,
        };
        let ok = obj.get("jsonrpc") == Some(&Value::from("2.0"))
            && matches!(id, Some(Some(_)))
            && obj.contains_key("result") != obj.contains_key("error")
            && error_ok
            && serde_json::from_str::<Message>(text).is_ok();
        // a response is never answered
        return if ok {
            Verdict::Pass { exit: false }
        } else {
            Verdict::Drop("a response that is not JSON-RPC 2.0")
        };
    }
    if id.is_none() {
        return invalid(
            Id::Null,
            "Invalid request: the id is not an integer, a string or null",
        );
    }
    if obj.get("jsonrpc") != Some(&Value::from("2.0")) {
        return invalid(answer_id, "Invalid request: `jsonrpc` is not \"2.0\"");
    }
    let Some(method) = obj.get("method").and_then(Value::as_str) else {
        return invalid(answer_id, "Invalid request: no method");
    };
    if !matches!(
        obj.get("params"),
        None | Some(Value::Null | Value::Object(_) | Value::Array(_))
    ) {
        return invalid(answer_id, "Invalid request: params are not structured");
    }
    // the library's decoder, last (a duplicated key, for one, passes the checks above)
    if serde_json::from_str::<Message>(text).is_err() {
        return invalid(answer_id, "Invalid request");
    }
    // the library stops reading after `exit`, even one sent as a request
    Verdict::Pass {
        exit: method == "exit",
    }
}

/// The output side: frames for stdout, written by one thread.
#[derive(Clone)]
pub struct Output {
    tx: mpsc::Sender<Out>,
    pending: Arc<Pending>,
}

enum Out {
    /// Bytes the library wrote (whole frames, possibly in pieces).
    Library(Vec<u8>),
    /// A whole frame of the guard.
    Guard(Vec<u8>),
}

/// How many items sent to the writer are not written yet.
#[derive(Default)]
struct Pending {
    count: Mutex<usize>,
    changed: Condvar,
}

impl Pending {
    fn add(&self) {
        *self.count.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    }

    fn done(&self) {
        let mut count = self.count.lock().unwrap_or_else(|e| e.into_inner());
        *count = count.saturating_sub(1);
        self.changed.notify_all();
    }

    /// Waits until everything sent was written, or `limit` passed.
    fn wait(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        let mut count = self.count.lock().unwrap_or_else(|e| e.into_inner());
        while *count > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            count = match self.changed.wait_timeout(count, left) {
                Ok((c, _)) => c,
                Err(e) => e.into_inner().0,
            };
        }
    }
}

impl Output {
    /// Starts the thread that writes to `out` (stdout).
    fn start(mut out: impl Write + Send + 'static) -> Output {
        let (tx, mut rx) = mpsc::channel::<Out>(64);
        let pending = Arc::new(Pending::default());
        let written = pending.clone();
        std::thread::spawn(move || {
            let mut library: Vec<u8> = Vec::new();
            let mut broken = false;
            while let Some(item) = rx.blocking_recv() {
                let mut write = |bytes: &[u8]| {
                    // once the client stops reading, output is dropped (and still counted)
                    if !broken && out.write_all(bytes).and_then(|_| out.flush()).is_err() {
                        broken = true;
                    }
                };
                match item {
                    Out::Guard(frame) => write(&frame),
                    Out::Library(bytes) => {
                        library.extend_from_slice(&bytes);
                        // the library writes well-formed frames: each goes out whole
                        loop {
                            match frame(&library) {
                                Frame::Incomplete => break,
                                Frame::Garbage(n) | Frame::Message { len: n, .. } => {
                                    write(&library[..n]);
                                    library.drain(..n);
                                }
                            }
                        }
                    }
                }
                written.done();
            }
        });
        Output { tx, pending }
    }

    /// Queues a whole frame of the guard (from a thread outside the runtime). While the
    /// queue is full (the client does not read), watches for the end of input: false then.
    fn send_guard(&self, frame: Vec<u8>, hung_up: &dyn Fn() -> bool) -> bool {
        self.pending.add();
        let mut item = Out::Guard(frame);
        loop {
            match self.tx.try_send(item) {
                Ok(()) => return true,
                Err(mpsc::error::TrySendError::Closed(_)) => {
                    self.pending.done();
                    return true;
                }
                Err(mpsc::error::TrySendError::Full(again)) => {
                    if hung_up() {
                        self.pending.done();
                        return false;
                    }
                    item = again;
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
    }

    /// Waits (at most `limit`) until what was queued is written.
    pub fn drain(&self, limit: Duration) {
        self.pending.wait(limit);
    }

    /// The writer the library writes to.
    pub fn writer(&self) -> LibraryWriter {
        LibraryWriter {
            tx: PollSender::new(self.tx.clone()),
            pending: self.pending.clone(),
        }
    }
}

/// The library's stdout: its bytes go to the writer thread.
pub struct LibraryWriter {
    tx: PollSender<Out>,
    pending: Arc<Pending>,
}

impl AsyncWrite for LibraryWriter {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let closed = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        if ready!(self.tx.poll_reserve(cx)).is_err() {
            return Poll::Ready(Err(closed()));
        }
        self.pending.add();
        if self.tx.send_item(Out::Library(buf.to_vec())).is_err() {
            self.pending.done();
            return Poll::Ready(Err(closed()));
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// The library's stdin: the messages the guard passed on.
pub struct LibraryReader {
    rx: mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

impl AsyncRead for LibraryReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        while self.at >= self.chunk.len() {
            match ready!(self.rx.poll_recv(cx)) {
                Some(chunk) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                // end of input
                None => return Poll::Ready(Ok(())),
            }
        }
        let n = buf.remaining().min(self.chunk.len() - self.at);
        let at = self.at;
        buf.put_slice(&self.chunk[at..at + n]);
        self.at += n;
        Poll::Ready(Ok(()))
    }
}

/// Guards stdin and stdout: returns the library's input and output, and the output (to drain
/// at the end). The process ends at the latest [`GRACE`] + [`DRAIN`] after stdin ends or
/// `exit` arrives, with status 0 when `shut_down` is set by then, else 1.
pub fn stdio(shut_down: Arc<AtomicBool>) -> (LibraryReader, Output) {
    let output = Output::start(std::io::stdout());
    let (tx, rx) = mpsc::channel::<Vec<u8>>(16);
    let guard = output.clone();
    std::thread::spawn(move || {
        filter(std::io::stdin().lock(), &tx, &guard, stdin_hung_up);
        // the library sees the end of its input too
        drop(tx);
        std::thread::sleep(GRACE);
        // still running (an analysis, a request waiting for the client, ...): end here, once
        // what is queued is written (the writer flushes each frame; stdout is not locked here,
        // the writer may hold it, blocked on a client that reads nothing)
        guard.drain(DRAIN);
        std::process::exit(if shut_down.load(Ordering::SeqCst) {
            0
        } else {
            1
        });
    });
    let reader = LibraryReader {
        rx,
        chunk: Vec::new(),
        at: 0,
    };
    (reader, output)
}

/// Whether the writer of stdin is gone (polled while the library does not take messages: then
/// stdin is not read, and its end would go unnoticed).
#[cfg(unix)]
fn stdin_hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no timeout
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

#[cfg(not(unix))]
fn stdin_hung_up() -> bool {
    false
}

/// Most lines the guard writes to stderr: a client that does not read stderr must not block the
/// reading of stdin (a pipe holds 64 kB; this is under 10 kB).
const MAX_NOTES: usize = 100;

/// Says on stderr what the guard did, up to [`MAX_NOTES`] times.
fn note(line: std::fmt::Arguments) {
    static NOTES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    match NOTES.fetch_add(1, Ordering::Relaxed) {
        n if n < MAX_NOTES => eprintln!("sextant lsp: {line}"),
        n if n == MAX_NOTES => eprintln!("sextant lsp: (further such lines are not shown)"),
        _ => {}
    }
}

/// Hands a message to the library; while it takes none (every handler busy), watches for the
/// end of input. Returns false when the message cannot be passed on (the library stopped, or
/// the input ended meanwhile).
fn pass_on(pass: &mpsc::Sender<Vec<u8>>, mut message: Vec<u8>, hung_up: &dyn Fn() -> bool) -> bool {
    loop {
        match pass.try_send(message) {
            Ok(()) => return true,
            Err(mpsc::error::TrySendError::Closed(_)) => return false,
            Err(mpsc::error::TrySendError::Full(m)) => {
                if hung_up() {
                    note(format_args!("the input ended while the server was busy"));
                    return false;
                }
                message = m;
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// Passes the messages of `input` to `pass` (framed), answers or drops the rest, until the
/// input ends, the library stops reading, or `exit` was passed on.
fn filter(
    mut input: impl Read,
    pass: &mpsc::Sender<Vec<u8>>,
    output: &Output,
    hung_up: fn() -> bool,
) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        // what was handled is dropped once per read (not once per message)
        let mut at = 0;
        loop {
            let rest = &buf[at..];
            match frame(rest) {
                Frame::Incomplete => break,
                Frame::Garbage(n) => {
                    note(format_args!(
                        "skipped {n} bytes that are not a protocol message"
                    ));
                    at += n;
                }
                Frame::Message { body, len } => {
                    let verdict = judge(&rest[body.clone()]);
                    let go_on = match verdict {
                        Verdict::Pass { exit } => {
                            pass_on(pass, framed(&rest[body]), &hung_up) && !exit
                        }
                        Verdict::Answer(response) => {
                            note(format_args!(
                                "answered a message that is not JSON-RPC 2.0 with an error"
                            ));
                            output.send_guard(framed(&response), &hung_up)
                        }
                        Verdict::Drop(what) => {
                            note(format_args!("skipped {what}"));
                            true
                        }
                    };
                    if !go_on {
                        return;
                    }
                    at += len;
                }
            }
        }
        buf.drain(..at);
        match input.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn frames() {
        assert_eq!(frame(b"Content-Len"), Frame::Incomplete);
        assert_eq!(frame(b"Content-Length: 5\r\n\r\n{}"), Frame::Incomplete);
        assert_eq!(
            frame(&msg("{}")),
            Frame::Message {
                body: 21..23,
                len: 23
            }
        );
        assert_eq!(
            frame(b"X-Other: 1\r\n\r\nContent-Length: 2\r\n\r\n{}"),
            Frame::Garbage(14)
        );
        assert_eq!(frame(b"Content-Length: x\r\n\r\n"), Frame::Garbage(21));
    }

    fn answer(body: &str) -> Value {
        match judge(body.as_bytes()) {
            Verdict::Answer(b) => serde_json::from_slice(&b).unwrap(),
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn judges_bodies() {
        let pass = Verdict::Pass { exit: false };
        for ok in [
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#,
            r#"{"jsonrpc":"2.0","id":"a","method":"shutdown","params":null}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            r#"{"jsonrpc":"2.0","id":3,"result":null}"#,
            r#"{"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"no"}}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":{"s":"[[[[{{{{\"]]"}}"#,
        ] {
            assert_eq!(judge(ok.as_bytes()), pass, "{ok}");
        }
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","method":"exit"}"#),
            Verdict::Pass { exit: true }
        );
        let invalid = |body: &str, id: Value| {
            let a = answer(body);
            assert_eq!(a["error"]["code"], -32600, "{body}: {a}");
            assert_eq!(a["id"], id, "{body}: {a}");
            assert_eq!(a["jsonrpc"], "2.0");
        };
        invalid("{}", Value::Null);
        invalid("[]", Value::Null);
        invalid(r#"[{"jsonrpc":"2.0","id":1,"method":"x"}]"#, Value::Null);
        invalid("null", Value::Null);
        invalid("42", Value::Null);
        invalid(r#""x""#, Value::Null);
        invalid(r#"{"id":7,"method":"x"}"#, 7.into());
        invalid(r#"{"jsonrpc":"1.0","id":"s","method":"x"}"#, "s".into());
        invalid(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, Value::Null);
        invalid(r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#, Value::Null);
        invalid(
            r#"{"jsonrpc":"2.0","id":18446744073709551615,"method":"x"}"#,
            Value::Null,
        );
        invalid(r#"{"jsonrpc":"2.0","id":2,"method":5}"#, 2.into());
        invalid(r#"{"jsonrpc":"2.0","id":2}"#, 2.into());
        invalid(
            r#"{"jsonrpc":"2.0","id":2,"method":"x","params":3}"#,
            2.into(),
        );
        invalid(
            r#"{"jsonrpc":"2.0","id":2,"method":"x","method":"y"}"#,
            2.into(),
        );
        let deep = format!(
            r#"{{"jsonrpc":"2.0","id":4,"method":"x","params":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        invalid(&deep, Value::Null);
        let parse = |body: &[u8]| match judge(body) {
            Verdict::Answer(b) => {
                let a: Value = serde_json::from_slice(&b).unwrap();
                assert_eq!(a["error"]["code"], -32700);
                assert_eq!(a["id"], Value::Null);
            }
            other => panic!("{other:?}"),
        };
        parse(b"{oops}}");
        parse(b"");
        parse(b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\"}");
        // responses are never answered
        for bad in [
            r#"{"jsonrpc":"2.0","id":1.5,"result":1}"#,
            r#"{"jsonrpc":"2.0","result":1}"#,
            r#"{"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":""}}"#,
            r#"{"jsonrpc":"2.0","id":1,"error":{"code":"x"}}"#,
            r#"{"id":1,"result":1}"#,
        ] {
            assert!(matches!(judge(bad.as_bytes()), Verdict::Drop(_)), "{bad}");
        }
    }

    #[test]
    fn depth_is_scanned_outside_strings() {
        assert!(!deeper_than(b"[[]]", 2));
        assert!(deeper_than(b"[[[]]]", 2));
        assert!(!deeper_than(br#"["[[[[\"[[["]"#, 1));
        // stray closing brackets do not make room for deeper nesting
        assert!(!deeper_than(b"]]]]][][]", 1));
        assert!(deeper_than(b"]]]]][[]]", 1));
    }

    #[test]
    fn passes_messages_and_answers_or_drops_the_rest() {
        let out = std::sync::Arc::new(Mutex::new(Vec::new()));
        struct Shared(std::sync::Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let output = Output::start(Shared(out.clone()));
        let a = r#"{"jsonrpc":"2.0","method":"a"}"#;
        let b = r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#;
        let mut input = msg(a);
        input.extend(msg("{oops}}"));
        input.extend(b"garbage\r\n\r\n");
        input.extend(msg("{}"));
        input.extend(msg(b));
        input.extend(msg(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        input.extend(msg(r#"{"jsonrpc":"2.0","method":"after-exit"}"#));
        let (tx, mut rx) = mpsc::channel(16);
        filter(&input[..], &tx, &output, || false);
        drop(tx);
        let mut passed = Vec::new();
        while let Some(m) = rx.blocking_recv() {
            passed.extend(m);
        }
        let mut expected = msg(a);
        expected.extend(msg(b));
        expected.extend(msg(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        assert_eq!(
            String::from_utf8(passed).unwrap(),
            String::from_utf8(expected).unwrap()
        );
        output.drain(Duration::from_secs(5));
        let answers = String::from_utf8(out.lock().unwrap().clone()).unwrap();
        assert_eq!(answers.matches("Content-Length").count(), 2, "{answers}");
        assert!(answers.contains("-32700") && answers.contains("-32600"));
    }

    #[tokio::test]
    async fn library_frames_are_written_whole() {
        use tokio::io::AsyncWriteExt;
        let out = std::sync::Arc::new(Mutex::new(Vec::<u8>::new()));
        struct Shared(std::sync::Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let output = Output::start(Shared(out.clone()));
        let mut writer = output.writer();
        let first = msg(r#"{"jsonrpc":"2.0","id":1,"result":null}"#);
        // half a frame of the library, then a guard answer, then the rest
        writer.write_all(&first[..10]).await.unwrap();
        let guard = output.clone();
        tokio::task::spawn_blocking(move || guard.send_guard(msg("{}"), &|| false))
            .await
            .unwrap();
        writer.write_all(&first[10..]).await.unwrap();
        output.drain(Duration::from_secs(5));
        let mut expected = msg("{}");
        expected.extend(first);
        assert_eq!(*out.lock().unwrap(), expected);
    }
}
