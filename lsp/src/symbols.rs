//! Document symbols of a deploy config: every top-level key, with roles, accessories and
//! aliases (and a destination file's name) as their own symbols.

use sextant_lint::syntax::yaml::{self, Node};
use sextant_lint::text::FileId;
use tower_lsp_server::ls_types::{DocumentSymbol, SymbolKind};

use crate::cursor;
use crate::server::Request;
use sextant_lint::project::KamalFile;

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written out
fn symbol(
    r: &Request,
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    full: std::ops::Range<usize>,
    selection: std::ops::Range<usize>,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: r.range(full),
        selection_range: r.range(selection),
        children: (!children.is_empty()).then_some(children),
    }
}

fn scrub(red: &sextant_lint::redact::Redactor, symbols: &mut [DocumentSymbol]) {
    for s in symbols {
        s.name = red.scrub(&s.name);
        s.detail = s.detail.as_ref().map(|d| red.scrub(d));
        if let Some(children) = &mut s.children {
            scrub(red, children);
        }
    }
}

pub fn symbols(r: &Request) -> Option<Vec<DocumentSymbol>> {
    let Some(KamalFile::Config(destination)) = r.kind() else {
        return None;
    };
    let text = &r.doc.text;
    let parsed = yaml::parse(FileId(0), text);
    let mut out = match parsed.root.as_ref().and_then(Node::map) {
        Some(entries) => entries
            .iter()
            .filter(|e| e.merged_at.is_none())
            .filter_map(|e| top_level(r, e))
            .collect(),
        // while the file does not parse: its top-level keys from the text
        None => text_outline(r),
    };
    // names and details (alias commands, `x-` values) are project text: scrubbed with the
    // analysis's redactor (secret values of the project) and the document's own
    let red = crate::secrets::redactor(r, r.report().as_ref());
    scrub(&red, &mut out);
    if let Some(dest) = destination {
        out = vec![symbol(
            r,
            format!("destination {dest}"),
            Some(format!("kamal -d {dest}")),
            SymbolKind::NAMESPACE,
            0..text.len(),
            0..0,
            out,
        )];
    }
    Some(out)
}

fn top_level(r: &Request, entry: &yaml::tree::Entry) -> Option<DocumentSymbol> {
    let name = entry.key.as_str()?.to_string();
    let key = entry.key.span.range();
    let full = key.start..entry.value.span.end.max(entry.key.span.end) as usize;
    let (kind, child_kind) = match name.as_str() {
        "servers" => (SymbolKind::NAMESPACE, Some(SymbolKind::CLASS)),
        "accessories" => (SymbolKind::NAMESPACE, Some(SymbolKind::MODULE)),
        "aliases" => (SymbolKind::NAMESPACE, Some(SymbolKind::FUNCTION)),
        "proxy" | "builder" | "registry" | "env" | "ssh" | "sshkit" | "boot" | "logging" => {
            (SymbolKind::OBJECT, None)
        }
        _ if entry.value.is_map() => (SymbolKind::OBJECT, None),
        _ if entry.value.is_seq() => (SymbolKind::ARRAY, None),
        _ => (SymbolKind::PROPERTY, None),
    };
    let children = match (child_kind, entry.value.map()) {
        (Some(kind), Some(items)) => items
            .iter()
            .filter(|e| e.merged_at.is_none())
            .filter_map(|e| {
                let child = e.key.as_str()?.to_string();
                let detail = e.value.as_str().map(str::to_string);
                let full =
                    e.key.span.start as usize..(e.value.span.end.max(e.key.span.end)) as usize;
                Some(symbol(
                    r,
                    child,
                    detail,
                    kind,
                    full,
                    e.key.span.range(),
                    Vec::new(),
                ))
            })
            .collect(),
        _ => Vec::new(),
    };
    let detail = entry
        .value
        .as_str()
        .filter(|_| !entry.value.is_erb())
        .map(str::to_string);
    Some(symbol(r, name, detail, kind, full, key, children))
}

fn text_outline(r: &Request) -> Vec<DocumentSymbol> {
    let text = &r.doc.text;
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let l = cursor::line(line.trim_end_matches(['\n', '\r']));
        if let Some((name, range)) = l
            .key
            .filter(|(_, range)| range.start == 0 && l.dashes.is_empty())
        {
            let selection = start + range.start..start + range.end;
            out.push(symbol(
                r,
                name,
                None,
                SymbolKind::PROPERTY,
                selection.clone(),
                selection,
                Vec::new(),
            ));
        }
        start += line.len();
    }
    out
}
