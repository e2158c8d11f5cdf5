use crate::config::glob_match;
use crate::diagnostic::Diagnostic;
use crate::project::display_name;
use crate::rules::context::LoadContext;
use crate::rules::walk::{self, SecretUse};

declare_rule! {
    /// A secret the configuration uses that the secrets files Kamal reads do not define.
    ///
    /// ## What it does
    /// For each load (the base configuration, and each destination), looks up every secret the
    /// configuration refers to — `env.secret` items (with `NAME:SECRET` aliasing) in the root,
    /// role, tag and accessory envs, registry `username`/`password` one-item lists,
    /// `builder.secrets`, `proxy.ssl` pem names — in the files Kamal reads for that load:
    /// `.kamal/secrets-common` plus `.kamal/secrets` without a destination, or
    /// `.kamal/secrets-common` plus `.kamal/secrets.DEST` with one.
    ///
    /// ## Why is this bad?
    /// Kamal reads secrets only when a command needs them, so the configuration validates and
    /// the deploy fails halfway: `Secret 'NAME' not found in .kamal/secrets-common,
    /// .kamal/secrets.staging`. With a destination Kamal **never** reads `.kamal/secrets`, even
    /// when `.kamal/secrets.DEST` does not exist — the most common surprise.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   secret:
    ///     - RAILS_MASTER_KEY
    /// ```
    /// with `RAILS_MASTER_KEY` defined only in `.kamal/secrets`, deployed with `-d staging`.
    ///
    /// Use instead: define it in `.kamal/secrets-common` (shared by every destination), or in
    /// `.kamal/secrets.staging`.
    ///
    /// ## References
    /// - Kamal 2.8.2 secrets, §7.1 and §7.4; surprises §13.2–13.3
    /// - <https://kamal-deploy.org/docs/configuration/environment-variables/#secrets>
    pub static UNDEFINED_SECRET = {
        code: "S001",
        name: "undefined-secret",
        category: Secrets,
        severity: Error,
        fix: None,
    };
}

/// Whether the project's `.gitignore` ignores this path (then its absence proves nothing).
pub(crate) fn gitignored(cx: &LoadContext, path: &std::path::Path) -> bool {
    let Ok(bytes) = cx.project.vfs.read(&cx.project.root.join(".gitignore")) else {
        return false;
    };
    let relative = display_name(path, cx.project.root);
    String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .any(|pattern| {
            let pattern = pattern.trim_start_matches('/').trim_end_matches('/');
            glob_match(pattern, &relative) || glob_match(&format!("{pattern}/**"), &relative)
        })
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    // no secrets file at all: one note instead (S002), not an error per reference
    if cx.project.secrets.is_empty() {
        return;
    }
    let refs = walk::secret_refs(cx.config, &cx.roles);
    if refs.is_empty() {
        return;
    }
    let files = cx.secrets_files();
    let paths = cx.secrets_paths();
    let read: Vec<String> = paths
        .iter()
        .map(|p| display_name(p, cx.project.root))
        .collect();
    let existing: Vec<String> = files
        .iter()
        .map(|f| display_name(&f.path, cx.project.root))
        .collect();
    let load = match cx.destination {
        Some(d) => format!("with `-d {d}`"),
        None => "without a destination".to_string(),
    };
    let load_title = {
        let mut c = load.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    let defined_elsewhere = |name: &str| -> Vec<&str> {
        cx.project
            .secrets
            .iter()
            .filter(|s| s.parsed.get(name).is_some())
            .map(|s| s.name.as_str())
            .collect()
    };
    let undefined: Vec<&walk::SecretRef> = refs
        .iter()
        .filter(|r| !files.iter().any(|f| f.parsed.get(&r.name).is_some()))
        .collect();
    if undefined.is_empty() {
        return;
    }
    // a missing `secrets-common` is usually just unused: only the main file's absence (or a
    // gitignored file) leaves the names unknown
    let unknown = paths.iter().enumerate().any(|(i, p)| {
        let present = files.iter().any(|f| &f.path == p);
        !present && (i == paths.len() - 1 || gitignored(cx, p))
    });
    if unknown {
        // a file this load reads is not in the project: what it would define is unknown, unless
        // the secrets sit in a file Kamal does not read for this load (and the missing file is
        // not merely left out of git)
        let missing: Vec<String> = paths
            .iter()
            .filter(|p| !files.iter().any(|f| &f.path == *p))
            .map(|p| display_name(p, cx.project.root))
            .collect();
        let misplaced: Vec<&&walk::SecretRef> = undefined
            .iter()
            .filter(|r| !defined_elsewhere(&r.name).is_empty())
            .collect();
        let ignored = paths.iter().any(|p| gitignored(cx, p));
        if misplaced.is_empty() || ignored {
            out.push(super::missing_secrets_file(
                undefined[0].span,
                &load_title,
                &missing,
                undefined.len(),
            ));
            return;
        }
        let first = misplaced[0];
        let elsewhere = defined_elsewhere(&first.name);
        let mut d = Diagnostic::new(
            &UNDEFINED_SECRET,
            first.span,
            format!(
                "{load_title}, Kamal reads only {}, and {}: {} secret{} this uses (`{}`{}) {} not defined",
                read.join(" and "),
                if missing.len() == paths.len() {
                    "neither exists".to_string()
                } else {
                    format!("{} is missing", missing.join(" and "))
                },
                undefined.len(),
                if undefined.len() == 1 { "" } else { "s" },
                first.name,
                if undefined.len() > 1 { ", …" } else { "" },
                if undefined.len() == 1 { "is" } else { "are" }
            ),
        )
        .with_help(format!(
            "they are in {}, which Kamal does not read {load}: move shared secrets to `.kamal/secrets-common`, or create {}",
            elsewhere.iter().map(|e| format!("`.kamal/{e}`")).collect::<Vec<_>>().join(", "),
            missing.last().cloned().unwrap_or_default()
        ));
        for r in undefined.iter().filter(|r| r.span != first.span).take(20) {
            d = d.with_label(r.span, "also not defined");
        }
        out.push(d);
        return;
    }
    for r in undefined {
        let what = match r.usage {
            SecretUse::Env if r.var != r.name => format!("env `{}` (secret `{}`)", r.var, r.name),
            SecretUse::Env => format!("secret `{}`", r.name),
            SecretUse::Registry => format!("the {} secret `{}`", r.var, r.name),
            SecretUse::Builder => format!("build secret `{}`", r.name),
            SecretUse::SslPem => format!("{} secret `{}`", r.var, r.name),
        };
        let elsewhere = defined_elsewhere(&r.name);
        let help = if elsewhere.is_empty() {
            format!("define `{}` in {}", r.name, read.join(" or "))
        } else {
            format!(
                "it is defined in {}, which Kamal does not read {load}; move it to {}",
                elsewhere
                    .iter()
                    .map(|e| format!("`.kamal/{e}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                read.join(" or ")
            )
        };
        out.push(
            Diagnostic::new(
                &UNDEFINED_SECRET,
                r.span,
                format!(
                    "{load_title}, {what} is not defined in {}",
                    existing.join(" or ")
                ),
            )
            .with_help(help),
        );
    }
}
