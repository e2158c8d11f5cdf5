use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Role;
use crate::rules::context::LoadContext;
use crate::syntax::dockerfile::{Args, Instruction};
use crate::syntax::yaml::{Entry, Node};
use crate::text::Span;

use super::image::{self, Image};
use super::ports::{self, Listen, Probe};
use super::shell;

declare_rule! {
    /// `proxy.app_port` is not the port the image's server listens on.
    ///
    /// ## What it does
    /// For every role that runs behind kamal-proxy, compares its `app_port` (the role's
    /// `proxy.app_port`, else the root one, else **80**) with the port the image built from the
    /// Dockerfile listens on. The port comes from the command the container runs — the role's
    /// `cmd`, else the `ENTRYPOINT` and `CMD` of the stage Kamal builds (`builder.target`, else
    /// the last one), through entrypoint scripts such as `bin/docker-entrypoint`, `bundle exec`
    /// and `sh -c` — read the way each server reads its options:
    ///
    /// - Thruster (`./bin/thrust …`): 80, or `HTTP_PORT` / `THRUSTER_HTTP_PORT`;
    /// - `rails server`: 3000, or `-p N`, `PORT`, or the `port` of `config/puma.rb`;
    /// - `puma`: `-p N`, `-b tcp://…:N`, else its config file (Rails' `config/puma.rb` reads
    ///   `PORT`, default 3000), else 9292;
    /// - gunicorn, hypercorn, uvicorn, daphne, waitress, `flask run`, `manage.py runserver`,
    ///   `php artisan serve`, `next start`: their port options and variables, else their
    ///   defaults;
    /// - `node`, `npm start`, `bun`, …: only `PORT`, a convention;
    /// - nginx, Caddy and Apache images with their default configuration: 80.
    ///
    /// Variables come from the image's `ENV` and from deploy.yml's `env` (secret or ERB values
    /// make the port unknown). When the command tells nothing, the `EXPOSE` lines of the stage
    /// are used. Nothing is reported when the port cannot be determined.
    ///
    /// ## Why is this bad?
    /// kamal-proxy sends the health check (`GET /up`) and all traffic to `app_port` inside the
    /// container. When nothing listens there, the new container never becomes healthy and the
    /// deploy stops after `deploy_timeout` with `target failed to become healthy` — the most
    /// common Kamal 2 deploy failure. Rails 8 images run Thruster on port 80, which matches the
    /// default; an image that runs `rails server` (no Thruster, or an older Dockerfile) listens
    /// on 3000 and needs `app_port: 3000`. `EXPOSE` changes nothing about the port a server
    /// listens on.
    ///
    /// The severity is error when the server's own rules give the port, and warning when it
    /// rests on a convention or on `EXPOSE` alone.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 3000
    /// CMD ["./bin/rails", "server"]
    /// ```
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   host: app.example.com
    ///   app_port: 3000
    /// ```
    /// or start the server through Thruster (`CMD ["./bin/thrust", "./bin/rails", "server"]`),
    /// which listens on 80.
    ///
    /// ## Fix
    /// Sets `app_port` to the port the server listens on (unsafe: the other way round, changing
    /// the server's port, may be what you want).
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.4 (`proxy.app_port`) and §10.2 (Rails 8 conventions)
    /// - <https://kamal-deploy.org/docs/configuration/proxy/>
    /// - <https://github.com/basecamp/thruster#configuration>
    pub static APP_PORT_MISMATCH = {
        code: "F001",
        name: "app-port-mismatch",
        category: Dockerfile,
        severity: Error,
        fix: Sometimes,
    };
}

/// A port the image exposes: the range, and where.
struct Exposed {
    start: u16,
    end: u16,
    span: Span,
}

impl Exposed {
    fn contains(&self, port: u16) -> bool {
        (self.start..=self.end).contains(&port)
    }

    fn text(&self) -> String {
        if self.start == self.end {
            self.start.to_string()
        } else {
            format!("{}-{}", self.start, self.end)
        }
    }
}

/// The `EXPOSE`d TCP ports of the image; `None` when one of them is not known.
fn exposed(image: &Image) -> Option<Vec<Exposed>> {
    let df = image.df();
    let mut out = Vec::new();
    for (i, ins) in image.instructions() {
        for p in ins.expose_ports() {
            if p.protocol
                .as_deref()
                .is_some_and(|proto| !proto.eq_ignore_ascii_case("tcp"))
            {
                continue;
            }
            let text = if p.text.contains('$') {
                df.scope_at(i).substitute(&p.text)
            } else {
                p.text.clone()
            };
            let ports = text.split('/').next().unwrap_or(&text);
            let (a, b) = ports.split_once('-').unwrap_or((ports, ports));
            let (Ok(start), Ok(end)) = (a.parse::<u16>(), b.parse::<u16>()) else {
                return None;
            };
            out.push(Exposed {
                start,
                end: end.max(start),
                span: image.span(p.span.clone()),
            });
        }
    }
    Some(out)
}

/// Where the role's `app_port` comes from.
enum AppPort<'a> {
    Set(&'a Node, u16),
    Default,
}

/// The role's `app_port`; `None` when ERB decides it or it is not a port.
fn app_port<'a>(cx: &LoadContext<'a>, role: &Role<'a>) -> Option<AppPort<'a>> {
    let root = cx.config.get("proxy");
    if root.is_some_and(Node::is_erb) || role.entry("proxy").is_some_and(|p| p.value.is_erb()) {
        return None;
    }
    let node = role
        .proxy
        .and_then(|p| p.value.get("app_port"))
        .or_else(|| root.and_then(|r| r.get("app_port")));
    match node {
        None => Some(AppPort::Default),
        Some(n) if n.is_erb() => None,
        Some(n) => {
            let v = n.as_int()?;
            u16::try_from(v)
                .ok()
                .filter(|p| *p > 0)
                .map(|p| AppPort::Set(n, p))
        }
    }
}

/// What the container runs: the role's `cmd` (replacing the image's `CMD`), or the image's.
struct Command {
    listen: Option<Listen>,
    /// The role's `cmd`, or the `CMD`/`ENTRYPOINT` instruction that names the server.
    span: Option<Span>,
}

fn command(image: &Image, role: &Role, probe: &Probe) -> Command {
    let df = image.df();
    let (entrypoint, cmd) = image.command();
    let ep: Option<&Instruction> = entrypoint.map(|i| &df.instructions[i]);
    let ep_argv = ep.map(image::argv).unwrap_or_default();
    // a shell-form ENTRYPOINT ignores CMD and the role's cmd
    let ep_shell = ep.is_some_and(|e| matches!(e.args, Args::Shell(_)));
    if let Some(role_cmd) = role.get("cmd").filter(|_| !ep_shell) {
        if role_cmd.is_erb() || role_cmd.scalar().is_none() {
            return Command {
                listen: None,
                span: None,
            };
        }
        // the remote shell splits the cmd into docker run arguments
        let commands = shell::commands(&role_cmd.ruby_to_s());
        let listen = match commands.as_slice() {
            [one] if !one.words.iter().any(|w| w.dynamic) => {
                let mut argv = ep_argv.clone();
                argv.extend(one.words.iter().map(|w| w.text.clone()));
                ports::listen_port(&argv, probe)
            }
            _ => None,
        };
        return Command {
            listen,
            span: Some(role_cmd.span),
        };
    }
    let cmd_ins = cmd.filter(|_| !ep_shell).map(|i| &df.instructions[i]);
    let mut argv = ep_argv;
    argv.extend(cmd_ins.map(image::argv).unwrap_or_default());
    if argv.is_empty() {
        // the base image's own command
        return Command {
            listen: ports::base_image_port(&image.base_image(), probe),
            span: None,
        };
    }
    let at = cmd_ins.or(ep);
    Command {
        listen: ports::listen_port(&argv, probe),
        span: at.map(|i| image.span(i.keyword_span.start..i.span.end)),
    }
}

/// One finding, before it becomes a diagnostic.
struct Finding<'a> {
    app: AppPort<'a>,
    port: Option<u16>,
    certain: bool,
    /// `Thruster listens on port 80 (its default port)`.
    what: String,
    evidence: Option<Span>,
    exposed: Vec<(Span, String)>,
    role: &'a Role<'a>,
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(image) = Image::of(cx) else { return };
    let runtime = image.df().runtime_env(image.stage.index);
    let files = image::context_files(cx);
    let copies = |p: &str| image.copies_into(p);
    let exposed = exposed(&image);
    let mut seen: Vec<(Span, String)> = Vec::new();
    for role in cx.roles.list.iter().filter(|r| r.running_proxy) {
        let Some(app) = app_port(cx, role) else {
            continue;
        };
        let app_value = match &app {
            AppPort::Set(_, p) => *p,
            AppPort::Default => 80,
        };
        let (config_env, dynamic) = image::config_env(cx, role);
        let env = image::env_lookup(&config_env, dynamic, &runtime);
        let probe = Probe {
            env: &env,
            file: &files,
            copies_into: &copies,
        };
        let command = command(&image, role, &probe);
        let finding = match command.listen {
            Some(l) if l.port == app_value => continue,
            Some(l) => {
                let exposes_app = exposed
                    .as_ref()
                    .is_some_and(|list| list.iter().any(|e| e.contains(app_value)));
                // a convention against an EXPOSE of app_port: the convention may be wrong
                if !l.certain && exposes_app {
                    continue;
                }
                let confirmed = exposed.as_ref().is_some_and(|list| {
                    list.len() == 1 && list[0].start == l.port && list[0].end == l.port
                });
                let exposed = exposed
                    .iter()
                    .flatten()
                    .filter(|e| !e.contains(app_value) && !e.contains(l.port))
                    .map(|e| (e.span, format!("`EXPOSE {}`", e.text())))
                    .collect();
                Finding {
                    app,
                    port: Some(l.port),
                    certain: l.certain || confirmed,
                    what: format!("{} listens on port {} ({})", l.server, l.port, l.reason),
                    evidence: command.span,
                    exposed,
                    role,
                }
            }
            None => {
                let Some(list) = exposed.as_ref().filter(|l| !l.is_empty()) else {
                    continue;
                };
                if list.iter().any(|e| e.contains(app_value)) {
                    continue;
                }
                let single = match list.as_slice() {
                    [one] if one.start == one.end => Some(one.start),
                    _ => None,
                };
                let ports: Vec<String> = list.iter().map(Exposed::text).collect();
                Finding {
                    app,
                    port: single,
                    certain: false,
                    what: format!(
                        "the image exposes only port{} {}",
                        if ports.len() == 1 { "" } else { "s" },
                        ports.join(", ")
                    ),
                    evidence: Some(list[0].span),
                    exposed: list
                        .iter()
                        .skip(1)
                        .map(|e| (e.span, format!("`EXPOSE {}`", e.text())))
                        .collect(),
                    role,
                }
            }
        };
        if let Some(d) = diagnostic(cx, finding) {
            let key = (d.span, d.message.clone());
            if !seen.contains(&key) {
                seen.push(key);
                out.push(d);
            }
        }
    }
}

fn diagnostic(cx: &LoadContext, f: Finding) -> Option<Diagnostic> {
    let fix = f.port.and_then(|p| fix(cx, &f, p));
    let help = match f.port {
        Some(p) => format!(
            "set `app_port: {p}` under `proxy`, or make the server listen on {}: kamal-proxy's health check otherwise ends the deploy with \"target failed to become healthy\"",
            match f.app {
                AppPort::Set(_, a) => a,
                AppPort::Default => 80,
            }
        ),
        None => "set `app_port` to the port the server listens on: kamal-proxy's health check otherwise ends the deploy with \"target failed to become healthy\"".to_string(),
    };
    let mut d = match f.app {
        AppPort::Set(node, a) => {
            let mut d = Diagnostic::new(
                &APP_PORT_MISMATCH,
                node.span,
                format!("`app_port` is {a}, but {}", f.what),
            );
            if let Some(e) = f.evidence {
                d = d.with_label(e, "the server this starts");
            }
            d
        }
        AppPort::Default => {
            let evidence = f.evidence?;
            let mut d = Diagnostic::new(
                &APP_PORT_MISMATCH,
                evidence,
                format!(
                    "{}, but kamal-proxy forwards to port 80 (no `app_port` is set)",
                    upper_first(&f.what)
                ),
            );
            let (span, note) = default_port_site(cx, f.role);
            d = d.with_label(span, note);
            d
        }
    };
    for (span, note) in f.exposed {
        if Some(span) != f.evidence && span != d.span {
            d = d.with_label(
                span,
                format!("{note} does not change the port the server listens on"),
            );
        }
    }
    if !f.certain {
        d.severity = Severity::Warning;
    }
    d = d.with_help(help);
    if let Some(fix) = fix {
        d = d.with_fix(fix);
    }
    Some(d)
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Where deploy.yml leaves `app_port` at its default: the role's proxy, the root `proxy`, or
/// the role (or `servers`) when there is no proxy section at all.
fn default_port_site(cx: &LoadContext, role: &Role) -> (Span, String) {
    let note = "no `app_port`: kamal-proxy sends traffic and health checks to port 80";
    if let Some(p) = role.proxy {
        return (p.key.span, note.to_string());
    }
    if let Some(p) = cx.config.entry("proxy") {
        return (p.key.span, note.to_string());
    }
    let note = format!(
        "role `{}` runs behind kamal-proxy, which sends traffic and health checks to port 80 (no `proxy.app_port`)",
        role.name
    );
    match (role.key, cx.roles.servers) {
        (Some(k), _) => (k.span, note),
        (None, Some(s)) => (s.key.span, note),
        (None, None) => (Span::empty(cx.config.span.file, 0), note),
    }
}

/// `app_port: N`: replaces the value, or adds the key to the proxy hash that applies, or adds a
/// `proxy` section to the base file.
fn fix(cx: &LoadContext, f: &Finding, port: u16) -> Option<Fix> {
    let message = format!("set `app_port: {port}`");
    let fix = |edits: Vec<Edit>| Fix {
        applicability: Applicability::Unsafe,
        message: message.clone(),
        edits,
    };
    if let AppPort::Set(node, _) = f.app {
        if node.is_erb() {
            return None;
        }
        return Some(fix(vec![Edit {
            span: node.span,
            content: port.to_string(),
        }]));
    }
    let entry: Option<&Entry> = f.role.proxy.or_else(|| cx.config.entry("proxy"));
    match entry {
        Some(e) => insert_key(cx, e, port).map(|edit| fix(vec![edit])),
        None => {
            let base = cx.project.base()?;
            let text = &cx.project.files.get(base.file).text;
            let lead = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            Some(fix(vec![Edit {
                span: Span::empty(base.file, text.len()),
                content: format!("{lead}\nproxy:\n  app_port: {port}\n"),
            }]))
        }
    }
}

/// Adds `app_port: N` as the last key of a block-style proxy hash.
fn insert_key(cx: &LoadContext, entry: &Entry, port: u16) -> Option<Edit> {
    let file = entry.key.span.file;
    let text = &cx.project.files.get(file).text;
    let map = entry.value.map()?;
    let start = entry.value.span.start as usize;
    if text.get(start..)?.trim_start().starts_with('{') {
        return None;
    }
    let entries: Vec<&Entry> = map
        .iter()
        .filter(|e| e.key.span.file == file && e.merged_at.is_none())
        .collect();
    let first = entries.iter().min_by_key(|e| e.key.span.start)?;
    let last = entries
        .iter()
        .max_by_key(|e| e.value.span.end.max(e.key.span.end))?;
    let key_start = first.key.span.start as usize;
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..key_start];
    if !indent.chars().all(|c| c == ' ') {
        return None;
    }
    let end = last.value.span.end.max(last.key.span.end) as usize;
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    Some(Edit {
        span: Span::empty(file, line_end),
        content: format!("\n{indent}app_port: {port}"),
    })
}
