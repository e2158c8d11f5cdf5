//! What the server knows: the editor's open documents, the settings, the negotiated client
//! capabilities; and the analysis of one project over the open buffers.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde_json::Value;
use sextant_lint::config::Selector;
use sextant_lint::project::{discover, is_kamal_file, normalize, Found};
use sextant_lint::text::LineIndex;
use sextant_lint::vfs::{DiskVfs, OverlayVfs, Vfs};
use sextant_lint::{check, Project, Report, Settings, Version};
use tower_lsp_server::ls_types::{Range, TextDocumentContentChangeEvent, Uri};

use crate::convert::{offset, Encoding};

/// An open document.
#[derive(Clone, Debug)]
pub struct Doc {
    pub uri: Uri,
    pub text: String,
    pub version: i32,
}

/// The server's settings (`initializationOptions`, `workspace/didChangeConfiguration`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub kamal_version: Option<Version>,
    pub select: Option<Vec<Selector>>,
    pub ignore: Vec<Selector>,
    pub shellcheck: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            kamal_version: None,
            select: None,
            ignore: Vec::new(),
            shellcheck: true,
        }
    }
}

impl Config {
    /// Reads settings sent by a client: `{"sextant": {...}}` or the inner object itself.
    /// Returns the settings and what was wrong with them (unknown values are left at their
    /// defaults, and said).
    pub fn from_json(value: &Value) -> (Config, Vec<String>) {
        let mut config = Config::default();
        let mut problems = Vec::new();
        let obj = match value.get("sextant") {
            Some(inner) => inner,
            None => value,
        };
        let Some(obj) = obj.as_object() else {
            return (config, problems);
        };
        match obj.get("kamalVersion") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.trim().is_empty() => {}
            Some(Value::String(s)) => match Version::parse_kamal(s) {
                Ok(v) => config.kamal_version = Some(v),
                Err(message) => problems.push(format!("sextant.kamalVersion: {message}")),
            },
            Some(other) => problems.push(format!(
                "sextant.kamalVersion: expected a string like \"2.8.2\", got {other}"
            )),
        }
        let mut selectors = |key: &str| -> Option<Vec<Selector>> {
            let list = obj.get(key)?.as_array()?;
            let mut out = Vec::new();
            for item in list {
                let text = item.as_str().unwrap_or_default();
                match Selector::parse(text) {
                    Some(s) => out.push(s),
                    None => problems.push(format!("sextant.{key}: `{text}` names no rule")),
                }
            }
            Some(out)
        };
        config.select = selectors("select").filter(|s| !s.is_empty());
        config.ignore = selectors("ignore").unwrap_or_default();
        if let Some(b) = obj.get("shellcheck").and_then(Value::as_bool) {
            config.shellcheck = b;
        }
        (config, problems)
    }

    pub fn settings(&self, root: &Path) -> Settings {
        Settings {
            kamal_version: self.kamal_version,
            destination: None,
            base_dir: root.to_path_buf(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            config_file: None,
            // the client can turn shellcheck off; otherwise `.sextant.toml` decides
            shellcheck: (!self.shellcheck).then_some(false),
        }
    }
}

/// What the client can do, as told in `initialize`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Caps {
    pub encoding: EncodingChoice,
    /// Pull diagnostics (`textDocument/diagnostic` and the refresh request).
    pub pull: bool,
    pub snippets: bool,
    pub watch_files: bool,
    pub markdown: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct EncodingChoice(pub Option<Encoding>);

impl EncodingChoice {
    pub fn get(self) -> Encoding {
        self.0.unwrap_or(Encoding::Utf16)
    }
}

#[derive(Default)]
pub struct State {
    /// Open documents by normalized path (only `file:` URIs).
    pub docs: HashMap<PathBuf, Doc>,
    pub config: Config,
    pub caps: Caps,
    /// Projects to analyze again.
    pub dirty: BTreeSet<PathBuf>,
    /// Projects whose pulled diagnostics are out of date (cross-file changes).
    pub refresh: bool,
    /// Projects analyzed so far (file watcher events are matched against them).
    pub roots: BTreeSet<PathBuf>,
    /// Per project, the files its last analysis read (a Dockerfile elsewhere, hooks under
    /// `hooks_path`): a change to one of them re-checks the project.
    pub deps: HashMap<PathBuf, HashSet<PathBuf>>,
    /// Per project, the diagnostics of the last analysis in which every YAML file parsed.
    pub good: HashMap<PathBuf, crate::server::Good>,
    /// Per project, the URIs diagnostics were pushed for.
    pub published: HashMap<PathBuf, crate::server::Published>,
    /// Analyses so far (each gets the next number).
    pub analyses: u64,
    /// Per project, the number of its latest analysis: a result of an older one is stale.
    pub latest: HashMap<PathBuf, u64>,
    /// Per project, the diagnostics of its last full analysis (with shellcheck) and its number.
    pub full: HashMap<PathBuf, crate::server::Full>,
    /// Projects with a full analysis running, and the next one to run for each.
    pub full_running: HashSet<PathBuf>,
    pub full_next: HashMap<PathBuf, crate::server::Job>,
    pub shutting_down: bool,
}

/// The path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let path = uri.to_file_path()?;
    Some(normalize(&path))
}

impl State {
    /// The open buffers under `root` (laid over the disk for an analysis).
    pub fn buffers_under(&self, root: &Path) -> HashMap<PathBuf, Vec<u8>> {
        self.docs
            .iter()
            .filter(|(path, _)| path.starts_with(root))
            .map(|(path, doc)| (path.clone(), doc.text.clone().into_bytes()))
            .collect()
    }

    /// The Kamal project a file belongs to, when it is one of its Kamal files.
    /// Also a file the project reads from elsewhere (a Dockerfile under `docker/`, hooks under
    /// `hooks_path`), once an analysis has seen it.
    pub fn project_of(&self, path: &Path) -> Option<Project> {
        project_of(&self.vfs_lite(path), path).or_else(|| {
            self.deps
                .iter()
                .find(|(_, deps)| deps.contains(path))
                .map(|(root, _)| Project::at(root.clone()))
        })
    }

    /// A file system with just this document over the disk (enough to find its project).
    fn vfs_lite(&self, path: &Path) -> OverlayVfs<'static> {
        let mut vfs = OverlayVfs::new(&DiskVfs);
        for (p, doc) in &self.docs {
            // config files decide where projects are; the document itself must exist
            if p == path
                || p.parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == "config")
            {
                vfs.files.insert(p.clone(), doc.text.clone().into_bytes());
            }
        }
        vfs
    }

    /// Applies an edit notification; returns false when it could not be applied.
    pub fn change(
        &mut self,
        path: &Path,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> bool {
        let enc = self.caps.encoding.get();
        let Some(doc) = self.docs.get_mut(path) else {
            return false;
        };
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => apply_range(&mut doc.text, range, &change.text, enc),
            }
        }
        doc.version = version;
        true
    }

    /// Marks the projects a changed path matters to, and returns them.
    /// Whether the result of analysis number `n` of `root` is still the latest one (no edit
    /// since).
    pub fn current(&self, root: &Path, n: u64) -> bool {
        self.latest.get(root) == Some(&n) && !self.dirty.contains(root)
    }

    pub fn touch(&mut self, path: &Path) -> Vec<PathBuf> {
        let mut roots: Vec<PathBuf> = self
            .roots
            .iter()
            .filter(|root| {
                path.strip_prefix(root).is_ok_and(is_kamal_file)
                    || self.deps.get(*root).is_some_and(|d| d.contains(path))
            })
            .cloned()
            .collect();
        if roots.is_empty() {
            roots.extend(self.project_of(path).map(|p| p.root));
        }
        self.dirty.extend(roots.iter().cloned());
        roots
    }
}

fn project_of(vfs: &dyn Vfs, path: &Path) -> Option<Project> {
    match discover(vfs, path) {
        Ok(Found::Projects(mut projects)) if projects.len() == 1 => {
            let project = projects.pop()?;
            let rel = path.strip_prefix(&project.root).ok()?;
            is_kamal_file(rel).then_some(project)
        }
        _ => None,
    }
}

fn apply_range(text: &mut String, range: Range, new: &str, enc: Encoding) {
    let index = LineIndex::new(text);
    let start = offset(text, &index, range.start, enc);
    let end = offset(text, &index, range.end, enc).max(start);
    text.replace_range(start..end, new);
}

/// Whether an analysis runs shellcheck (when the settings allow it), which can take seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    /// Never: what requests and the first diagnostics of an edit use.
    Quick,
    /// As the settings say: in the background, published when it finishes.
    Full,
}

/// Checks a project as it is in the editor. `None` when there is nothing to check (the base
/// config is gone) or the engine failed (which is logged, never fatal).
pub fn analyze(
    buffers: HashMap<PathBuf, Vec<u8>>,
    root: &Path,
    config: &Config,
    pass: Pass,
) -> Result<Report, String> {
    let mut vfs = OverlayVfs::new(&DiskVfs);
    vfs.files = buffers;
    let project = Project::at(root.to_path_buf());
    let mut settings = config.settings(root);
    if pass == Pass::Quick {
        settings.shellcheck = Some(false);
    }
    match catch_unwind(AssertUnwindSafe(|| check(&vfs, &project, &settings))) {
        Ok(Ok(report)) => Ok(report),
        Ok(Err(e)) => Err(e.to_string()),
        // the panic's own message may quote file text (a secret, even): it is not repeated
        Err(_) => Err(format!(
            "internal error while checking {}: this is a bug in sextant, please report it",
            root.display()
        )),
    }
}

/// Runs `f`, turning a panic into `None` (a bug must not take the editor's server down).
pub fn guard<T>(f: impl FnOnce() -> Option<T>) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tower_lsp_server::ls_types::Position;

    #[test]
    fn settings_nested_or_flat() {
        let (c, p) =
            Config::from_json(&json!({"sextant": {"kamalVersion": "2.9.0", "shellcheck": false}}));
        assert_eq!(c.kamal_version, Version::parse("2.9.0"));
        assert!(!c.shellcheck);
        assert!(p.is_empty());
        let (c, p) = Config::from_json(
            &json!({"kamalVersion": "nope", "ignore": ["K001", "zz"], "select": []}),
        );
        assert_eq!(c.kamal_version, None);
        assert_eq!(c.ignore.len(), 1);
        assert_eq!(c.select, None);
        assert_eq!(p.len(), 2);
        let (c, _) = Config::from_json(&json!(null));
        assert_eq!(c, Config::default());
    }

    #[test]
    fn incremental_edits_in_both_encodings() {
        let mut text = "a: é😀x\nb: 2\n".to_string();
        // utf-16: 😀 is two units; replace `x`
        let r = Range::new(Position::new(0, 6), Position::new(0, 7));
        apply_range(&mut text, r, "y", Encoding::Utf16);
        assert_eq!(text, "a: é😀y\nb: 2\n");
        let r = Range::new(Position::new(0, 9), Position::new(0, 10));
        apply_range(&mut text, r, "z", Encoding::Utf8);
        assert_eq!(text, "a: é😀z\nb: 2\n");
        // out of range positions clamp
        let r = Range::new(Position::new(9, 0), Position::new(99, 99));
        apply_range(&mut text, r, "c: 3\n", Encoding::Utf16);
        assert_eq!(text, "a: é😀z\nb: 2\nc: 3\n");
    }
}
