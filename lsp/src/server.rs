//! The protocol side: requests and notifications in, the engine's answers out.
//!
//! Edits are applied to the open documents as they arrive (synchronously, so in order). A
//! single background task analyzes the projects marked dirty and pushes diagnostics; a burst of
//! edits collapses into one analysis of the latest text, and results overtaken by a newer edit
//! are dropped instead of published.
//!
//! No engine work runs on the protocol's thread: analyses and requests run on blocking
//! threads. An analysis never waits for shellcheck: its diagnostics are published first without
//! shellcheck (a quick pass), then a full pass with shellcheck runs in the background (one per
//! project at a time) and publishes again when it finishes, if nothing changed meanwhile; until
//! then, shellcheck's findings of the last full pass stay on hooks whose text did not change.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use sextant_lint::Report;
use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::convert::{self, Encoding};
use crate::state::{analyze, guard, path_of, Caps, Config, Doc, EncodingChoice, Pass, State};
use crate::{actions, completion, definition, hover, symbols};
use sextant_lint::project::{classify, KamalFile};
use sextant_lint::vfs::{DiskVfs, Vfs};

/// How long the client may take to answer `client/registerCapability` (diagnostics never wait
/// for it).
const REGISTER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    wake: Arc<Notify>,
    /// Set on `shutdown` (the exit status depends on it).
    shut_down: Arc<AtomicBool>,
}

impl Backend {
    pub fn new(client: Client, shut_down: Arc<AtomicBool>) -> Backend {
        Backend {
            client,
            state: Arc::default(),
            wake: Arc::new(Notify::new()),
            shut_down,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // a panic elsewhere never poisons the documents for good
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn warn(&self, message: String) {
        self.client
            .show_message(MessageType::WARNING, format!("sextant: {message}"))
            .await;
    }

    /// Answers a document request with `f`, on a blocking thread, from the document's path
    /// and a snapshot of the state.
    async fn request<T: Send + 'static>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&Request) -> Option<T> + Send + 'static,
    ) -> Option<T> {
        let path = path_of(uri)?;
        let (doc, snapshot) = {
            let st = self.state();
            let doc = st.docs.get(&path).cloned();
            let project = st.project_of(&path);
            let full = project.as_ref().and_then(|p| {
                let full = st.full.get(&p.root)?;
                st.current(&p.root, full.number)
                    .then(|| full.by_uri.get(uri).cloned().unwrap_or_default())
            });
            let snapshot = Request {
                buffers: project
                    .as_ref()
                    .map(|p| st.buffers_under(&p.root))
                    .unwrap_or_default(),
                good: project.as_ref().and_then(|p| st.good.get(&p.root).cloned()),
                open: st
                    .docs
                    .values()
                    .map(|d| (d.uri.clone(), d.version))
                    .collect(),
                full,
                project,
                path: path.clone(),
                doc: Doc {
                    uri: uri.clone(),
                    text: String::new(),
                    version: 0,
                },
                config: st.config.clone(),
                caps: st.caps,
            };
            (doc, snapshot)
        };
        let work = move || {
            let mut request = snapshot;
            request.doc = match doc {
                Some(doc) => doc,
                // a request for a file that is not open: answer from the disk, through the guard
                // of its project (a file of no project gets no answer)
                None => {
                    let root = &request.project.as_ref()?.root;
                    let guard = sextant_lint::vfs::Confined::new(&DiskVfs, root);
                    let bytes = guard
                        .read_limited(&request.path, sextant_lint::vfs::limits::TEXT)
                        .ok()?;
                    Doc {
                        text: String::from_utf8(bytes).ok()?,
                        ..request.doc
                    }
                }
            };
            guard(|| f(&request))
        };
        tokio::task::spawn_blocking(work).await.ok().flatten()
    }
}

/// A snapshot for answering one request.
pub struct Request {
    pub path: PathBuf,
    pub doc: Doc,
    pub project: Option<sextant_lint::Project>,
    /// The open buffers of the project.
    pub buffers: HashMap<PathBuf, Vec<u8>>,
    /// The project's last diagnostics from an analysis where everything parsed.
    good: Option<Good>,
    /// Versions of the open documents.
    open: HashMap<Uri, i32>,
    /// The document's diagnostics from the project's full analysis (with shellcheck), when it
    /// is current (`None` also when the project has no full analysis: no shell hook).
    full: Option<Vec<Diagnostic>>,
    pub config: Config,
    pub caps: Caps,
}

impl Request {
    pub fn enc(&self) -> Encoding {
        self.caps.encoding.get()
    }

    /// The byte offset of a position in the document.
    pub fn offset(&self, pos: Position) -> usize {
        let index = sextant_lint::text::LineIndex::new(&self.doc.text);
        convert::offset(&self.doc.text, &index, pos, self.enc())
    }

    pub fn position(&self, offset: usize) -> Position {
        let index = sextant_lint::text::LineIndex::new(&self.doc.text);
        convert::position(&self.doc.text, &index, offset, self.enc())
    }

    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The project as the editor has it, analyzed. A request never waits for shellcheck: its
    /// findings are included only once the full analysis of this very state has finished (the
    /// engine then has them cached by text), so that code actions can fix and suppress them.
    pub fn report(&self) -> Option<Report> {
        let project = self.project.as_ref()?;
        let pass = if self.full.is_some() {
            Pass::Full
        } else {
            Pass::Quick
        };
        analyze(self.buffers.clone(), &project.root, &self.config, pass).ok()
    }

    /// The Kamal version checked against: the analysis's, else the setting, else 2.8.2.
    pub fn version(&self, report: Option<&Report>) -> sextant_lint::Version {
        report
            .map(|rep| rep.version)
            .or(self.config.kamal_version)
            .unwrap_or(sextant_schema::DEFAULT_VERSION)
    }

    /// Whether a byte range of the document holds (part of) a secret value, as the engine's
    /// redactor says: such text is never sent back.
    pub fn redacted(&self, report: &Report, range: std::ops::Range<usize>) -> bool {
        let Some(id) = report.files.find(&self.path) else {
            return false;
        };
        report.redactor.covers(id, range)
    }

    /// The file's path relative to its project.
    pub fn rel(&self) -> Option<&Path> {
        self.path.strip_prefix(&self.project.as_ref()?.root).ok()
    }

    /// What kind of Kamal file the document is (`None`: not one). A Dockerfile the project
    /// builds from another folder counts as one.
    pub fn kind(&self) -> Option<KamalFile> {
        let rel = self.rel()?;
        classify(rel).or_else(|| {
            let name = rel.file_name()?.to_string_lossy().to_ascii_lowercase();
            name.contains("dockerfile").then_some(KamalFile::Dockerfile)
        })
    }
}

fn capabilities(params: &InitializeParams) -> Caps {
    let caps = &params.capabilities;
    let offered = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    let encoding = match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Some(Encoding::Utf8),
        _ => Some(Encoding::Utf16),
    };
    let text = caps.text_document.as_ref();
    let pull = text.and_then(|t| t.diagnostic.as_ref()).is_some()
        && caps
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            == Some(true);
    let snippets = text
        .and_then(|t| t.completion.as_ref())
        .and_then(|c| c.completion_item.as_ref())
        .and_then(|i| i.snippet_support)
        == Some(true);
    let markdown = text
        .and_then(|t| t.hover.as_ref())
        .and_then(|h| h.content_format.as_ref())
        .is_none_or(|f| f.contains(&MarkupKind::Markdown));
    let watch_files = caps
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        == Some(true);
    Caps {
        encoding: EncodingChoice(encoding),
        pull,
        snippets,
        watch_files,
        markdown,
    }
}

/// Files whose changes matter, open in the editor or not.
pub const WATCHED: &[&str] = &[
    "**/config/deploy*.yml",
    "**/config/deploy*.yaml",
    "**/.kamal/**",
    "**/*ockerfile*",
    "**/.sextant.toml",
    "**/Gemfile.lock",
    "**/.dockerignore",
];

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = capabilities(&params);
        let (config, problems) = params
            .initialization_options
            .as_ref()
            .map(Config::from_json)
            .unwrap_or_default();
        {
            let mut st = self.state();
            st.caps = caps;
            st.config = config;
        }
        for p in problems {
            self.warn(p).await;
        }
        let encoding = match caps.encoding.get() {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        };
        let diagnostic_provider = caps.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("sextant".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        });
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "sextant".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        [":", " ", "-", "$", "{", "["]
                            .iter()
                            .map(|s| s.to_string())
                            .collect(),
                    ),
                    ..Default::default()
                }),
                definition_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(actions::FIX_ALL),
                        ]),
                        resolve_provider: Some(false),
                        ..Default::default()
                    },
                )),
                diagnostic_provider,
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let worker = Worker {
            client: self.client.clone(),
            state: self.state.clone(),
            wake: self.wake.clone(),
        };
        tokio::spawn(worker.run());
        let watch = self.state().caps.watch_files;
        if watch {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: WATCHED
                    .iter()
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g.to_string()),
                        kind: None,
                    })
                    .collect(),
            };
            let registration = Registration {
                id: "sextant-watched-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            // nothing waits for the client's answer (it may never come)
            let client = self.client.clone();
            tokio::spawn(async move {
                let answer = tokio::time::timeout(
                    REGISTER_TIMEOUT,
                    client.register_capability(vec![registration]),
                )
                .await;
                let problem = match answer {
                    Ok(Ok(())) => return,
                    Ok(Err(e)) => e.to_string(),
                    Err(_) => format!("no answer within {} s", REGISTER_TIMEOUT.as_secs()),
                };
                client
                    .log_message(
                        MessageType::WARNING,
                        format!("sextant: could not watch files: {problem}"),
                    )
                    .await;
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state().shutting_down = true;
        self.shut_down.store(true, Ordering::SeqCst);
        self.wake.notify_one();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let Some(path) = path_of(&doc.uri) else {
            return;
        };
        let mut st = self.state();
        st.docs.insert(
            path.clone(),
            Doc {
                uri: doc.uri,
                text: doc.text,
                version: doc.version,
            },
        );
        st.touch(&path);
        drop(st);
        self.wake.notify_one();
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let mut st = self.state();
        if st.change(&path, params.text_document.version, params.content_changes) {
            let roots = st.touch(&path);
            // pulled diagnostics of the project's other open documents may change too
            let others = st
                .docs
                .keys()
                .any(|p| p != &path && roots.iter().any(|r| p.starts_with(r)));
            if st.caps.pull && others {
                st.refresh = true;
            }
        }
        drop(st);
        self.wake.notify_one();
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let mut st = self.state();
        if let (Some(text), Some(doc)) = (params.text, st.docs.get_mut(&path)) {
            doc.text = text;
        }
        st.touch(&path);
        st.refresh = true;
        drop(st);
        self.wake.notify_one();
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let mut st = self.state();
        st.docs.remove(&path);
        st.touch(&path);
        st.refresh = true;
        drop(st);
        self.wake.notify_one();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut st = self.state();
        for change in params.changes {
            if let Some(path) = path_of(&change.uri) {
                st.touch(&path);
            }
        }
        st.refresh = true;
        drop(st);
        self.wake.notify_one();
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (config, problems) = Config::from_json(&params.settings);
        {
            let mut st = self.state();
            // a client that sends no settings in the notification keeps the current ones
            if !params.settings.is_null() {
                st.config = config;
            }
            let roots: Vec<PathBuf> = st.roots.iter().cloned().collect();
            st.dirty.extend(roots);
            st.refresh = true;
        }
        for p in problems {
            self.warn(p).await;
        }
        self.wake.notify_one();
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let this = uri.clone();
        let items = self
            .request(&uri, move |r| {
                // the full analysis's, when current; else one without shellcheck (a refresh
                // follows when the full one finishes)
                if let Some(full) = &r.full {
                    return Some(full.clone());
                }
                let report = r.report()?;
                let mut by_uri = diagnostics_by_uri(&report, r.enc());
                keep_good(&mut by_uri, r.good.as_ref(), &r.open);
                Some(by_uri.remove(&this).unwrap_or_default())
            })
            .await
            .unwrap_or_default();
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let position = p.position;
        Ok(self
            .request(&p.text_document.uri, move |r| hover::hover(r, position))
            .await)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let position = p.position;
        Ok(self
            .request(&p.text_document.uri, move |r| {
                completion::complete(r, position)
            })
            .await
            .map(CompletionResponse::Array))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let position = p.position;
        Ok(self
            .request(&p.text_document.uri, move |r| {
                definition::definition(r, position)
            })
            .await)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self
            .request(&params.text_document.uri, symbols::symbols)
            .await
            .map(DocumentSymbolResponse::Nested))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        Ok(self
            .request(&uri, move |r| actions::actions(r, &params))
            .await)
    }
}

/// Diagnostics of a report, by document. Diagnostics in files that do not exist (a missing
/// destination file) are shown at the top of the base config.
pub fn diagnostics_by_uri(report: &Report, enc: Encoding) -> HashMap<Uri, Vec<Diagnostic>> {
    let mut out: HashMap<Uri, Vec<Diagnostic>> = HashMap::new();
    let config_uri = Uri::from_file_path(&report.project.config);
    for d in &report.diagnostics {
        let file = report.files.get(d.span.file);
        let uri = if file.missing {
            config_uri.clone()
        } else {
            convert::uri(&report.files, d.span.file)
        };
        let Some(uri) = uri else {
            continue;
        };
        let mut lsp = convert::diagnostic(&report.files, d, enc);
        if file.missing {
            lsp.range = Range::default();
            lsp.message = format!("{}: {}", file.name, lsp.message);
        }
        // a problem between two files shows on both sides: in each other file a label points
        // into, at the label, pointing back
        let mut mirrored: Vec<usize> = Vec::new();
        for label in &d.labels {
            let other = report.files.get(label.span.file);
            if label.span.file == d.span.file
                || other.missing
                || mirrored.contains(&(label.span.file.0 as usize))
            {
                continue;
            }
            let Some(other_uri) = convert::uri(&report.files, label.span.file) else {
                continue;
            };
            mirrored.push(label.span.file.0 as usize);
            let mut side = lsp.clone();
            side.range = convert::range(&report.files, label.span, enc);
            side.message = if label.message.is_empty() {
                format!("{}: {}", file.name, lsp.message)
            } else {
                format!("{}\n{}: {}", label.message, file.name, lsp.message)
            };
            side.related_information = Some(vec![DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), lsp.range),
                message: d.message.clone(),
            }]);
            out.entry(other_uri).or_default().push(side);
        }
        out.entry(uri).or_default().push(lsp);
    }
    out
}

/// The diagnostics of a project's last analysis in which every YAML file parsed, with the
/// versions of the open documents they were computed for.
#[derive(Clone, Debug, Default)]
pub struct Good {
    by_uri: HashMap<Uri, Vec<Diagnostic>>,
    versions: HashMap<Uri, i32>,
}

/// While a YAML file does not parse, Kamal's loads cannot be built and most checks cannot run:
/// the other files keep the diagnostics of the last analysis that could (unless they changed
/// since). Returns whether the analysis was degraded so.
pub fn keep_good(
    by_uri: &mut HashMap<Uri, Vec<Diagnostic>>,
    good: Option<&Good>,
    open: &HashMap<Uri, i32>,
) -> bool {
    let syntax = sextant_lint::registry::YAML_SYNTAX.code;
    let broken: HashSet<Uri> = by_uri
        .iter()
        .filter(|(_, ds)| {
            ds.iter()
                .any(|d| d.code == Some(NumberOrString::String(syntax.into())))
        })
        .map(|(uri, _)| uri.clone())
        .collect();
    if broken.is_empty() {
        return false;
    }
    for (uri, old) in good.map(|g| &g.by_uri).into_iter().flatten() {
        let good = good.map(|g| g.versions.get(uri));
        if broken.contains(uri) || good != Some(open.get(uri)) {
            continue;
        }
        let new = by_uri.entry(uri.clone()).or_default();
        for d in old {
            if !new.contains(d) {
                new.push(d.clone());
            }
        }
    }
    true
}

/// What was pushed per document: for which version, and the list.
pub type Published = HashMap<Uri, (Option<i32>, Vec<Diagnostic>)>;

/// Diagnostics by document.
pub type ByUri = HashMap<Uri, Vec<Diagnostic>>;

/// The last full analysis (with shellcheck) of a project.
#[derive(Clone, Debug)]
pub struct Full {
    /// Its number ([`State::current`] says whether it is still the latest).
    pub number: u64,
    pub by_uri: ByUri,
    /// Versions of the open documents it was computed for.
    versions: HashMap<Uri, i32>,
    config: Config,
}

/// Whether a diagnostic comes from running shellcheck (its findings, or that it failed).
fn from_shellcheck(d: &Diagnostic) -> bool {
    matches!(&d.code, Some(NumberOrString::String(code))
        if code.starts_with("SC") || code == sextant_lint::registry::SHELLCHECK_UNAVAILABLE.code)
}

/// A quick analysis does not run shellcheck: documents whose text is the one the last full
/// analysis saw keep its shellcheck diagnostics (until the next full analysis replaces them).
fn keep_shellcheck(by_uri: &mut ByUri, full: Option<&Full>, job: &Job) {
    let Some(full) = full.filter(|f| f.config == job.config && job.config.shellcheck) else {
        return;
    };
    for (uri, old) in &full.by_uri {
        if full.versions.get(uri) != job.open.get(uri) {
            continue;
        }
        let kept: Vec<&Diagnostic> = old.iter().filter(|d| from_shellcheck(d)).collect();
        if kept.is_empty() {
            continue;
        }
        let list = by_uri.entry(uri.clone()).or_default();
        for d in kept {
            if !list.contains(d) {
                list.push(d.clone());
            }
        }
    }
}

/// The background analysis task.
#[derive(Clone)]
struct Worker {
    client: Client,
    state: Arc<Mutex<State>>,
    wake: Arc<Notify>,
}

#[derive(Clone)]
pub struct Job {
    root: PathBuf,
    /// The analysis's number.
    number: u64,
    /// The open buffers under the root.
    buffers: HashMap<PathBuf, Vec<u8>>,
    config: Config,
    enc: Encoding,
    /// Open documents: their versions.
    open: HashMap<Uri, i32>,
    pull: bool,
    /// For a full analysis: what the quick one of the same text gave.
    quick: ByUri,
}

/// What an analysis gave.
struct Outcome {
    by_uri: ByUri,
    /// Whether the project has a file shellcheck may check (else a full analysis would give
    /// the same as a quick one).
    hooks: bool,
    /// The files it read.
    deps: Option<HashSet<PathBuf>>,
    error: Option<String>,
}

/// Whether a file an analysis read may be a hook: one in `.kamal/hooks`, or one that is no
/// other kind of Kamal file (a hook under `hooks_path`).
fn maybe_hook(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return true;
    };
    match classify(rel) {
        Some(KamalFile::Hook(_)) | None => {
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase());
            !name.is_some_and(|n| n.contains("dockerfile") || n == ".dockerignore")
        }
        Some(_) => false,
    }
}

/// Runs one analysis on a blocking thread (the protocol's thread never waits for the engine).
async fn compute(job: &Job, pass: Pass) -> Outcome {
    let job = job.clone();
    let work = move || match analyze(job.buffers, &job.root, &job.config, pass) {
        Ok(report) => {
            let deps: HashSet<PathBuf> = report.files.iter().map(|(_, f)| f.path.clone()).collect();
            let mut by_uri = diagnostics_by_uri(&report, job.enc);
            // an open file of the project with no problems gets an empty list, so the
            // editor knows its version was checked
            for (_, file) in report.files.iter() {
                if let Some(uri) = Uri::from_file_path(&file.path) {
                    if job.open.contains_key(&uri) {
                        by_uri.entry(uri).or_default();
                    }
                }
            }
            let hooks = report
                .files
                .iter()
                .any(|(_, f)| !f.missing && maybe_hook(&job.root, &f.path));
            Outcome {
                by_uri,
                hooks,
                deps: Some(deps),
                error: None,
            }
        }
        Err(message) => Outcome {
            by_uri: HashMap::new(),
            hooks: false,
            deps: None,
            error: Some(message),
        },
    };
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|_| Outcome {
            by_uri: HashMap::new(),
            hooks: false,
            deps: None,
            error: Some("internal error while checking a project: this is a bug in sextant, please report it".into()),
        })
}

impl Worker {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn run(self) {
        loop {
            self.wake.notified().await;
            loop {
                let job = {
                    let mut st = self.state();
                    if st.shutting_down {
                        return;
                    }
                    let Some(root) = st.dirty.pop_first() else {
                        break;
                    };
                    st.analyses += 1;
                    let number = st.analyses;
                    st.latest.insert(root.clone(), number);
                    Job {
                        buffers: st.buffers_under(&root),
                        open: st
                            .docs
                            .iter()
                            .filter(|(p, _)| p.starts_with(&root))
                            .map(|(_, d)| (d.uri.clone(), d.version))
                            .collect(),
                        root,
                        number,
                        config: st.config.clone(),
                        enc: st.caps.encoding.get(),
                        pull: st.caps.pull,
                        quick: ByUri::new(),
                    }
                };
                let outcome = compute(&job, Pass::Quick).await;
                let hooks = outcome.hooks;
                if let Some(quick) = self.publish(&job, outcome, Pass::Quick).await {
                    if job.config.shellcheck && hooks {
                        self.full(Job { quick, ..job });
                    }
                }
                // let edits that arrived meanwhile in before the next project
                tokio::task::yield_now().await;
            }
            let refresh = {
                let mut st = self.state();
                std::mem::take(&mut st.refresh) && st.caps.pull
            };
            if refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
        }
    }

    /// Runs the full analysis (with shellcheck) of a job in the background: one per project at
    /// a time; while one runs, only the latest job waits for its turn.
    fn full(&self, job: Job) {
        {
            let mut st = self.state();
            if st.full_running.contains(&job.root) {
                st.full_next.insert(job.root.clone(), job);
                return;
            }
            st.full_running.insert(job.root.clone());
        }
        let worker = self.clone();
        tokio::spawn(async move {
            let mut job = job;
            loop {
                let current = {
                    let st = worker.state();
                    !st.shutting_down && st.current(&job.root, job.number)
                };
                // a job overtaken by an edit is not run at all
                if current {
                    let outcome = compute(&job, Pass::Full).await;
                    let full = worker.publish(&job, outcome, Pass::Full).await;
                    // pulled diagnostics: the client asks again
                    if job.pull && full.is_some_and(|f| f != job.quick) {
                        let _ = worker.client.workspace_diagnostic_refresh().await;
                    }
                }
                let mut st = worker.state();
                match st.full_next.remove(&job.root) {
                    Some(next) => job = next,
                    None => {
                        st.full_running.remove(&job.root);
                        return;
                    }
                }
            }
        });
    }

    /// Publishes what an analysis gave, unless an edit overtook it. Returns the diagnostics by
    /// document as computed (before leaving the open documents to pull diagnostics), when
    /// published.
    async fn publish(&self, job: &Job, outcome: Outcome, pass: Pass) -> Option<ByUri> {
        let Outcome {
            mut by_uri,
            deps,
            error,
            ..
        } = outcome;
        if let Some(message) = error.filter(|m| m.starts_with("internal error")) {
            self.client.log_message(MessageType::ERROR, message).await;
        }
        let (computed, previous) = {
            let mut st = self.state();
            let stale = !st.current(&job.root, job.number);
            if stale && pass == Pass::Full {
                return None;
            }
            st.roots.insert(job.root.clone());
            if let Some(deps) = deps {
                st.deps.entry(job.root.clone()).or_default().extend(deps);
            }
            if pass == Pass::Quick {
                keep_shellcheck(&mut by_uri, st.full.get(&job.root), job);
            }
            if !keep_good(&mut by_uri, st.good.get(&job.root), &job.open) {
                let good = Good {
                    by_uri: by_uri.clone(),
                    versions: job.open.clone(),
                };
                st.good.insert(job.root.clone(), good);
            }
            if stale {
                // a newer edit is waiting: its analysis publishes instead
                return None;
            }
            let computed = by_uri.clone();
            if pass == Pass::Full {
                let full = Full {
                    number: job.number,
                    by_uri: computed.clone(),
                    versions: job.open.clone(),
                    config: job.config.clone(),
                };
                st.full.insert(job.root.clone(), full);
            }
            // with pull diagnostics the client asks for open documents itself
            if job.pull {
                by_uri.retain(|uri, _| !job.open.contains_key(uri));
            }
            let now: Published = by_uri
                .iter()
                .map(|(uri, d)| (uri.clone(), (job.open.get(uri).copied(), d.clone())))
                .collect();
            let previous = st
                .published
                .insert(job.root.clone(), now)
                .unwrap_or_default();
            (computed, previous)
        };
        for uri in previous.keys() {
            if !by_uri.contains_key(uri) {
                let version = job.open.get(uri).copied();
                self.client
                    .publish_diagnostics(uri.clone(), Vec::new(), version)
                    .await;
            }
        }
        for (uri, diags) in by_uri {
            let version = job.open.get(&uri).copied();
            // the same list for the same version was already sent
            if previous.get(&uri) == Some(&(version, diags.clone())) {
                continue;
            }
            self.client.publish_diagnostics(uri, diags, version).await;
        }
        Some(computed)
    }
}

#[cfg(test)]
mod tests {
    //! Every request on mutated documents at many positions, called directly (without the
    //! panic guard the server wraps them in): none may panic.

    use super::*;
    use crate::state::EncodingChoice;

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Deletes, duplicates or inserts a piece of YAML-ish text, at a character boundary.
    fn mutate(rng: &mut Rng, text: &str) -> String {
        const PIECES: &[&str] = &[
            ":",
            "- ",
            "\n",
            "  ",
            "#",
            "\"",
            "'",
            "[",
            "{",
            "}",
            "]",
            "<%= x %>",
            "&a",
            "*a",
            "é",
            "😀",
            "\t",
            "|",
            "secret:",
            "servers:",
            "proxy:\n  ",
        ];
        let mut s = text.to_string();
        for _ in 0..1 + rng.below(4) {
            let mut at = rng.below(s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            match rng.below(3) {
                0 => {
                    let mut end = (at + rng.below(12)).min(s.len());
                    while !s.is_char_boundary(end) {
                        end -= 1;
                    }
                    s.replace_range(at..end, "");
                }
                1 => {
                    let mut end = (at + rng.below(40)).min(s.len());
                    while !s.is_char_boundary(end) {
                        end -= 1;
                    }
                    let piece = s[at..end].to_string();
                    s.insert_str(at, &piece);
                }
                _ => s.insert_str(at, PIECES[rng.below(PIECES.len())]),
            }
        }
        s
    }

    fn request(root: &Path, rel: &str, text: &str, enc: Encoding) -> Request {
        let path = root.join(rel);
        let uri = Uri::from_file_path(&path).expect("file uri");
        Request {
            buffers: HashMap::from([(path.clone(), text.as_bytes().to_vec())]),
            project: Some(sextant_lint::Project::at(root.to_path_buf())),
            doc: Doc {
                uri: uri.clone(),
                text: text.to_string(),
                version: 1,
            },
            path,
            good: None,
            open: HashMap::from([(uri, 1)]),
            full: None,
            config: Config::default(),
            caps: Caps {
                encoding: EncodingChoice(Some(enc)),
                pull: false,
                snippets: true,
                watch_files: false,
                markdown: true,
            },
        }
    }

    #[test]
    fn which_files_may_be_hooks() {
        let root = Path::new("/p");
        for hook in [
            ".kamal/hooks/pre-deploy",
            "bin/hooks/pre-build",
            "../hooks/x",
        ] {
            assert!(maybe_hook(root, &root.join(hook)), "{hook}");
        }
        for other in [
            "config/deploy.yml",
            "config/deploy.staging.yml",
            ".kamal/secrets",
            "Dockerfile",
            "docker/Dockerfile.prod",
            ".dockerignore",
            "Gemfile.lock",
            ".sextant.toml",
        ] {
            assert!(!maybe_hook(root, &root.join(other)), "{other}");
        }
    }

    #[test]
    fn requests_on_mutated_documents_never_panic() {
        const ROUNDS: usize = 60;
        let root = std::env::temp_dir().join(format!("sextant-lsp-mutants-{}", std::process::id()));
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        let deploy = std::fs::read_to_string(examples.join("config/deploy.yml")).unwrap();
        let hook = std::fs::read_to_string(examples.join(".kamal/hooks/post-deploy")).unwrap();
        let overlay = std::fs::read_to_string(examples.join("config/deploy.staging.yml")).unwrap();
        write("config/deploy.yml", &deploy);
        write("config/deploy.staging.yml", &overlay);
        write(
            ".kamal/secrets",
            "KAMAL_REGISTRY_PASSWORD=$X\nRAILS_MASTER_KEY=$(cat k)\n",
        );
        write(".kamal/hooks/post-deploy", &hook);

        let mut rng = Rng(0x5eed_1234_abcd_0001);
        let mut calls = 0;
        for round in 0..ROUNDS {
            let (rel, base) = match round % 3 {
                0 | 1 => ("config/deploy.yml", deploy.as_str()),
                _ => (".kamal/hooks/post-deploy", hook.as_str()),
            };
            let text = mutate(&mut rng, base);
            let enc = if round % 2 == 0 {
                Encoding::Utf16
            } else {
                Encoding::Utf8
            };
            let r = request(&root, rel, &text, enc);
            let lines = text.lines().count() as u32 + 2;
            for _ in 0..30 {
                let pos = Position::new(rng.below(lines as usize) as u32, rng.below(90) as u32);
                let _ = hover::hover(&r, pos);
                let _ = completion::complete(&r, pos);
                let _ = definition::definition(&r, pos);
                calls += 3;
            }
            let _ = symbols::symbols(&r);
            let params = CodeActionParams {
                text_document: TextDocumentIdentifier::new(r.doc.uri.clone()),
                range: Range::new(Position::new(0, 0), Position::new(lines, 0)),
                context: CodeActionContext::default(),
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
            };
            let _ = actions::actions(&r, &params);
            calls += 2;
        }
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(calls, ROUNDS * 92);
    }
}
