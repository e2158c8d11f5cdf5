use std::ops::Range;

use super::{active, program};
use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;

declare_rule! {
    /// Database migrations run from `post-deploy`, after the new version already serves
    /// traffic.
    ///
    /// ## What it does
    /// Reports migration commands in the `post-deploy` hook — in its commands, in the commands
    /// it passes to `kamal app exec` or `ssh`, in here-documents, and in Ruby or Python hooks:
    /// `rails db:migrate`, `db:prepare`, `rake db:migrate`, `manage.py migrate`,
    /// `prisma migrate deploy` and `prisma db push`, `alembic upgrade`, `flask db upgrade`,
    /// `mix ecto.migrate`, `artisan migrate`, `knex migrate:latest`, a `bin/migrate` script.
    ///
    /// ## Why is this bad?
    /// `post-deploy` runs when the deploy is over: kamal-proxy has already switched traffic to
    /// the new containers and the old ones are gone. Until the migration finishes, the new code
    /// runs against the old schema (missing columns and tables: errors for users), and if the
    /// migration fails the deploy is reported as failed while the new version keeps serving.
    ///
    /// ## Example
    /// ```sh
    /// #!/bin/sh
    /// # .kamal/hooks/post-deploy
    /// kamal app exec --reuse 'bin/rails db:migrate'
    /// ```
    /// Use instead: migrate before the new version takes traffic — in the container's
    /// entrypoint (Rails 8's `bin/docker-entrypoint` runs `db:prepare` when the server starts),
    /// or from `pre-deploy`, once the new image is pushed:
    /// ```sh
    /// # .kamal/hooks/pre-deploy
    /// kamal app exec ${KAMAL_DESTINATION:+-d "$KAMAL_DESTINATION"} --primary --version="$KAMAL_VERSION" 'bin/rails db:migrate'
    /// ```
    /// (with migrations the old version can run against).
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.2 (post-deploy runs after the deploy finished and the lock is
    ///   released); Rails 8 conventions, §10.2
    /// - [Kamal docs: post-deploy](https://kamal-deploy.org/docs/hooks/post-deploy/)
    pub static MIGRATION_IN_POST_DEPLOY = {
        code: "H013",
        name: "migration-in-post-deploy",
        category: Hooks,
        severity: Warning,
        fix: None,
    };
}

/// The migration a piece of text runs, if any (a short description).
pub(crate) fn migration(text: &str) -> Option<String> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "\"'`;&|()[],".contains(c))
        .filter(|t| !t.is_empty())
        .collect();
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).copied().unwrap_or("");
        let base = t.rsplit('/').next().unwrap_or(t);
        let found = if t.starts_with("db:migrate") || *t == "db:prepare" {
            Some(format!("`{t}`"))
        } else if base == "manage.py" || base == "django-admin" {
            (next == "migrate").then(|| format!("`{base} migrate`"))
        } else if base == "prisma" {
            (next == "migrate" || next == "db" && tokens.get(i + 2) == Some(&"push")).then(|| {
                format!(
                    "`prisma {}`",
                    if next == "db" { "db push" } else { "migrate" }
                )
            })
        } else if base == "alembic" {
            (next == "upgrade").then(|| "`alembic upgrade`".to_string())
        } else if base == "flask" {
            (next == "db" && tokens.get(i + 2) == Some(&"upgrade"))
                .then(|| "`flask db upgrade`".to_string())
        } else if *t == "ecto.migrate"
            || t.starts_with("migrate:")
            || *t == "migration:run"
            || base == "migrate"
            || base == "migrate.sh"
        {
            Some(format!("`{t}`"))
        } else {
            None
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (hook_name, hook) in active(cx) {
        if hook_name != "post-deploy" {
            continue;
        }
        let text = &cx.files.get(hook.file).text;
        let script = &hook.script;
        let mut found: Vec<(Range<usize>, String)> = Vec::new();
        if script.language.is_shell() {
            for command in &script.commands {
                if program(command).is_some_and(|(_, p)| matches!(p, "echo" | "printf" | "logger"))
                {
                    continue;
                }
                let words: Vec<&str> = command.words.iter().map(|w| w.text.as_str()).collect();
                if let Some(what) = migration(&words.join(" ")) {
                    found.push((command.span.clone(), what));
                }
            }
            for h in &script.heredocs {
                if let Some(what) = text.get(h.body.clone()).and_then(migration) {
                    if !found
                        .iter()
                        .any(|(r, _)| r.start <= h.body.start && h.body.start <= r.end + 1)
                    {
                        found.push((h.body.clone(), what));
                    }
                }
            }
        } else {
            for range in &script.code {
                for (offset, line) in line_ranges(text, range.clone()) {
                    if line.contains("puts ") || line.contains("print(") {
                        continue;
                    }
                    if let Some(what) = migration(line) {
                        let start = offset + (line.len() - line.trim_start().len());
                        found.push((start..offset + line.trim_end().len(), what));
                    }
                }
            }
        }
        for (range, what) in found {
            out.push(
                Diagnostic::new(
                    &MIGRATION_IN_POST_DEPLOY,
                    hook.span(range),
                    format!("{what} runs in `post-deploy`, after the new version already serves traffic: until it finishes, the new code runs against the old schema"),
                )
                .with_help("migrate before traffic switches: in the container's entrypoint (`bin/docker-entrypoint` runs `db:prepare`), or from `pre-deploy` with `kamal app exec --version=\"$KAMAL_VERSION\"`"),
            );
        }
    }
}

/// The lines of a range, with their offsets.
fn line_ranges(text: &str, range: Range<usize>) -> Vec<(usize, &str)> {
    let Some(part) = text.get(range.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = range.start;
    for line in part.split_inclusive('\n') {
        out.push((at, line.trim_end_matches(['\n', '\r'])));
        at += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::migration;

    #[test]
    fn migrations() {
        assert!(migration("kamal app exec --reuse bin/rails db:migrate").is_some());
        assert!(migration("python manage.py migrate --noinput").is_some());
        assert!(migration("npx prisma db push --skip-generate").is_some());
        assert!(migration("kamal app exec --reuse -q /app/bin/migrate").is_some());
        assert!(migration("bundle exec rails db:create db:migrate").is_some());
        assert!(migration("bin/rails demo:reset").is_none());
        assert!(migration("echo Running migrations").is_none());
    }
}
