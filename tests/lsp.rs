//! The language server end to end: the built binary driven over stdio as an editor drives it.

#[path = "support/lsp_client.rs"]
mod lsp_client;

mod common;

use std::path::PathBuf;
use std::time::Duration;

use lsp_client::{file_uri, push_capabilities, Client};
use serde_json::{json, Value};

const DEPLOY: &str = "\
service: demo
image: demo/app
servers:
  web:
    - 10.0.0.1
  job:
    hosts:
      - 10.0.0.2
    cmd: bin/jobs
proxy:
  app_port: 3000
  healthcheck:
    path: /up
    port: 3000
registry:
  username: demo
  password:
    - KAMAL_REGISTRY_PASSWORD
builder:
  arch: amd64
env:
  secret:
    - RAILS_MASTER_KEY
aliases:
  console: app exec -i bin/rails console
accessories:
  db:
    image: postgres:16
    roles:
      - web
    port: \"127.0.0.1:5432:5432\"
";

const SECRETS: &str = "\
KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD
RAILS_MASTER_KEY=$(cat config/master.key)
";

const DOCKERFILE: &str =
    "FROM ruby:3.3\nEXPOSE 3000\nCMD [\"bin/rails\", \"server\", \"-p\", \"3000\"]\n";

struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Project {
    fn new(files: &[(&str, &str)]) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical temp dir");
        for (name, text) in files {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
        }
        Project { _dir: dir, root }
    }

    fn standard() -> Project {
        Project::new(&[
            ("config/deploy.yml", DEPLOY),
            (".kamal/secrets", SECRETS),
            ("Dockerfile", DOCKERFILE),
        ])
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn uri(&self, name: &str) -> String {
        file_uri(&self.path(name))
    }
}

fn start(project: &Project, capabilities: Value, options: Value) -> (Client, Value) {
    let mut client = Client::start(&common::sextant());
    let init = client.initialize(&project.root, capabilities, options);
    (client, init)
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn find<'a>(params: &'a Value, code: &str) -> &'a Value {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {params:#}"))
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// The 0-based line and column of the first occurrence of `needle` (plus `delta` columns).
fn at(text: &str, needle: &str, delta: u32) -> Value {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` in text"));
    let line = text[..offset].matches('\n').count() as u32;
    let col = text[..offset]
        .rfind('\n')
        .map_or(offset, |i| offset - i - 1) as u32;
    pos(line, col + delta)
}

fn text_document_position(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

/// Applies LSP text edits (UTF-16 positions, ASCII test texts) to a text.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let character = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + character
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

#[test]
fn diagnostics_on_open_and_change_carry_versions() {
    let p = Project::standard();
    let (mut c, init) = start(&p, push_capabilities(), Value::Null);
    assert_eq!(init["serverInfo"]["name"], "sextant");
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    // file watchers were registered for files that are not open
    let uri = c.open(&p.path("config/deploy.yml"), DEPLOY, 1);
    let d = c.diagnostics(&uri, Some(1));
    let k001 = find(&d, "K001");
    assert_eq!(k001["range"]["start"], at(DEPLOY, "    port: 3000", 4));
    assert_eq!(k001["severity"], 1);
    assert_eq!(k001["source"], "sextant");
    assert!(k001["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("#k001-unknown-key"));
    assert!(k001["message"].as_str().unwrap().contains("kamal: "));
    let watchers = c
        .server_requests
        .iter()
        .find(|r| r["method"] == "client/registerCapability")
        .expect("file watchers registered");
    let globs = watchers["params"]["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert!(globs.contains(".kamal/**") && globs.contains("deploy*.yml"));

    let fixed = DEPLOY.replace("    port: 3000\n", "");
    c.change_full(&uri, &fixed, 2);
    let d = c.diagnostics(&uri, Some(2));
    assert!(!codes(&d).contains(&"K001".to_string()), "{d:#}");
    // saving re-checks the project: a change on disk that no watcher reported is seen
    let fewer = SECRETS.replace("RAILS_MASTER_KEY=$(cat config/master.key)\n", "");
    std::fs::write(p.path(".kamal/secrets"), fewer).unwrap();
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let d = c.diagnostics(&uri, Some(2));
    assert!(codes(&d).contains(&"S001".to_string()), "{d:#}");
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn cross_file_changes_recheck_the_project() {
    let p = Project::standard();
    let deploy = DEPLOY.replace(
        "    - RAILS_MASTER_KEY\n",
        "    - RAILS_MASTER_KEY\n    - API_KEY\n",
    );
    std::fs::write(p.path("config/deploy.yml"), &deploy).unwrap();
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let uri = c.open(&p.path("config/deploy.yml"), &deploy, 1);
    let d = c.diagnostics(&uri, Some(1));
    let s001 = find(&d, "S001");
    assert!(s001["message"].as_str().unwrap().contains("API_KEY"));

    // the secrets file changes on disk (not open in the editor): the watcher event re-checks
    let with_key = format!("{SECRETS}API_KEY=$(op read op://vault/api)\n");
    std::fs::write(p.path(".kamal/secrets"), &with_key).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": p.uri(".kamal/secrets"), "type": 2}]}),
    );
    let d = c.diagnostics(&uri, Some(1));
    assert!(!codes(&d).contains(&"S001".to_string()), "{d:#}");

    // the secrets file open with unsaved edits: its buffer counts, not the disk
    let secrets_uri = c.open(&p.path(".kamal/secrets"), &with_key, 1);
    c.change_full(&secrets_uri, SECRETS, 2);
    let d = c.diagnostics(&uri, Some(1));
    assert!(codes(&d).contains(&"S001".to_string()), "{d:#}");
    // closing the buffer falls back to the disk (which has the key)
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": secrets_uri}}),
    );
    let d = c.diagnostics(&uri, Some(1));
    assert!(!codes(&d).contains(&"S001".to_string()), "{d:#}");
}

#[test]
fn a_syntax_error_keeps_the_rest_of_the_project() {
    let overlay = "servers:\n  web:\n    - 10.0.0.5\nbogus_key: 1\n";
    let p = Project::new(&[
        ("config/deploy.yml", DEPLOY),
        ("config/deploy.staging.yml", overlay),
        (".kamal/secrets", SECRETS),
        (".kamal/secrets.staging", SECRETS),
        ("Dockerfile", DOCKERFILE),
    ]);
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let uri = c.open(&p.path("config/deploy.yml"), DEPLOY, 1);
    let overlay_uri = p.uri("config/deploy.staging.yml");
    // the destination file is not open: its problems are published anyway
    let d = c.diagnostics(&overlay_uri, None);
    assert!(codes(&d).contains(&"K001".to_string()), "{d:#}");

    let broken = DEPLOY.replace("  username: demo\n", "  username: [demo\n");
    c.change_full(&uri, &broken, 2);
    let d = c.diagnostics(&uri, Some(2));
    let y001 = find(&d, "Y001");
    assert_eq!(y001["severity"], 1);
    let latest = c
        .latest(&overlay_uri, Duration::from_millis(300))
        .expect("overlay diagnostics");
    assert!(
        codes(&latest).contains(&"K001".to_string()),
        "the destination file keeps its diagnostics: {latest:#}"
    );
}

#[test]
fn hover_documents_keys_secrets_rules_and_hook_variables() {
    let deploy =
        format!("{DEPLOY}secrets_path: .kamal/custom\nboot:\n  limit: 2 # sextant: ignore[C004]\n")
            .replace(
                "    - RAILS_MASTER_KEY\n",
                "    - RAILS_MASTER_KEY\n    - MASTER:RAILS_MASTER_KEY\n",
            );
    let p = Project::new(&[
        ("config/deploy.yml", &deploy),
        (".kamal/secrets", SECRETS),
        (
            ".kamal/hooks/pre-deploy",
            "#!/bin/sh\necho \"$KAMAL_HOSTS\"\n",
        ),
        ("Dockerfile", DOCKERFILE),
    ]);
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let uri = c.open(&p.path("config/deploy.yml"), &deploy, 1);
    let hover = |c: &mut Client, position: Value| -> String {
        let h = c
            .request("textDocument/hover", text_document_position(&uri, position))
            .expect("hover answers");
        h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };

    let h = hover(&mut c, at(&deploy, "healthcheck:", 3));
    assert!(h.contains("proxy.healthcheck"), "{h}");
    let h = hover(&mut c, at(&deploy, "path: /up", 1));
    assert!(
        h.contains("proxy.healthcheck.path") && h.contains("Default: `/up`"),
        "{h}"
    );
    let h = hover(&mut c, at(&deploy, "secrets_path", 2));
    assert!(h.contains("Not available in Kamal 2.8.2"), "{h}");

    let h = hover(&mut c, at(&deploy, "RAILS_MASTER_KEY", 3));
    assert!(h.contains("Secret `RAILS_MASTER_KEY`"), "{h}");
    assert!(
        h.contains("`.kamal/secrets` line 2 (from a command)"),
        "{h}"
    );
    assert!(!h.contains("master.key"), "never the value: {h}");

    // every kind of reference the engine knows: a registry credential, an aliased env secret
    let h = hover(&mut c, at(&deploy, "- KAMAL_REGISTRY_PASSWORD", 4));
    assert!(
        h.contains("Secret `KAMAL_REGISTRY_PASSWORD`") && h.contains("line 1"),
        "{h}"
    );
    let h = hover(&mut c, at(&deploy, "- MASTER:RAILS_MASTER_KEY", 4));
    assert!(h.contains("Secret `RAILS_MASTER_KEY`"), "{h}");

    let h = hover(&mut c, at(&deploy, "C004]", 1));
    assert!(
        h.contains("C004") && h.contains("boot-limit-quoted-number"),
        "{h}"
    );

    let hook = p.path(".kamal/hooks/pre-deploy");
    let hook_text = std::fs::read_to_string(&hook).unwrap();
    let hook_uri = c.open(&hook, &hook_text, 1);
    let h = c
        .request(
            "textDocument/hover",
            text_document_position(&hook_uri, at(&hook_text, "KAMAL_HOSTS", 2)),
        )
        .unwrap();
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("comma-separated"));
}

fn labels(result: &Value) -> Vec<String> {
    let items = result
        .as_array()
        .or_else(|| result["items"].as_array())
        .expect("completion items");
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_what_fits_the_cursor() {
    let p = Project::standard();
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let complete =
        |c: &mut Client, uri: &str, text: &str, needle: &str, delta: u32| -> Vec<String> {
            c.change_full(uri, text, 99);
            let r = c
                .request(
                    "textDocument/completion",
                    text_document_position(uri, at(text, needle, delta)),
                )
                .expect("completion answers");
            labels(&r)
        };
    let uri = c.open(&p.path("config/deploy.yml"), DEPLOY, 1);

    // keys of `proxy` not written yet
    let text = DEPLOY.replace("  app_port: 3000\n", "  app_port: 3000\n  s\n");
    let l = complete(&mut c, &uri, &text, "  s\n", 3);
    assert!(
        l.contains(&"ssl".into()) && l.contains(&"host".into()),
        "{l:?}"
    );
    assert!(
        !l.contains(&"app_port".into()) && !l.contains(&"healthcheck".into()),
        "{l:?}"
    );

    // root keys for the target version: `secrets_path` only from 2.9.0
    let text = format!("{DEPLOY}se\n");
    let l = complete(&mut c, &uri, &text, "se\n", 2);
    assert!(
        l.contains(&"sshkit".into()) && !l.contains(&"service".into()),
        "{l:?}"
    );
    assert!(!l.contains(&"secrets_path".into()), "{l:?}");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"sextant": {"kamalVersion": "2.10.0"}}}),
    );
    let l = complete(&mut c, &uri, &text, "se\n", 2);
    assert!(l.contains(&"secrets_path".into()), "{l:?}");

    // role names in an accessory's roles, secret names in env.secret
    let text = DEPLOY.replace("      - web\n", "      - \n");
    let l = complete(&mut c, &uri, &text, "      - \n", 8);
    assert_eq!(l, vec!["job", "web"]);
    let text = DEPLOY.replace(
        "    - RAILS_MASTER_KEY\n",
        "    - RAILS_MASTER_KEY\n    - \n",
    );
    let l = complete(&mut c, &uri, &text, "    - \n", 6);
    assert!(
        l.contains(&"RAILS_MASTER_KEY".into()) && l.contains(&"KAMAL_REGISTRY_PASSWORD".into())
    );

    // enum values, and the snippets for a new role and a new accessory
    let text = DEPLOY.replace("  arch: amd64\n", "  arch: \n");
    let l = complete(&mut c, &uri, &text, "  arch: \n", 8);
    assert_eq!(l, vec!["amd64", "arm64"]);
    let text = DEPLOY.replace("  job:\n", "  \n  job:\n");
    let l = complete(&mut c, &uri, &text, "  \n  job:", 2);
    assert_eq!(l, vec!["new role"]);
    let text = format!("{DEPLOY}  \n");
    let l = complete(&mut c, &uri, &text, "  \n", 2);
    assert_eq!(l, vec!["new accessory"]);

    // in a destination file: the roles and accessories the base defines, to override
    let overlay = "servers:\n  \naccessories:\n  db:\n    host: 10.0.0.9\n  \n";
    let overlay_path = p.path("config/deploy.staging.yml");
    std::fs::write(&overlay_path, overlay).unwrap();
    let overlay_uri = c.open(&overlay_path, overlay, 1);
    let l = complete(&mut c, &overlay_uri, overlay, "  \naccessories", 2);
    assert_eq!(l, vec!["job", "web", "new role"]);
    let r = c
        .request(
            "textDocument/completion",
            text_document_position(&overlay_uri, pos(5, 2)),
        )
        .unwrap();
    assert_eq!(labels(&r), vec!["new accessory"], "db is already there");

    // hook scripts: Kamal's variables (and, in pre-deploy, the secrets)
    let hook = p.path(".kamal/hooks/pre-deploy");
    let hook_text = "#!/bin/sh\necho $KAMAL_\n";
    let hook_uri = c.open(&hook, hook_text, 1);
    let r = c
        .request(
            "textDocument/completion",
            text_document_position(&hook_uri, at(hook_text, "$KAMAL_", 7)),
        )
        .unwrap();
    let l = labels(&r);
    assert!(
        l.contains(&"KAMAL_HOSTS".into()) && l.contains(&"RAILS_MASTER_KEY".into()),
        "{l:?}"
    );
    assert!(
        !l.contains(&"KAMAL_RUNTIME".into()),
        "only post-deploy gets it: {l:?}"
    );
}

#[test]
fn code_actions_fix_ignore_and_fix_all() {
    let deploy = format!("{DEPLOY}boot:\n  limit: \"10\"\n");
    let p = Project::new(&[
        ("config/deploy.yml", &deploy),
        (".kamal/secrets", SECRETS),
        ("Dockerfile", DOCKERFILE),
    ]);
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let uri = c.open(&p.path("config/deploy.yml"), &deploy, 1);
    let d = c.diagnostics(&uri, Some(1));
    let c004 = find(&d, "C004").clone();
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": c004["range"],
                "context": {"diagnostics": [c004]},
            }),
        )
        .expect("code actions");
    let actions = actions.as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .expect("a preferred quick fix");
    let edits = fix["edit"]["changes"][&uri].as_array().unwrap();
    let fixed = apply_edits(&deploy, edits);
    assert!(fixed.contains("  limit: 10\n"), "{fixed}");
    c.change_full(&uri, &fixed, 2);
    let d = c.diagnostics(&uri, Some(2));
    assert!(!codes(&d).contains(&"C004".to_string()));

    // "ignore this rule on this line" suppresses it
    let ignore = actions
        .iter()
        .find(|a| a["title"] == "Ignore C004 on this line")
        .expect("ignore action");
    let ignored = apply_edits(&deploy, ignore["edit"]["changes"][&uri].as_array().unwrap());
    assert!(
        ignored.contains("limit: \"10\"  # sextant: ignore[C004]"),
        "{ignored}"
    );
    c.change_full(&uri, &ignored, 3);
    let d = c.diagnostics(&uri, Some(3));
    assert!(!codes(&d).contains(&"C004".to_string()) && !codes(&d).contains(&"X001".to_string()));

    // source.fixAll.sextant: every safe fix at once
    c.change_full(&uri, &deploy, 4);
    let all = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": pos(0, 0), "end": pos(0, 0)},
                "context": {"diagnostics": [], "only": ["source.fixAll"]},
            }),
        )
        .unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["kind"], "source.fixAll.sextant");
    let fixed = apply_edits(&deploy, all[0]["edit"]["changes"][&uri].as_array().unwrap());
    assert!(fixed.contains("  limit: 10\n"));
}

fn locations(result: &Value) -> Vec<(String, u64)> {
    result
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().unwrap().to_string(),
                l["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn go_to_definition_across_files() {
    let overlay = "proxy:\n  app_port: 8080\nbuilder:\n  dockerfile: Dockerfile.staging\n";
    let p = Project::new(&[
        ("config/deploy.yml", DEPLOY),
        ("config/deploy.staging.yml", overlay),
        (".kamal/secrets", SECRETS),
        (
            ".kamal/secrets.staging",
            "RAILS_MASTER_KEY=$(op read x)\nKAMAL_REGISTRY_PASSWORD=x\n",
        ),
        ("Dockerfile", DOCKERFILE),
        ("Dockerfile.staging", DOCKERFILE),
    ]);
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let uri = c.open(&p.path("config/deploy.yml"), DEPLOY, 1);
    let def = |c: &mut Client, uri: &str, position: Value| {
        c.request(
            "textDocument/definition",
            text_document_position(uri, position),
        )
        .expect("definition answers")
    };
    // a secret: its line in every secrets file that defines it
    let l = locations(&def(&mut c, &uri, at(DEPLOY, "RAILS_MASTER_KEY", 2)));
    assert!(l.contains(&(p.uri(".kamal/secrets"), 1)), "{l:?}");
    assert!(l.contains(&(p.uri(".kamal/secrets.staging"), 0)), "{l:?}");
    // an accessory's role: the role under servers
    let l = locations(&def(&mut c, &uri, at(DEPLOY, "      - web", 8)));
    assert_eq!(l, vec![(uri.clone(), 3)]);
    // a destination file's key: the base key; its dockerfile: the file
    let overlay_uri = c.open(&p.path("config/deploy.staging.yml"), overlay, 1);
    let l = locations(&def(&mut c, &overlay_uri, at(overlay, "app_port", 1)));
    assert_eq!(l, vec![(uri.clone(), 10)]);
    let l = locations(&def(
        &mut c,
        &overlay_uri,
        at(overlay, "Dockerfile.staging", 3),
    ));
    assert_eq!(l, vec![(p.uri("Dockerfile.staging"), 0)]);
    // nothing to go to: null, not an error
    let r = def(&mut c, &uri, at(DEPLOY, "service", 1));
    assert_eq!(r, Value::Null);
}

#[test]
fn document_symbols_outline_the_config() {
    let overlay = "servers:\n  web:\n    - 10.0.0.5\n";
    let p = Project::new(&[
        ("config/deploy.yml", DEPLOY),
        ("config/deploy.staging.yml", overlay),
        (".kamal/secrets", SECRETS),
    ]);
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let uri = c.open(&p.path("config/deploy.yml"), DEPLOY, 1);
    let s = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .unwrap();
    let names: Vec<&str> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for n in ["servers", "proxy", "builder", "aliases", "accessories"] {
        assert!(names.contains(&n), "{names:?}");
    }
    let servers = s
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "servers")
        .unwrap();
    let roles: Vec<&str> = servers["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(roles, vec!["web", "job"]);
    assert_eq!(servers["selectionRange"]["start"], pos(2, 0));

    let overlay_uri = c.open(&p.path("config/deploy.staging.yml"), overlay, 1);
    let s = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": overlay_uri}}),
        )
        .unwrap();
    assert_eq!(s[0]["name"], "destination staging");
    assert_eq!(s[0]["children"][0]["name"], "servers");
}

#[test]
fn positions_follow_the_negotiated_encoding() {
    // `é` is 2 UTF-8 bytes and 1 UTF-16 unit; the unknown key comes after it on its line
    let deploy = DEPLOY.replace(
        "  healthcheck:\n    path: /up\n    port: 3000\n",
        "  healthcheck: { path: /é, port: 3000 }\n",
    );
    let p = Project::new(&[("config/deploy.yml", &deploy), (".kamal/secrets", SECRETS)]);
    let col = |encodings: Value| -> (String, u64) {
        let mut caps = push_capabilities();
        caps["general"]["positionEncodings"] = encodings;
        let (mut c, init) = start(&p, caps, Value::Null);
        let uri = c.open(&p.path("config/deploy.yml"), &deploy, 1);
        let d = c.diagnostics(&uri, Some(1));
        let k = find(&d, "K001");
        (
            init["capabilities"]["positionEncoding"]
                .as_str()
                .unwrap()
                .to_string(),
            k["range"]["start"]["character"].as_u64().unwrap(),
        )
    };
    let line = deploy.lines().find(|l| l.contains("/é")).unwrap();
    let byte_col = line.find("port").unwrap() as u64;
    assert_eq!(col(json!(["utf-8", "utf-16"])), ("utf-8".into(), byte_col));
    assert_eq!(col(json!(["utf-16"])), ("utf-16".into(), byte_col - 1));
    assert_eq!(col(Value::Null), ("utf-16".into(), byte_col - 1));
}

#[test]
fn a_burst_of_edits_ends_with_the_final_diagnostics() {
    let p = Project::standard();
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let uri = c.open(&p.path("config/deploy.yml"), DEPLOY, 1);
    c.diagnostics(&uri, Some(1));
    // 1000 incremental edits: type a key character by character at the end, then delete it,
    // alternating, ending with `retain_containers: "5"` appended (K003)
    let base_lines = DEPLOY.lines().count() as u32;
    let mut version = 1;
    let mut text = DEPLOY.to_string();
    let final_line = "retain_containers: \"5\"\n";
    for i in 0..1000 {
        version += 1;
        let line_len = text.lines().nth(base_lines as usize).map_or(0, str::len) as u32;
        let (range, new) = if i < 999 && i % 2 == 1 {
            // delete what the previous edit typed
            (
                json!({"start": pos(base_lines, 0), "end": pos(base_lines, line_len)}),
                String::new(),
            )
        } else if i == 999 {
            (
                json!({"start": pos(base_lines, 0), "end": pos(base_lines, line_len)}),
                final_line.to_string(),
            )
        } else {
            (
                json!({"start": pos(base_lines, 0), "end": pos(base_lines, line_len)}),
                format!("x{i}: 1"),
            )
        };
        // keep our own copy of the text in step
        let start: usize = text
            .split_inclusive('\n')
            .take(base_lines as usize)
            .map(str::len)
            .sum();
        text.replace_range(start..start + line_len as usize, &new);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": new}]}),
        );
    }
    assert!(text.ends_with(final_line));
    let d = c.diagnostics(&uri, Some(version));
    let k003 = find(&d, "K003");
    assert_eq!(k003["range"]["start"]["line"], base_lines);
    assert!(
        !codes(&d).contains(&"K001".to_string())
            || find(&d, "K001")["range"]["start"]["line"] != base_lines
    );
    // nothing stale after the final publish, and versions never go back
    let latest = c.latest(&uri, Duration::from_millis(300)).unwrap();
    assert_eq!(latest["version"], version);
    let versions: Vec<i64> = c
        .published
        .iter()
        .filter(|p| p["uri"] == uri)
        .map(|p| p["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    assert!(
        versions.len() < 1000,
        "edits are coalesced: {} publishes",
        versions.len()
    );
    // the server's text is ours: a hover at the last line sees the final key
    let h = c
        .request(
            "textDocument/hover",
            text_document_position(&uri, pos(base_lines, 3)),
        )
        .unwrap();
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("retain_containers"));
}

#[test]
fn bad_requests_never_crash_the_server() {
    let p = Project::standard();
    let outside = tempfile::tempdir().unwrap();
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let uri = c.open(&p.path("config/deploy.yml"), DEPLOY, 1);
    c.diagnostics(&uri, Some(1));

    // positions far outside the document, unknown documents, odd URIs
    for position in [pos(9999, 9999), pos(0, 9999), pos(3, 1)] {
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
        ] {
            for u in [
                uri.as_str(),
                "file:///nonexistent/config/deploy.yml",
                "untitled:Untitled-1",
            ] {
                let r = c.request(method, text_document_position(u, position.clone()));
                assert!(r.is_ok(), "{method} {u}: {r:?}");
            }
        }
    }
    // a YAML file that is not a Kamal config, and a deploy.yml outside any project root layout
    let workflow = p.path(".github/workflows/deploy.yml");
    std::fs::create_dir_all(workflow.parent().unwrap()).unwrap();
    let wf_uri = c.open(&workflow, "on: push\njobs: {}\n", 1);
    let stray = outside.path().join("deploy.yml");
    let stray_uri = c.open(&stray, "service: [", 1);
    let r = c.request(
        "textDocument/hover",
        text_document_position(&wf_uri, pos(0, 1)),
    );
    assert_eq!(r, Ok(Value::Null));
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": stray_uri}}),
    );
    assert_eq!(r, Ok(Value::Null));
    // an edit of a document that was never opened, and a range past the end
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///never/opened.yml", "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": pos(500, 0), "end": pos(600, 3)}, "text": "# tail\n"}]}),
    );
    c.diagnostics(&uri, Some(2));
    // malformed and unknown messages
    c.send_raw(b"Content-Length: 7\r\n\r\n{oops}}");
    let r = c.request("sextant/unknownMethod", json!({}));
    assert_eq!(r.unwrap_err()["code"], -32601);
    let r = c.request("textDocument/hover", json!({"bogus": true}));
    assert!(r.is_err());
    // a huge file
    let mut huge = DEPLOY.to_string();
    for i in 0..100_000 {
        huge.push_str(&format!(
            "x-filler-{i}: \"some value to make the file big\"\n"
        ));
    }
    c.change_full(&uri, &huge, 3);
    let d = c.diagnostics(&uri, Some(3));
    assert!(codes(&d).contains(&"K001".to_string()));
    let r = c.request(
        "textDocument/completion",
        text_document_position(&uri, pos(100_040, 5)),
    );
    assert!(r.is_ok());
    assert!(c.alive());
    // no diagnostics were ever published for the files that are not Kamal's
    let published_for = |u: &str| c.published.iter().any(|p| p["uri"] == u);
    assert!(!published_for(&wf_uri) && !published_for(&stray_uri));
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn pull_diagnostics_when_the_client_supports_them() {
    let p = Project::new(&[
        ("config/deploy.yml", DEPLOY),
        (
            ".kamal/secrets",
            "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nexport\n",
        ),
    ]);
    let mut caps = push_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    let (mut c, init) = start(&p, caps, Value::Null);
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    let uri = c.open(&p.path("config/deploy.yml"), DEPLOY, 1);
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .unwrap();
    assert_eq!(r["kind"], "full");
    let items: Vec<&str> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        items.contains(&"K001") && items.contains(&"S001"),
        "{items:?}"
    );
    // files that are not open still get theirs pushed; open ones are never pushed
    std::fs::write(p.path(".kamal/secrets"), SECRETS).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": p.uri(".kamal/secrets"), "type": 2}]}),
    );
    let refresh = c.wait_notification(|_| false, Duration::from_millis(500));
    assert!(refresh.is_none());
    assert!(
        c.server_requests
            .iter()
            .any(|r| r["method"] == "workspace/diagnostic/refresh"),
        "the client is told to pull again after a cross-file change"
    );
    assert!(!c.published.iter().any(|p| p["uri"] == uri));
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .unwrap();
    assert!(!r["items"].to_string().contains("S001"));
}

#[test]
fn settings_select_and_ignore_rules() {
    let p = Project::standard();
    let (mut c, _) = start(
        &p,
        push_capabilities(),
        json!({"ignore": ["K001"], "kamalVersion": "bogus"}),
    );
    let uri = c.open(&p.path("config/deploy.yml"), DEPLOY, 1);
    let d = c.diagnostics(&uri, Some(1));
    assert!(!codes(&d).contains(&"K001".to_string()), "{d:#}");
    // the bad version was reported to the user
    let warned = c
        .wait_notification(
            |m| m["method"] == "window/showMessage",
            Duration::from_secs(2),
        )
        .expect("a message about the bad setting");
    assert!(warned["params"]["message"]
        .as_str()
        .unwrap()
        .contains("bogus"));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"sextant": {"select": ["K001"]}}}),
    );
    let d = c.diagnostics(&uri, Some(1));
    assert_eq!(codes(&d), vec!["K001"], "{d:#}");
}

#[test]
fn lsp_subcommand_accepts_stdio_flag() {
    let out = std::process::Command::new(common::sextant())
        .args(["lsp", "--stdio"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    // stdin closed at once: the server ends without printing anything; without a `shutdown`
    // request first its status is 1, as the protocol asks
    assert!(out.stdout.is_empty());
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn a_problem_between_two_files_shows_on_both_sides() {
    // the image's server listens on 3000, the proxy forwards to 80 (F001)
    let deploy = DEPLOY.replace("  app_port: 3000\n", "");
    let dockerfile = "FROM ruby:3.3\nUSER rails\nCMD [\"bin/rails\", \"server\"]\n";
    let p = Project::new(&[
        ("config/deploy.yml", &deploy),
        (".kamal/secrets", SECRETS),
        ("Dockerfile", dockerfile),
    ]);
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let uri = c.open(&p.path("config/deploy.yml"), &deploy, 1);
    let d = c.diagnostics(&uri, Some(1));
    let here = find(&d, "F001").clone();
    assert_eq!(here["range"]["start"], at(&deploy, "proxy:", 0));
    assert!(
        here["message"].as_str().unwrap().contains("Dockerfile"),
        "{here:#}"
    );
    let docker_uri = p.uri("Dockerfile");
    assert_eq!(
        here["relatedInformation"][0]["location"]["uri"],
        docker_uri.as_str()
    );
    let there = c.diagnostics(&docker_uri, None);
    assert_eq!(
        find(&there, "F001")["range"]["start"],
        at(dockerfile, "CMD", 0)
    );
    // the fix (`app_port: 3000`) is offered from deploy.yml too
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": here["range"], "context": {"diagnostics": [here]}}),
        )
        .unwrap();
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["edit"]["changes"][&uri].is_array())
        .expect("the app_port fix");
    let fixed = apply_edits(&deploy, fix["edit"]["changes"][&uri].as_array().unwrap());
    assert!(fixed.contains("app_port: 3000"), "{fixed}");
}

#[test]
fn nothing_the_server_sends_contains_a_secret_value() {
    const CANARIES: &[&str] = &[
        "Lq8-canary-registry-pw-71",
        "Lq8-canary-master-key-72",
        "Lq8-canary-db-password-73",
        "ghp_Lq8canary0token0in0a0hook00074abcdef",
        "Lq8canaryurlpw75",
    ];
    let deploy = format!(
        "service: shop\nimage: acme/shop\nservers:\n  web:\n    - 10.0.1.10\nregistry:\n  username: acme\n  password: {}\nbuilder:\n  arch: amd64\nenv:\n  clear:\n    DB_PASSWORD: {}\n    DATABASE_URL: postgres://app:{}@db/app\n  secret:\n    - RAILS_MASTER_KEY\n    - MISSING\nretain_containers: \"3\"\n",
        CANARIES[0], CANARIES[2], CANARIES[4]
    );
    let secrets = format!(
        "RAILS_MASTER_KEY={}\nUNUSED=\"{}\"\n",
        CANARIES[1], CANARIES[1]
    );
    let hook = format!(
        "#!/bin/sh\ncurl -H \"Authorization: token {}\" https://api.example.test\necho $KAMAL_\n",
        CANARIES[3]
    );
    let p = Project::new(&[
        ("config/deploy.yml", &deploy),
        (".kamal/secrets", &secrets),
        (".kamal/hooks/pre-deploy", &hook),
    ]);
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    let mut seen = String::new();
    for (name, text) in [
        ("config/deploy.yml", &deploy),
        (".kamal/secrets", &secrets),
        (".kamal/hooks/pre-deploy", &hook),
    ] {
        let uri = c.open(&p.path(name), text, 1);
        seen.push_str(&c.diagnostics(&uri, Some(1)).to_string());
        // every request at every few columns of every line
        for (line, l) in text.lines().enumerate() {
            for col in (0..=l.len() as u32).step_by(3) {
                let at = text_document_position(&uri, pos(line as u32, col));
                for method in [
                    "textDocument/hover",
                    "textDocument/completion",
                    "textDocument/definition",
                ] {
                    seen.push_str(
                        &c.request(method, at.clone())
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
            }
        }
        let all = c
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": {"start": pos(0, 0), "end": pos(99, 0)}, "context": {"diagnostics": []}}),
            )
            .unwrap();
        // edits carry the file's own text around a fix; titles and diagnostics must be clean
        for action in all.as_array().unwrap() {
            seen.push_str(&action["title"].to_string());
            seen.push_str(&action["diagnostics"].to_string());
        }
        seen.push_str(
            &c.request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": uri}}),
            )
            .unwrap()
            .to_string(),
        );
    }
    let _ = c.latest("", Duration::from_millis(200));
    for p in &c.published {
        seen.push_str(&p.to_string());
    }
    assert!(
        seen.len() > 10_000,
        "the server answered: {} bytes",
        seen.len()
    );
    for canary in CANARIES {
        if let Some(i) = seen.find(canary) {
            panic!(
                "{canary} was sent to the editor: …{}…",
                &seen[i.saturating_sub(300)..(i + 100).min(seen.len())]
            );
        }
    }
}

#[test]
fn a_dockerfile_elsewhere_is_part_of_its_project() {
    let deploy = DEPLOY.replace(
        "  arch: amd64\n",
        "  arch: amd64\n  dockerfile: docker/Dockerfile.prod\n",
    );
    let dockerfile =
        "FROM ruby:3.3\nUSER rails\nRUNN make\nCMD [\"bin/rails\", \"server\", \"-p\", \"3000\"]\n";
    let p = Project::new(&[
        ("config/deploy.yml", &deploy),
        (".kamal/secrets", SECRETS),
        ("docker/Dockerfile.prod", dockerfile),
    ]);
    let (mut c, _) = start(&p, push_capabilities(), Value::Null);
    c.open(&p.path("config/deploy.yml"), &deploy, 1);
    let uri = c.open(&p.path("docker/Dockerfile.prod"), dockerfile, 1);
    let d = c.diagnostics(&uri, Some(1));
    let f018 = find(&d, "F018").clone();
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": f018["range"], "context": {"diagnostics": [f018]}}),
        )
        .unwrap();
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore F018 on this line")
        .expect("the ignore action");
    let edited = apply_edits(
        dockerfile,
        ignore["edit"]["changes"][&uri].as_array().unwrap(),
    );
    assert!(
        edited.contains("USER rails\n# sextant: ignore[F018]\nRUNN make\n"),
        "{edited}"
    );
    c.change_full(&uri, &edited, 2);
    let d = c.diagnostics(&uri, Some(2));
    assert!(!codes(&d).contains(&"F018".to_string()), "{d:#}");
}
