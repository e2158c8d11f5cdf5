//! Where secrets are defined, per load (no destination, and each destination), from the
//! secrets files Kamal would read. Names and positions only: values are never read out.

use std::ops::Range;
use std::path::PathBuf;

use sextant_lint::project::display_name;
use sextant_lint::syntax::dotenv;
use sextant_lint::Report;

/// A definition of a secret.
#[derive(Clone, Debug)]
pub struct Def {
    pub path: PathBuf,
    /// The key's byte range in that file.
    pub range: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// The value runs a command (`$(kamal secrets fetch …)`).
    pub command: bool,
}

/// The secrets of one load.
pub struct LoadSecrets {
    pub destination: Option<String>,
    /// The files Kamal reads for this load (display names), existing or not.
    pub files: Vec<String>,
    /// Every name the load defines, with the definition that wins (later files win).
    pub defs: Vec<(String, Def)>,
}

impl LoadSecrets {
    pub fn get(&self, name: &str) -> Option<&Def> {
        self.defs.iter().find(|(n, _)| n == name).map(|(_, d)| d)
    }

    pub fn label(&self) -> String {
        match &self.destination {
            None => "`kamal` (no destination)".into(),
            Some(d) => format!("`kamal -d {d}`"),
        }
    }
}

pub fn per_load(report: &Report) -> Vec<LoadSecrets> {
    let root = &report.project.root;
    report
        .outline
        .iter()
        .map(|load| {
            let mut defs: Vec<(String, Def)> = Vec::new();
            for path in &load.secrets_paths {
                let Some(id) = report.files.find(path) else {
                    continue;
                };
                let file = report.files.get(id);
                if file.missing {
                    continue;
                }
                let parsed = dotenv::parse(&file.text);
                for key in parsed.keys() {
                    let Some(entry) = parsed.get(key) else {
                        continue;
                    };
                    let def = Def {
                        path: path.clone(),
                        range: entry.key_span.clone(),
                        line: file.index.line_of(entry.key_span.start) + 1,
                        command: entry.has_command(),
                    };
                    match defs.iter_mut().find(|(n, _)| n == key) {
                        Some(slot) => slot.1 = def,
                        None => defs.push((key.to_string(), def)),
                    }
                }
            }
            LoadSecrets {
                destination: load.destination.clone(),
                files: load
                    .secrets_paths
                    .iter()
                    .map(|p| display_name(p, root))
                    .collect(),
                defs,
            }
        })
        .collect()
}

/// The secret an `env.secret` item names: `NAME` or, from 2.6.0, `NAME:SECRET`.
pub fn referenced(item: &str) -> &str {
    item.split_once(':')
        .map_or(item, |(_, secret)| secret)
        .trim()
}

/// Whether the scalar under the cursor names a secret: an item of a list of secret names (a
/// plain value there, like `password: abc`, is the value itself).
pub fn names_secret(c: &crate::cursor::Cursor) -> bool {
    c.at == crate::cursor::At::Item && holds_secret_names(&c.path)
}

/// Whether items at this key path name secrets.
pub fn holds_secret_names(path: &[String]) -> bool {
    let tail: Vec<&str> = path.iter().rev().take(2).map(String::as_str).collect();
    match tail.as_slice() {
        ["secret", _] => path.iter().any(|p| p == "env"),
        ["password" | "username", "registry"] | ["secrets", "builder"] => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(path: &[&str]) -> Vec<String> {
        path.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn secret_name_places() {
        assert!(holds_secret_names(&p(&["env", "secret"])));
        assert!(holds_secret_names(&p(&["servers", "web", "env", "secret"])));
        assert!(holds_secret_names(&p(&["env", "tags", "x", "secret"])));
        assert!(holds_secret_names(&p(&["registry", "password"])));
        assert!(holds_secret_names(&p(&["builder", "secrets"])));
        assert!(!holds_secret_names(&p(&["proxy", "secret"])));
        assert!(!holds_secret_names(&p(&["env", "clear"])));
        assert_eq!(referenced("DATABASE_URL:PROD_DB_URL"), "PROD_DB_URL");
        assert_eq!(referenced("DB"), "DB");
    }
}
