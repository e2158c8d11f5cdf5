use crate::diagnostic::Diagnostic;
use crate::model::roles;
use crate::rules::context::ProjectContext;
use crate::rules::walk;
use crate::secrets::{committed_secret, token_shape};
use crate::syntax::yaml::Node;
use crate::text::Span;

declare_rule! {
    /// A secret value written in a committed file.
    ///
    /// ## What it does
    /// Reports literal values that look like credentials — known token shapes (GitHub, GitLab,
    /// AWS, Stripe, Slack, Docker Hub, npm, private keys…), URLs with a
    /// password, literal values for secret-looking names — in `.kamal/secrets*`, in clear env
    /// values, build args and the registry password of `config/deploy*.yml`, and tokens in
    /// YAML comments. The message never contains the value.
    ///
    /// ## Why is this bad?
    /// `.kamal/secrets` is meant to be committed and to contain only *how* to get each secret
    /// (`$ENV_VAR`, `$(kamal secrets fetch …)`), never the secret itself; `deploy.yml` is
    /// committed too. A credential in git history stays readable by everyone with access to the
    /// repository, forever.
    ///
    /// ## Example
    /// ```sh
    /// # .kamal/secrets
    /// KAMAL_REGISTRY_PASSWORD=ghp_…
    /// ```
    /// Use instead:
    /// ```sh
    /// KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD
    /// ```
    /// and rotate the leaked credential.
    ///
    /// ## References
    /// - Kamal 2.8.2 secrets, §7.2; `kamal init`'s secrets template, §10.1
    /// - <https://kamal-deploy.org/docs/commands/secrets/>
    pub static HARDCODED_SECRET = {
        code: "S004",
        name: "hardcoded-secret",
        category: Secrets,
        severity: Warning,
        fix: None,
    };
}

fn report(out: &mut Vec<Diagnostic>, at: Span, what: &str, why: &str) {
    out.push(
        Diagnostic::new(&HARDCODED_SECRET, at, format!("{what} {why}: it is committed with the file"))
            .with_help("read it from the environment or a password manager in `.kamal/secrets` (`NAME=$NAME`), and rotate it"),
    );
}

fn scan_yaml(root: &Node, out: &mut Vec<Diagnostic>) {
    let roles = roles(root);
    for env in walk::envs(root, &roles) {
        for e in &env.clear {
            if e.value.is_erb() || !e.value.is_stringish() {
                continue;
            }
            let name = e.key.ruby_to_s();
            if let Some(why) = committed_secret(&name, &e.value.ruby_to_s()) {
                report(out, e.key.span, &format!("`{}/{name}`", env.path), &why);
            }
        }
    }
    if let Some(args) = root
        .get("builder")
        .and_then(|b| b.get("args"))
        .and_then(Node::map)
    {
        for e in args {
            if e.value.is_erb() || !e.value.is_stringish() {
                continue;
            }
            let name = e.key.ruby_to_s();
            if let Some(why) = committed_secret(&name, &e.value.ruby_to_s()) {
                report(out, e.key.span, &format!("build arg `{name}`"), &why);
            }
        }
    }
    let mut registries: Vec<&Node> = root.get("registry").into_iter().collect();
    for (_, acc) in walk::accessories(root) {
        registries.extend(acc.get("registry"));
    }
    for reg in registries {
        if let Some(e) = reg.entry("password") {
            let Some(value) = e.value.as_str().filter(|_| !e.value.is_erb()) else {
                continue;
            };
            // a bare name is sent literally too, but that mistake has its own rule (S007)
            let looks_like_name = value
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if !looks_like_name && !value.is_empty() {
                report(
                    out,
                    e.key.span,
                    "the registry password",
                    "is written in the file",
                );
            }
        }
    }
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.secrets {
        for entry in &source.parsed.entries {
            let Some(value) = entry.literal_value() else {
                continue;
            };
            if let Some(why) = committed_secret(&entry.key, &value) {
                report(
                    out,
                    source.span(entry.key_span.clone()),
                    &format!("`{}` in `.kamal/{}`", entry.key, source.name),
                    &why,
                );
            }
        }
    }
    for config in &cx.configs {
        if let Some(root) = &config.yaml.root {
            scan_yaml(root, out);
        }
        for c in &config.yaml.comments {
            let words = c.text.split(|ch: char| {
                ch.is_whitespace() || ch == '=' || ch == ':' || ch == '"' || ch == '\''
            });
            if let Some(kind) = words.filter_map(token_shape).next() {
                // point at the `#` only: the comment holds the secret
                let at = Span::new(
                    c.span.file,
                    c.span.start as usize..c.span.start as usize + 1,
                );
                report(out, at, "this comment", &format!("holds {kind}"));
            }
        }
    }
}
