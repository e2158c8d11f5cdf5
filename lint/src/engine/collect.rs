//! Phase 4, collect: one list of diagnostics from the files' problems and every load's — each
//! problem once, with the destinations that found it — then suppression comments, the rule
//! selection and severities of `.sextant.toml` and the command line, in source order.

use std::collections::HashMap;

use sextant_schema::Version;

use crate::config::RuleSettings;
use crate::diagnostic::Diagnostic;
use crate::files::Files;
use crate::project::Project;
use crate::registry as rules;
use crate::suppress::{CommentRef, Suppressions};
use crate::text::FileId;

use super::run::Findings;
use super::sources::Sources;
use super::Settings;

pub(super) fn collect(
    sources: &Sources,
    file_problems: Vec<Diagnostic>,
    findings: Findings,
    loads: &[Option<String>],
    project: &Project,
    settings: &Settings,
    rule_settings: &RuleSettings,
) -> Vec<Diagnostic> {
    let mut diagnostics = file_problems;
    diagnostics.extend(findings.project);
    explain_cross_file_anchors(sources, &mut diagnostics);
    // file-level problems belong to every load; with `-d` they carry its name
    if settings.destination.is_some() {
        for d in &mut diagnostics {
            d.destination = settings.destination.clone();
            d.destinations = settings.destination.iter().cloned().collect();
        }
    }
    merge_loads(&mut diagnostics, findings.per_load);
    // When the base load is not checked on its own (`require_destination` with destinations),
    // a problem in the base file that every destination shares is the base file's problem.
    let base_checked = loads.iter().any(Option::is_none);
    let dest_loads = loads.iter().filter(|l| l.is_some()).count();
    if settings.destination.is_none() && !base_checked && dest_loads > 0 {
        for d in &mut diagnostics {
            if d.span.file == sources.base().file && d.destinations.len() == dest_loads {
                d.destination = None;
                d.destinations.clear();
            }
        }
    }
    // Kamal renders ERB with trim mode after 2.8 (basecamp/kamal#1718): trim markers are fine
    if sources.version >= Version::new(2, 9, 0) {
        diagnostics.retain(|d| d.rule.code != rules::ERB_TRIM_MARKER.code);
    }
    suppress(
        sources,
        findings.external_ran,
        rule_settings,
        &mut diagnostics,
    );
    apply_rule_settings(
        &sources.files,
        project,
        rule_settings,
        sources.config_id,
        &mut diagnostics,
    );
    sort(&mut diagnostics);
    cap(&mut diagnostics, rule_settings);
    diagnostics
}

/// Most problems listed of one rule in one file ([`crate::rules::TOO_MANY_PROBLEMS`]).
pub(super) const PER_RULE_AND_FILE: usize = 1000;

/// Keeps the first [`PER_RULE_AND_FILE`] problems of each rule in each file (the list is in
/// source order), and says how many more there are in one diagnostic at the file's start.
fn cap(diagnostics: &mut Vec<Diagnostic>, rule_settings: &RuleSettings) {
    let mut counts: HashMap<(String, FileId), usize> = HashMap::new();
    diagnostics.retain(|d| {
        let n = counts
            .entry((d.code().to_string(), d.span.file))
            .or_insert(0);
        *n += 1;
        *n <= PER_RULE_AND_FILE
    });
    if !rule_settings.enabled(&rules::TOO_MANY_PROBLEMS) {
        return;
    }
    let mut over: Vec<((String, FileId), usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n > PER_RULE_AND_FILE)
        .collect();
    if over.is_empty() {
        return;
    }
    over.sort();
    for ((code, file), n) in over {
        diagnostics.push(crate::rules::too_many_problems(
            crate::text::Span::empty(file, 0),
            &code,
            PER_RULE_AND_FILE,
            n - PER_RULE_AND_FILE,
        ));
    }
    sort(diagnostics);
}

/// Adds each load's problems: one found before (by the files, or another load) gains the
/// load's destination; a new one is added with it. Looked up by identity in a map: a project
/// can have a million problems.
fn merge_loads(
    diagnostics: &mut Vec<Diagnostic>,
    per_load: Vec<(Option<String>, Vec<Diagnostic>)>,
) {
    // keyed by the span and a hash of code and message (no copy of the texts); a hit is
    // confirmed by comparing identities, so a hash collision only costs a longer bucket
    let key = |d: &Diagnostic| {
        use std::hash::{Hash, Hasher};
        let (code, span, message) = d.identity();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (code, message).hash(&mut h);
        (span, h.finish())
    };
    let mut seen: HashMap<(crate::text::Span, u64), Vec<usize>> = HashMap::with_capacity(
        diagnostics.len() + per_load.iter().map(|(_, f)| f.len()).sum::<usize>(),
    );
    for (i, d) in diagnostics.iter().enumerate() {
        seen.entry(key(d)).or_default().push(i);
    }
    for (dest, found) in per_load {
        for mut d in found {
            let k = key(&d);
            let hit = seen.get(&k).and_then(|bucket| {
                bucket
                    .iter()
                    .copied()
                    .find(|&i| diagnostics[i].identity() == d.identity())
            });
            if let Some(i) = hit {
                let existing = &mut diagnostics[i];
                if let Some(dest) = &dest {
                    if existing.destination.is_some() && !existing.destinations.contains(dest) {
                        existing.destinations.push(dest.clone());
                    }
                }
                continue;
            }
            d.destination = dest.clone();
            d.destinations = dest.iter().cloned().collect();
            seen.entry(k).or_default().push(diagnostics.len());
            diagnostics.push(d);
        }
    }
}

/// Inline suppressions first (they may name any rule): the comments of every file kind.
fn suppress(
    sources: &Sources,
    external_ran: Vec<FileId>,
    rule_settings: &RuleSettings,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let files = &sources.files;
    let mut suppressions = Suppressions::default();
    let mut add = |file: FileId, ranges: &mut dyn Iterator<Item = std::ops::Range<usize>>| {
        let text = &files.get(file).text;
        let comments: Vec<CommentRef> = ranges.map(|r| CommentRef::in_text(text, r)).collect();
        suppressions.add_file(files, file, &comments);
    };
    for config in &sources.configs {
        add(
            config.file,
            &mut config.yaml.comments.iter().map(|c| c.span.range()),
        );
    }
    for source in &sources.secrets {
        add(
            source.file,
            &mut source.parsed.comments.iter().map(|c| c.span.clone()),
        );
    }
    for source in &sources.dockerfiles {
        add(
            source.file,
            &mut source.parsed.comments.iter().map(|c| c.span.clone()),
        );
    }
    for hook in &sources.hooks {
        let comments: Vec<CommentRef> = hook
            .script
            .comments
            .iter()
            .map(|c| CommentRef {
                range: c.span.clone(),
                text: c.text.clone(),
            })
            .collect();
        suppressions.add_file(files, hook.file, &comments);
    }
    for file in external_ran {
        suppressions.external_ran_on(file);
    }
    suppressions.apply(files, diagnostics, &|rule| rule_settings.enabled(rule));
}

/// Drops diagnostics of disabled rules and of per-file ignores, and applies severity
/// overrides. Problems of the configuration file itself are always kept.
pub(super) fn apply_rule_settings(
    files: &Files,
    project: &Project,
    settings: &RuleSettings,
    config_id: Option<FileId>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    diagnostics.retain_mut(|d| {
        if Some(d.span.file) == config_id && d.rule.code == rules::INVALID_CONFIG.code {
            return true;
        }
        if !settings.enabled(d.rule) {
            return false;
        }
        let path = &files.get(d.span.file).path;
        let relative = path
            .strip_prefix(&project.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        if settings.ignored_in(d.rule, &relative) {
            return false;
        }
        // a configured severity wins over the rule's (and over a per-diagnostic one)
        if let Some(severity) = settings.severity_override(d.rule) {
            d.severity = severity;
        }
        true
    });
}

/// In source order: file, position, rule.
pub(super) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.file, a.span.start, a.span.end, a.rule.code).cmp(&(
            b.span.file,
            b.span.start,
            b.span.end,
            b.rule.code,
        ))
    });
}

/// Unknown anchors in a destination file that the base file defines: say so.
fn explain_cross_file_anchors(sources: &Sources, diagnostics: &mut [Diagnostic]) {
    let files = &sources.files;
    let base_text = &files.get(sources.base().file).text;
    for overlay in sources.overlays() {
        for d in diagnostics.iter_mut() {
            if d.rule.code != rules::UNKNOWN_ANCHOR.code || d.span.file != overlay.file {
                continue;
            }
            let name = files.slice(d.span).trim_start_matches('*').to_string();
            if base_text.contains(&format!("&{name}")) {
                d.help = Some(crate::rules::anchor_across_files(&name));
            }
        }
    }
}
