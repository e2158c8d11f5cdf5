//! Every `--output-format` of the `sextant` binary, parsed back: SARIF validated against the
//! official SARIF 2.1.0 JSON Schema, the JSON formats checked field by field, JUnit and
//! Checkstyle parsed as XML, GitHub commands and concise lines by pattern. Also `--statistics`,
//! `--quiet`, `--output-file`, and fingerprints that survive unrelated edits.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use common::{project, run, CLEAN, FORMATS};

/// Four errors, a warning with a label, an unknown key with XML/GitHub-special characters, a
/// multi-byte character before a flagged column (`port` is at character column 30, byte
/// column 31), and a destination with its own error (and a label).
const CONFIG: &str = "\
service: app
image: user/app
registry:
  username: user
  password:
    - KAMAL_REGISTRY_PASSWORD
builder:
  arch: amd64
  \"x<&>, y:%\": 1
servers:
  web:
    - 10.0.0.1
proxy:
  host: app.demo-company.io
  app_port: \"3000\"
  healthcheck: { pathé: /up, port: 3 }
deploy_timeout: 10
deploy_timeout: 20
";

const STAGING: &str = "\
servers:
  web:
    - 10.0.0.7
    - 10.0.0.8
proxy:
  ssl: true
";

/// The (code, line) of every diagnostic of [`CONFIG`] + [`STAGING`], in output order.
const EXPECTED: &[(&str, &str, u64)] = &[
    ("K001", "config/deploy.yml", 9),
    ("K003", "config/deploy.yml", 15),
    ("K001", "config/deploy.yml", 16),
    ("K001", "config/deploy.yml", 16),
    ("Y002", "config/deploy.yml", 18),
    ("K014", "config/deploy.staging.yml", 6),
];

/// A project with [`CONFIG`] and [`STAGING`].
fn broken() -> tempfile::TempDir {
    project(&[
        ("config/deploy.yml", CONFIG.as_bytes()),
        ("config/deploy.staging.yml", STAGING.as_bytes()),
    ])
}

/// A project with [`CLEAN`].
fn clean() -> tempfile::TempDir {
    project(&[("config/deploy.yml", CLEAN.as_bytes())])
}

/// `sextant check --output-format FORMAT [extra]`: exit code and standard output.
fn check(dir: &Path, format: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["check", "--output-format", format];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

/// `sextant check --output-format FORMAT` on a new [`broken`] project, which must exit 1: the
/// project, for further runs, and standard output.
fn check_broken(format: &str) -> (tempfile::TempDir, String) {
    let p = broken();
    let (code, text) = check(p.path(), format, &[]);
    assert_eq!(code, 1, "{format}");
    (p, text)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn array(v: &Value) -> &Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v:#}"))
}

// ------------------------------------------------------------------------------------------
// json and json-lines
// ------------------------------------------------------------------------------------------

#[test]
fn json_fields() {
    let (_, text) = check_broken("json");
    let items = parse(&text);
    let items = array(&items);
    let got: Vec<(&str, &str, u64)> = items
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap(),
                i["filename"].as_str().unwrap(),
                i["location"]["row"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, EXPECTED);

    let port = &items[3];
    assert_eq!(port["name"], "unknown-key");
    assert_eq!(port["severity"], "error");
    assert_eq!(port["message"], "unknown key `port` in `proxy/healthcheck`");
    // `é` before it: columns count characters
    assert_eq!(port["location"]["column"], 30);
    assert_eq!(port["end_location"]["column"], 34);
    assert_eq!(
        port["kamal_message"],
        "proxy/healthcheck: unknown keys: pathé, port"
    );
    assert!(port["destination"].is_null());
    assert!(port["fix"].is_null());

    let dup = &items[4];
    assert_eq!(dup["severity"], "warning");
    assert_eq!(dup["labels"][0]["message"], "first given here (ignored)");
    assert_eq!(dup["labels"][0]["location"]["row"], 17);
    assert!(dup["kamal_message"].is_null());

    let ssl = &items[5];
    assert_eq!(ssl["destination"], "staging");
    assert_eq!(ssl["destinations"], serde_json::json!(["staging"]));
    assert_eq!(ssl["labels"][0]["filename"], "config/deploy.staging.yml");

    let (code, text) = check(clean().path(), "json", &[]);
    assert_eq!((code, parse(&text)), (0, serde_json::json!([])));
}

#[test]
fn json_lines_are_the_json_objects() {
    let p = broken();
    let (_, json) = check(p.path(), "json", &[]);
    let (code, lines) = check(p.path(), "json-lines", &[]);
    assert_eq!(code, 1);
    let objects: Vec<Value> = lines.lines().map(parse).collect();
    assert_eq!(objects.len(), EXPECTED.len());
    assert_eq!(&objects, array(&parse(&json)));
    assert!(lines.ends_with('\n'));

    let (code, lines) = check(clean().path(), "json-lines", &[]);
    assert_eq!((code, lines.as_str()), (0, ""));
}

// ------------------------------------------------------------------------------------------
// SARIF
// ------------------------------------------------------------------------------------------

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("vendored schema"))
            .expect("schema is JSON");
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    // every `$ref` is internal: nothing is fetched
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}\n{log:#}",
        errors.join("\n")
    );
}

#[test]
fn sarif_is_valid_and_complete() {
    let validator = sarif_validator();
    let (_, text) = check_broken("sarif");
    let log = parse(&text);
    assert_valid_sarif(&validator, &log);

    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif"));
    let runs = array(&log["runs"]);
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );

    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "sextant");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = array(&driver["rules"]);
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["K001", "K003", "K014", "Y002"], "rules that appear");
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let name = rule["name"].as_str().unwrap();
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{name}"
        );
        for field in ["shortDescription", "fullDescription"] {
            assert!(
                !rule[field]["text"].as_str().unwrap().is_empty(),
                "{id} {field}"
            );
        }
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        assert!(!rule["help"]["markdown"].as_str().unwrap().is_empty());
        let uri = rule["helpUri"].as_str().unwrap();
        assert!(
            uri.starts_with("https://") && uri.contains(&format!("#{}", id.to_lowercase())),
            "{uri}"
        );
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert_eq!(level, if id == "Y002" { "warning" } else { "error" });
    }

    let results = array(&run["results"]);
    assert_eq!(results.len(), EXPECTED.len());
    for (result, (code, file, line)) in results.iter().zip(EXPECTED) {
        assert_eq!(result["ruleId"], *code);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], *code, "ruleIndex points at its rule");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], *file, "relative URI");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(location["region"]["startLine"], *line);
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        assert!(result["properties"].get("kamal_message").is_some());
        assert!(result["properties"].get("destination").is_some());
    }
    // the unknown key with a multi-byte character before it: code-point columns, exclusive end
    let region = &results[3]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        *region,
        serde_json::json!({"startLine": 16, "startColumn": 30, "endLine": 16, "endColumn": 34})
    );
    assert_eq!(
        results[3]["properties"]["kamal_message"],
        "proxy/healthcheck: unknown keys: pathé, port"
    );
    // the warning and its label
    let dup = &results[4];
    assert_eq!(dup["level"], "warning");
    assert_eq!(
        dup["relatedLocations"][0]["message"]["text"],
        "first given here (ignored)"
    );
    assert_eq!(
        dup["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        17
    );
    assert!(dup["properties"]["kamal_message"].is_null());
    // the destination
    let ssl = &results[5];
    assert_eq!(ssl["properties"]["destination"], "staging");
    assert_eq!(
        ssl["properties"]["kamal_message"],
        "SSL is only supported on a single server unless you provide custom certificates, found 2 servers for role web"
    );
    assert_eq!(
        ssl["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "config/deploy.staging.yml"
    );
    // fingerprints: present and distinct
    let fps = sarif_fingerprints(&log);
    assert_eq!(fps.iter().collect::<BTreeSet<_>>().len(), fps.len());

    // the validator does reject what the schema forbids
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&bad));
    let mut bad = log.clone();
    bad["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "not a URI".into();
    assert!(!validator.is_valid(&bad), "formats are checked too");

    // a clean run is a valid log with no results
    let (code, text) = check(clean().path(), "sarif", &[]);
    assert_eq!(code, 0);
    let log = parse(&text);
    assert_valid_sarif(&validator, &log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );
}

fn sarif_fingerprints(log: &Value) -> Vec<String> {
    array(&log["runs"][0]["results"])
        .iter()
        .map(|r| {
            let fps = r["partialFingerprints"]
                .as_object()
                .expect("partialFingerprints");
            assert_eq!(fps.len(), 1);
            fps.values().next().unwrap().as_str().unwrap().to_string()
        })
        .collect()
}

fn gitlab_fingerprints(text: &str) -> Vec<String> {
    array(&parse(text))
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fingerprints_are_stable() {
    let p = broken();
    let (_, first) = check(p.path(), "sarif", &[]);
    let (_, again) = check(p.path(), "sarif", &[]);
    let (_, gitlab) = check(p.path(), "gitlab", &[]);
    let before = sarif_fingerprints(&parse(&first));
    assert_eq!(
        before,
        sarif_fingerprints(&parse(&again)),
        "same run, same fingerprints"
    );
    let gitlab_before = gitlab_fingerprints(&gitlab);

    // unrelated lines above every problem: positions move, fingerprints do not
    let edited = format!("# deployed by CI\nminimum_version: 2.0.0\n{CONFIG}");
    std::fs::write(p.path().join("config/deploy.yml"), edited).unwrap();
    let (_, moved) = check(p.path(), "sarif", &[]);
    let moved = parse(&moved);
    assert_eq!(
        moved["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        17,
        "the edit moved the problems down"
    );
    assert_eq!(before, sarif_fingerprints(&moved));
    let (_, gitlab) = check(p.path(), "gitlab", &[]);
    assert_eq!(gitlab_before, gitlab_fingerprints(&gitlab));

    // editing the flagged text itself gives a new fingerprint for that problem only
    let edited = format!(
        "# deployed by CI\n{}",
        CONFIG.replace("port: 3 }", "prt: 3 }")
    );
    std::fs::write(p.path().join("config/deploy.yml"), edited).unwrap();
    let (_, changed) = check(p.path(), "sarif", &[]);
    let after = sarif_fingerprints(&parse(&changed));
    assert_eq!(after.len(), before.len());
    let differ: Vec<usize> = (0..before.len())
        .filter(|&i| before[i] != after[i])
        .collect();
    assert_eq!(differ, [3]);
}

// ------------------------------------------------------------------------------------------
// rdjson and gitlab
// ------------------------------------------------------------------------------------------

#[test]
fn rdjson_fields() {
    let (_, text) = check_broken("rdjson");
    let v = parse(&text);
    assert_eq!(v["source"]["name"], "sextant");
    assert!(v["source"]["url"].as_str().unwrap().starts_with("https://"));
    assert_eq!(v["severity"], "ERROR");
    let diagnostics = array(&v["diagnostics"]);
    assert_eq!(diagnostics.len(), EXPECTED.len());
    for (d, (code, file, line)) in diagnostics.iter().zip(EXPECTED) {
        assert_eq!(d["code"]["value"], *code);
        assert!(d["code"]["url"]
            .as_str()
            .unwrap()
            .contains(&format!("#{}", code.to_lowercase())));
        assert_eq!(d["location"]["path"], *file);
        assert_eq!(d["location"]["range"]["start"]["line"], *line);
        assert!(!d["message"].as_str().unwrap().is_empty());
        assert!(d.get("suggestions").is_none(), "no fixes here");
    }
    // rdjson columns are UTF-8 bytes: `é` counts 2
    assert_eq!(
        diagnostics[3]["location"]["range"],
        serde_json::json!({"start": {"line": 16, "column": 31}, "end": {"line": 16, "column": 35}})
    );
    assert_eq!(diagnostics[0]["severity"], "ERROR");
    assert_eq!(diagnostics[4]["severity"], "WARNING");
    assert_eq!(
        diagnostics[4]["related_locations"][0]["message"],
        "first given here (ignored)"
    );
    assert!(diagnostics[5]["message"]
        .as_str()
        .unwrap()
        .ends_with("[staging]"));

    let (code, text) = check(clean().path(), "rdjson", &[]);
    assert_eq!(code, 0);
    assert_eq!(parse(&text)["diagnostics"], serde_json::json!([]));
}

#[test]
fn gitlab_fields() {
    let (p, text) = check_broken("gitlab");
    let v = parse(&text);
    let items = array(&v);
    assert_eq!(items.len(), EXPECTED.len());
    for (i, (code, file, line)) in items.iter().zip(EXPECTED) {
        assert_eq!(i["check_name"], *code);
        assert!(i["description"].as_str().unwrap().starts_with(code));
        let fp = i["fingerprint"].as_str().unwrap();
        assert!(
            fp.len() == 32 && fp.chars().all(|c| c.is_ascii_hexdigit()),
            "{fp}"
        );
        assert_eq!(i["location"]["path"], *file);
        assert_eq!(i["location"]["lines"]["begin"], *line);
        assert_eq!(i["location"]["lines"]["end"], *line);
        let want = if *code == "Y002" { "major" } else { "critical" };
        assert_eq!(i["severity"], want);
    }
    assert!(items[5]["description"]
        .as_str()
        .unwrap()
        .ends_with("[staging]"));
    let fps = gitlab_fingerprints(&text);
    assert_eq!(fps.iter().collect::<BTreeSet<_>>().len(), fps.len());
    // the same fingerprints as SARIF's
    let (_, sarif) = check(p.path(), "sarif", &[]);
    assert_eq!(fps, sarif_fingerprints(&parse(&sarif)));

    let (code, text) = check(clean().path(), "gitlab", &[]);
    assert_eq!((code, parse(&text)), (0, serde_json::json!([])));
}

// ------------------------------------------------------------------------------------------
// junit and checkstyle (XML)
// ------------------------------------------------------------------------------------------

fn xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML ({e}):\n{text}"))
}

fn elements<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|n| n.is_element() && n.has_tag_name(name))
        .collect()
}

#[test]
fn junit_is_xml() {
    let (_, text) = check_broken("junit");
    let doc = xml(&text);
    let root = doc.root_element();
    assert!(root.has_tag_name("testsuites"));
    assert_eq!(root.attribute("tests"), Some("6"));
    assert_eq!(root.attribute("failures"), Some("6"));
    let suites = elements(root, "testsuite");
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(names, ["config/deploy.yml", "config/deploy.staging.yml"]);
    assert_eq!(suites[0].attribute("tests"), Some("5"));
    assert_eq!(suites[1].attribute("failures"), Some("1"));
    let cases: Vec<_> = suites
        .iter()
        .flat_map(|s| elements(*s, "testcase"))
        .collect();
    assert_eq!(cases.len(), EXPECTED.len());
    for (case, (code, file, line)) in cases.iter().zip(EXPECTED) {
        assert_eq!(case.attribute("classname"), Some(*file));
        assert_eq!(case.attribute("line"), Some(line.to_string().as_str()));
        assert!(case.attribute("name").unwrap().starts_with(code));
        let failures = elements(*case, "failure");
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].attribute("type"), Some(*code));
        let body = failures[0].text().unwrap();
        assert!(body.starts_with(&format!("{file}:{line}:")), "{body}");
    }
    // escaped and read back intact
    assert_eq!(
        elements(cases[0], "failure")[0].attribute("message"),
        Some("unknown key `x<&>, y:%` in `builder`")
    );
    assert!(elements(cases[5], "failure")[0]
        .text()
        .unwrap()
        .contains("Let's Encrypt"));
    assert!(elements(cases[1], "failure")[0]
        .text()
        .unwrap()
        .contains("\nkamal: proxy/app_port: should be an integer"));

    // a clean run: a valid document with one passing test case
    let (code, text) = check(clean().path(), "junit", &[]);
    assert_eq!(code, 0);
    let doc = xml(&text);
    let root = doc.root_element();
    assert_eq!(root.attribute("failures"), Some("0"));
    let cases: Vec<_> = elements(root, "testsuite")
        .into_iter()
        .flat_map(|s| elements(s, "testcase"))
        .collect();
    assert_eq!(cases.len(), 1);
    assert!(elements(cases[0], "failure").is_empty());
}

#[test]
fn checkstyle_is_xml() {
    let (_, text) = check_broken("checkstyle");
    let doc = xml(&text);
    let root = doc.root_element();
    assert!(root.has_tag_name("checkstyle"));
    assert_eq!(root.attribute("version"), Some("4.3"));
    let files = elements(root, "file");
    let names: Vec<&str> = files.iter().map(|f| f.attribute("name").unwrap()).collect();
    assert_eq!(names, ["config/deploy.yml", "config/deploy.staging.yml"]);
    let errors: Vec<_> = files.iter().flat_map(|f| elements(*f, "error")).collect();
    assert_eq!(errors.len(), EXPECTED.len());
    for (e, (code, _, line)) in errors.iter().zip(EXPECTED) {
        assert_eq!(e.attribute("source"), Some(*code));
        assert_eq!(e.attribute("line"), Some(line.to_string().as_str()));
        let want = if *code == "Y002" { "warning" } else { "error" };
        assert_eq!(e.attribute("severity"), Some(want));
    }
    assert_eq!(errors[3].attribute("column"), Some("30"));
    assert_eq!(
        errors[0].attribute("message"),
        Some("unknown key `x<&>, y:%` in `builder`")
    );
    assert!(errors[5]
        .attribute("message")
        .unwrap()
        .ends_with("[staging]"));

    let (code, text) = check(clean().path(), "checkstyle", &[]);
    assert_eq!(code, 0);
    let doc = xml(&text);
    assert!(elements(doc.root_element(), "file").is_empty());
}

// ------------------------------------------------------------------------------------------
// github and concise (patterns)
// ------------------------------------------------------------------------------------------

#[test]
fn github_workflow_commands() {
    let (_, text) = check_broken("github");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        EXPECTED.len(),
        "one command per diagnostic:\n{text}"
    );
    for (line, (code, file, row)) in lines.iter().zip(EXPECTED) {
        let level = if *code == "Y002" { "warning" } else { "error" };
        let prefix = format!("::{level} file={file},line={row},col=");
        assert!(line.starts_with(&prefix), "{line}");
        let (props, message) = line[2..].split_once("::").expect("`::` before the message");
        assert!(
            props.contains(&format!(",endLine={row},endColumn=")),
            "{line}"
        );
        assert!(props.contains(&format!(",title={code} ")), "{line}");
        assert!(!message.is_empty());
        assert!(!message.contains('\n') && !message.contains('\r'));
    }
    assert_eq!(
        lines[3],
        "::error file=config/deploy.yml,line=16,col=30,endLine=16,endColumn=34,title=K001 unknown-key::unknown key `port` in `proxy/healthcheck`%0Akamal: proxy/healthcheck: unknown keys: pathé, port"
    );
    // `%` escaped in the message; `,` and `:` only in properties
    assert!(
        lines[0].contains("::unknown key `x<&>, y:%25` in `builder`"),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains("title=K003 invalid-type::"));
    assert!(lines[1].contains("%0Ahelp: remove the quotes"));
    assert!(lines[5].contains("role `web` has 2 [staging]%0A"));

    let (code, text) = check(clean().path(), "github", &[]);
    assert_eq!((code, text.as_str()), (0, ""));
}

#[test]
fn concise_lines() {
    let (_, text) = check_broken("concise");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), EXPECTED.len());
    for (line, (code, file, row)) in lines.iter().zip(EXPECTED) {
        assert!(line.starts_with(&format!("{file}:{row}:")), "{line}");
        assert!(line.contains(&format!(" {code} ")), "{line}");
    }
    assert_eq!(
        lines[3],
        "config/deploy.yml:16:30: error K001 unknown key `port` in `proxy/healthcheck`"
    );
    assert!(lines[4].contains(": warning Y002 "));
    assert!(lines[5].ends_with(" [staging]"));
}

// ------------------------------------------------------------------------------------------
// --statistics, --quiet, --output-file
// ------------------------------------------------------------------------------------------

#[test]
fn statistics() {
    let p = broken();
    let out = run(p.path(), &["check", "--statistics"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the exit status still reflects problems"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "3  K001  unknown-key\n1  K003  invalid-type\n1  K014  ssl-multiple-servers\n1  Y002  duplicate-key\n"
    );
    // the same text for formats without a statistics form of their own
    let (_, text) = check(p.path(), "concise", &["--statistics"]);
    assert!(text.starts_with("3  K001  unknown-key\n"), "{text}");

    let (code, text) = check(p.path(), "json", &["--statistics"]);
    assert_eq!(code, 1);
    assert_eq!(
        parse(&text),
        serde_json::json!([
            {"code": "K001", "name": "unknown-key", "count": 3},
            {"code": "K003", "name": "invalid-type", "count": 1},
            {"code": "K014", "name": "ssl-multiple-servers", "count": 1},
            {"code": "Y002", "name": "duplicate-key", "count": 1},
        ])
    );
    let (_, text) = check(p.path(), "json-lines", &["--statistics"]);
    let rows: Vec<Value> = text.lines().map(parse).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["count"], 3);

    let c = clean();
    let out = run(c.path(), &["check", "--statistics"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let (_, text) = check(c.path(), "json", &["--statistics"]);
    assert_eq!(parse(&text), serde_json::json!([]));
}

#[test]
fn quiet() {
    let p = broken();
    let (_, loud) = check(p.path(), "full", &[]);
    let (code, quiet) = check(p.path(), "full", &["--quiet"]);
    assert_eq!(code, 1);
    assert!(loud.contains("Found 5 errors, 1 warning"), "{loud}");
    assert!(!quiet.contains("Found "), "{quiet}");
    assert!(quiet.contains("error[K003]"));
    assert!(loud.starts_with(&quiet), "quiet drops the summary only");
    // machine formats print no summary anyway: --quiet changes nothing
    for format in [
        "concise",
        "json",
        "json-lines",
        "github",
        "gitlab",
        "rdjson",
        "junit",
        "checkstyle",
    ] {
        assert_eq!(
            check(p.path(), format, &[]),
            check(p.path(), format, &["-q"]),
            "{format}"
        );
    }
    let c = clean();
    let out = run(c.path(), &["check", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn output_file_gets_the_format_and_stdout_nothing() {
    let p = broken();
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let file = dir.path().join(format!("report.{format}"));
        let file_arg = file.to_str().unwrap();
        let (code, stdout) = check(p.path(), format, &["--output-file", file_arg]);
        assert_eq!(code, 1, "{format}: the exit status still reflects problems");
        assert_eq!(stdout, "", "{format}: nothing on standard output");
        let written = std::fs::read_to_string(&file).expect("the output file");
        let (_, direct) = check(p.path(), format, &["--color", "always"]);
        if format == "full" {
            assert!(!written.contains('\u{1b}'), "no colour in a file");
            assert!(written.contains("error[K003]"));
        } else {
            assert_eq!(written, direct, "{format}: the file holds the format");
        }
    }
    // with --statistics too
    let file = dir.path().join("stats.json");
    let (_, stdout) = check(
        p.path(),
        "json",
        &["--statistics", "--output-file", file.to_str().unwrap()],
    );
    assert_eq!(stdout, "");
    let stats = parse(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(stats[0]["code"], "K001");
    // the SARIF written to a file is as valid as on standard output
    let sarif = parse(&std::fs::read_to_string(dir.path().join("report.sarif")).unwrap());
    assert_valid_sarif(&sarif_validator(), &sarif);
}
