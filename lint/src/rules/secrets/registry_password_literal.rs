use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::yaml::Node;

declare_rule! {
    /// A registry username or password written as a plain name (`KAMAL_REGISTRY_PASSWORD`):
    /// Kamal sends that text literally.
    ///
    /// ## What it does
    /// Reports registry `username`/`password` strings that look like a variable or secret name
    /// (upper case, digits, underscores).
    ///
    /// The password is never quoted (it may be the password itself) and is masked in every
    /// output; a fix that would show it is withheld from the outputs (`--fix` applies it).
    ///
    /// ## Why is this bad?
    /// Only the one-item list form (`password: [KAMAL_REGISTRY_PASSWORD]`) is looked up in the
    /// secrets files. A plain string is the password itself, so Kamal logs in with the text
    /// "KAMAL_REGISTRY_PASSWORD" and `docker login` fails (or, for a username, logs in as the
    /// wrong user).
    ///
    /// ## Example
    /// ```yaml
    /// registry:
    ///   username: acme
    ///   password: KAMAL_REGISTRY_PASSWORD
    /// ```
    /// Use instead:
    /// ```yaml
    ///   password:
    ///     - KAMAL_REGISTRY_PASSWORD
    /// ```
    ///
    /// ## Fix
    /// Wraps the name in a one-item list (unsafe: it changes what Kamal sends).
    ///
    /// ## References
    /// - Kamal 2.8.2 registry, §3.5; surprises §13.3–13.4
    pub static REGISTRY_PASSWORD_LITERAL = {
        code: "S007",
        name: "registry-password-literal",
        category: Secrets,
        severity: Warning,
        fix: Always,
    };
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let mut registries: Vec<&Node> = cx.config.get("registry").into_iter().collect();
    for (_, acc) in walk::accessories(cx.config) {
        registries.extend(acc.get("registry"));
    }
    for reg in registries {
        for key in ["username", "password"] {
            let Some(value) = reg.get(key) else { continue };
            let Some(text) = value.as_str().filter(|_| !value.is_erb()) else {
                continue;
            };
            let b = text.as_bytes();
            let name_like = b.first().is_some_and(u8::is_ascii_uppercase)
                && b.iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
                && (text.contains('_') || key == "password");
            if !name_like {
                continue;
            }
            // a password is never quoted: it may be the password itself
            let (shown, name) = if key == "password" {
                ("registry password".to_string(), "NAME".to_string())
            } else {
                (format!("registry {key} `{text}`"), text.to_string())
            };
            out.push(
                Diagnostic::new(
                    &REGISTRY_PASSWORD_LITERAL,
                    value.span,
                    format!(
                        "{shown} is sent literally: only a one-item list is looked up as a secret"
                    ),
                )
                .with_help(format!(
                    "write `{key}: [{name}]` to read it from `.kamal/secrets`"
                ))
                .with_fix(Fix {
                    applicability: Applicability::Unsafe,
                    message: format!("look the {key} up as a secret"),
                    edits: vec![Edit {
                        span: value.span,
                        content: format!("[{text}]"),
                    }],
                }),
            );
        }
    }
}
