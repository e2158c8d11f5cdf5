//! The YAML tree with Ruby (Psych) values and the source span of every node.

use std::rc::Rc;

use crate::syntax::psych::{ruby_float_to_s, Typed};
use crate::text::Span;

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A node: where it is written for this use, and its (shared) value. An alias use gets the span
/// of the `*alias` token; the value keeps the spans of its definition.
#[derive(Clone, Debug)]
pub struct Node {
    pub span: Span,
    pub value: Rc<Value>,
}

#[derive(Clone, Debug)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug)]
pub struct Scalar {
    /// The text after YAML unescaping (masked filler where ERB was).
    pub text: String,
    pub typed: Typed,
    pub style: Style,
    /// The value is (partly) computed by ERB: unknown until deploy time.
    pub erb: bool,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
    /// Set when the entry came from a `<<` merge key: the span of that merge key.
    pub merged_at: Option<Span>,
}

impl Node {
    pub fn scalar(&self) -> Option<&Scalar> {
        match &*self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn seq(&self) -> Option<&[Node]> {
        match &*self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn map(&self) -> Option<&[Entry]> {
        match &*self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(&*self.value, Value::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(&*self.value, Value::Seq(_))
    }

    /// The value is unknown because ERB computes it.
    pub fn is_erb(&self) -> bool {
        self.scalar().is_some_and(|s| s.erb)
    }

    pub fn is_null(&self) -> bool {
        self.scalar()
            .is_some_and(|s| !s.erb && s.typed == Typed::Null)
    }

    /// A Ruby String (not a Symbol, number or boolean).
    pub fn as_str(&self) -> Option<&str> {
        match self.scalar() {
            Some(s) if s.typed == Typed::Str => Some(&s.text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.scalar()?.typed {
            Typed::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i128> {
        match self.scalar()?.typed {
            Typed::Int(n) => n,
            _ => None,
        }
    }

    /// Looks a string key up in a mapping (the last matching entry, as Ruby's Hash keeps it).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.map()?
            .iter()
            .rev()
            .find(|e| e.key.as_str() == Some(key))
    }

    pub fn has_key(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    /// Ruby's `blank?`: nil, false, a whitespace-only string, an empty array or hash. ERB values
    /// are never blank (unknown).
    pub fn is_blank(&self) -> bool {
        match &*self.value {
            Value::Scalar(s) => {
                if s.erb {
                    return false;
                }
                match &s.typed {
                    Typed::Null => true,
                    Typed::Bool(b) => !b,
                    Typed::Str => s.text.trim().is_empty(),
                    Typed::Symbol(name) => name.is_empty(),
                    _ => false,
                }
            }
            Value::Seq(items) => items.is_empty(),
            Value::Map(entries) => entries.is_empty(),
        }
    }

    /// Kamal's "string-like": String, Symbol, Integer, Float, true, false.
    pub fn is_stringish(&self) -> bool {
        match self.scalar() {
            Some(s) => {
                s.erb
                    || matches!(
                        s.typed,
                        Typed::Str
                            | Typed::Symbol(_)
                            | Typed::Int(_)
                            | Typed::Float(_)
                            | Typed::Bool(_)
                    )
            }
            None => false,
        }
    }

    /// Ruby's `to_s` of the value, as Kamal interpolates keys into its messages.
    pub fn ruby_to_s(&self) -> String {
        match &*self.value {
            Value::Scalar(s) => match &s.typed {
                Typed::Null => String::new(),
                Typed::Bool(b) => b.to_string(),
                Typed::Int(Some(n)) => n.to_string(),
                Typed::Float(f) => ruby_float_to_s(*f),
                Typed::Symbol(name) => name.clone(),
                Typed::Int(None) | Typed::Str | Typed::Date | Typed::Time => s.text.clone(),
            },
            Value::Seq(items) => {
                let inner: Vec<String> = items.iter().map(|i| i.ruby_inspect()).collect();
                format!("[{}]", inner.join(", "))
            }
            Value::Map(entries) => {
                let inner: Vec<String> = entries
                    .iter()
                    .map(|e| format!("{}=>{}", e.key.ruby_inspect(), e.value.ruby_inspect()))
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }

    /// Ruby's `inspect`, for values inside collections.
    pub fn ruby_inspect(&self) -> String {
        match self.scalar() {
            Some(s) => match &s.typed {
                Typed::Null => "nil".into(),
                Typed::Str => format!("{:?}", s.text),
                Typed::Symbol(name) => format!(":{name}"),
                _ => self.ruby_to_s(),
            },
            None => self.ruby_to_s(),
        }
    }

    /// A short name of the value's Ruby class, for explanations.
    pub fn kind_name(&self) -> &'static str {
        match &*self.value {
            Value::Scalar(s) => {
                if s.erb {
                    return "an ERB value";
                }
                match s.typed {
                    Typed::Null => "nothing (null)",
                    Typed::Bool(_) => "a boolean",
                    Typed::Int(_) => "an integer",
                    Typed::Float(_) => "a float",
                    Typed::Str => "a string",
                    Typed::Symbol(_) => "a symbol",
                    Typed::Date => "a date",
                    Typed::Time => "a time",
                }
            }
            Value::Seq(_) => "an array",
            Value::Map(_) => "a hash",
        }
    }
}

/// A hashable identity of a scalar key, consistent with [`same_key`] (`None` for keys that are
/// never equal to another: collections, bignums).
pub fn key_id(node: &Node) -> Option<(u8, String)> {
    let s = node.scalar()?;
    Some(match &s.typed {
        Typed::Str => (0, s.text.clone()),
        Typed::Symbol(name) => (1, name.clone()),
        Typed::Null => (2, String::new()),
        Typed::Bool(b) => (3, b.to_string()),
        Typed::Int(Some(n)) => (4, n.to_string()),
        Typed::Int(None) => return None,
        Typed::Float(f) => (5, f.to_bits().to_string()),
        Typed::Date => (6, s.text.clone()),
        Typed::Time => (7, s.text.clone()),
    })
}

/// Ruby hash-key equality between two scalar keys (`eql?`): same class and same value.
pub fn same_key(a: &Node, b: &Node) -> bool {
    match (a.scalar(), b.scalar()) {
        (Some(x), Some(y)) => match (&x.typed, &y.typed) {
            (Typed::Str, Typed::Str) => x.text == y.text,
            (Typed::Symbol(p), Typed::Symbol(q)) => p == q,
            (Typed::Null, Typed::Null) => true,
            (Typed::Bool(p), Typed::Bool(q)) => p == q,
            (Typed::Int(p), Typed::Int(q)) => p == q && p.is_some(),
            (Typed::Float(p), Typed::Float(q)) => p == q,
            (Typed::Date, Typed::Date) | (Typed::Time, Typed::Time) => x.text == y.text,
            _ => false,
        },
        _ => false,
    }
}
