//! Phase 3, rules: the project rules once, shellcheck on shell hooks, then Kamal's own
//! validation and the load rules on every load.

use std::collections::HashMap;
use std::path::Path;

use crate::config::RuleSettings;
use crate::diagnostic::Diagnostic;
use crate::model;
use crate::project::Project;
use crate::registry::Rule;
use crate::rules::context::{dockerfile_path, ConfigFile, LoadContext, ProjectContext};
use crate::rules::{run_load as run_load_rules, run_project as run_project_rules};
use crate::rules::{validate_kamal, KamalLoad};
use crate::syntax::yaml::Node;
use crate::text::{FileId, Span};
use crate::vfs::Vfs;

use super::loads::Load;
use super::sources::Sources;
use super::{LoadOutline, SecretDefinition, Settings};

/// What the rules found.
pub(super) struct Findings {
    /// Project rules and shellcheck: problems of the files, found once.
    pub project: Vec<Diagnostic>,
    /// Each load's problems, in load order.
    pub per_load: Vec<(Option<String>, Vec<Diagnostic>)>,
    /// The hook files shellcheck ran on (their `SC` suppressions can be judged).
    pub external_ran: Vec<FileId>,
    pub outlines: Vec<LoadOutline>,
}

pub(super) fn run(
    sources: &Sources,
    loads: &[Load],
    project: &Project,
    vfs: &dyn Vfs,
    settings: &Settings,
    rule_settings: &RuleSettings,
) -> Findings {
    let configs = sources
        .configs
        .iter()
        .map(|c| ConfigFile {
            file: c.file,
            yaml: &c.yaml,
            destination: c.destination.as_deref(),
        })
        .collect();
    let cx = ProjectContext {
        root: &project.root,
        vfs,
        files: &sources.files,
        version: sources.version,
        configs,
        secrets: &sources.secrets,
        hooks: &sources.hooks,
        dockerfiles: &sources.dockerfiles,
    };
    let enabled = |rule: &Rule| rule_settings.enabled(rule);
    let mut found = run_project_rules(&cx, &enabled);
    // shellcheck on shell hooks (the only program sextant ever starts)
    let mut external_ran = Vec::new();
    if settings
        .shellcheck
        .or(sources.file_config.shellcheck)
        .unwrap_or(true)
    {
        let outcome = crate::rules::run_shellcheck(&cx, &enabled);
        found.extend(outcome.diagnostics);
        external_ran = outcome.ran;
    }
    let mut findings = Findings {
        project: found,
        per_load: Vec::new(),
        external_ran,
        outlines: Vec::new(),
    };
    let anchor = anchor_span(sources);
    let hook_span = |path: &Path| -> Option<Span> {
        let id = sources.files.find(path)?;
        let text = &sources.files.get(id).text;
        Some(Span::new(id, 0..text.lines().next().map_or(0, str::len)))
    };
    for load in loads {
        let kamal_load = KamalLoad {
            config: &load.config,
            destination: load.destination,
            anchor,
            version: sources.version,
            dynamic: load.dynamic,
            ignore_require_destination: false,
            root: &project.root,
            vfs,
            hook_span: &hook_span,
        };
        let mut found = validate_kamal(&kamal_load);
        let load_cx = LoadContext {
            config: &load.config,
            destination: load.destination,
            roles: model::roles(&load.config),
            dynamic: load.dynamic,
            project: &cx,
        };
        found.extend(run_load_rules(&load_cx, &enabled));
        findings.outlines.push(outline(&load_cx));
        findings
            .per_load
            .push((load.destination.map(str::to_string), found));
    }
    findings
}

/// Where "missing key" problems are shown: the start of the base file's first key.
fn anchor_span(sources: &Sources) -> Span {
    let base = sources.base();
    let at = base
        .yaml
        .root
        .as_ref()
        .and_then(|r| r.map())
        .and_then(|m| m.first())
        .map_or(0, |e| e.key.span.start as usize);
    Span::empty(base.file, at)
}

/// What a load reads besides the config files (for the language server).
fn outline(cx: &LoadContext) -> LoadOutline {
    // the definition that wins: the last assignment of the last file in merge order
    let mut secrets: Vec<SecretDefinition> = Vec::new();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    let files = cx.secrets_files();
    // one file (the usual case): its names are distinct already, no merging to do
    let merge = files.len() > 1;
    for source in files {
        for name in source.parsed.keys() {
            let Some(entry) = source.parsed.get(name) else {
                continue;
            };
            let def = SecretDefinition {
                name: name.to_string(),
                key: source.span(entry.key_span.clone()),
                command: entry.has_command(),
            };
            if !merge {
                secrets.push(def);
                continue;
            }
            match slot.get(name) {
                Some(&i) => secrets[i] = def,
                None => {
                    slot.insert(name, secrets.len());
                    secrets.push(def);
                }
            }
        }
    }
    LoadOutline {
        secrets,
        destination: cx.destination.map(str::to_string),
        secrets_paths: cx.secrets_paths(),
        dockerfile: dockerfile_path(cx.config, cx.project.root),
        roles: cx.roles.names().map(str::to_string).collect(),
        accessories: cx
            .config
            .get("accessories")
            .and_then(Node::map)
            .map(|m| {
                m.iter()
                    .filter_map(|e| e.key.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }
}
