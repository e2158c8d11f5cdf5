use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::secrets::{committed_secret, secret_name, token_shape, url_password};
use crate::syntax::shell::Script;

declare_rule! {
    /// A credential or a webhook URL written in a hook script.
    ///
    /// ## What it does
    /// Reports, in every file of the hooks folders (comments included): known token shapes
    /// (GitHub, GitLab, AWS, Stripe, Slack, …), URLs with a password, webhook URLs that are
    /// secrets in themselves (Slack, Discord, Microsoft Teams, Google Chat, Telegram bots),
    /// URLs with a literal `token=`/`key=` parameter, literal `Authorization:`/`X-API-Key:`
    /// header values, and literal values assigned to secret-looking names
    /// (`SLACK_TOKEN="…"`). The message never contains the value, and the value is masked in
    /// every output.
    ///
    /// A password given on a command line as `-u user:password` (`--user`, curl, wget) counts
    /// too.
    ///
    /// ## Why is this bad?
    /// Hooks are committed with the project. Anyone who can read the repository — or a fork,
    /// or its history — can use the credential, and a webhook URL is enough to post to the
    /// channel as your deploy bot. Rotating it later does not remove it from git history.
    ///
    /// ## Example
    /// ```sh
    /// #!/bin/sh
    /// # .kamal/hooks/post-deploy
    /// curl -X POST -d "{\"text\":\"Deployed $KAMAL_VERSION\"}" https://hooks.slack.com/services/T000/B000/XXXXXXXX
    /// ```
    /// Use instead: keep the URL in `.kamal/secrets` (read from the environment or a password
    /// manager); `post-deploy` and `pre-deploy` receive the secrets as environment variables:
    /// ```sh
    /// curl -X POST -d "{\"text\":\"Deployed $KAMAL_VERSION\"}" "$SLACK_WEBHOOK_URL"
    /// ```
    /// and revoke the leaked URL.
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.2 (pre-deploy and post-deploy receive the secrets); secrets, §7
    pub static HOOK_HARDCODED_CREDENTIAL = {
        code: "H014",
        name: "hook-hardcoded-credential",
        category: Hooks,
        severity: Warning,
        fix: None,
    };
}

/// A credential found in a hook: where its value is and what it is (never the value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Credential {
    pub value: Range<usize>,
    pub what: String,
}

/// Values that are examples, not credentials.
fn placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    value.contains('$')
        || value.contains('<')
        || value.contains("…")
        || value.contains("...")
        || lower.contains("xxxx")
        || lower.contains("your")
        || lower.contains("example")
        || lower.contains("changeme")
        || lower.contains("placeholder")
}

/// What a URL reveals, if it is a secret.
fn secret_url(url: &str) -> Option<&'static str> {
    let lower = url.to_ascii_lowercase();
    let rest = lower.split_once("://")?.1;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let segments = path.split(['/', '?']).filter(|s| !s.is_empty()).count();
    let what = if host == "hooks.slack.com" && segments >= 3 {
        "a Slack webhook URL"
    } else if (host.ends_with("discord.com") || host.ends_with("discordapp.com"))
        && path.starts_with("api/webhooks/")
        && segments >= 4
    {
        "a Discord webhook URL"
    } else if host.ends_with("webhook.office.com")
        || host == "outlook.office.com" && path.starts_with("webhook")
    {
        "a Microsoft Teams webhook URL"
    } else if host == "chat.googleapis.com" && lower.contains("token=") {
        "a Google Chat webhook URL"
    } else if host == "api.telegram.org" && path.starts_with("bot") && path.contains(':') {
        "a Telegram bot token"
    } else if url_password(url) {
        "a URL with a password"
    } else {
        let query = lower.split_once('?')?.1;
        let secret_param = query.split('&').any(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            matches!(
                k,
                "token" | "key" | "api_key" | "apikey" | "access_token" | "secret" | "auth"
            ) && v.len() >= 16
        });
        if secret_param {
            "a URL with a token in it"
        } else {
            return None;
        }
    };
    Some(what)
}

/// Every credential in a hook file (any language).
pub(crate) fn credentials(text: &str, script: &Script) -> Vec<Credential> {
    let mut out: Vec<Credential> = Vec::new();
    let bytes = text.as_bytes();
    let is_stop = |c: u8| c.is_ascii_whitespace() || b"\"'`()<>[]{},;|\\".contains(&c);
    // URLs
    for scheme in ["https://", "http://"] {
        let mut from = 0;
        while let Some(k) = text[from..].find(scheme) {
            let start = from + k;
            let mut end = start;
            while end < bytes.len() && !is_stop(bytes[end]) {
                end += 1;
            }
            from = end.max(start + scheme.len());
            let url = &text[start..end];
            if placeholder(url) {
                continue;
            }
            if let Some(what) = secret_url(url) {
                out.push(Credential {
                    value: start..end,
                    what: what.to_string(),
                });
            }
        }
    }
    // token shapes
    let mut i = 0;
    while i < bytes.len() {
        if is_stop(bytes[i]) || matches!(bytes[i], b'=' | b':') {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_stop(bytes[i]) && !matches!(bytes[i], b'=' | b':') {
            i += 1;
        }
        // a private key header spans spaces: `-----BEGIN RSA PRIVATE KEY-----`
        let token = &text[start..i];
        if token.starts_with("-----BEGIN") {
            let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
            if text[start..line_end].contains("PRIVATE KEY") {
                let end = text[start..]
                    .find("-----END")
                    .and_then(|e| text[start + e..].find('\n').map(|n| start + e + n))
                    .unwrap_or(line_end);
                out.push(Credential {
                    value: start..end,
                    what: "a private key".into(),
                });
                i = end.max(i);
                continue;
            }
        }
        if placeholder(token) {
            continue;
        }
        if let Some(kind) = token_shape(token) {
            out.push(Credential {
                value: start..i,
                what: kind.to_string(),
            });
        }
    }
    // header values: `Authorization: Bearer abc…`, `X-API-Key: abc…`
    let lower = text.to_ascii_lowercase();
    for header in [
        "authorization:",
        "x-api-key:",
        "api-key:",
        "x-auth-token:",
        "private-token:",
        "x-api-token:",
    ] {
        let mut from = 0;
        while let Some(k) = lower[from..].find(header) {
            let mut j = from + k + header.len();
            from = j;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            // an authorization scheme
            for scheme in ["bearer ", "token ", "basic "] {
                if lower[j..].starts_with(scheme) {
                    j += scheme.len();
                    break;
                }
            }
            let start = j;
            while j < bytes.len() && !is_stop(bytes[j]) {
                j += 1;
            }
            let value = &text[start..j];
            if value.len() >= 12 && !placeholder(value) {
                out.push(Credential {
                    value: start..j,
                    what: "a literal authorization header value".into(),
                });
            }
        }
    }
    // secret-looking names given a literal value
    for a in &script.assignments {
        let Some(value) = &a.value else { continue };
        if !value.literal || !secret_name(&a.name) {
            continue;
        }
        if committed_secret(&a.name, &value.text).is_none() || placeholder(&value.text) {
            continue;
        }
        let mut span = value.span.clone();
        let raw = text.get(span.clone()).unwrap_or("");
        if raw.len() >= 2
            && (raw.starts_with('"') && raw.ends_with('"')
                || raw.starts_with('\'') && raw.ends_with('\''))
        {
            span = span.start + 1..span.end - 1;
        }
        out.push(Credential {
            value: span,
            what: format!("the value of `{}`", a.name),
        });
    }
    // `curl -u user:password` (`--user user:password`, `--user=…`, `-uuser:password`)
    user_options(text, &mut out);
    if !script.language.is_shell() {
        for range in &script.code {
            assignments_in_code(text, range.clone(), &mut out);
        }
    }
    // one finding per value: the widest wins
    out.sort_by_key(|c| (c.value.start, std::cmp::Reverse(c.value.end)));
    let mut kept: Vec<Credential> = Vec::new();
    for c in out {
        if kept.last().is_some_and(|k| c.value.start < k.value.end) {
            continue;
        }
        kept.push(c);
    }
    kept
}

/// The password of `-u user:password` / `--user user:password` (curl, wget and others), when it
/// is literal (not `$VAR`, not a placeholder).
fn user_options(text: &str, out: &mut Vec<Credential>) {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        for found in crate::secrets::user_passwords(line) {
            if placeholder(&line[found.password.clone()]) {
                continue;
            }
            out.push(Credential {
                value: at + found.password.start..at + found.password.end,
                what: "a password given with `-u user:password`".into(),
            });
        }
        at += line.len();
    }
}

/// `NAME = "literal"` in Ruby, Python and JavaScript code.
fn assignments_in_code(text: &str, range: Range<usize>, out: &mut Vec<Credential>) {
    let Some(code) = text.get(range.clone()) else {
        return;
    };
    let b = code.as_bytes();
    for (k, _) in code.match_indices('=') {
        if b.get(k + 1) == Some(&b'=') || k > 0 && matches!(b[k - 1], b'=' | b'!' | b'<' | b'>') {
            continue;
        }
        let before = code[..k].trim_end();
        let name_start = crate::text::word_start(before, |c| c.is_ascii_alphanumeric() || c == '_');
        let name = &before[name_start..];
        if name.is_empty() || !secret_name(name) {
            continue;
        }
        let after = &code[k + 1..];
        let lead = after.len() - after.trim_start().len();
        let Some(q) = after
            .trim_start()
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
        else {
            continue;
        };
        let value_start = k + 1 + lead + 1;
        let Some(len) = code[value_start..].find(q) else {
            continue;
        };
        let value = &code[value_start..value_start + len];
        if value.contains("#{") || placeholder(value) {
            continue;
        }
        if committed_secret(name, value).is_some() {
            out.push(Credential {
                value: range.start + value_start..range.start + value_start + len,
                what: format!("the value of `{name}`"),
            });
        }
    }
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for hook in cx.hooks {
        let text = &cx.files.get(hook.file).text;
        for c in credentials(text, &hook.script) {
            let first = text[c.value.start..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
            out.push(
                Diagnostic::new(
                    &HOOK_HARDCODED_CREDENTIAL,
                    hook.span(c.value.start..c.value.start + first),
                    format!("{} is written in this hook: it is committed with the project, readable by anyone who can read the repository", c.what),
                )
                .with_help("read it from the environment (keep it in `.kamal/secrets`: `pre-deploy` and `post-deploy` receive the secrets), and revoke this one"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::shell::parse;

    fn found(text: &str) -> Vec<String> {
        credentials(text, &parse(text))
            .into_iter()
            .map(|c| text[c.value].to_string())
            .collect()
    }

    #[test]
    fn credentials_in_hooks() {
        let slack = "https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/abcdefghijklmnopqrstuvwx";
        assert_eq!(found(&format!("#!/bin/sh\ncurl -d x {slack}\n")), [slack]);
        assert_eq!(
            found("#!/bin/sh\ncurl \"$SLACK_WEBHOOK_URL\"\n"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("#!/bin/sh\ncurl https://hooks.slack.com/services/XXXX/XXXX/XXXX\n"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("#!/bin/sh\nAPI_TOKEN=\"s3cr3t-v4lue-123\"\n"),
            ["s3cr3t-v4lue-123"]
        );
        assert_eq!(
            found("#!/bin/sh\ncurl -H 'Authorization: Bearer abcdef0123456789abcd' x\n"),
            ["abcdef0123456789abcd"]
        );
        assert_eq!(
            found("#!/bin/sh\ncurl -H \"Authorization: Bearer $TOKEN\" x\n"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("#!/usr/bin/env ruby\nTOKEN = \"abcdefghij123456\"\n"),
            ["abcdefghij123456"]
        );
        let gh = "ghp_0123456789abcdefghijABCDEFGHIJ0123";
        assert_eq!(found(&format!("#!/bin/sh\n# old token {gh}\n")), [gh]);
    }
}
