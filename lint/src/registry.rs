//! The rule model: every rule has a stable code, a kebab-case name, a category, a default
//! severity, a fix availability, and a page (its doc comment). Codes never change meaning;
//! retired codes are never reused. The list of rules is in [`crate::rules`].

use crate::diagnostic::Severity;
pub use crate::rules::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// Kamal itself rejects the configuration (or crashes on it).
    Kamal,
    /// YAML syntax and structure.
    Yaml,
    /// ERB in config files.
    Erb,
    /// Configurations Kamal accepts that fail at deploy time or do something else.
    Config,
    /// kamal-proxy and networking.
    Proxy,
    /// Accessories.
    Accessories,
    /// Kamal 1 leftovers.
    Legacy,
    /// Destination files.
    Destinations,
    /// Secrets files and secret references.
    Secrets,
    /// Hook scripts.
    Hooks,
    /// The Dockerfile Kamal builds, alone and against deploy.yml.
    Dockerfile,
    /// sextant's own suppressions and configuration.
    Sextant,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Kamal => "kamal",
            Category::Yaml => "yaml",
            Category::Erb => "erb",
            Category::Config => "config",
            Category::Proxy => "proxy",
            Category::Accessories => "accessories",
            Category::Legacy => "legacy",
            Category::Destinations => "destinations",
            Category::Secrets => "secrets",
            Category::Hooks => "hooks",
            Category::Dockerfile => "dockerfile",
            Category::Sextant => "sextant",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Category::Kamal => "Kamal's own checks",
            Category::Yaml => "YAML",
            Category::Erb => "ERB",
            Category::Config => "Deploy-time failures",
            Category::Proxy => "Proxy and networking",
            Category::Accessories => "Accessories",
            Category::Legacy => "Kamal 1 leftovers",
            Category::Destinations => "Destinations",
            Category::Secrets => "Secrets",
            Category::Hooks => "Hooks",
            Category::Dockerfile => "Dockerfile",
            Category::Sextant => "sextant itself",
        }
    }
}

/// Whether a rule can offer a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "none",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "always",
        }
    }
}

#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// The rule's doc comment, raw (each line keeps the space after `///`).
    pub doc: &'static str,
}

impl Rule {
    /// The rule's page (Markdown): its doc comment.
    pub fn page(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }

    /// The first sentence of the page: what the rule reports.
    pub fn summary(&self) -> &'static str {
        self.doc
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
    }

    pub fn fixable(&self) -> bool {
        self.fix != FixAvailability::None
    }

    /// Anchor of the rule on the rules page (`docs/rules.md#k001-unknown-key`).
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.code.to_ascii_lowercase(), self.name)
    }
}

/// Declares a rule; its doc comment is its page.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            category: $cat:ident,
            severity: $sev:ident,
            fix: $fix:ident $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::registry::Rule = $crate::registry::Rule {
            code: $code,
            name: $name,
            category: $crate::registry::Category::$cat,
            severity: $crate::diagnostic::Severity::$sev,
            fix: $crate::registry::FixAvailability::$fix,
            doc: concat!($($doc, "\n"),*),
        };
    };
}

/// Finds a rule by code (`K001`) or name (`unknown-key`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// `docs/rules.md`: every rule's page, generated from the doc comments.
pub fn rules_markdown() -> String {
    use std::fmt::Write;
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rules' doc comments by `UPDATE_DOCS=1 cargo test --test docs`. Do not edit. -->\n\n",
    );
    out.push_str(
        "Severity: **error** = Kamal rejects the configuration or the deploy will fail; \
         **warning** = very likely a mistake or a security hole; **info** = worth knowing.\n\n",
    );
    out.push_str("| Code | Name | Severity | Fix | Summary |\n|---|---|---|---|---|\n");
    for r in ALL {
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} | {} |",
            r.code,
            r.anchor(),
            r.name,
            r.severity.as_str(),
            r.fix.as_str(),
            r.summary().replace('|', "\\|")
        );
    }
    let mut category = None;
    for r in ALL {
        if category != Some(r.category) {
            category = Some(r.category);
            let _ = write!(out, "\n## {}\n", r.category.title());
        }
        let page = r.page();
        // the page's own headings go one level down
        let page = page
            .lines()
            .map(|l| {
                if l.starts_with("## ") {
                    format!("##{l}")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let _ = write!(
            out,
            "\n### {} {}\n\n*{} · fix: {}*\n\n{}\n",
            r.code,
            r.name,
            r.severity.as_str(),
            r.fix.as_str(),
            page.trim_end()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes: Vec<_> = ALL.iter().map(|r| r.code).collect();
        let mut names: Vec<_> = ALL.iter().map(|r| r.name).collect();
        codes.sort();
        names.sort();
        let (c, n) = (codes.len(), names.len());
        codes.dedup();
        names.dedup();
        assert_eq!(c, codes.len());
        assert_eq!(n, names.len());
        assert!(find("k001").is_some());
        assert!(find("unknown-key").is_some());
    }

    #[test]
    fn codes_are_sorted_in_the_registry() {
        let codes: Vec<_> = ALL.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted, "keep ALL in code order");
    }
}
