//! Where secrets are defined, per load (no destination, and each destination), from the
//! secrets files Kamal would read. Names and positions only: values are never read out.

use sextant_lint::model::roles;
use sextant_lint::project::display_name;
use sextant_lint::redact::Redactor;
use sextant_lint::rules::walk::secret_refs;
use sextant_lint::syntax::yaml;
use sextant_lint::{Report, SecretDefinition};

use crate::server::Request;

/// The redactor for one request's answer: the analysis's (every secret value of the project),
/// with the document's own secret-shaped text (an open buffer the analysis may not include).
/// Every hover, completion, symbol and code action passes its text through it.
pub fn redactor(r: &Request, report: Option<&Report>) -> Redactor {
    let mut red = report.map(|rep| rep.redactor.clone()).unwrap_or_default();
    red.add_text(&r.path, &r.doc.text);
    red
}

/// The secrets of one load, as the engine found them.
pub struct LoadSecrets<'a> {
    pub destination: Option<&'a str>,
    /// The files Kamal reads for this load (display names), existing or not.
    pub files: Vec<String>,
    pub defs: &'a [SecretDefinition],
}

impl LoadSecrets<'_> {
    pub fn get(&self, name: &str) -> Option<&SecretDefinition> {
        self.defs.iter().find(|d| d.name == name)
    }

    pub fn label(&self) -> String {
        match &self.destination {
            None => "`kamal` (no destination)".into(),
            Some(d) => format!("`kamal -d {d}`"),
        }
    }
}

pub fn per_load(report: &Report) -> Vec<LoadSecrets<'_>> {
    let root = &report.project.root;
    report
        .outline
        .iter()
        .map(|load| LoadSecrets {
            destination: load.destination.as_deref(),
            files: load
                .secrets_paths
                .iter()
                .map(|p| display_name(p, root))
                .collect(),
            defs: &load.secrets,
        })
        .collect()
}

/// The secret referenced at a byte offset of a config file of the report (an `env.secret` item
/// with its `NAME:SECRET` aliasing, a registry credential, a `builder.secrets` item, a
/// `proxy.ssl` pem name), as the engine finds references. `None` elsewhere, and while the file
/// does not parse.
pub fn referenced_at(report: &Report, path: &std::path::Path, offset: usize) -> Option<String> {
    let id = report.files.find(path)?;
    let root = yaml::parse(id, &report.files.get(id).text).root?;
    let roles = roles(&root);
    secret_refs(&root, &roles)
        .into_iter()
        .find(|r| (r.span.start as usize) <= offset && offset <= r.span.end as usize)
        .map(|r| r.name)
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
    }
}
