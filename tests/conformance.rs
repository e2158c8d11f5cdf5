//! Conformance with Kamal 2.8.2's own verdicts: `../shared/kamal/fixtures/EXPECTED.tsv` (437
//! cases) and `../shared/corpus/VERDICTS.tsv` (real projects). Prints the agreement figures and
//! every disagreement; skips with a reason when `../shared` is absent.

mod common;

use std::path::{Path, PathBuf};

use common::{report, shared_or_skip, tsv};
use sextant_lint::model::{deep_merge, to_json};
use sextant_lint::syntax::yaml;
use sextant_lint::text::FileId;
use sextant_lint::{check, DiskVfs, Project, Settings};
use sextant_schema::DEFAULT_VERSION;

/// Error classes whose message is compared (configuration and argument errors).
const MESSAGE_CLASSES: [&str; 3] = ["Kamal::ConfigurationError", "ArgumentError", "RuntimeError"];

struct Outcome {
    verdicts: usize,
    verdicts_agreeing: usize,
    messages: usize,
    messages_agreeing: usize,
    disagreements: Vec<String>,
}

impl Outcome {
    fn new() -> Outcome {
        Outcome {
            verdicts: 0,
            verdicts_agreeing: 0,
            messages: 0,
            messages_agreeing: 0,
            disagreements: Vec::new(),
        }
    }

    fn judge(
        &mut self,
        label: &str,
        kamal: &[String],
        expect: &str,
        class: &str,
        message: &str,
        dir: &Path,
    ) {
        self.verdicts += 1;
        let ours = if kamal.is_empty() { "OK" } else { "ERROR" };
        let counted = expect == "ERROR" && MESSAGE_CLASSES.contains(&class) && !message.is_empty();
        if counted {
            self.messages += 1;
        }
        if ours != expect {
            self.disagreements.push(format!(
                "VERDICT {label}: kamal {expect} [{message}] / sextant {ours} {kamal:?}"
            ));
            return;
        }
        self.verdicts_agreeing += 1;
        if counted {
            let want = message
                .replace("<DIR>", &dir.to_string_lossy())
                .replace("\\n", "\n");
            if kamal.iter().any(|k| k.trim() == want.trim()) {
                self.messages_agreeing += 1;
            } else {
                self.disagreements.push(format!(
                    "MESSAGE {label}: kamal [{message}] / sextant {kamal:?}"
                ));
            }
        }
    }

    fn print(&self, what: &str) -> (f64, f64) {
        for d in &self.disagreements {
            report(d);
        }
        let pv = 100.0 * self.verdicts_agreeing as f64 / self.verdicts.max(1) as f64;
        let pm = 100.0 * self.messages_agreeing as f64 / self.messages.max(1) as f64;
        report(&format!(
            "{what}: verdicts {}/{} ({pv:.1}%) messages {}/{} ({pm:.1}%)",
            self.verdicts_agreeing, self.verdicts, self.messages_agreeing, self.messages
        ));
        (pv, pm)
    }
}

/// The Kamal messages of a load, as `kamal` without `-d` (destination `None`) or with `-d`.
fn kamal_messages(project: &Project, destination: &str) -> Vec<String> {
    let settings = Settings {
        destination: (!destination.is_empty()).then(|| destination.to_string()),
        base_dir: project.root.clone(),
        ..Settings::default()
    };
    let report = check(&DiskVfs, project, &settings).expect("the config file exists");
    report
        .diagnostics
        .iter()
        .filter(|d| !destination.is_empty() || d.destination.is_none())
        .filter_map(|d| d.kamal_message.clone())
        .collect()
}

#[test]
fn kamal_fixtures() {
    let Some(shared) = shared_or_skip("Kamal fixtures conformance") else {
        return;
    };
    let base = shared.join("kamal/fixtures");
    let empty = tempfile::tempdir().expect("temp dir");
    let mut outcome = Outcome::new();
    for row in tsv(&base.join("EXPECTED.tsv"), "case\t") {
        let (case, dest, dir, expect, class, message) =
            (&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]);
        let config = base.join(case);
        let root = if dir.is_empty() {
            empty.path().to_path_buf()
        } else {
            base.join(dir)
        };
        let project = Project::new(root, config.clone());
        let kamal = kamal_messages(&project, dest);
        let label = format!("{case} {dest}");
        let dir = config.parent().unwrap_or(&base).to_path_buf();
        outcome.judge(label.trim(), &kamal, expect, class, message, &dir);
    }
    let (pv, pm) = outcome.print("Kamal fixtures");
    assert_eq!(outcome.verdicts, 437);
    assert!(pv >= 99.0, "verdict agreement {pv:.1}% < 99%");
    assert!(pm >= 95.0, "message agreement {pm:.1}% < 95%");
}

#[test]
fn corpus_static_rows() {
    let Some(shared) = shared_or_skip("corpus conformance") else {
        return;
    };
    let base = shared.join("corpus");
    let mut outcome = Outcome::new();
    for row in tsv(&base.join("VERDICTS.tsv"), "project\t") {
        let (name, dest, expect, class, message, scope) =
            (&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]);
        if scope != "static" {
            continue;
        }
        let root = base.join(name);
        let kamal = kamal_messages(&Project::at(root.clone()), dest);
        outcome.judge(
            format!("{name} {dest}").trim(),
            &kamal,
            expect,
            class,
            message,
            &root,
        );
    }
    let (pv, _) = outcome.print("corpus (static rows)");
    assert_eq!(pv, 100.0, "every static corpus verdict must agree");
}

/// On rows whose Kamal verdict depends on the environment, sextant must not crash and must not
/// blame ERB content for a Kamal error.
#[test]
fn corpus_env_dependent_rows() {
    let Some(shared) = shared_or_skip("corpus env-dependent rows") else {
        return;
    };
    let base = shared.join("corpus");
    let mut rows = 0;
    let mut blamed = Vec::new();
    for row in tsv(&base.join("VERDICTS.tsv"), "project\t") {
        if row[5] != "env-dependent" {
            continue;
        }
        rows += 1;
        let project = Project::at(base.join(&row[0]));
        let settings = Settings {
            destination: (!row[1].is_empty()).then(|| row[1].clone()),
            base_dir: project.root.clone(),
            ..Settings::default()
        };
        let report = check(&DiskVfs, &project, &settings).expect("loads");
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.kamal_message.is_some())
        {
            let file = report.files.get(d.span.file);
            let line = file.index.line_of(d.span.start as usize);
            let text = &file.text[file.index.line_range(line, &file.text)];
            let value = report.files.slice(d.span);
            if value.contains("<%") || (d.span.is_empty() && text.contains("<%")) {
                blamed.push(format!(
                    "{} {}: {} at {}:{}",
                    row[0],
                    row[1],
                    d.kamal_message.as_deref().unwrap_or(""),
                    file.name,
                    line + 1
                ));
            }
        }
    }
    for b in &blamed {
        report(&format!("ERB BLAMED {b}"));
    }
    report(&format!(
        "corpus (env-dependent rows): {rows} rows checked, {} Kamal errors blamed on ERB",
        blamed.len()
    ));
    assert!(rows > 0);
    assert!(blamed.is_empty());
}

/// Loads a config as Kamal does (base, merged with the destination file) for the schema test.
fn load_json(config: &Path, dest: &str) -> Option<serde_json::Value> {
    let read = |p: &Path, id| {
        let text = std::fs::read_to_string(p).ok()?;
        yaml::parse(FileId(id), &text).root
    };
    let base = read(config, 0)?;
    let merged = if dest.is_empty() {
        base
    } else {
        let stem = config.file_stem()?.to_string_lossy().into_owned();
        let overlay = read(&config.with_file_name(format!("{stem}.{dest}.yml")), 1)?;
        deep_merge(&base, &overlay)
    };
    Some(to_json(&merged))
}

/// The exported JSON Schema accepts every configuration Kamal accepts.
#[test]
fn exported_schema_accepts_every_kamal_ok_config() {
    let Some(shared) = shared_or_skip("JSON Schema acceptance") else {
        return;
    };
    let schema = sextant_schema::json_schema(DEFAULT_VERSION);
    let validator = jsonschema::validator_for(&schema).expect("the exported schema compiles");
    let mut cases: Vec<(String, PathBuf, String)> = Vec::new();
    let fixtures = shared.join("kamal/fixtures");
    for row in tsv(&fixtures.join("EXPECTED.tsv"), "case\t") {
        if row[3] == "OK" {
            cases.push((row[0].clone(), fixtures.join(&row[0]), row[1].clone()));
        }
    }
    let corpus = shared.join("corpus");
    for row in tsv(&corpus.join("VERDICTS.tsv"), "project\t") {
        if row[2] == "OK" && row[5] == "static" {
            let config = corpus.join(&row[0]).join("config/deploy.yml");
            cases.push((format!("{} {}", row[0], row[1]), config, row[1].clone()));
        }
    }
    let mut rejected = Vec::new();
    for (label, config, dest) in &cases {
        let json = load_json(config, dest).expect("Kamal-OK configs parse");
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if !errors.is_empty() {
            rejected.push(format!("{label}: {}", errors.join("; ")));
        }
    }
    for r in &rejected {
        report(&format!("SCHEMA REJECTS {r}"));
    }
    report(&format!(
        "JSON Schema: {}/{} Kamal-OK configs accepted",
        cases.len() - rejected.len(),
        cases.len()
    ));
    assert!(rejected.is_empty());

    // and it is not a schema that accepts anything: the unknown-key and type errors Kamal
    // reports are rejected too
    let mut structural = 0;
    let mut caught = Vec::new();
    let mut missed = Vec::new();
    for row in tsv(&fixtures.join("EXPECTED.tsv"), "case\t") {
        let message = &row[5];
        let is_structural = message.contains("unknown key")
            || message.contains("should be an integer")
            || message.contains("should be a boolean");
        if row[3] != "ERROR" || !is_structural || !row[1].is_empty() {
            continue;
        }
        structural += 1;
        let Some(json) = load_json(&fixtures.join(&row[0]), "") else {
            continue;
        };
        if validator.is_valid(&json) {
            missed.push(format!("{} [{message}]", row[0]));
        } else {
            caught.push(row[0].clone());
        }
    }
    for m in &missed {
        report(&format!("SCHEMA ACCEPTS {m}"));
    }
    report(&format!(
        "JSON Schema: {}/{structural} unknown-key and type errors rejected",
        caught.len()
    ));
    assert!(missed.is_empty());
}
