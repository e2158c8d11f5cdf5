//! Secret values never reach any output: the spans of every value that is or may be a secret
//! are collected once per analysis, and every sink that shows source text (snippets, diffs,
//! hovers) masks them.

use crate::files::Files;
use crate::rules::context::{HookSource, SecretsSource};
use crate::secrets::{committed_secret, secret_name, token_shape, url_password};
use crate::syntax::dotenv::Part;
use crate::syntax::yaml::{Node, Value, YamlFile};
use crate::text::{FileId, Span};

/// The spans to hide: literal text in secrets files; in config files, values of secret-looking
/// names, credential shapes anywhere, registry credentials written in the file, and comments
/// holding tokens; in hook files, the credentials `hook-hardcoded-credential` finds.
pub fn collect(
    secrets: &[SecretsSource],
    configs: &[(FileId, &YamlFile)],
    hooks: &[HookSource],
    files: &Files,
) -> Vec<Span> {
    let mut out = Vec::new();
    for hook in hooks {
        let text = &files.get(hook.file).text;
        for c in crate::rules::hook_credentials(text, &hook.script) {
            out.push(hook.span(c.value));
        }
    }
    for source in secrets {
        for entry in &source.parsed.entries {
            for part in &entry.parts {
                if let Part::Literal { text, span } = part {
                    if !text.trim().is_empty() {
                        out.push(source.span(span.clone()));
                    }
                }
            }
        }
        // lines dotenv skips may still hold a value
        for line in &source.parsed.ignored_lines {
            out.push(source.span(line.clone()));
        }
        // a commented-out line may still hold an old value
        for c in &source.parsed.comments {
            if c.text.contains('=') || c.text.split_whitespace().any(|w| token_shape(w).is_some()) {
                out.push(source.span(c.span.clone()));
            }
        }
    }
    for (file, yaml) in configs {
        if let Some(root) = &yaml.root {
            walk(root, None, &mut out);
        }
        for c in &yaml.comments {
            if c.text
                .split(|ch: char| ch.is_whitespace() || "=:\"'".contains(ch))
                .any(|w| token_shape(w).is_some() || url_password(w))
            {
                out.push(c.span);
            }
        }
        let _ = file;
    }
    out.sort();
    out.dedup();
    out
}

/// `key` is the mapping key a scalar is the value of; list items have none (lists hold names:
/// `env.secret`, `password: [NAME]`), except that credential shapes are masked anywhere.
fn walk(node: &Node, key: Option<&str>, out: &mut Vec<Span>) {
    match &*node.value {
        Value::Scalar(s) => {
            if s.erb || node.span.is_empty() {
                return;
            }
            let text = node.ruby_to_s();
            // secret *names* (`certificate_pem: CERT_PEM`) are not secrets
            let names_a_secret = key.is_some_and(|k| k.ends_with("_pem"));
            let named = key.is_some_and(secret_name) && !names_a_secret;
            // a password written as a NAME is sent literally but is no secret (S007)
            let name_like = text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            let password = key == Some("password") && !name_like;
            if token_shape(&text).is_some()
                || url_password(&text)
                || (named || password) && !text.is_empty()
                || key.is_some_and(|k| !names_a_secret && committed_secret(k, &text).is_some())
            {
                out.push(node.span);
            }
        }
        Value::Seq(items) => {
            for item in items {
                walk(item, None, out);
            }
        }
        Value::Map(entries) => {
            for e in entries {
                let k = e.key.ruby_to_s();
                walk(&e.value, Some(&k), out);
            }
        }
    }
}

/// The text of a file with the spans (of that file) masked: each character becomes one of the
/// same UTF-8 length, so byte offsets and character columns stay valid.
pub fn mask(text: &str, file: FileId, spans: &[Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for span in spans.iter().filter(|s| s.file == file) {
        let range = span.range();
        let (Some(start), Some(end)) = (
            floor_boundary(text, range.start),
            floor_boundary(text, range.end.min(text.len())),
        ) else {
            continue;
        };
        let mut masked = String::new();
        for c in text[start..end].chars() {
            masked.push(match c.len_utf8() {
                _ if c == '\n' || c == '\r' => c,
                1 => '*',
                2 => '·',
                3 => '•',
                _ => '🔒',
            });
        }
        bytes[start..end].copy_from_slice(masked.as_bytes());
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn floor_boundary(text: &str, mut at: usize) -> Option<usize> {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    Some(at)
}

/// The secret strings themselves (at least 6 characters), to scrub from free text such as a
/// diff: never printed, only searched for.
pub fn values(files: &Files, spans: &[Span]) -> Vec<String> {
    let mut out: Vec<String> = spans
        .iter()
        .map(|s| files.slice(*s).trim().trim_matches(['"', '\'']).to_string())
        .filter(|v| v.chars().count() >= 6)
        .collect();
    // longest first, so that a value containing another is masked whole
    out.sort_by_key(|v| std::cmp::Reverse(v.len()));
    out.dedup();
    out
}

/// Replaces every occurrence of the values in `text` with `*` of the same character count.
pub fn scrub(text: &str, values: &[String]) -> String {
    let mut out = text.to_string();
    for v in values {
        if out.contains(v.as_str()) {
            out = out.replace(v.as_str(), &"*".repeat(v.chars().count()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_offsets_and_columns() {
        let text = "A: s3cré😀t\nB: open\n";
        let start = text.find("s3").unwrap();
        let end = text.find('\n').unwrap();
        let masked = mask(text, FileId(0), &[Span::new(FileId(0), start..end)]);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked, "A: ****·🔒*\nB: open\n");
        assert_eq!(scrub("x s3cret y", &["s3cret".to_string()]), "x ****** y");
    }
}
