//! A persistent (immutable, structure-sharing) map from names to values, for the Dockerfile
//! variable scopes: a copy costs nothing and an insert copies one path of the tree, so a scope can
//! be kept at every stage of a Dockerfile of 50 000 stages, and an `ENV` can read the variables
//! as they were before it, without copying every variable each time (that was quadratic).
//!
//! A binary trie on the key's 64-bit hash: the bit at depth `d` picks the child, a leaf holds the
//! keys of one hash. Hashes come from a per-process random [`RandomState`], so a file cannot
//! choose keys that make the trie deep; it is at most 64 levels deep whatever happens.
//!
//! Hand-written rather than a crate (`imbl`, `rpds`): the lint crate keeps its dependencies few,
//! and this needs only insert, get and iteration (about 100 lines).

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock};

fn hash(key: &str) -> u64 {
    static STATE: OnceLock<RandomState> = OnceLock::new();
    STATE.get_or_init(RandomState::new).hash_one(key)
}

enum Node<V> {
    Leaf {
        hash: u64,
        entries: Vec<(Arc<str>, V)>,
    },
    Branch([Option<Arc<Node<V>>>; 2]),
}

fn bit(hash: u64, depth: u32) -> usize {
    ((hash >> (depth % 64)) & 1) as usize
}

pub(crate) struct PMap<V> {
    root: Option<Arc<Node<V>>>,
}

impl<V> Clone for PMap<V> {
    fn clone(&self) -> Self {
        PMap {
            root: self.root.clone(),
        }
    }
}

impl<V> Default for PMap<V> {
    fn default() -> Self {
        PMap { root: None }
    }
}

impl<V: Clone> PMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        let h = hash(key);
        let mut node = self.root.as_deref()?;
        let mut depth = 0;
        loop {
            match node {
                Node::Leaf { hash, entries } => {
                    if *hash != h {
                        return None;
                    }
                    return entries.iter().find(|(k, _)| &**k == key).map(|(_, v)| v);
                }
                Node::Branch(children) => {
                    node = children[bit(h, depth)].as_deref()?;
                    depth += 1;
                }
            }
        }
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn insert(&mut self, key: &str, value: V) {
        let h = hash(key);
        self.root = Some(insert(self.root.as_ref(), h, 0, key, value));
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        let mut stack: Vec<&Node<V>> = self.root.as_deref().into_iter().collect();
        let mut leaf: std::slice::Iter<'_, (Arc<str>, V)> = [].iter();
        std::iter::from_fn(move || loop {
            if let Some((k, v)) = leaf.next() {
                return Some((&**k, v));
            }
            match stack.pop()? {
                Node::Leaf { entries, .. } => leaf = entries.iter(),
                Node::Branch(children) => stack.extend(children.iter().flatten().map(|c| &**c)),
            }
        })
    }
}

fn insert<V: Clone>(
    node: Option<&Arc<Node<V>>>,
    h: u64,
    depth: u32,
    key: &str,
    value: V,
) -> Arc<Node<V>> {
    let Some(node) = node else {
        return Arc::new(Node::Leaf {
            hash: h,
            entries: vec![(Arc::from(key), value)],
        });
    };
    match &**node {
        Node::Leaf { hash, entries } if *hash == h || depth >= 64 => {
            let mut entries = entries.clone();
            match entries.iter_mut().find(|(k, _)| &**k == key) {
                Some(slot) => slot.1 = value,
                None => entries.push((Arc::from(key), value)),
            }
            Arc::new(Node::Leaf { hash: h, entries })
        }
        Node::Leaf { hash, .. } => {
            // two hashes share this path: branch, the old leaf going where its bit says
            let mut children: [Option<Arc<Node<V>>>; 2] = [None, None];
            children[bit(*hash, depth)] = Some(Arc::clone(node));
            let b = bit(h, depth);
            children[b] = Some(insert(children[b].as_ref(), h, depth + 1, key, value));
            Arc::new(Node::Branch(children))
        }
        Node::Branch(children) => {
            let mut children = children.clone();
            let b = bit(h, depth);
            children[b] = Some(insert(children[b].as_ref(), h, depth + 1, key, value));
            Arc::new(Node::Branch(children))
        }
    }
}

impl<V: Clone + std::fmt::Debug> std::fmt::Debug for PMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut entries: Vec<(&str, &V)> = self.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        f.debug_map().entries(entries).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_independent() {
        let mut a: PMap<u32> = PMap::default();
        for i in 0..2000 {
            a.insert(&format!("K{i}"), i);
        }
        let before = a.clone();
        for i in 0..2000 {
            a.insert(&format!("K{i}"), i + 1);
        }
        a.insert("NEW", 7);
        for i in 0..2000 {
            assert_eq!(before.get(&format!("K{i}")), Some(&i));
            assert_eq!(a.get(&format!("K{i}")), Some(&(i + 1)));
        }
        assert_eq!(before.get("NEW"), None);
        assert_eq!(a.get("NEW"), Some(&7));
        assert_eq!(before.iter().count(), 2000);
        assert_eq!(a.iter().count(), 2001);
    }
}
