//! Security tests: server (see main.rs). The language server under a hostile client and project:
//! a well-framed body that is not a JSON-RPC message gets an error answer (or is dropped) and the
//! server keeps serving; a client that never answers the server's requests still gets
//! diagnostics; the end of input ends the process in every state; shellcheck never delays
//! answers or the other diagnostics. Each test drives the built binary over stdio.

use crate::lsp_client;

use std::path::PathBuf;
use std::time::Duration;

use lsp_client::{push_capabilities, Client};
use serde_json::{json, Value};

use crate::common::{project, sextant, CLEAN};

/// A liveness bound: "did it happen at all", not a performance figure.
const LIVE: Duration = Duration::from_secs(10);

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn hover_at(c: &mut Client, uri: &str, line: u32, character: u32) -> Result<Value, Value> {
    c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    )
}

/// The error answers (responses without a result) received so far with this id.
fn errors_with_id(c: &Client, id: &Value) -> Vec<Value> {
    c.notifications
        .iter()
        .filter(|m| m.get("method").is_none() && m.get("id") == Some(id))
        .filter_map(|m| m.get("error").cloned())
        .collect()
}

/// Sends `body` (framed) before `initialize` and again after it; each time the server must
/// answer with the error `code` for `id` and go on serving: initialize, hover and shutdown
/// answered, exit status 0.
fn keeps_serving_after(body: &[u8], id: Value, code: i64) {
    let dir = project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    let root = dir.path().canonicalize().unwrap();
    let mut c = Client::start(&sextant());
    c.send_raw(&framed(body));
    c.initialize(&root, push_capabilities(), Value::Null);
    c.send_raw(&framed(body));
    let uri = c.open(&root.join("config/deploy.yml"), CLEAN, 1);
    let hover = hover_at(&mut c, &uri, 0, 2).expect("hover answered");
    assert!(hover["contents"].is_object(), "hover on `service`: {hover}");
    let errors = errors_with_id(&c, &id);
    assert_eq!(
        errors.len(),
        2,
        "one error answer per bad body, for id {id}: {errors:?}"
    );
    for e in &errors {
        assert_eq!(e["code"], code, "{e}");
    }
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn an_empty_object_is_an_invalid_request() {
    keeps_serving_after(b"{}", Value::Null, -32600);
}

#[test]
fn a_batch_is_refused() {
    keeps_serving_after(b"[]", Value::Null, -32600);
    keeps_serving_after(
        br#"[{"jsonrpc":"2.0","id":5,"method":"shutdown"}]"#,
        Value::Null,
        -32600,
    );
}

#[test]
fn a_null_body_is_an_invalid_request() {
    keeps_serving_after(b"null", Value::Null, -32600);
}

#[test]
fn a_message_without_jsonrpc_is_answered_by_id() {
    keeps_serving_after(
        br#"{"id":41,"method":"textDocument/hover","params":{}}"#,
        json!(41),
        -32600,
    );
}

#[test]
fn a_fractional_id_is_an_invalid_request() {
    keeps_serving_after(
        br#"{"jsonrpc":"2.0","id":1.5,"method":"textDocument/hover","params":{}}"#,
        Value::Null,
        -32600,
    );
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let depth = 100_000;
    let mut body = br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":"#.to_vec();
    body.extend(std::iter::repeat_n(b'[', depth));
    body.extend(std::iter::repeat_n(b']', depth));
    body.push(b'}');
    keeps_serving_after(&body, Value::Null, -32600);
}

#[test]
fn a_string_body_is_an_invalid_request() {
    keeps_serving_after(br#""initialize""#, Value::Null, -32600);
}

#[test]
fn a_number_body_is_an_invalid_request() {
    keeps_serving_after(b"42", Value::Null, -32600);
}

#[test]
fn a_body_that_is_not_json_is_a_parse_error() {
    keeps_serving_after(b"{oops}}", Value::Null, -32700);
    // invalid UTF-8 inside a string
    keeps_serving_after(
        b"{\"jsonrpc\":\"2.0\",\"method\":\"x\xff\"}",
        Value::Null,
        -32700,
    );
}

#[test]
fn diagnostics_without_an_answer_to_register_capability() {
    let dir = project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    let root = dir.path().canonicalize().unwrap();
    let mut c = Client::start(&sextant());
    c.answer_server_requests = false;
    c.initialize(&root, push_capabilities(), Value::Null);
    let uri = c.open(&root.join("config/deploy.yml"), CLEAN, 1);
    let published = c.wait_notification(
        |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri,
        LIVE,
    );
    assert!(
        published.is_some(),
        "no diagnostics while registerCapability is unanswered"
    );
    assert!(c
        .server_requests
        .iter()
        .any(|r| r["method"] == "client/registerCapability"));
}

/// A project whose `Gemfile.lock` is a FIFO (`None`, with a line saying the test skips, where
/// `mkfifo` is missing).
#[cfg(unix)]
fn fifo_lockfile_project(test: &str) -> Option<(tempfile::TempDir, std::path::PathBuf)> {
    let dir = project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    let root = dir.path().canonicalize().unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("Gemfile.lock"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        crate::common::report(&format!("SKIPPED {test}: no mkfifo"));
        return None;
    }
    Some((dir, root))
}

fn ends_on_eof(c: &mut Client, state: &str) {
    c.close_stdin();
    let status = c.wait_exit(LIVE);
    assert!(
        status.is_some(),
        "the server still runs {LIVE:?} after the end of its input ({state})"
    );
}

#[test]
fn end_of_input_before_initialize_ends_the_server() {
    let mut c = Client::start(&sextant());
    ends_on_eof(&mut c, "before initialize");
}

#[test]
fn end_of_input_after_initialize_ends_the_server() {
    let dir = project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    let root = dir.path().canonicalize().unwrap();
    let mut c = Client::start(&sextant());
    c.initialize(&root, push_capabilities(), Value::Null);
    let uri = c.open(&root.join("config/deploy.yml"), CLEAN, 1);
    c.diagnostics(&uri, Some(1));
    ends_on_eof(&mut c, "after initialize");
}

#[test]
fn end_of_input_with_a_request_of_the_server_pending() {
    let dir = project(&[("config/deploy.yml", CLEAN.as_bytes())]);
    let root = dir.path().canonicalize().unwrap();
    let mut c = Client::start(&sextant());
    c.answer_server_requests = false;
    c.initialize(&root, push_capabilities(), Value::Null);
    assert!(c
        .wait_notification(|_| false, Duration::from_millis(300))
        .is_none());
    assert!(c
        .server_requests
        .iter()
        .any(|r| r["method"] == "client/registerCapability"));
    ends_on_eof(&mut c, "client/registerCapability unanswered");
}

/// `Gemfile.lock` is a FIFO no one writes to: reading it blocks (until the file layer refuses
/// such files); the end of input still ends the server.
#[cfg(unix)]
#[test]
fn end_of_input_while_an_analysis_is_stuck_on_a_fifo() {
    let Some((_dir, root)) =
        fifo_lockfile_project("end_of_input_while_an_analysis_is_stuck_on_a_fifo")
    else {
        return;
    };
    let mut c = Client::start(&sextant());
    c.initialize(&root, push_capabilities(), Value::Null);
    c.open(&root.join("config/deploy.yml"), CLEAN, 1);
    let _ = c.wait_notification(|_| false, Duration::from_millis(500));
    ends_on_eof(&mut c, "an analysis reading a FIFO");
}

/// Every request handler is stuck (each reads the FIFO `Gemfile.lock`) and a backlog of
/// requests fills every queue up to stdin: the end of input still ends the server.
#[cfg(unix)]
#[test]
fn end_of_input_while_every_handler_is_stuck() {
    let Some((_dir, root)) = fifo_lockfile_project("end_of_input_while_every_handler_is_stuck")
    else {
        return;
    };
    let mut c = Client::start(&sextant());
    c.initialize(&root, push_capabilities(), Value::Null);
    let uri = c.open(&root.join("config/deploy.yml"), CLEAN, 1);
    // about 40 kB: less than a pipe holds, so that the writes here never block
    for id in 1000..1200 {
        c.send(
            &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}}),
        );
    }
    let _ = c.wait_notification(|_| false, Duration::from_millis(1000));
    ends_on_eof(&mut c, "every handler stuck, requests queued");
}

/// A request stuck (its analysis reads the FIFO `Gemfile.lock`): shutdown is answered and
/// `exit` ends the server, status 0.
#[cfg(unix)]
#[test]
fn exit_while_a_request_is_stuck() {
    let Some((_dir, root)) = fifo_lockfile_project("exit_while_a_request_is_stuck") else {
        return;
    };
    let mut c = Client::start(&sextant());
    c.initialize(&root, push_capabilities(), Value::Null);
    let uri = c.open(&root.join("config/deploy.yml"), CLEAN, 1);
    c.send(
        &json!({"jsonrpc": "2.0", "id": 999, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}}),
    );
    let _ = c.wait_notification(|_| false, Duration::from_millis(300));
    assert_eq!(c.request("shutdown", Value::Null), Ok(Value::Null));
    c.notify("exit", Value::Null);
    assert_eq!(
        c.wait_exit(LIVE),
        Some(Some(0)),
        "exit did not end the server within {LIVE:?}"
    );
}

/// A project with a shell hook, and a fake `shellcheck` outside it that says it started (a file),
/// then waits until a gate file exists (at most a minute), then reports one finding (`SC2154`
/// on line 2).
struct SlowShellcheck {
    project: tempfile::TempDir,
    root: PathBuf,
    tools: tempfile::TempDir,
}

const HOOK: &str = "#!/bin/sh\necho \"$KAMAL_VERSION\"\n";
/// A config with a problem the engine finds without shellcheck (an unknown key).
const DEPLOY: &str = "service: app\nimage: user/app\nregistry:\n  username: user\n  password:\n    - KAMAL_REGISTRY_PASSWORD\nbuilder:\n  arch: amd64\nservers:\n  web:\n    - 10.0.0.1\nproxy:\n  host: app.demo-company.io\n  app_port: 3000\nbogus_key_for_test: 1\n";

impl SlowShellcheck {
    fn new() -> SlowShellcheck {
        let project = project(&[
            ("config/deploy.yml", DEPLOY.as_bytes()),
            (".kamal/hooks/pre-deploy", HOOK.as_bytes()),
        ]);
        let root = project.path().canonicalize().unwrap();
        let tools = tempfile::tempdir().unwrap();
        let dir = tools.path().canonicalize().unwrap();
        let script = format!(
            "#!/bin/sh\nPATH=/usr/bin:/bin\necho run >> '{runs}'\ncat >/dev/null\ntouch '{started}'\ni=0\nwhile [ ! -e '{gate}' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\nprintf '%s' '{{\"comments\":[{{\"file\":\"-\",\"line\":2,\"endLine\":2,\"column\":6,\"endColumn\":20,\"level\":\"warning\",\"code\":2154,\"message\":\"fake finding of the test shellcheck\",\"fix\":null}}]}}'\nexit 1\n",
            started = dir.join("started").display(),
            runs = dir.join("runs").display(),
            gate = dir.join("gate").display(),
        );
        let program = dir.join("shellcheck");
        std::fs::write(&program, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        SlowShellcheck {
            project,
            root,
            tools,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn dir(&self) -> PathBuf {
        self.tools.path().canonicalize().unwrap()
    }

    /// The server, with the fake shellcheck first on its `PATH`.
    fn start(&self) -> Client {
        let mut path = vec![self.dir()];
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(path).unwrap();
        Client::start_with(&sextant(), |cmd| {
            cmd.env("PATH", path);
        })
    }

    /// Whether the fake shellcheck started within `within` (the client answers the server's
    /// requests meanwhile).
    fn started(&self, c: &mut Client, within: Duration) -> bool {
        let deadline = std::time::Instant::now() + within;
        while std::time::Instant::now() < deadline {
            if self.dir().join("started").exists() {
                return true;
            }
            let _ = c.wait_notification(|_| false, Duration::from_millis(20));
        }
        false
    }

    /// How many times the fake shellcheck ran.
    fn runs(&self) -> usize {
        std::fs::read_to_string(self.dir().join("runs"))
            .map(|t| t.lines().count())
            .unwrap_or(0)
    }

    fn open_gate(&self) {
        let _ = std::fs::write(self.dir().join("gate"), "");
    }
}

impl Drop for SlowShellcheck {
    fn drop(&mut self) {
        // the fake may outlive the server: let it finish
        self.open_gate();
        let _ = &self.project;
    }
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect()
}

fn open_hook_project(s: &SlowShellcheck, c: &mut Client) -> (String, String) {
    c.initialize(&s.root, push_capabilities(), Value::Null);
    let deploy = c.open(&s.path("config/deploy.yml"), DEPLOY, 1);
    let hook = c.open(&s.path(".kamal/hooks/pre-deploy"), HOOK, 1);
    (deploy, hook)
}

#[test]
fn end_of_input_during_a_slow_shellcheck_ends_the_server() {
    let s = SlowShellcheck::new();
    let mut c = s.start();
    open_hook_project(&s, &mut c);
    assert!(s.started(&mut c, LIVE), "the fake shellcheck never ran");
    ends_on_eof(&mut c, "during an analysis waiting for shellcheck");
}

#[test]
fn exit_during_a_slow_shellcheck_ends_the_server() {
    let s = SlowShellcheck::new();
    let mut c = s.start();
    open_hook_project(&s, &mut c);
    assert!(s.started(&mut c, LIVE), "the fake shellcheck never ran");
    let (status, in_time) = std::thread::scope(|scope| {
        let waited = scope.spawn(|| c.shutdown());
        let deadline = std::time::Instant::now() + LIVE;
        while !waited.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let in_time = waited.is_finished();
        // unblock a server that waits for shellcheck, so that the scope can end
        s.open_gate();
        (waited.join(), in_time)
    });
    assert!(
        in_time,
        "shutdown + exit did not end the server within {LIVE:?}"
    );
    let status = status.expect("shutdown answered and the server exited");
    assert_eq!(status, Some(0));
}

#[test]
fn diagnostics_and_answers_do_not_wait_for_shellcheck() {
    let s = SlowShellcheck::new();
    let mut c = s.start();
    let (deploy, hook) = open_hook_project(&s, &mut c);
    assert!(s.started(&mut c, LIVE), "the fake shellcheck never ran");
    // the gate is closed: shellcheck is still running
    let first = c.wait_notification(
        |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == deploy
                && m["params"]["version"] == 1
        },
        LIVE,
    );
    let first = first.unwrap_or_else(|| {
        s.open_gate();
        panic!("the config's diagnostics waited for shellcheck")
    });
    assert!(
        !codes(&first["params"]).is_empty(),
        "the unknown key is reported: {first}"
    );
    // a request is answered meanwhile (`service`, hovered)
    let (tx, rx) = std::sync::mpsc::channel();
    let answered = std::thread::scope(|scope| {
        let gate = s.dir().join("gate");
        scope.spawn(move || {
            // a server that does not answer within the bound is unblocked, and the test fails
            if rx.recv_timeout(LIVE).is_err() {
                let _ = std::fs::write(gate, "");
            }
        });
        let hover = hover_at(&mut c, &deploy, 0, 2);
        let gate_open = s.dir().join("gate").exists();
        let _ = tx.send(());
        (hover, gate_open)
    });
    assert!(answered.0.is_ok(), "{:?}", answered.0);
    assert!(
        !answered.1,
        "hover was answered only after shellcheck finished"
    );
    assert!(
        !c.published
            .iter()
            .any(|p| p["uri"] == hook && codes(p).contains(&"SC2154".to_string())),
        "shellcheck's finding came before shellcheck finished"
    );
    // shellcheck finishes: its finding is published then, for the same versions
    s.open_gate();
    let later = c.wait_notification(
        |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == hook
                && codes(&m["params"]).contains(&"SC2154".to_string())
        },
        LIVE,
    );
    let later = later.expect("shellcheck's finding is published once it finishes");
    assert_eq!(later["params"]["version"], 1);
    // code actions then offer to suppress it, without running shellcheck again
    let runs = s.runs();
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": hook},
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                "context": {"diagnostics": []}}),
        )
        .expect("code actions");
    assert!(actions.to_string().contains("SC2154"), "{actions}");
    assert_eq!(s.runs(), runs, "a request ran shellcheck");
    // an edit of the config does not take shellcheck's finding off the unchanged hook, not
    // even until the next full analysis
    let since = c.published.len();
    let fixed = DEPLOY.replace("bogus_key_for_test: 1\n", "");
    c.change_full(&deploy, &fixed, 2);
    c.diagnostics(&deploy, Some(2));
    let _ = c.latest(&hook, Duration::from_millis(1500));
    for p in &c.published[since..] {
        if p["uri"] == hook {
            assert!(codes(p).contains(&"SC2154".to_string()), "{p}");
        }
    }
    assert_eq!(c.shutdown(), Some(0));
}

/// With pulled diagnostics: a pull is answered while shellcheck still runs (without its
/// findings); when it finishes the client is asked to pull again, and gets them.
#[test]
fn pulled_diagnostics_do_not_wait_for_shellcheck() {
    let s = SlowShellcheck::new();
    let mut c = s.start();
    let mut caps = push_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    c.initialize(&s.root, caps, Value::Null);
    let hook = c.open(&s.path(".kamal/hooks/pre-deploy"), HOOK, 1);
    assert!(s.started(&mut c, LIVE), "the fake shellcheck never ran");
    let pull = |c: &mut Client| {
        c.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": hook}}),
        )
        .expect("pulled diagnostics")
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let first = std::thread::scope(|scope| {
        let gate = s.dir().join("gate");
        scope.spawn(move || {
            if rx.recv_timeout(LIVE).is_err() {
                let _ = std::fs::write(gate, "");
            }
        });
        let first = pull(&mut c);
        let gate_open = s.dir().join("gate").exists();
        let _ = tx.send(());
        assert!(
            !gate_open,
            "the pull was answered only after shellcheck finished"
        );
        first
    });
    assert!(!first["items"].to_string().contains("SC2154"), "{first}");
    let refreshes = |c: &Client| {
        c.server_requests
            .iter()
            .filter(|r| r["method"] == "workspace/diagnostic/refresh")
            .count()
    };
    let before = refreshes(&c);
    s.open_gate();
    let deadline = std::time::Instant::now() + LIVE;
    while refreshes(&c) == before && std::time::Instant::now() < deadline {
        let _ = c.wait_notification(|_| false, Duration::from_millis(50));
    }
    assert!(
        refreshes(&c) > before,
        "the client is asked to pull again when shellcheck finishes"
    );
    let again = pull(&mut c);
    assert!(again["items"].to_string().contains("SC2154"), "{again}");
    assert_eq!(c.shutdown(), Some(0));
}

/// Runs `sextant lsp`, writes `first` and reads one answer when `first` is not empty, writes
/// `input` (less than a pipe holds: the write never blocks), reads nothing more of its output
/// unless `drain_stdout` (its stderr never), closes its input: whether it ended within [`LIVE`].
fn ends_with_output_unread(first: &[u8], input: &[u8], drain_stdout: bool) -> bool {
    use std::io::{BufRead, Read, Write};
    use std::process::{Command, Stdio};
    assert!(input.len() < 60_000);
    let mut child = Command::new(sextant())
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sextant lsp");
    let mut stdin = child.stdin.take().unwrap();
    let _stderr = child.stderr.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    if !first.is_empty() {
        stdin.write_all(first).unwrap();
        stdin.flush().unwrap();
        // one answer: its header lines, then its body
        let mut length = 0;
        loop {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            if let Some(n) = line.trim().strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
            if line.trim().is_empty() {
                break;
            }
        }
        let mut body = vec![0; length];
        stdout.read_exact(&mut body).unwrap();
    }
    // from here on, nothing is read (or only stdout, elsewhere)
    if drain_stdout {
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    }
    stdin.write_all(input).unwrap();
    stdin.flush().unwrap();
    // let the server take it all in (and block on its output) before the end of input
    std::thread::sleep(Duration::from_millis(500));
    drop(stdin);
    let deadline = std::time::Instant::now() + LIVE;
    let mut status = None;
    while std::time::Instant::now() < deadline {
        status = child.try_wait().unwrap();
        if status.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    status.is_some()
}

/// 2 500 bodies of 23 bytes that each get an error answer of about 100 bytes: more answers than
/// the pipe and every queue hold.
fn unanswerable_bodies() -> Vec<u8> {
    (0..2500).flat_map(|_| framed(b"{}")).collect()
}

/// A client that never reads the server's output, sends bodies that each get an error answer,
/// then closes its end: the server ends.
#[test]
fn end_of_input_while_the_client_reads_nothing() {
    assert!(
        ends_with_output_unread(&[], &unanswerable_bodies(), false),
        "the server still runs {LIVE:?} after the end of its input, its output unread"
    );
}

/// A client that reads the server's output but never its stderr, where the guard says what it
/// skipped: the server still reads its input to the end, and ends.
#[test]
fn end_of_input_while_the_client_reads_no_stderr() {
    assert!(
        ends_with_output_unread(&[], &unanswerable_bodies(), true),
        "the server still runs {LIVE:?} after the end of its input, its stderr unread"
    );
}

/// The same with a request stuck (its analysis reads the FIFO `Gemfile.lock`), so that the
/// library never ends on its own.
#[cfg(unix)]
#[test]
fn end_of_input_with_a_request_stuck_and_the_output_unread() {
    let Some((_dir, root)) =
        fifo_lockfile_project("end_of_input_with_a_request_stuck_and_the_output_unread")
    else {
        return;
    };
    let uri = lsp_client::file_uri(&root.join("config/deploy.yml"));
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": lsp_client::file_uri(&root), "capabilities": {}}});
    let mut input = Vec::new();
    for message in [
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": uri, "languageId": "yaml", "version": 1, "text": CLEAN}}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}}),
    ] {
        input.extend(framed(&serde_json::to_vec(&message).unwrap()));
    }
    input.extend(unanswerable_bodies());
    assert!(
        ends_with_output_unread(
            &framed(&serde_json::to_vec(&initialize).unwrap()),
            &input,
            false
        ),
        "the server still runs {LIVE:?} after the end of its input, a request stuck, its output unread"
    );
}
