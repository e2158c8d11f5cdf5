//! `cargo bench --bench check`: time to check one typical project (examples/) and the whole
//! `../shared/corpus` in one process. Prints figures; asserts nothing (targets: under 2 ms per
//! project, the whole corpus under 100 ms).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sextant_lint::{check, discover, DiskVfs, Found, Project, Settings};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn check_all(projects: &[Project]) -> usize {
    let mut diagnostics = 0;
    for p in projects {
        let settings = Settings {
            base_dir: p.root.clone(),
            ..Settings::default()
        };
        if let Ok(report) = check(&DiskVfs, p, &settings) {
            diagnostics += report.diagnostics.len();
        }
    }
    diagnostics
}

fn time(label: &str, projects: &[Project], runs: usize) -> Duration {
    // warm the file cache
    check_all(projects);
    let samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(check_all(projects));
            start.elapsed()
        })
        .collect();
    let m = median(samples.clone());
    let min = samples.iter().min().copied().unwrap_or_default();
    println!(
        "{label}: {} project(s), median {:.3} ms, min {:.3} ms, {:.3} ms per project ({runs} runs)",
        projects.len(),
        m.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        m.as_secs_f64() * 1e3 / projects.len().max(1) as f64
    );
    m
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = Project::at(root.join("examples"));
    time("typical project (examples/)", &[example], 200);

    let corpus: PathBuf = root.join("../shared/corpus");
    if !corpus.is_dir() {
        println!("whole corpus: skipped, ../shared/corpus is absent");
        return;
    }
    let projects = match discover(&DiskVfs, &corpus.canonicalize().unwrap_or(corpus)) {
        Ok(Found::Projects(p)) => p,
        _ => Vec::new(),
    };
    let diagnostics = check_all(&projects);
    time("whole corpus, one process", &projects, 30);
    println!("({diagnostics} diagnostics over the corpus)");
}
