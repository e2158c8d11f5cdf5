//! Security tests: costs. Every cost is linear in the size of the input: a project is
//! attacker-chosen, and a lookup by name that scans a list, a scan of a whole line per item on
//! it or a copy of every variable per instruction turns a file of a few megabytes into hours.
//!
//! Each test runs the engine (or the parser the finding was in) on a hostile input at a size
//! where the quadratic code took minutes even in a release build, and checks that the RESULT is
//! right: no timing assertions (`cargo bench --bench large` prints time and memory at the sizes
//! of the targets).

use std::path::Path;

use sextant_lint::syntax::dockerfile::{self, Lookup};
use sextant_lint::syntax::erb;
use sextant_lint::{check, DiskVfs, Project, Report, Settings};

use crate::common::{self, project};

fn run(dir: &Path) -> Report {
    let settings = Settings {
        base_dir: dir.to_path_buf(),
        shellcheck: Some(false),
        ..Settings::default()
    };
    check(&DiskVfs, &Project::at(dir.to_path_buf()), &settings).expect("the project is checked")
}

fn count(report: &Report, code: &str) -> usize {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == code)
        .count()
}

/// How many problems of `code` the report found: those listed (at most 1 000 a file), and those
/// the `X005` summary counts.
fn found(report: &Report, code: &str) -> usize {
    let more: usize = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "X005")
        .filter_map(|d| {
            let (n, rest) = d.message.split_once(' ')?;
            rest.starts_with(&format!("more `{code}` "))
                .then(|| n.parse::<usize>().ok())
                .flatten()
        })
        .sum();
    count(report, code) + more
}

/// Finding: a secrets file of 40k entries took 15 s and one of 1M did not end: each name was
/// looked up by scanning every entry (`SecretsFile::get`) and every definition so far (the
/// engine's per-load outline). 100k entries, half of them assigned twice: the last assignment
/// must win for each, found by lookup.
#[test]
fn secrets_file_with_100k_entries_defines_each_once() {
    const N: usize = 100_000;
    let mut text = String::from("KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n");
    for i in 1..=N {
        text.push_str(&format!("SECRET_{i:07}=value{i:07}\n"));
    }
    // the odd ones again, from a command: their definition is the second one
    for i in (1..=N).step_by(2) {
        text.push_str(&format!("SECRET_{i:07}=$(cat secret{i})\n"));
    }
    let dir = project(&[
        (
            "config/deploy.yml",
            common::clean_with_one_secret().as_bytes(),
        ),
        (".kamal/secrets", text.as_bytes()),
    ]);
    let report = run(dir.path());

    let outline = report.outline.first().expect("the base load");
    assert_eq!(outline.secrets.len(), N + 1, "one definition per name");
    let second_block = text.find(&format!("SECRET_{:07}=$(cat", 1)).unwrap() as u32;
    for def in &outline.secrets {
        let Some(n) = def.name.strip_prefix("SECRET_") else {
            assert_eq!(def.name, "KAMAL_REGISTRY_PASSWORD");
            continue;
        };
        let i: usize = n.parse().unwrap();
        let twice = i % 2 == 1;
        assert_eq!(def.command, twice, "{}: the last assignment wins", def.name);
        assert_eq!(def.key.start >= second_block, twice, "{}", def.name);
        assert_eq!(report.files.slice(def.key), def.name);
    }
    // every entry is reported unused except those of the two names the configuration uses
    let entries = 1 + N + N.div_ceil(2);
    let used_entries = 1 + 2; // the password; SECRET_0000001, assigned twice
    assert_eq!(found(&report, "S003"), entries - used_entries);
    // listed: the first 1 000 (the output of a hostile file stays bounded), the rest counted
    assert_eq!(count(&report, "S003"), 1000);
}

/// Finding: a Dockerfile of 32k stages took 8 s: each `FROM` looked for its parent among every
/// earlier stage, each scope rebuilt the whole chain of stages (copying every variable at each
/// stage and each `ENV`), a stage was found by name or by instruction by scanning all. 20k
/// stages, each built on the one before, with an `ARG`, an `ENV` from it and a `COPY --from`.
#[test]
fn dockerfile_with_20k_chained_stages_resolves_every_variable() {
    const N: usize = 20_000;
    let mut text = String::from("ARG BASE=alpine:3.19\nFROM $BASE AS s0\n");
    for i in 1..N {
        text.push_str(&format!(
            "FROM s{} AS s{i}\nARG A{i}=v{i}\nENV E{i}=$A{i}\nCOPY --from=s{} /a /b{i}\n",
            i - 1,
            i / 2
        ));
    }
    text.push_str("USER app\nCMD [\"bin/app\"]\n");

    let df = dockerfile::parse(&text);
    assert_eq!(df.stages.len(), N);
    for (i, stage) in df.stages.iter().enumerate() {
        assert_eq!(
            stage.parent,
            i.checked_sub(1),
            "stage {i} is built on the one before"
        );
        let found = df.stage_by_name(&format!("S{i}")).map(|s| s.index);
        assert_eq!(found, Some(i));
        if i == 0 {
            continue;
        }
        // the COPY of stage i sees its own ARG and ENV, not the parent's ARG (never inherited)
        let copy = stage.instructions.end - 1;
        assert_eq!(df.stage_of(copy).map(|s| s.index), Some(i));
        let scope = df.scope_at(copy);
        assert_eq!(scope.get(&format!("A{i}")), Lookup::Value(&format!("v{i}")));
        assert_eq!(scope.get(&format!("E{i}")), Lookup::Value(&format!("v{i}")));
        if i > 1 {
            assert_eq!(scope.get(&format!("A{}", i - 1)), Lookup::Undeclared);
        }
    }
    // the last stage's image holds every ENV of the chain, and no ARG
    let env = df.runtime_env(N - 1);
    for i in 1..N {
        assert_eq!(env.get(&format!("E{i}")), Lookup::Value(&format!("v{i}")));
        assert_eq!(env.get(&format!("A{i}")), Lookup::Undeclared);
    }
    assert_eq!(env.names().count(), N - 1);

    // the whole engine on it: the rules walk the chain of 20k stages
    let dir = project(&[
        (
            "config/deploy.yml",
            common::clean_with_one_secret().as_bytes(),
        ),
        ("Dockerfile", text.as_bytes()),
    ]);
    let report = run(dir.path());
    assert!(report.files.find(&dir.path().join("Dockerfile")).is_some());
}

/// Finding: 16k ERB tags on one line grew quadratically: each tag looked for its line's start
/// and walked its whole line again to learn whether the line holds only tags. 100k tags on a
/// line after a key, 100k on a line of their own.
#[test]
fn line_of_100k_erb_tags_is_scanned_once() {
    const N: usize = 100_000;
    let tag = "<%= \"a\" %>";
    let text = format!("image: {}\n{}\n", tag.repeat(N), tag.repeat(N));
    let (masked, found) = erb::mask(&text);
    assert_eq!(found.tags.len(), 2 * N);
    let (after_key, own_line) = found.tags.split_at(N);
    assert!(after_key.iter().all(|t| !t.standalone));
    assert!(own_line.iter().all(|t| t.standalone));
    let lines: Vec<&str> = masked.lines().collect();
    assert_eq!(lines[0], format!("image: {}", "x".repeat(N * tag.len())));
    assert_eq!(lines[1], " ".repeat(N * tag.len()));

    // the whole engine on a config whose image is that line
    let config = common::clean_with_one_secret()
        .replace("image: user/app\n", &format!("image: {}\n", tag.repeat(N)));
    let dir = project(&[("config/deploy.yml", config.as_bytes())]);
    let report = run(dir.path());
    assert!(!report.loads.is_empty());
}

/// Finding: an unterminated quote in a secrets file cost ~1.5 KB for every line after it: the
/// parser copied the file out as a `char` and a `usize` per byte (12 bytes a byte) and evaluated
/// every value. The lines after the quote are still read as dotenv reads them: 200k entries, each
/// unused.
#[test]
fn lines_after_an_unterminated_quote_are_read_as_entries() {
    const N: usize = 200_000;
    let mut text = String::from(
        "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nSECRET_0000001=\"never closed\n",
    );
    for i in 0..N {
        text.push_str(&format!("LINE_{i:07}=value\n"));
    }
    let dir = project(&[
        (
            "config/deploy.yml",
            common::clean_with_one_secret().as_bytes(),
        ),
        (".kamal/secrets", text.as_bytes()),
    ]);
    let report = run(dir.path());
    let outline = report.outline.first().expect("the base load");
    assert_eq!(outline.secrets.len(), N + 2);
    assert_eq!(found(&report, "S003"), N);
    // the quote itself is the only syntax problem (S010), on the line that opens it
    let syntax: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "S010")
        .collect();
    assert_eq!(syntax.len(), 1);
    assert_eq!(report.files.slice(syntax[0].span), "\"never closed");
}

/// Suppressions were matched by scanning every suppression of the file for each diagnostic:
/// 50k bad lines each with its own suppression comment (all used, none reported).
#[test]
fn a_suppression_on_each_of_50k_lines_is_found_by_line() {
    const N: usize = 50_000;
    let mut text = String::from("KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n");
    for i in 0..N {
        text.push_str(&format!("UNUSED_{i:07}=x # sextant: ignore[S003]\n"));
    }
    let dir = project(&[
        (
            "config/deploy.yml",
            common::clean_with_one_secret().as_bytes(),
        ),
        (".kamal/secrets", text.as_bytes()),
    ]);
    let report = run(dir.path());
    assert_eq!(
        count(&report, "S003"),
        0,
        "every entry's own comment suppresses it"
    );
    assert_eq!(count(&report, "X001"), 0, "no suppression is unused");
}

/// Review finding: the redactor's line scan looked for the end of each `KEY=` value to the end
/// of the line, so one line of many assignments without a space was quadratic. 200 000 of them
/// on one line (3.4 MB); each value is looked at for 256 bytes at most.
#[test]
fn a_line_of_many_assignments_is_scanned_once() {
    let line = "API_TOKEN=$API_TOKEN".repeat(200_000);
    let spans = sextant_lint::redact::line_spans(Path::new("Dockerfile"), &line);
    assert!(spans.iter().all(|r| r.end <= line.len()));
    let dir = project(&[
        (
            "config/deploy.yml",
            common::clean_with_one_secret().as_bytes(),
        ),
        (
            "Dockerfile",
            format!("FROM ruby:3.3\nENV {line}\n").as_bytes(),
        ),
    ]);
    let report = run(dir.path());
    assert!(!report.loads.is_empty());
}
