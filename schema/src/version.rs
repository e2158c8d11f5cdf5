//! Kamal release versions, compared the way RubyGems' `Gem::Version` compares them.

use std::cmp::Ordering;
use std::fmt;

/// A Kamal release number (`major.minor.patch`). Only numeric releases are modelled: Kamal's
/// version gates are all on final releases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u16,
    pub minor: u16,
    pub patch: u16,
}

impl Version {
    pub const fn new(major: u16, minor: u16, patch: u16) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// Parses `2`, `2.8`, `2.8.2` (missing parts are 0). Anything else is `None`.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = match parts.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        let patch = match parts.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Version::new(major, minor, patch))
    }

    /// Parses a Kamal version given by the user (`--kamal-version`, `.sextant.toml`, editor
    /// settings): a version like `2.8.2`, and a Kamal 2 one (sextant knows 2.0 to 2.12; a later
    /// 2.x is checked as the latest known).
    pub fn parse_kamal(text: &str) -> Result<Version, String> {
        let v = Version::parse(text)
            .ok_or_else(|| format!("`{}` is not a version like 2.8.2", text.trim()))?;
        if v.major != 2 {
            return Err(format!(
                "`{v}` is not a Kamal 2 version: sextant checks Kamal 2.0 to {LATEST_KNOWN} configurations"
            ));
        }
        Ok(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Kamal 2.0.0, where every key inherited from Kamal 1 is dated.
pub const V2_0: Version = Version::new(2, 0, 0);
/// The version sextant checks against unless told otherwise.
pub const DEFAULT_VERSION: Version = Version::new(2, 8, 2);
/// The newest Kamal release sextant knows about.
pub const LATEST_KNOWN: Version = Version::new(2, 12, 0);

/// A version string in RubyGems' sense (`Gem::Version`): dot-separated segments, numeric or
/// alphabetic, where a letter makes a prerelease. Used for `minimum_version`.
#[derive(Clone, Debug)]
pub struct GemVersion {
    segments: Vec<Segment>,
    text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Num(u128),
    Str(String),
}

impl GemVersion {
    /// Parses like `Gem::Version.new`: returns `None` where RubyGems raises
    /// `Malformed version number string`.
    pub fn parse(text: &str) -> Option<GemVersion> {
        let trimmed = text.trim();
        if !Self::is_correct(trimmed) {
            return None;
        }
        let canonical = if trimmed.is_empty() { "0" } else { trimmed };
        // Gem::Version turns `-` into `.pre.`.
        let normal = canonical.replace('-', ".pre.");
        let mut segments = Vec::new();
        let mut current = String::new();
        let mut numeric = true;
        let flush = |current: &mut String, numeric: bool, segments: &mut Vec<Segment>| {
            if current.is_empty() {
                return;
            }
            if numeric {
                segments.push(Segment::Num(current.parse().unwrap_or(u128::MAX)));
            } else {
                segments.push(Segment::Str(current.clone()));
            }
            current.clear();
        };
        for c in normal.chars() {
            if c == '.' {
                flush(&mut current, numeric, &mut segments);
                continue;
            }
            let is_digit = c.is_ascii_digit();
            if !current.is_empty() && is_digit != numeric {
                flush(&mut current, numeric, &mut segments);
            }
            numeric = is_digit;
            current.push(c);
        }
        flush(&mut current, numeric, &mut segments);
        Some(GemVersion {
            segments,
            text: canonical.to_string(),
        })
    }

    /// `Gem::Version::ANCHORED_VERSION_PATTERN`:
    /// `\A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z`
    fn is_correct(s: &str) -> bool {
        if s.is_empty() {
            return true;
        }
        let (main, pre) = match s.find('-') {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let mut parts = main.split('.');
        let first = parts.next().unwrap_or("");
        if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        for p in parts {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return false;
            }
        }
        if let Some(pre) = pre {
            for p in pre.split('.') {
                if p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    return false;
                }
            }
        }
        true
    }

    pub fn is_prerelease(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Segment::Str(_)))
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn from_version(v: Version) -> GemVersion {
        GemVersion::parse(&v.to_string()).expect("a numeric version is always correct")
    }

    /// The release as a plain [`Version`] when it is one (`2.9`, `2.9.0`).
    pub fn to_version(&self) -> Option<Version> {
        if self.is_prerelease() || self.segments.len() > 3 {
            return None;
        }
        Version::parse(&self.text)
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GemVersion {}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for GemVersion {
    /// `Gem::Version#<=>`: trailing zero segments are ignored, numbers beat strings.
    fn cmp(&self, other: &Self) -> Ordering {
        let trim = |s: &[Segment]| -> Vec<Segment> {
            let mut v = s.to_vec();
            while matches!(v.last(), Some(Segment::Num(0))) && v.len() > 1 {
                v.pop();
            }
            v
        };
        let a = trim(&self.segments);
        let b = trim(&other.segments);
        let n = a.len().max(b.len());
        for i in 0..n {
            let x = a.get(i).cloned().unwrap_or(Segment::Num(0));
            let y = b.get(i).cloned().unwrap_or(Segment::Num(0));
            let ord = match (&x, &y) {
                (Segment::Num(p), Segment::Num(q)) => p.cmp(q),
                (Segment::Str(_), Segment::Num(_)) => Ordering::Less,
                (Segment::Num(_), Segment::Str(_)) => Ordering::Greater,
                (Segment::Str(p), Segment::Str(q)) => p.cmp(q),
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_versions_are_kamal_2() {
        assert_eq!(Version::parse_kamal(" 2.9 "), Ok(Version::new(2, 9, 0)));
        assert!(Version::parse_kamal("3.0.0")
            .unwrap_err()
            .contains("not a Kamal 2 version"));
        assert!(Version::parse_kamal("1.9.0").is_err());
        assert!(Version::parse_kamal("latest")
            .unwrap_err()
            .contains("not a version"));
    }

    #[test]
    fn plain_versions() {
        assert_eq!(Version::parse("2.8.2"), Some(Version::new(2, 8, 2)));
        assert_eq!(Version::parse("2.8"), Some(Version::new(2, 8, 0)));
        assert_eq!(Version::parse("x"), None);
        assert!(Version::new(2, 10, 0) > Version::new(2, 9, 3));
    }

    #[test]
    fn gem_versions() {
        let v = |s| GemVersion::parse(s).unwrap();
        assert!(GemVersion::parse("latest").is_none());
        assert!(GemVersion::parse("2.x").is_some());
        assert!(v("2.8") < v("2.8.2"));
        assert_eq!(v("2.8.0").cmp(&v("2.8")), std::cmp::Ordering::Equal);
        assert!(v("10000.0.0") > v("2.8.2"));
        assert!(v("2.9.0.rc1") < v("2.9.0"));
        assert!(v("2.9.0.rc1") > v("2.8.2"));
        assert!(v("2.10") > v("2.9"));
        assert_eq!(v("2.9").to_version(), Some(Version::new(2, 9, 0)));
        assert!(GemVersion::parse("").is_some());
    }
}
