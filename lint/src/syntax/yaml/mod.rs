//! YAML with ERB masking and Psych typing: text → spanned tree + problems. Never panics.
//!
//! The event parser (granit-parser) is used only here, so it can be swapped. What this layer adds:
//! ERB masked before parsing (offsets stay exact), YAML 1.1 scalar typing as Ruby's Psych does
//! it, anchors/aliases/`<<` merge keys resolved the way Psych resolves them with the origin of
//! every merged value kept, duplicate keys noticed (last wins), alias expansion bounded, comments
//! kept.

pub mod tree;

use std::collections::HashMap;
use std::rc::Rc;

use granit_parser::{Event, Marker, Parser, ScalarStyle};

use crate::syntax::erb::{self, Erb, ErbProblemKind};
use crate::syntax::psych::{type_plain, Typed};
use crate::text::{FileId, Span};
pub use tree::{key_id, same_key, Entry, Node, Scalar, Style, Value};

/// Alias expansions allowed per document before aliases are cut off (billion-laughs guard).
pub const ALIAS_EXPANSION_LIMIT: u64 = 1_000_000;
/// Nesting depth the parser accepts (deeper input is a positioned error, not a stack overflow).
pub const NESTING_LIMIT: usize = 256;

#[derive(Clone, Debug, PartialEq)]
pub enum ProblemKind {
    /// The YAML parser's message (libyaml-like wording).
    Syntax(String),
    /// A key given twice in one mapping; `related` points at the earlier one.
    DuplicateKey(String),
    /// `*name` without an `&name` before it in this file.
    UnknownAnchor(String),
    /// An alias referring to the node that contains it.
    RecursiveAlias,
    /// Aliases expand to more nodes than [`ALIAS_EXPANSION_LIMIT`].
    AliasLimit,
    /// More than one document (`---`): Kamal reads only the first.
    ExtraDocument,
    Erb(ErbProblemKind),
}

#[derive(Clone, Debug)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    pub related: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub span: Span,
    /// Text after `#`.
    pub text: String,
}

/// A parsed YAML file.
#[derive(Clone, Debug)]
pub struct YamlFile {
    /// The first document's root node; `None` when the document is empty or failed to parse.
    pub root: Option<Node>,
    /// Parsing stopped at a syntax error: `root` is not available.
    pub failed: bool,
    pub problems: Vec<Problem>,
    pub comments: Vec<Comment>,
    pub erb: Erb,
}

impl YamlFile {
    /// Whether ERB may add structure (a standalone `<%= %>` line): absence of keys proves nothing.
    pub fn has_dynamic_structure(&self) -> bool {
        self.erb.has_structural_output()
    }
}

/// Parses a YAML file (with ERB).
pub fn parse(file: FileId, text: &str) -> YamlFile {
    let (masked, erb) = erb::mask(text);
    let mut builder = Builder {
        file,
        text,
        masked: &masked,
        erb: &erb,
        stack: Vec::new(),
        anchors: HashMap::new(),
        anchor_names: HashMap::new(),
        expanded: 0,
        limit_reported: false,
        root: None,
        problems: Vec::new(),
        comments: Vec::new(),
        char_to_byte: None,
        documents: 0,
    };
    let failed = builder.run();
    let mut problems: Vec<Problem> = erb
        .problems
        .iter()
        .map(|p| Problem {
            kind: ProblemKind::Erb(p.kind.clone()),
            span: Span::new(file, p.range.clone()),
            related: None,
        })
        .collect();
    problems.append(&mut builder.problems);
    let root = if failed { None } else { builder.root.take() };
    let comments = std::mem::take(&mut builder.comments);
    YamlFile {
        root,
        failed,
        problems,
        comments,
        erb,
    }
}

struct Builder<'a> {
    file: FileId,
    text: &'a str,
    masked: &'a str,
    erb: &'a Erb,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, u64)>,
    anchor_names: HashMap<usize, String>,
    expanded: u64,
    limit_reported: bool,
    root: Option<Node>,
    problems: Vec<Problem>,
    comments: Vec<Comment>,
    char_to_byte: Option<Vec<usize>>,
    documents: usize,
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
        size: u64,
    },
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<Entry>,
        /// Which entries were written explicitly (not merged), to tell duplicates from overrides.
        explicit: Vec<bool>,
        /// Position of each key, for large mappings.
        index: KeyIndex,
        key: Option<(Node, u64)>,
        size: u64,
    },
}

impl Builder<'_> {
    /// Returns true when parsing failed.
    fn run(&mut self) -> bool {
        let options = granit_parser::options! {
            emit_unresolved_aliases: true,
            emit_anchor_events: true,
            max_buffered_comment_events: usize::MAX,
            flow_nesting_limit: NESTING_LIMIT,
            block_nesting_limit: NESTING_LIMIT,
        };
        let masked = self.masked;
        let parser = Parser::new_from_str_with_options(masked, options);
        for next in parser {
            let (event, span) = match next {
                Ok(pair) => pair,
                Err(error) => {
                    let at = self.byte(error.marker());
                    let end = next_char_boundary(self.text, at);
                    self.problems.push(Problem {
                        kind: ProblemKind::Syntax(error.info()),
                        span: Span::new(self.file, at..end),
                        related: None,
                    });
                    return true;
                }
            };
            let start = self.byte(&span.start);
            let end = self.byte(&span.end).max(start);
            match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
                Event::DocumentStart(..) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        self.problems.push(Problem {
                            kind: ProblemKind::ExtraDocument,
                            span: Span::new(self.file, start..end.max(start + 1)),
                            related: None,
                        });
                        // Psych's `load` returns the first document and stops there.
                        return false;
                    }
                }
                Event::Comment(text, _) => self.comments.push(Comment {
                    span: Span::new(self.file, start..end),
                    text: text.into_owned(),
                }),
                Event::Anchor(id, name) => {
                    self.anchor_names.insert(id, name.into_owned());
                }
                Event::Alias(id) => {
                    let span = Span::new(self.file, start..end);
                    let node = match self.anchors.get(&id) {
                        Some((target, size)) => {
                            let size = *size;
                            if self.expanded.saturating_add(size) > ALIAS_EXPANSION_LIMIT {
                                if !self.limit_reported {
                                    self.limit_reported = true;
                                    self.problems.push(Problem {
                                        kind: ProblemKind::AliasLimit,
                                        span,
                                        related: None,
                                    });
                                }
                                (null_node(span), 1)
                            } else {
                                self.expanded += size;
                                (
                                    Node {
                                        span,
                                        value: target.value.clone(),
                                    },
                                    size,
                                )
                            }
                        }
                        None => {
                            self.problems.push(Problem {
                                kind: ProblemKind::RecursiveAlias,
                                span,
                                related: None,
                            });
                            (null_node(span), 1)
                        }
                    };
                    self.push(node.0, node.1, 0);
                }
                Event::UnresolvedAlias(name) => {
                    let span = Span::new(self.file, start..end);
                    self.problems.push(Problem {
                        kind: ProblemKind::UnknownAnchor(name.into_owned()),
                        span,
                        related: None,
                    });
                    self.push(null_node(span), 1, 0);
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let span = Span::new(self.file, start..end);
                    let style = match style {
                        ScalarStyle::Plain => Style::Plain,
                        ScalarStyle::SingleQuoted => Style::SingleQuoted,
                        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                        ScalarStyle::Literal => Style::Literal,
                        ScalarStyle::Folded => Style::Folded,
                    };
                    let tag = tag.map(|t| (t.handle().to_string(), t.suffix().to_string()));
                    let typed = type_scalar(&value, style, tag.as_ref());
                    let mut is_erb = self.erb.touches(start..end);
                    if !is_erb && start == end && typed == Typed::Null {
                        // `key:` followed by a standalone `<%= … %>` line: ERB fills the value.
                        is_erb = self.erb.output_tag_after(self.text, end).is_some()
                            && self.follows_mapping_key();
                    }
                    let text = if is_erb {
                        self.text.get(start..end).unwrap_or("").to_string()
                    } else {
                        value.into_owned()
                    };
                    let node = Node {
                        span,
                        value: Rc::new(Value::Scalar(Scalar {
                            text,
                            typed,
                            style,
                            erb: is_erb,
                        })),
                    };
                    self.push(node, 1, anchor);
                }
                Event::SequenceStart(_, anchor, _) => self.stack.push(Frame::Seq {
                    start,
                    anchor,
                    items: Vec::new(),
                    size: 1,
                }),
                Event::MappingStart(_, anchor, _) => self.stack.push(Frame::Map {
                    start,
                    anchor,
                    entries: Vec::new(),
                    explicit: Vec::new(),
                    index: KeyIndex::default(),
                    key: None,
                    size: 1,
                }),
                Event::SequenceEnd => {
                    if let Some(Frame::Seq {
                        start: s,
                        anchor,
                        items,
                        size,
                    }) = self.stack.pop()
                    {
                        let end = collection_end(
                            self.masked,
                            s,
                            end,
                            items.last().map(|n| n.span.end as usize),
                        );
                        let node = Node {
                            span: Span::new(self.file, s..end.max(s)),
                            value: Rc::new(Value::Seq(items)),
                        };
                        self.push(node, size, anchor);
                    }
                }
                Event::MappingEnd => {
                    if let Some(Frame::Map {
                        start: s,
                        anchor,
                        entries,
                        size,
                        ..
                    }) = self.stack.pop()
                    {
                        let last = entries
                            .iter()
                            .filter(|e| e.merged_at.is_none())
                            .map(|e| e.value.span.end.max(e.key.span.end) as usize)
                            .max();
                        let end = collection_end(self.masked, s, end, last);
                        let node = Node {
                            span: Span::new(self.file, s..end.max(s)),
                            value: Rc::new(Value::Map(entries)),
                        };
                        self.push(node, size, anchor);
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// The innermost frame is a mapping waiting for a value.
    fn follows_mapping_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: Some(_), .. }))
    }

    fn push(&mut self, node: Node, size: u64, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq {
                items, size: total, ..
            }) => {
                *total = total.saturating_add(size);
                items.push(node);
            }
            Some(Frame::Map { key, .. }) if key.is_none() => {
                *key = Some((node, size));
            }
            Some(Frame::Map {
                entries,
                explicit,
                index,
                key,
                size: total,
                ..
            }) => {
                let (k, key_size) = key.take().expect("checked above");
                *total = total.saturating_add(size).saturating_add(key_size);
                let mut duplicates = Vec::new();
                let mut map = MapBuilder {
                    entries,
                    explicit,
                    index,
                };
                insert_entry(&mut map, k, node, &mut duplicates);
                for (first, second, name) in duplicates {
                    self.report_duplicate(first, second, name);
                }
            }
        }
    }

    fn report_duplicate(&mut self, first: Span, second: Span, name: String) {
        // Keys in alternative ERB branches (`<% if %> … <% else %> …`) are not duplicates.
        if self
            .erb
            .control_between(first.start as usize, second.start as usize)
        {
            return;
        }
        self.problems.push(Problem {
            kind: ProblemKind::DuplicateKey(name),
            span: second,
            related: Some(first),
        });
    }

    fn byte(&mut self, marker: &Marker) -> usize {
        if let Some(b) = marker.byte_offset() {
            return b.min(self.masked.len());
        }
        let table = self.char_to_byte.get_or_insert_with(|| {
            let mut t: Vec<usize> = self.masked.char_indices().map(|(i, _)| i).collect();
            t.push(self.masked.len());
            t
        });
        table
            .get(marker.index())
            .copied()
            .unwrap_or(self.masked.len())
    }
}

fn null_node(span: Span) -> Node {
    Node {
        span,
        value: Rc::new(Value::Scalar(Scalar {
            text: String::new(),
            typed: Typed::Null,
            style: Style::Plain,
            erb: false,
        })),
    }
}

/// Where a collection ends: a flow collection at its closing bracket (the end event), a block
/// collection at the end of its last child (the end event comes at the next token, lines later).
fn collection_end(
    masked: &str,
    start: usize,
    event_end: usize,
    last_child: Option<usize>,
) -> usize {
    let flow = matches!(masked.as_bytes().get(start), Some(b'[' | b'{'));
    match last_child {
        Some(child) if !flow && child >= start && child <= event_end => child,
        _ => event_end,
    }
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    let mut end = (at + 1).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// Psych's `deserialize`: quoted and block scalars are strings; plain ones are typed; a few
/// core tags are honoured.
fn type_scalar(value: &str, style: Style, tag: Option<&(String, String)>) -> Typed {
    if let Some((handle, suffix)) = tag {
        let core = handle == "tag:yaml.org,2002:" || handle == "!!";
        let name = if core {
            suffix.as_str()
        } else {
            handle.trim_start_matches('!')
        };
        match (core, name) {
            (true, "str") | (false, "str") => return Typed::Str,
            (true, "int") => {
                return match type_plain(value) {
                    t @ Typed::Int(_) => t,
                    _ => Typed::Str,
                }
            }
            (true, "float") => {
                return match type_plain(value) {
                    Typed::Int(Some(n)) => Typed::Float(n as f64),
                    t @ Typed::Float(_) => t,
                    _ => Typed::Str,
                }
            }
            (true, "null") => return Typed::Null,
            (true, "bool") => {
                return match type_plain(value) {
                    t @ Typed::Bool(_) => t,
                    _ => Typed::Str,
                }
            }
            _ => {}
        }
        if handle.starts_with('!') && suffix.starts_with("ruby/sym") {
            return Typed::Symbol(value.to_string());
        }
    }
    match style {
        Style::Plain => type_plain(value),
        _ => Typed::Str,
    }
}

/// Finds keys fast in large mappings (Ruby `eql?` equality, through [`key_id`]).
#[derive(Default)]
struct KeyIndex {
    positions: HashMap<(u8, String), usize>,
}

/// A mapping under construction.
struct MapBuilder<'m> {
    entries: &'m mut Vec<Entry>,
    explicit: &'m mut Vec<bool>,
    index: &'m mut KeyIndex,
}

impl MapBuilder<'_> {
    fn position(&self, key: &Node) -> Option<usize> {
        match key_id(key) {
            Some(id) => self.index.positions.get(&id).copied(),
            None => self.entries.iter().position(|e| same_key(&e.key, key)),
        }
    }

    /// Sets a key with Ruby Hash semantics: an existing key keeps its position and takes the
    /// new value.
    fn set(&mut self, entry: Entry, is_explicit: bool, duplicates: &mut Vec<(Span, Span, String)>) {
        if let Some(i) = self.position(&entry.key) {
            if is_explicit && self.explicit[i] && !entry.key.is_erb() {
                duplicates.push((
                    self.entries[i].key.span,
                    entry.key.span,
                    entry.key.ruby_to_s(),
                ));
            }
            let old_key = self.entries[i].key.clone();
            self.entries[i] = Entry {
                key: if is_explicit { entry.key } else { old_key },
                value: entry.value,
                merged_at: entry.merged_at,
            };
            self.explicit[i] = is_explicit;
        } else {
            if let Some(id) = key_id(&entry.key) {
                self.index.positions.insert(id, self.entries.len());
            }
            self.entries.push(entry);
            self.explicit.push(is_explicit);
        }
    }
}

/// Inserts with Ruby Hash semantics and Psych's merge keys (`<<`): a merge overwrites keys set
/// before it; later explicit keys overwrite merged ones; an existing key keeps its position.
fn insert_entry(
    map: &mut MapBuilder,
    key: Node,
    value: Node,
    duplicates: &mut Vec<(Span, Span, String)>,
) {
    let is_merge = key
        .scalar()
        .is_some_and(|s| s.text == "<<" && s.style == Style::Plain && !s.erb);
    if is_merge {
        let merge_span = key.span;
        match &*value.value {
            Value::Map(from) => {
                for e in from {
                    map.set(merged(e, merge_span), false, duplicates);
                }
                return;
            }
            Value::Seq(items) if items.iter().all(Node::is_map) => {
                // `val.reverse_each { |v| h.merge!(v) }`: earlier maps win.
                let mut entries = Vec::new();
                let mut explicit = Vec::new();
                let mut index = KeyIndex::default();
                let mut combined = MapBuilder {
                    entries: &mut entries,
                    explicit: &mut explicit,
                    index: &mut index,
                };
                for item in items.iter().rev() {
                    for e in item.map().unwrap_or_default() {
                        combined.set(merged(e, merge_span), false, &mut Vec::new());
                    }
                }
                for e in entries {
                    map.set(e, false, duplicates);
                }
                return;
            }
            _ => {}
        }
    }
    map.set(
        Entry {
            key,
            value,
            merged_at: None,
        },
        true,
        duplicates,
    );
}

fn merged(e: &Entry, at: Span) -> Entry {
    Entry {
        key: e.key.clone(),
        value: e.value.clone(),
        merged_at: Some(e.merged_at.unwrap_or(at)),
    }
}

#[cfg(test)]
mod tests;
