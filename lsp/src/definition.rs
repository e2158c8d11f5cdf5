//! Go to definition: a secret name → its lines in the secrets files; a role name → its
//! `servers` entry; `builder.dockerfile` → the Dockerfile; a destination file's key → the same
//! key in the base file.

use std::collections::HashSet;
use std::path::Path;

use sextant_lint::files::Files;
use sextant_lint::syntax::yaml::{self, Node};
use sextant_lint::text::Span;
use sextant_lint::Report;
use tower_lsp_server::ls_types::{GotoDefinitionResponse, Location, Position, Range, Uri};

use crate::convert::{self, Encoding};
use crate::cursor::{self, At};
use crate::secrets;
use crate::server::Request;
use sextant_lint::project::KamalFile;

pub fn definition(r: &Request, pos: Position) -> Option<GotoDefinitionResponse> {
    let Some(KamalFile::Config(destination)) = r.kind() else {
        return None;
    };
    let offset = r.offset(pos);
    let c = cursor::at(&r.doc.text, offset);
    let report = r.report()?;
    let enc = r.enc();
    let locations = match c.at {
        At::Key if destination.is_some() => {
            let (name, _) = c.key.clone()?;
            let mut path = c.path.clone();
            path.push(name);
            vec![base_key(&report, &path, enc)?]
        }
        At::Value | At::Item => {
            let (value, _) = c.scalar.clone()?;
            let mut path = c.path.clone();
            if c.at == At::Value {
                path.push(c.key.clone()?.0);
            }
            let last = path.last().map(String::as_str);
            if let Some(name) = secrets::referenced_at(&report, &r.path, offset) {
                secret_locations(&report, &name, enc)
            } else if matches!(last, Some("roles" | "role" | "primary_role")) {
                role_locations(r, &report, &value, enc)
            } else if last == Some("dockerfile") && path.first().is_some_and(|p| p == "builder") {
                let load = report
                    .outline
                    .iter()
                    .find(|l| l.destination == destination)?;
                let file = load.dockerfile.as_ref().filter(|p| p.is_file())?;
                vec![Location::new(Uri::from_file_path(file)?, Range::default())]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    };
    if locations.is_empty() {
        return None;
    }
    Some(GotoDefinitionResponse::Array(locations))
}

fn location(files: &Files, span: Span, enc: Encoding) -> Option<Location> {
    Some(Location::new(
        convert::uri(files, span.file)?,
        convert::range(files, span, enc),
    ))
}

/// The parsed root of a config file of the report.
fn parsed(report: &Report, path: &Path) -> Option<Node> {
    let id = report.files.find(path)?;
    yaml::parse(id, &report.files.get(id).text).root
}

fn base_key(report: &Report, path: &[String], enc: Encoding) -> Option<Location> {
    let mut node = parsed(report, &report.project.config)?;
    let mut key_span = None;
    for seg in path {
        let entry = node.entry(seg)?.clone();
        key_span = Some(entry.key.span);
        node = entry.value;
    }
    location(&report.files, key_span?, enc)
}

fn secret_locations(report: &Report, name: &str, enc: Encoding) -> Vec<Location> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for load in secrets::per_load(report) {
        let Some(def) = load.get(name) else {
            continue;
        };
        if seen.insert(def.key) {
            out.extend(location(&report.files, def.key, enc));
        }
    }
    out
}

/// `servers.ROLE` in this file, else in the base file.
fn role_locations(r: &Request, report: &Report, role: &str, enc: Encoding) -> Vec<Location> {
    for path in [&r.path, &report.project.config] {
        let found = parsed(report, path)
            .and_then(|root| root.get("servers").cloned())
            .and_then(|servers| servers.entry(role).map(|e| e.key.span));
        if let Some(span) = found {
            return location(&report.files, span, enc).into_iter().collect();
        }
    }
    Vec::new()
}
