//! No secret in any output: one test per finding of the review, and a property test that plants
//! random secret values in every kind of file and position, runs every output of the CLI and of
//! the language server, and finds no 6-character piece of any of them.

use crate::lsp_client;

use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::common::{self, project, run, Rng, CLEAN, FORMATS};

/// What the redaction cases plant, drawn from the shared generator.
impl Rng {
    /// Random alphanumerics, mixed case, with at least a digit and a lower-case letter (a
    /// pasted key, never an English word or an UPPER_SNAKE name).
    fn alnum(&mut self, len: usize) -> String {
        let mut s = self.from(
            b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789",
            len - 2,
        );
        s.insert(self.below(s.len()), (b'2' + self.below(8) as u8) as char);
        s.insert(self.below(s.len()), (b'a' + self.below(26) as u8) as char);
        s
    }

    /// A credential shape: what marks a value as a secret where its position does not.
    fn token(&mut self) -> String {
        match self.below(3) {
            0 => format!("ghp_{}", self.alnum(36)),
            1 => format!("glpat-{}", self.alnum(20)),
            _ => format!("AKIA{}", self.from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)),
        }
    }

    /// One planted secret: random alphanumerics, a token shape, or a value with spaces and
    /// quotes.
    fn secret(&mut self) -> String {
        match self.below(4) {
            0 => {
                let len = 12 + self.below(20);
                self.alnum(len)
            }
            1 => format!("ghp_{}", self.alnum(36)),
            2 => format!("AKIA{}", self.from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)),
            _ => format!("{} {}'{}", self.alnum(8), self.alnum(7), self.alnum(9)),
        }
    }
}

/// Every output of the CLI for the project: each format, `--statistics`, `--diff`, stdout and
/// stderr together.
fn cli_outputs(dir: &Path) -> Vec<(String, String)> {
    let mut runs: Vec<Vec<&str>> = FORMATS
        .iter()
        .map(|f| vec!["check", "--output-format", f])
        .collect();
    runs.push(vec!["check", "--statistics"]);
    runs.push(vec!["check", "--statistics", "--output-format", "json"]);
    runs.push(vec!["check", "--diff"]);
    runs.push(vec!["check", "--diff", "--unsafe-fixes"]);
    runs.into_iter()
        .map(|args| {
            let out = run(dir, &args);
            (
                args.join(" "),
                format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ),
            )
        })
        .collect()
}

/// Panics when an output holds a piece (6 characters) of a planted value.
fn assert_hidden(outputs: &[(String, String)], values: &[String]) {
    for value in values {
        let chars: Vec<char> = value.chars().collect();
        for piece in chars.windows(6) {
            let piece: String = piece.iter().collect();
            for (what, text) in outputs {
                assert!(
                    !text.contains(&piece),
                    "`{piece}` of a planted secret appears in {what}:\n{text}"
                );
            }
        }
    }
}

/// Asserts that the project's findings are shown at all (so a test cannot pass by printing
/// nothing), then that no output holds a piece of `values`.
fn check_cli(files: &[(&str, &[u8])], values: &[String], expect_code: &str) {
    let dir = project(files);
    let outputs = cli_outputs(dir.path());
    let concise = &outputs[1].1;
    assert!(
        concise.contains(expect_code),
        "expected {expect_code} in:\n{concise}"
    );
    assert_hidden(&outputs, values);
}

/// Finding 3: a bare line of `.kamal/secrets` (a key pasted alone) is no name to quote.
#[test]
fn bare_secrets_line_is_not_quoted() {
    let key = "9f86d081884c7d659a2feaa0c55ad015";
    let secrets = format!("KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n{key}\n");
    check_cli(
        &[
            ("config/deploy.yml", CLEAN.as_bytes()),
            (".kamal/secrets", secrets.as_bytes()),
        ],
        &[key.to_string()],
        "S0",
    );
}

/// Finding 4: the line of an `export NAME` of an unset variable is not quoted (a commented-out
/// secret can follow it).
#[test]
fn export_line_comment_is_not_quoted() {
    let old = "Zq81mYt4vKp02LxR7w";
    let secrets = format!(
        "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nexport UNSET_THING # OLD_KEY={old}\n"
    );
    check_cli(
        &[
            ("config/deploy.yml", CLEAN.as_bytes()),
            (".kamal/secrets", secrets.as_bytes()),
        ],
        &[old.to_string()],
        "S010",
    );
}

/// Finding 2: an "unknown instruction" line (a Dockerfile that is really an environment dump)
/// is not quoted in messages, and its snippet is masked.
#[test]
fn unknown_instruction_line_is_not_quoted() {
    let token = "ghp_4fK9sQ2mZx7LpT1vWc8RbN3yHd6JeA0uGi5o";
    let plain = "s3cr3tPa55w0rdValue";
    let docker = format!("FROM ruby:3.3\nGITHUB_TOKEN={token}\nDB_PASSWORD={plain}\n");
    let config = CLEAN.to_string();
    check_cli(
        &[
            ("config/deploy.yml", config.as_bytes()),
            ("Dockerfile", docker.as_bytes()),
        ],
        &[token.to_string(), plain.to_string()],
        "F018",
    );
}

/// Finding 2: a "Dockerfile" that is really `/proc/self/environ` (NUL-separated) prints none of
/// the environment's secrets.
#[test]
fn environ_as_dockerfile_prints_no_secret() {
    let token = "ghp_Zx9Cv8Bn7Mm6Ll5Kk4Jj3Hh2Gg1Ff0Dd9Ss8";
    let aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9Qk2Lm8Rt";
    let url_password = "Pw7xQz3mRt";
    let environ = format!(
        "PATH=/usr/bin\0GITHUB_TOKEN={token}\0AWS_SECRET_ACCESS_KEY={aws}\0DATABASE_URL=postgres://app:{url_password}@db/app\0HOME=/root\0"
    );
    check_cli(
        &[
            ("config/deploy.yml", CLEAN.as_bytes()),
            ("Dockerfile", environ.as_bytes()),
        ],
        &[token.to_string(), aws.to_string(), url_password.to_string()],
        "F018",
    );
}

/// Finding 8: a YAML line with a syntax error is masked.
#[test]
fn unparsable_config_line_is_masked() {
    let value = "Hq7rTz0pLm3xKv9s";
    let config = format!("{CLEAN}env:\n  clear:\n    DB_PASSWORD: {value}: x\n");
    check_cli(
        &[("config/deploy.yml", config.as_bytes())],
        &[value.to_string()],
        "Y0",
    );
}

/// Finding 8: Dockerfile `ENV`/`ARG` values of secret names, and token shapes, are masked.
#[test]
fn dockerfile_secrets_are_masked() {
    let token = "ghp_Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzXcVbNm12";
    let password = "Pz4kWq9rXt2mLs7v";
    let docker = format!(
        "FROM ruby:3.3\nENV API_TOKEN {token}\nARG DB_PASSWORD={password}\nRUN echo $DB_PASSWORD\nFROMM x\n"
    );
    check_cli(
        &[
            ("config/deploy.yml", CLEAN.as_bytes()),
            ("Dockerfile", docker.as_bytes()),
        ],
        &[token.to_string(), password.to_string()],
        "F0",
    );
}

/// Finding 8: a value of a secrets file that also appears in a hook or config line is never
/// shown there.
#[test]
fn secrets_file_value_elsewhere_is_masked() {
    let value = "mB7xQ2kLp9Zt4Wv8";
    let secrets = format!("KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nAPP_SEED={value}\n");
    let config = CLEAN.replace("app_port: 3000", &format!("app_port: {value}"));
    let hook = format!("#!/bin/sh\necho {value} >> /tmp/x\n");
    check_cli(
        &[
            ("config/deploy.yml", config.as_bytes()),
            (".kamal/secrets", secrets.as_bytes()),
            (".kamal/hooks/post-deploy", hook.as_bytes()),
        ],
        &[value.to_string()],
        "K0",
    );
}

/// Finding 8: a literal registry password is not quoted by S007.
#[test]
fn registry_password_literal_is_not_quoted() {
    let password = "QX7Z_PLK4_M9RT2W";
    let config = CLEAN.replace(
        "  password:\n    - KAMAL_REGISTRY_PASSWORD\n",
        &format!("  password: {password}\n"),
    );
    check_cli(
        &[("config/deploy.yml", config.as_bytes())],
        &[password.to_string()],
        "S007",
    );
}

fn executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Finding 8: `curl -u user:password` in a hook is a credential.
#[test]
fn curl_user_password_in_hook_is_masked() {
    let password = "Tn5vRw8qLz2xKp6m";
    let hook = format!(
        "#!/bin/sh\ncurl -u deploy:{password} https://ci.internal/notify\ncurl --user=ops:{password}x https://x\n"
    );
    let dir = project(&[
        ("config/deploy.yml", CLEAN.as_bytes()),
        (".kamal/hooks/post-deploy", hook.as_bytes()),
    ]);
    executable(&dir.path().join(".kamal/hooks/post-deploy"));
    let outputs = cli_outputs(dir.path());
    assert!(
        outputs[1].1.contains("H014"),
        "H014 reports the credential:\n{}",
        outputs[1].1
    );
    assert_hidden(&outputs, &[password.to_string()]);
}

/// Output hygiene: newlines and control bytes of YAML keys are escaped in line-oriented and
/// human output; no output line begins with text the project chose.
#[test]
fn control_characters_are_escaped() {
    let config = format!("{CLEAN}\"x\\n::error title=pwned::owned\\e[31m\\u009b2J\": 1\n");
    let dir = project(&[("config/deploy.yml", config.as_bytes())]);
    for format in ["full", "concise", "github", "junit", "checkstyle"] {
        let out = run(dir.path(), &["check", "--output-format", format]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            text.contains("K0") || text.contains("error"),
            "{format}: the unknown key is reported:\n{text}"
        );
        for line in text.lines() {
            assert!(
                !line.trim_start().starts_with("::error title=pwned"),
                "{format}: a line begins with project text:\n{text}"
            );
        }
        assert!(
            !text.contains('\u{1b}'),
            "{format}: ESC in output:\n{text:?}"
        );
        assert!(
            !text.contains('\u{9b}'),
            "{format}: CSI in output:\n{text:?}"
        );
    }
}

/// The language server's answers for every file of the project: diagnostics, hover and
/// completion at the start of every word, document symbols, and code actions.
fn lsp_outputs(root: &Path, files: &[(String, Vec<u8>)]) -> Vec<(String, String)> {
    let mut client = lsp_client::Client::start(&common::sextant());
    client.initialize(root, lsp_client::push_capabilities(), json!({}));
    let mut out = Vec::new();
    let mut uris = Vec::new();
    for (rel, bytes) in files {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let uri = client.open(&root.join(rel), &text, 1);
        uris.push((uri, text, rel.clone()));
    }
    let settle = Duration::from_millis(300);
    for (uri, text, rel) in &uris {
        if let Some(d) = client.latest(uri, settle) {
            out.push((format!("diagnostics {rel}"), d.to_string()));
        }
        let doc = json!({"uri": uri});
        let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": doc}));
        out.push((format!("symbols {rel}"), format!("{symbols:?}")));
        let lines: Vec<&str> = text.lines().collect();
        let actions = client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": doc,
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines.len(), "character": 0}},
                "context": {"diagnostics": []}
            }),
        );
        out.push((format!("actions {rel}"), format!("{actions:?}")));
        for (line, l) in lines.iter().enumerate() {
            let mut cols: Vec<usize> = vec![0];
            for (i, c) in l.char_indices() {
                if i > 0 && !c.is_whitespace() && l[..i].ends_with([' ', '=', ':', '-']) {
                    cols.push(l[..i].encode_utf16().count());
                }
            }
            for col in cols.into_iter().take(3) {
                let at =
                    json!({"textDocument": doc, "position": {"line": line, "character": col + 1}});
                let hover = client.request("textDocument/hover", at.clone());
                out.push((format!("hover {rel}:{line}:{col}"), format!("{hover:?}")));
                let completion = client.request("textDocument/completion", at);
                out.push((
                    format!("completion {rel}:{line}:{col}"),
                    format!("{completion:?}"),
                ));
            }
        }
    }
    for p in &client.published {
        out.push(("published".into(), p.to_string()));
    }
    out
}

/// One random project with secrets planted everywhere, and the planted values.
fn planted_project(rng: &mut Rng) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    let mut values = Vec::new();
    let mut plant = |rng: &mut Rng| {
        let v = rng.secret();
        values.push(v.clone());
        v
    };
    let (s1, s2, s3, s4, s5) = (
        plant(rng),
        plant(rng),
        rng.alnum(32).to_lowercase() + "7",
        plant(rng),
        plant(rng),
    );
    let secrets = format!(
        "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nAPP_SECRET={s1}\nQUOTED='{s2}'\n{s3}\n# OLD_TOKEN={s4}\nexport UNSET_NAME # {s5}\n"
    );
    let registry = format!(
        "{}_{}",
        rng.from(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8),
        rng.from(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8)
    );
    // a command or an `x-` value is a secret by its shape only
    let (c1, c2, c3) = (plant(rng), rng.token(), rng.token());
    let base = CLEAN.replace(
        "  password:\n    - KAMAL_REGISTRY_PASSWORD\n",
        &format!("  password: {registry}\n"),
    );
    let config = format!(
        "{base}env:\n  clear:\n    API_TOKEN: {c1}\n    NOTE: {s1}\naliases:\n  seed: app exec bin/seed {c2}\nx-note: {c3}\nunknown_key: {s1}\n"
    );
    let b1 = plant(rng);
    let broken = format!("servers: [\nDB_PASSWORD: {b1}\n  - x: {b1}\n");
    let (d1, d2, d3) = (plant(rng), plant(rng), plant(rng));
    let dockerfile = format!(
        "FROM ruby:3.3\nENV API_TOKEN {d1}\nARG DB_PASSWORD=\"{d2}\"\nGITHUB_TOKEN=\"{d3}\"\nRUN echo {s1}\n"
    );
    let (h1, h2) = (rng.alnum(16), rng.token());
    let hook = format!("#!/bin/sh\ncurl -u deploy:{h1} https://ci.internal/x\necho \"{h2}\"\n");
    let t1 = plant(rng);
    let toml = format!("api_token = \"{t1}\"\n[rules]\n{s1} = 1\n");
    values.extend([s3, registry, h1, c2, c3, h2]);
    let files = vec![
        (".kamal/secrets".to_string(), secrets.into_bytes()),
        ("config/deploy.yml".to_string(), config.into_bytes()),
        ("config/deploy.staging.yml".to_string(), broken.into_bytes()),
        ("Dockerfile".to_string(), dockerfile.into_bytes()),
        (".kamal/hooks/post-deploy".to_string(), hook.into_bytes()),
        (".sextant.toml".to_string(), toml.into_bytes()),
    ];
    (files, values)
}

fn cases(ci: usize) -> usize {
    std::env::var("SEXTANT_REDACTION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ci)
}

/// The property: wherever a secret is planted, no output of the CLI shows a piece of it.
#[test]
fn planted_secrets_never_reach_the_cli() {
    let mut rng = Rng(0x5ec2_e7ed_0a11_0001);
    for case in 0..cases(6) {
        let seed = rng.0;
        let (files, values) = planted_project(&mut rng);
        let borrowed: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let dir = project(&borrowed);
        executable(&dir.path().join(".kamal/hooks/post-deploy"));
        let outputs = cli_outputs(dir.path());
        assert!(
            outputs[1].1.lines().count() >= 5,
            "case {case} (seed {seed:#x}): findings are shown:\n{}",
            outputs[1].1
        );
        assert_hidden(&outputs, &values);
    }
}

/// The property, for the language server.
#[test]
fn planted_secrets_never_reach_the_language_server() {
    let mut rng = Rng(0x5ec2_e7ed_0a11_0002);
    for _ in 0..cases(2) {
        let (files, values) = planted_project(&mut rng);
        let borrowed: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let dir = project(&borrowed);
        executable(&dir.path().join(".kamal/hooks/post-deploy"));
        let root = dir.path().canonicalize().unwrap();
        let outputs = lsp_outputs(&root, &files);
        assert!(
            outputs
                .iter()
                .any(|(w, t)| w.starts_with("diagnostics") && t.contains("S0")),
            "the server reports the secrets file's problems"
        );
        assert_hidden(&outputs, &values);
    }
}
