//! The Kamal configuration of one load: the base file alone, or the base deep-merged with a
//! destination file as Kamal merges them (ActiveSupport `deep_merge!`). Every value keeps the
//! span of the file it came from.

pub mod roles;

use std::rc::Rc;

use crate::syntax::yaml::{same_key, Entry, Node, Value};
pub use roles::{roles, Host, Role, Roles};

/// `base.deep_merge!(overlay)`: hashes merge key by key, anything else (arrays included) from
/// the overlay replaces the base value; a key keeps its base position.
pub fn deep_merge(base: &Node, overlay: &Node) -> Node {
    let (Some(base_entries), Some(overlay_entries)) = (base.map(), overlay.map()) else {
        return overlay.clone();
    };
    let mut entries: Vec<Entry> = base_entries.to_vec();
    for o in overlay_entries {
        match entries.iter_mut().find(|e| same_key(&e.key, &o.key)) {
            Some(existing) => {
                let value = if existing.value.is_map() && o.value.is_map() {
                    deep_merge(&existing.value, &o.value)
                } else {
                    o.value.clone()
                };
                *existing = Entry {
                    key: o.key.clone(),
                    value,
                    merged_at: o.merged_at,
                };
            }
            None => entries.push(o.clone()),
        }
    }
    Node {
        span: base.span,
        value: Rc::new(Value::Map(entries)),
    }
}

/// The configuration as JSON data, the way a JSON Schema validator sees it: Ruby values mapped
/// to JSON (symbols, dates and ERB values become their source text, keys their `to_s`).
pub fn to_json(node: &Node) -> serde_json::Value {
    use crate::syntax::psych::Typed;
    use serde_json::Value as J;
    match &*node.value {
        Value::Scalar(s) => {
            if s.erb {
                // the ERB source (a value ERB fills in from a line of its own has none)
                let text = if s.text.contains("<%") {
                    s.text.clone()
                } else {
                    "<%= … %>".to_string()
                };
                return J::String(text);
            }
            match &s.typed {
                Typed::Null => J::Null,
                Typed::Bool(b) => J::Bool(*b),
                Typed::Int(Some(n)) => i64::try_from(*n)
                    .map(J::from)
                    .unwrap_or_else(|_| J::from(*n as f64)),
                Typed::Int(None) => J::from(f64::MAX),
                Typed::Float(f) => serde_json::Number::from_f64(*f)
                    .map(J::Number)
                    .unwrap_or_else(|| J::String(s.text.clone())),
                Typed::Str | Typed::Date | Typed::Time => J::String(s.text.clone()),
                Typed::Symbol(name) => J::String(name.clone()),
            }
        }
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|e| (e.key.ruby_to_s(), to_json(&e.value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml::parse;
    use crate::text::FileId;

    #[test]
    fn merges_like_active_support() {
        let base = parse(
            FileId(0),
            "env:\n  clear:\n    A: \"1\"\n    B: \"2\"\n  secret: [S1, S2]\nservers: [1.1.1.1]\n",
        )
        .root
        .unwrap();
        let dest = parse(
            FileId(1),
            "env:\n  clear:\n    B: \"3\"\n  secret: [S3]\nproxy: {host: a}\n",
        )
        .root
        .unwrap();
        let merged = deep_merge(&base, &dest);
        let env = merged.get("env").unwrap();
        let clear = env.get("clear").unwrap();
        assert_eq!(clear.get("A").unwrap().as_str(), Some("1"));
        assert_eq!(clear.get("B").unwrap().as_str(), Some("3"));
        assert_eq!(clear.get("B").unwrap().span.file, FileId(1));
        // arrays are replaced, not concatenated
        let secret = env.get("secret").unwrap().seq().unwrap();
        assert_eq!(secret.len(), 1);
        assert!(merged.get("servers").is_some());
        assert!(merged.get("proxy").is_some());
        // key order: base keys first, in base order
        let keys: Vec<_> = merged
            .map()
            .unwrap()
            .iter()
            .map(|e| e.key.ruby_to_s())
            .collect();
        assert_eq!(keys, ["env", "servers", "proxy"]);
    }

    #[test]
    fn null_in_overlay_replaces() {
        let base = parse(FileId(0), "env:\n  A: b\n").root.unwrap();
        let dest = parse(FileId(1), "env:\n").root.unwrap();
        let merged = deep_merge(&base, &dest);
        assert!(merged.get("env").unwrap().is_null());
    }
}
