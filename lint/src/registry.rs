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
    /// sextant's own suppressions and configuration.
    Sextant,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Kamal => "kamal",
            Category::Yaml => "yaml",
            Category::Erb => "erb",
            Category::Sextant => "sextant",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Category::Kamal => "Kamal's own checks",
            Category::Yaml => "YAML",
            Category::Erb => "ERB",
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
