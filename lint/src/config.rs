//! sextant's own configuration: `.sextant.toml` at the project root (or `--config FILE`), merged
//! with command-line settings. Decides which rules run, at which severity, where.
//!
//! ```toml
//! kamal-version = "2.8.2"
//! select = ["K", "S"]          # codes, code prefixes or rule names (default: every rule)
//! ignore = ["C007", "placeholder-value"]
//! shellcheck = true
//!
//! [severity]
//! P004 = "warning"
//!
//! [per-file-ignores]
//! "config/deploy.staging.yml" = ["A001"]
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use sextant_schema::Version;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::registry::{Rule, ALL};

/// Selects rules: `ALL`, a code prefix (`K`, `S0`), a code (`K001`) or a name (`unknown-key`);
/// in suppressions also an external tool's code (`SC2086`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector(String);

impl Selector {
    /// An external tool's code (shellcheck's `SC1234`), for suppressions.
    pub fn external(text: &str) -> Option<Selector> {
        let t = text.trim().to_ascii_uppercase();
        let digits = t.strip_prefix("SC")?;
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(Selector(t))
    }

    /// Whether this selector picks the diagnostic (by its rule, or by its external code).
    pub fn matches_diagnostic(&self, d: &crate::diagnostic::Diagnostic) -> bool {
        match &d.external_code {
            Some(code) if self.0.starts_with("SC") => code.eq_ignore_ascii_case(&self.0),
            _ => !self.0.starts_with("SC") && self.matches(d.rule),
        }
    }

    /// Parses a selector; `None` when it names no rule.
    pub fn parse(text: &str) -> Option<Selector> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("ALL") {
            return Some(Selector("ALL".into()));
        }
        let upper = t.to_ascii_uppercase();
        if ALL.iter().any(|r| r.code.starts_with(&upper)) && !t.is_empty() {
            return Some(Selector(upper));
        }
        ALL.iter()
            .find(|r| r.name.eq_ignore_ascii_case(t))
            .map(|r| Selector(r.code.to_string()))
    }

    pub fn matches(&self, rule: &Rule) -> bool {
        self.0 == "ALL" || !self.0.starts_with("SC") && rule.code.starts_with(&self.0)
    }

    /// How specific the selector is (a longer prefix wins over a shorter one).
    fn specificity(&self) -> usize {
        if self.0 == "ALL" {
            0
        } else {
            self.0.len()
        }
    }
}

/// The effective rule settings for one project.
#[derive(Clone, Debug, Default)]
pub struct RuleSettings {
    pub select: Option<Vec<Selector>>,
    pub ignore: Vec<Selector>,
    pub severity: Vec<(Selector, Severity)>,
    /// Glob (relative to the project root, `/`-separated) → rules ignored in matching files.
    pub per_file_ignores: Vec<(String, Vec<Selector>)>,
}

impl RuleSettings {
    /// Whether a rule runs: the most specific matching selector decides (ruff's rule).
    pub fn enabled(&self, rule: &Rule) -> bool {
        let selected = match &self.select {
            None => Some(0),
            Some(list) => list
                .iter()
                .filter(|s| s.matches(rule))
                .map(Selector::specificity)
                .max(),
        };
        let ignored = self
            .ignore
            .iter()
            .filter(|s| s.matches(rule))
            .map(Selector::specificity)
            .max();
        match (selected, ignored) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    pub fn severity(&self, rule: &Rule) -> Severity {
        self.severity_override(rule).unwrap_or(rule.severity)
    }

    /// The severity `[severity]` sets for the rule, if any.
    pub fn severity_override(&self, rule: &Rule) -> Option<Severity> {
        self.severity
            .iter()
            .filter(|(s, _)| s.matches(rule))
            .max_by_key(|(s, _)| s.specificity())
            .map(|(_, sev)| *sev)
    }

    /// Whether `per-file-ignores` turns the rule off in this file.
    pub fn ignored_in(&self, rule: &Rule, relative_path: &str) -> bool {
        self.per_file_ignores.iter().any(|(glob, sels)| {
            glob_match(glob, relative_path) && sels.iter().any(|s| s.matches(rule))
        })
    }
}

/// A problem in the configuration file, at a byte range of it.
#[derive(Clone, Debug)]
pub struct ConfigProblem {
    pub message: String,
    pub span: Range<usize>,
}

/// `.sextant.toml`, parsed.
#[derive(Clone, Debug, Default)]
pub struct FileConfig {
    pub rules: RuleSettings,
    pub kamal_version: Option<Version>,
    pub shellcheck: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    kamal_version: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    shellcheck: Option<bool>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
}

/// Parses `.sextant.toml`. Problems are positioned; what is valid is kept.
pub fn parse(text: &str) -> (FileConfig, Vec<ConfigProblem>) {
    let mut problems = Vec::new();
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            problems.push(ConfigProblem {
                message: e.message().to_string(),
                span,
            });
            return (FileConfig::default(), problems);
        }
    };
    let mut config = FileConfig {
        shellcheck: raw.shellcheck,
        ..FileConfig::default()
    };
    let selectors = |list: Vec<Spanned<String>>, problems: &mut Vec<ConfigProblem>| {
        list.into_iter()
            .filter_map(|s| {
                let sel = Selector::parse(s.get_ref());
                if sel.is_none() {
                    problems.push(ConfigProblem {
                        message: format!(
                            "`{}` is not a rule code, code prefix or rule name",
                            s.get_ref()
                        ),
                        span: s.span(),
                    });
                }
                sel
            })
            .collect::<Vec<_>>()
    };
    if let Some(v) = raw.kamal_version {
        match Version::parse_kamal(v.get_ref()) {
            Ok(version) => config.kamal_version = Some(version),
            Err(message) => problems.push(ConfigProblem {
                message,
                span: v.span(),
            }),
        }
    }
    if let Some(list) = raw.select {
        config.rules.select = Some(selectors(list, &mut problems));
    }
    if let Some(list) = raw.ignore {
        config.rules.ignore = selectors(list, &mut problems);
    }
    for (key, value) in raw.severity.unwrap_or_default() {
        let sel = selectors(vec![key], &mut problems);
        match Severity::parse(value.get_ref()) {
            Some(sev) => {
                if let Some(sel) = sel.into_iter().next() {
                    config.rules.severity.push((sel, sev));
                }
            }
            None => problems.push(ConfigProblem {
                message: format!(
                    "`{}` is not a severity: use \"error\", \"warning\" or \"info\"",
                    value.get_ref()
                ),
                span: value.span(),
            }),
        }
    }
    for (glob, list) in raw.per_file_ignores.unwrap_or_default() {
        let sels = selectors(list, &mut problems);
        config
            .rules
            .per_file_ignores
            .push((glob.into_inner(), sels));
    }
    (config, problems)
}

/// Matches a `/`-separated relative path against a glob: `*` (within a segment), `**` (any
/// number of segments), `?` (one character). A pattern without `/` matches the file name
/// anywhere.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./");
    if !pattern.contains('/') {
        let name = path.rsplit('/').next().unwrap_or(path);
        return segment_match(pattern.as_bytes(), name.as_bytes());
    }
    let pats: Vec<&str> = pattern.split('/').collect();
    let segs: Vec<&str> = path.split('/').collect();
    segments_match(&pats, &segs)
}

fn segments_match(pats: &[&str], segs: &[&str]) -> bool {
    match pats.split_first() {
        None => segs.is_empty(),
        Some((&"**", rest)) => (0..=segs.len()).any(|i| segments_match(rest, &segs[i..])),
        Some((p, rest)) => match segs.split_first() {
            Some((s, srest)) => {
                segment_match(p.as_bytes(), s.as_bytes()) && segments_match(rest, srest)
            }
            None => false,
        },
    }
}

fn segment_match(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|i| segment_match(rest, &s[i..])),
        Some((b'?', rest)) => !s.is_empty() && segment_match(rest, &s[1..]),
        Some((c, rest)) => s.first() == Some(c) && segment_match(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{find, UNKNOWN_KEY};

    #[test]
    fn selection_like_ruff() {
        let mut s = RuleSettings::default();
        assert!(s.enabled(&UNKNOWN_KEY));
        s.select = Some(vec![Selector::parse("Y").unwrap()]);
        assert!(!s.enabled(&UNKNOWN_KEY));
        s.select = Some(vec![Selector::parse("K").unwrap()]);
        s.ignore = vec![Selector::parse("unknown-key").unwrap()];
        assert!(!s.enabled(&UNKNOWN_KEY));
        assert!(s.enabled(find("K003").unwrap()));
        // a more specific select wins over a broader ignore
        s.select = Some(vec![Selector::parse("K001").unwrap()]);
        s.ignore = vec![Selector::parse("K").unwrap()];
        assert!(s.enabled(&UNKNOWN_KEY));
        assert!(Selector::parse("nope").is_none());
        assert!(Selector::parse("Q").is_none());
    }

    #[test]
    fn config_file_with_positions() {
        let text = "select = [\"K\", \"Z9\"]\n[severity]\nK001 = \"loud\"\n[per-file-ignores]\n\"config/*.yml\" = [\"K003\"]\n";
        let (config, problems) = parse(text);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(&text[problems[0].span.clone()], "\"Z9\"");
        assert_eq!(&text[problems[1].span.clone()], "\"loud\"");
        assert!(config
            .rules
            .ignored_in(find("K003").unwrap(), "config/deploy.yml"));
        assert!(!config
            .rules
            .ignored_in(find("K003").unwrap(), "other/deploy.yml"));
        let (_, problems) = parse("selct = []\n");
        assert!(problems[0].message.contains("unknown field"));
        assert_eq!(&"selct = []\n"[problems[0].span.clone()], "selct");
        let (_, problems) = parse("select = [\n");
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn globs() {
        assert!(glob_match(
            "config/deploy.*.yml",
            "config/deploy.staging.yml"
        ));
        assert!(!glob_match("config/deploy.*.yml", "config/deploy.yml"));
        assert!(glob_match("**/Dockerfile", "Dockerfile"));
        assert!(glob_match("**/Dockerfile", "docker/web/Dockerfile"));
        assert!(glob_match("Dockerfile*", "sub/Dockerfile.prod"));
        assert!(glob_match(".kamal/hooks/*", ".kamal/hooks/pre-deploy"));
    }
}
