//! Recognising secret values without ever printing them: known token shapes, URLs with a
//! password, literal values for secret-looking names. Used by the secrets rules and by the
//! redaction of source snippets in every output.

/// A name that suggests its value is a secret (`DB_PASSWORD`, `STRIPE_API_KEY`, `AUTH_TOKEN`):
/// its last word says so, or it names a secret key. `PUBLIC` names are not secrets
/// (`NEXT_PUBLIC_VAPID_PUBLIC_KEY`), nor are settings about a secret (`SHOW_PASSWORD_HINT`).
pub fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| matches!(*w, "PUBLIC" | "PUBLISHABLE")) {
        return false;
    }
    let last = words.last().copied().unwrap_or("");
    matches!(
        last,
        "PASSWORD"
            | "PASSWD"
            | "PASS"
            | "PWD"
            | "SECRET"
            | "TOKEN"
            | "KEY"
            | "APIKEY"
            | "CREDENTIALS"
            | "PASSPHRASE"
    ) || [
        "SECRET_KEY",
        "MASTER_KEY",
        "PRIVATE_KEY",
        "API_KEY",
        "ACCESS_KEY",
    ]
    .iter()
    .any(|k| upper.contains(k) && !upper.ends_with("_ID"))
}

/// A value that is a placeholder or a name, not a secret (`YOUR_API_KEY`, `CHANGE_ME`,
/// `REDIS_PASSWORD`, `<token>`).
fn placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let name_like = value.bytes().any(|b| b.is_ascii_uppercase())
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    name_like
        || lower.starts_with("your")
        || lower.starts_with('<')
        || [
            "change_me",
            "changeme",
            "change-me",
            "example",
            "placeholder",
            "xxxx",
            "replace",
        ]
        .iter()
        .any(|p| lower.contains(p))
}

/// A known credential shape (GitHub, GitLab, AWS, Stripe, Slack, Google, Docker Hub, npm,
/// PyPI, SendGrid, private keys). Returns the kind.
pub fn token_shape(value: &str) -> Option<&'static str> {
    let v = value.trim();
    let prefixed =
        |prefix: &str, min: usize| v.starts_with(prefix) && v.len() >= prefix.len() + min;
    let alnum_tail = |prefix: &str| {
        v[prefix.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    const SHAPES: &[(&str, usize, &str)] = &[
        ("ghp_", 30, "a GitHub token"),
        ("gho_", 30, "a GitHub token"),
        ("ghu_", 30, "a GitHub token"),
        ("ghs_", 30, "a GitHub token"),
        ("ghr_", 30, "a GitHub token"),
        ("github_pat_", 40, "a GitHub token"),
        ("glpat-", 18, "a GitLab token"),
        ("dckr_pat_", 20, "a Docker Hub token"),
        ("sk_live_", 16, "a Stripe secret key"),
        ("sk_test_", 16, "a Stripe secret key"),
        ("rk_live_", 16, "a Stripe key"),
        ("whsec_", 20, "a Stripe webhook secret"),
        ("xoxb-", 20, "a Slack token"),
        ("xoxp-", 20, "a Slack token"),
        ("AIza", 30, "a Google API key"),
        ("npm_", 30, "an npm token"),
        ("pypi-", 40, "a PyPI token"),
        ("SG.", 40, "a SendGrid key"),
        ("AKIA", 16, "an AWS access key id"),
        ("ASIA", 16, "an AWS access key id"),
        ("do_v1_", 40, "a DigitalOcean token"),
        ("hvs.", 20, "a Vault token"),
    ];
    for (prefix, min, kind) in SHAPES {
        if prefixed(prefix, *min) && alnum_tail(prefix)
            || (*prefix == "SG." && prefixed(prefix, *min))
        {
            return Some(kind);
        }
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    None
}

/// A URL with a literal password (`postgres://user:pass@host`), not a `$VAR` or `<%= %>`.
pub fn url_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return false;
    };
    let Some((_, password)) = userinfo.split_once(':') else {
        return false;
    };
    !password.is_empty()
        && !password.starts_with('$')
        && !password.contains("<%")
        && !password.starts_with('{')
        && !placeholder(password)
}

/// Why a literal value looks like a committed secret, if it does (never the value itself):
/// a known token shape, a URL with a password, or a real-looking value for a secret-looking
/// name. Placeholders and names are not secrets.
pub fn committed_secret(name: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() || v.contains("<%") || v.starts_with('$') || placeholder(v) {
        return None;
    }
    if let Some(kind) = token_shape(v) {
        return Some(format!("has the shape of {kind}"));
    }
    if url_password(v) {
        return Some("is a URL with a password".into());
    }
    if !secret_name(name) {
        return None;
    }
    let trivial = matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "none" | "null" | "nil"
    ) || v.chars().all(|c| c.is_ascii_digit());
    (!trivial && v.chars().count() >= 6)
        .then(|| "is a literal value for a secret-looking name".to_string())
}

/// One `-u user:password` on a command line (curl, wget and others): where the credential word
/// is (quotes included) and where its password is, both as byte ranges of the line.
pub struct UserPassword {
    pub word: std::ops::Range<usize>,
    pub password: std::ops::Range<usize>,
}

/// Every `-u user:password`, `--user user:password`, `--user=user:password` and
/// `-uuser:password` of one line whose user is a plain name and whose password is literal (no
/// `$`, `{`, `}` or backquote). The option and its value must share the line.
pub fn user_passwords(line: &str) -> Vec<UserPassword> {
    let mut words: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (start, c.is_whitespace() || c.is_control()) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                words.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let word = &line[w.clone()];
        let cred = if word == "-u" || word == "--user" {
            words.get(k + 1).cloned()
        } else if let Some(rest) = word.strip_prefix("--user=") {
            Some(w.end - rest.len()..w.end)
        } else if word.len() > 2 && word.starts_with("-u") && word[2..].contains(':') {
            Some(w.start + 2..w.end)
        } else {
            None
        };
        let Some(cred) = cred else { continue };
        let raw = &line[cred.clone()];
        let lead = raw.len() - raw.trim_start_matches(['"', '\'']).len();
        let inner = raw.trim_matches(['"', '\'']);
        let Some(colon) = inner.find(':') else {
            continue;
        };
        let (user, password) = (&inner[..colon], &inner[colon + 1..]);
        let plain_user = user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._@-".contains(&b));
        if !plain_user || password.is_empty() || password.contains(['$', '{', '}', '`']) {
            continue;
        }
        let at = cred.start + lead + colon + 1;
        out.push(UserPassword {
            word: cred,
            password: at..at + password.len(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(secret_name("DB_PASSWORD"));
        assert!(secret_name("STRIPE_API_KEY"));
        assert!(secret_name("RAILS_MASTER_KEY"));
        assert!(secret_name("SECRET_KEY_BASE"));
        assert!(secret_name("GITHUB_TOKEN"));
        assert!(!secret_name("AWS_ACCESS_KEY_ID"));
        assert!(!secret_name("STRIPE_PUBLISHABLE_KEY"));
        assert!(!secret_name("RAILS_ENV"));
        assert!(!secret_name("KEYCLOAK_URL"));
        assert!(!secret_name("SHOW_PASSWORD_HINT"));
        assert!(!secret_name("AUTH_SESSION_COOKIE_NAME"));
        assert!(!secret_name("NEXT_PUBLIC_VAPID_PUBLIC_KEY"));
        assert!(!secret_name("AUTH_SERVER_PORT"));
        assert!(secret_name("SMTP_PASS"));
    }

    #[test]
    fn values() {
        assert!(token_shape("ghp_0123456789abcdefghijABCDEFGHIJ0123").is_some());
        assert!(token_shape("AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(token_shape("hello").is_none());
        assert!(url_password("postgres://app:hunter22@db:5432/app"));
        assert!(!url_password("postgres://app:$DB_PASSWORD@db/app"));
        assert!(!url_password("postgres://app@db/app"));
        assert!(!url_password("https://demo.io/a:b@c"));
        assert!(committed_secret("DB_PASSWORD", "correct-horse-battery").is_some());
        assert!(committed_secret("DB_PASSWORD", "$DB_PASSWORD").is_none());
        assert!(committed_secret("DB_HOST", "db.internal").is_none());
        assert!(committed_secret("SOLID_QUEUE_IN_PUMA", "true").is_none());
        assert!(committed_secret("DO_SPACES_KEY", "YOUR_SPACES_KEY").is_none());
        assert!(committed_secret("URL", "redis://:REDIS_PASSWORD@10.0.0.1:6379/0").is_none());
        assert!(committed_secret("S3_ENDPOINT", "fsn1.your-objectstorage.com").is_none());
        assert!(committed_secret("RCON_PASSWORD", "password123").is_some());
    }
}
