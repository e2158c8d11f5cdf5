use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::text::Span;

declare_rule! {
    /// A secrets file Kamal never reads, because of its name.
    ///
    /// ## What it does
    /// Reports files in `.kamal/` whose name starts with `secret` but that Kamal does not read:
    /// `secrets-production` (Kamal reads `secrets.production`), `secrets_common`, `secret`,
    /// `secrets.prod` when there is no `config/deploy.prod.yml`, …
    ///
    /// ## Why is this bad?
    /// Kamal reads exactly `.kamal/secrets-common`, and `.kamal/secrets` or `.kamal/secrets.DEST`.
    /// Secrets in any other file are silently ignored, and the deploy fails with
    /// `Secret 'NAME' not found`.
    ///
    /// ## Example
    /// ```text
    /// .kamal/secrets-production
    /// ```
    /// Use instead:
    /// ```text
    /// .kamal/secrets.production
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 secrets, §7.1
    pub static MISNAMED_SECRETS_FILE = {
        code: "S005",
        name: "misnamed-secrets-file",
        category: Secrets,
        severity: Warning,
        fix: None,
    };
}

/// Templates and backups that are meant not to be read.
fn intentional(name: &str) -> bool {
    [
        ".example",
        ".sample",
        ".template",
        ".dist",
        ".bak",
        ".orig",
        "~",
        ".swp",
    ]
    .iter()
    .any(|s| name.ends_with(s))
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    let destinations: Vec<&str> = cx.overlays().filter_map(|o| o.destination).collect();
    for source in cx.secrets {
        let name = source.name.as_str();
        if !source.path.parent().is_some_and(|p| p.ends_with(".kamal")) || intentional(name) {
            continue;
        }
        let suggestion = match name {
            "secrets" | "secrets-common" => continue,
            _ => {
                if let Some(dest) = name.strip_prefix("secrets.") {
                    if destinations.contains(&dest) {
                        continue;
                    }
                    let known = if destinations.is_empty() {
                        "there is no destination file at all".to_string()
                    } else {
                        format!(
                            "the destinations are {}",
                            destinations
                                .iter()
                                .map(|d| format!("`{d}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    format!("Kamal reads it only with `-d {dest}`, and there is no `config/deploy.{dest}.yml` ({known})")
                } else if let Some(rest) = name
                    .strip_prefix("secrets-")
                    .or_else(|| name.strip_prefix("secrets_"))
                {
                    if rest == "common" {
                        "Kamal reads `secrets-common` (with a hyphen)".to_string()
                    } else {
                        format!("Kamal reads `secrets.{rest}` (with a dot) for `-d {rest}`")
                    }
                } else {
                    "Kamal reads `secrets`, `secrets-common` and `secrets.DEST` only".to_string()
                }
            }
        };
        out.push(
            Diagnostic::new(
                &MISNAMED_SECRETS_FILE,
                Span::empty(source.file, 0),
                format!("Kamal never reads `.kamal/{name}`: {suggestion}"),
            )
            .with_help("rename the file so Kamal reads it, or remove it"),
        );
    }
}
