//! Which port a container's command listens on, from its arguments, its environment and the
//! project's server config files, following each server's own rules (Thruster, `rails server`,
//! Puma, gunicorn, uvicorn, …). Conservative: `None` whenever the port cannot be told.

use super::shell::{self, basename};

/// What the container's environment holds for a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvValue {
    Set(String),
    /// Set, to a value not known statically (a secret, ERB, an `ARG` without default).
    Unknown,
    Unset,
}

/// What a project file (relative to the build context) holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileState {
    Present(String),
    /// The project is checked out and the file is not there.
    Absent,
    /// Cannot tell (the project folder holds only the deploy files).
    Unknown,
}

/// What the port inference may look at.
pub struct Probe<'a> {
    /// The container's environment (image `ENV` and deploy.yml `env`).
    pub env: &'a dyn Fn(&str) -> EnvValue,
    /// A file of the build context (`config/puma.rb`).
    pub file: &'a dyn Fn(&str) -> FileState,
    /// Whether the image copies files to this path or below it (`/etc/nginx`).
    pub copies_into: &'a dyn Fn(&str) -> bool,
}

impl Probe<'_> {
    /// A probe with no environment, no files and no copies (for tests and simple callers).
    pub fn empty() -> Probe<'static> {
        Probe {
            env: &|_| EnvValue::Unset,
            file: &|_| FileState::Unknown,
            copies_into: &|_| false,
        }
    }
}

/// The port a command listens on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listen {
    pub port: u16,
    /// Follows from the server's own rules; `false` for a convention (a Node app reading
    /// `PORT`, nginx's default site, Rails' `config/puma.rb` when the file is not at hand).
    pub certain: bool,
    /// The server, for messages (`Thruster`, `` `rails server` ``).
    pub server: String,
    /// Why this port (`its default`, `` `-p 4000` ``, `` `PORT` ``).
    pub reason: String,
}

impl Listen {
    fn new(port: u16, certain: bool, server: &str, reason: impl Into<String>) -> Listen {
        Listen {
            port,
            certain,
            server: server.to_string(),
            reason: reason.into(),
        }
    }
}

/// A command argument: its text, and whether it still holds an unexpanded `$`.
#[derive(Clone, Debug)]
struct Arg {
    text: String,
    dynamic: bool,
}

/// A command being read: arguments, and variables set for it (`PORT=3000 cmd`, `env`).
struct Cmd<'p, 'a> {
    args: Vec<Arg>,
    env: Vec<(String, Option<String>)>,
    probe: &'p Probe<'a>,
}

impl Cmd<'_, '_> {
    fn env(&self, name: &str) -> EnvValue {
        if let Some((_, v)) = self.env.iter().rev().find(|(k, _)| k == name) {
            return match v {
                Some(v) => EnvValue::Set(v.clone()),
                None => EnvValue::Unknown,
            };
        }
        (self.probe.env)(name)
    }

    fn word(&self, i: usize) -> Option<&str> {
        self.args.get(i).map(|a| a.text.as_str())
    }
}

/// The port the container command `argv` (ENTRYPOINT and CMD words, exec form) listens on.
pub fn listen_port(argv: &[String], probe: &Probe) -> Option<Listen> {
    let cmd = Cmd {
        args: argv
            .iter()
            .map(|a| Arg {
                text: a.clone(),
                dynamic: false,
            })
            .collect(),
        env: Vec::new(),
        probe,
    };
    infer(cmd, 0)
}

/// The port of a shell command line (a shell-form `CMD`, a role's `cmd`, `sh -c` text).
pub fn listen_port_shell(script: &str, probe: &Probe) -> Option<Listen> {
    let cmd = Cmd {
        args: Vec::new(),
        env: Vec::new(),
        probe,
    };
    from_script(script, cmd, 0)
}

/// The port of the default command of a well-known base image (`nginx`, `caddy`, `httpd`).
pub fn base_image_port(image: &str, probe: &Probe) -> Option<Listen> {
    let name = image.split(['@']).next().unwrap_or(image);
    let (repo, tag) = match name.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (name, ""),
    };
    let last = basename(repo);
    match last {
        "nginx-unprivileged" if !(probe.copies_into)("/etc/nginx") => Some(Listen::new(
            8080,
            false,
            "nginx",
            "the unprivileged image's default site",
        )),
        "nginx" | "openresty" if !(probe.copies_into)("/etc/nginx") => {
            Some(Listen::new(80, false, "nginx", "its default site"))
        }
        "caddy" if !(probe.copies_into)("/etc/caddy") => {
            Some(Listen::new(80, false, "Caddy", "its default Caddyfile"))
        }
        "httpd" if !(probe.copies_into)("/usr/local/apache2/conf") => {
            Some(Listen::new(80, false, "Apache httpd", "its default config"))
        }
        "php" if tag.contains("apache") && !(probe.copies_into)("/etc/apache2") => Some(
            Listen::new(80, false, "Apache", "the php:apache image's config"),
        ),
        _ => None,
    }
}

/// A port number (1–65535) written alone.
fn parse_port(text: &str) -> Option<u16> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<u16>().ok().filter(|p| *p > 0)
}

/// The port of a bind address: `tcp://0.0.0.0:3000`, `0.0.0.0:3000`, `:3000`, `[::]:3000`,
/// `3000`. `None` for Unix sockets and file descriptors.
fn bind_port(text: &str) -> Option<u16> {
    let t = text.trim();
    if t.starts_with("unix:") || t.starts_with("fd://") || t.starts_with("fd:") {
        return None;
    }
    let rest = t.split_once("://").map_or(t, |(_, r)| r);
    let rest = rest.split(['?', '/']).next().unwrap_or(rest);
    match rest.rsplit_once(':') {
        Some((_, port)) => parse_port(port),
        None => parse_port(rest),
    }
}

/// Every occurrence of an option from argument `from` on, in order: `-p 3000`, `-p3000`
/// (short), `--port 3000`, `--port=3000`. `None` for an occurrence whose value is not known
/// (a variable, or missing).
fn option_values(cmd: &Cmd, from: usize, names: &[&str]) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let mut i = from;
    while i < cmd.args.len() {
        let a = &cmd.args[i];
        if a.text == "--" {
            break;
        }
        for name in names {
            if a.text == *name {
                let v = cmd.args.get(i + 1);
                out.push(v.filter(|v| !v.dynamic).map(|v| v.text.clone()));
                i += 1;
                break;
            }
            let glued = if name.starts_with("--") {
                a.text.strip_prefix(name).and_then(|r| r.strip_prefix('='))
            } else if a.text.starts_with("--") {
                None
            } else {
                a.text.strip_prefix(name).filter(|r| {
                    r.starts_with(|c: char| c.is_ascii_digit() || c == ':' || c == '$')
                        || r.contains("://")
                })
            };
            if let Some(v) = glued {
                out.push((!a.dynamic).then(|| v.to_string()));
                break;
            }
        }
        i += 1;
    }
    out
}

/// The value of an option (the last one wins). `Some(None)`: the option is given, its value
/// unknown.
fn option(cmd: &Cmd, from: usize, names: &[&str]) -> Option<Option<String>> {
    option_values(cmd, from, names).pop()
}

/// Every value of a repeatable option (`-b a -b b`); `None` when one is unknown.
fn options_all(cmd: &Cmd, from: usize, names: &[&str]) -> Option<Vec<String>> {
    option_values(cmd, from, names).into_iter().collect()
}

/// A port given by an option or an environment variable: `Err(())` when it is given but not
/// known (or not a port), `Ok(None)` when not given.
fn port_from(value: Option<Option<String>>) -> Result<Option<u16>, ()> {
    match value {
        None => Ok(None),
        Some(Some(v)) => parse_port(&v).map(Some).ok_or(()),
        Some(None) => Err(()),
    }
}

fn env_port(cmd: &Cmd, name: &str) -> Result<Option<u16>, ()> {
    match cmd.env(name) {
        EnvValue::Set(v) if v.trim().is_empty() => Ok(None),
        EnvValue::Set(v) => parse_port(&v).map(Some).ok_or(()),
        EnvValue::Unknown => Err(()),
        EnvValue::Unset => Ok(None),
    }
}

/// Expands `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME-default}` in a word when every
/// variable is known; `None` for unknown variables and command substitutions.
fn expand(cmd: &Cmd, word: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (inner, len) = if let Some(braced) = after.strip_prefix('{') {
            let close = braced.find('}')?;
            (&braced[..close], close + 2)
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..len], len)
        };
        let (name, default, colon) = if let Some((n, d)) = inner.split_once(":-") {
            (n, Some(d), true)
        } else if let Some((n, d)) = inner.split_once('-') {
            (n, Some(d), false)
        } else {
            (inner, None, false)
        };
        if name.is_empty()
            || name.starts_with(|c: char| c.is_ascii_digit())
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || default.is_some_and(|d| d.contains(['$', '`']))
        {
            return None;
        }
        let value = match cmd.env(name) {
            EnvValue::Set(v) if v.is_empty() && colon => default.unwrap_or("").to_string(),
            EnvValue::Set(v) => v,
            EnvValue::Unknown => return None,
            EnvValue::Unset => default.unwrap_or("").to_string(),
        };
        out.push_str(&value);
        rest = &after[len..];
    }
    if rest.contains('`') {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh"];

/// Skips wrappers that run the rest of their arguments (`exec`, `bundle exec`, `tini --`, an
/// entrypoint script, `sh -c`), then asks the server.
fn infer(mut cmd: Cmd, depth: usize) -> Option<Listen> {
    if depth > 8 {
        return None;
    }
    loop {
        let first = cmd.args.first()?;
        if first.dynamic {
            return None;
        }
        let text = first.text.clone();
        let name = basename(&text).to_string();
        // `NAME=value cmd` (from a shell line)
        if shell::is_assignment(&text) {
            let (k, v) = text.split_once('=').unwrap_or((&text, ""));
            cmd.env.push((k.to_string(), Some(v.to_string())));
            cmd.args.remove(0);
            continue;
        }
        match name.as_str() {
            "exec" | "command" | "nohup" | "builtin" => {
                cmd.args.remove(0);
            }
            "env" => {
                cmd.args.remove(0);
                while let Some(a) = cmd.args.first() {
                    if a.text == "-i" || a.text == "--ignore-environment" || a.text == "-" {
                        cmd.args.remove(0);
                    } else if a.text == "-u" || a.text == "--unset" {
                        let unset = cmd.args.get(1).map(|a| a.text.clone());
                        cmd.args.drain(..2.min(cmd.args.len()));
                        if let Some(u) = unset {
                            cmd.env.push((u, None));
                        }
                    } else if shell::is_assignment(&a.text) {
                        if a.dynamic {
                            let k = a.text.split_once('=').map(|(k, _)| k.to_string());
                            cmd.env.push((k.unwrap_or_default(), None));
                        } else {
                            let (k, v) = a.text.split_once('=').unwrap_or(("", ""));
                            cmd.env.push((k.to_string(), Some(v.to_string())));
                        }
                        cmd.args.remove(0);
                    } else {
                        break;
                    }
                }
            }
            "tini" | "tini-static" | "dumb-init" | "catatonit" => {
                cmd.args.remove(0);
                // their own flags, then an optional `--`
                while let Some(a) = cmd.args.first() {
                    if a.text == "--" {
                        cmd.args.remove(0);
                        break;
                    }
                    if !a.text.starts_with('-') {
                        break;
                    }
                    let takes_value = matches!(a.text.as_str(), "-r" | "--rewrite" | "-p" | "-e");
                    cmd.args.remove(0);
                    if takes_value && !cmd.args.is_empty() {
                        cmd.args.remove(0);
                    }
                }
            }
            "gosu" | "su-exec" | "s6-setuidgid" => {
                // `gosu USER cmd…`
                cmd.args.drain(..2.min(cmd.args.len()));
            }
            "bundle" | "bundler" if cmd.word(1) == Some("exec") => {
                cmd.args.drain(..2);
            }
            "npx" | "bunx" => {
                cmd.args.remove(0);
                while cmd.args.first().is_some_and(|a| a.text.starts_with('-')) {
                    cmd.args.remove(0);
                }
            }
            "ruby"
                if cmd.word(1).is_some_and(|w| {
                    matches!(basename(w), "rails" | "puma" | "rackup" | "thrust")
                }) =>
            {
                cmd.args.remove(0);
            }
            n if SHELLS.contains(&n) => {
                // `sh -c 'script'`, `bash -lc '…'`, `sh -ec '…'`
                let mut i = 1;
                let mut script = None;
                while let Some(a) = cmd.args.get(i) {
                    if a.text.starts_with('-') && !a.text.starts_with("--") {
                        if a.text.contains('c') {
                            script = cmd.args.get(i + 1).cloned();
                            break;
                        }
                        i += 1;
                        continue;
                    }
                    break;
                }
                let script = script?;
                if script.dynamic && !script.text.contains(' ') && script.text.starts_with('$') {
                    return None;
                }
                let rest = Cmd {
                    args: Vec::new(),
                    env: cmd.env,
                    probe: cmd.probe,
                };
                return from_script(&script.text, rest, depth + 1);
            }
            n if n.contains("entrypoint") && cmd.args.len() > 1 => {
                // `bin/docker-entrypoint` and the like end with `exec "$@"`
                cmd.args.remove(0);
            }
            _ => break,
        }
    }
    server(&cmd)
}

/// The port of a shell script: its last command (earlier ones prepare, `exec` or not).
fn from_script(script: &str, base: Cmd, depth: usize) -> Option<Listen> {
    let commands = shell::commands(script);
    let last = commands.last()?;
    if last.background || last.piped {
        return None;
    }
    // a server started in the background earlier makes the picture unclear
    if commands.iter().any(|c| c.background) {
        return None;
    }
    let mut cmd = Cmd {
        args: Vec::new(),
        env: base.env,
        probe: base.probe,
    };
    // `export PORT=4000` earlier in the script
    for c in &commands[..commands.len() - 1] {
        if c.words.first().is_some_and(|w| w.text == "export") {
            for w in &c.words[1..] {
                if let Some((k, v)) = w.text.split_once('=') {
                    let value = (!w.dynamic).then(|| v.to_string());
                    cmd.env.push((k.to_string(), value));
                }
            }
        } else if c.words.len() == 1 && shell::is_assignment(&c.words[0].text) {
            let w = &c.words[0];
            let (k, v) = w.text.split_once('=').unwrap_or(("", ""));
            cmd.env
                .push((k.to_string(), (!w.dynamic).then(|| v.to_string())));
        }
    }
    for w in &last.words {
        let (text, dynamic) = if w.dynamic {
            match expand(&cmd, &w.text) {
                Some(v) => (v, false),
                None => (w.text.clone(), true),
            }
        } else {
            (w.text.clone(), false)
        };
        // `PORT=$X cmd`: an assignment whose value is unknown
        if dynamic && shell::is_assignment(&text) && cmd.args.is_empty() {
            let k = text.split_once('=').map(|(k, _)| k.to_string());
            cmd.env.push((k.unwrap_or_default(), None));
            continue;
        }
        cmd.args.push(Arg { text, dynamic });
    }
    infer(cmd, depth)
}

/// The server named by the command word.
fn server(cmd: &Cmd) -> Option<Listen> {
    let first = cmd.word(0)?;
    let name = basename(first);
    let second = cmd.word(1).unwrap_or("");
    match name {
        "thrust" => thruster(cmd),
        "rails" if matches!(second, "server" | "s") => rails_server(cmd),
        "puma" => puma(cmd),
        "rackup" => rackup(cmd),
        "unicorn" | "unicorn_rails" => unicorn(cmd),
        "gunicorn" => gunicorn(cmd, 1),
        "hypercorn" => hypercorn(cmd, 1),
        "uvicorn" => uvicorn(cmd, 1),
        "daphne" => daphne(cmd, 1),
        "waitress-serve" => waitress(cmd, 1),
        "flask" if second == "run" => flask(cmd, 2),
        "python" | "python3" => python(cmd),
        "php" => php(cmd),
        "next" if second == "start" => next_start(cmd),
        "node" | "nodejs" | "npm" | "yarn" | "pnpm" | "bun" | "deno" => node(cmd),
        "nginx" | "openresty" if !(cmd.probe.copies_into)("/etc/nginx") => {
            Some(Listen::new(80, false, "nginx", "its default site"))
        }
        "caddy" => caddy(cmd),
        "httpd-foreground" | "apache2-foreground"
            if !(cmd.probe.copies_into)("/usr/local/apache2/conf")
                && !(cmd.probe.copies_into)("/etc/apache2") =>
        {
            Some(Listen::new(80, false, "Apache", "its default config"))
        }
        _ => None,
    }
}

fn thruster(cmd: &Cmd) -> Option<Listen> {
    // with a TLS domain Thruster serves HTTPS on 443 and only redirects on 80
    for var in ["THRUSTER_TLS_DOMAIN", "TLS_DOMAIN"] {
        match cmd.env(var) {
            EnvValue::Unset => {}
            EnvValue::Set(v) if v.trim().is_empty() => {}
            _ => return None,
        }
    }
    for var in ["THRUSTER_HTTP_PORT", "HTTP_PORT"] {
        match env_port(cmd, var) {
            Ok(Some(p)) => return Some(Listen::new(p, true, "Thruster", format!("`{var}`"))),
            Ok(None) => {}
            Err(()) => return None,
        }
    }
    Some(Listen::new(80, true, "Thruster", "its default port"))
}

/// What a Puma config file says about the port.
enum PumaConfig {
    Port(u16, String),
    NoBind,
    Unknown,
}

/// Reads `port`/`bind` lines of a Puma config (Ruby), the shapes Rails and most apps write:
/// `port 3000`, `port ENV.fetch("PORT") { 3000 }`, `port ENV.fetch("PORT", 3000)`,
/// `port ENV["PORT"] || 3000`, `bind "tcp://0.0.0.0:#{ENV.fetch("PORT", 3000)}"`. Anything
/// conditional or computed makes it unknown.
fn puma_config(text: &str, path: &str, cmd: &Cmd) -> PumaConfig {
    let mut ports: Vec<u16> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let directive = ["port", "bind", "ssl_bind"].into_iter().find(|d| {
            line.strip_prefix(d)
                .is_some_and(|r| r.starts_with([' ', '(']) || r.is_empty())
        });
        let Some(directive) = directive else {
            continue;
        };
        if directive == "ssl_bind" {
            return PumaConfig::Unknown;
        }
        // conditional directives (`port 3000 if …`, inside `if … end` blocks are caught by
        // indentation: Rails' generated file has its directives at the top level)
        if raw.starts_with([' ', '\t']) || line.contains(" if ") || line.contains(" unless ") {
            return PumaConfig::Unknown;
        }
        let arg = line[directive.len()..].trim();
        let arg = arg
            .strip_prefix('(')
            .and_then(|a| a.strip_suffix(')'))
            .unwrap_or(arg)
            .trim();
        let value = if directive == "port" {
            ruby_port_expr(arg, cmd)
        } else {
            ruby_bind_expr(arg, cmd)
        };
        match value {
            Some(p) => ports.push(p),
            None => return PumaConfig::Unknown,
        }
    }
    ports.dedup();
    match ports.as_slice() {
        [] => PumaConfig::NoBind,
        [p] => PumaConfig::Port(*p, path.to_string()),
        _ => PumaConfig::Unknown,
    }
}

/// `3000`, `"3000"`, `ENV.fetch("PORT") { 3000 }`, `ENV.fetch("PORT", 3000)`,
/// `ENV["PORT"] || 3000`, `Integer(…)`, `….to_i`.
fn ruby_port_expr(expr: &str, cmd: &Cmd) -> Option<u16> {
    let mut e = expr.trim();
    // a trailing comment
    if let Some(i) = e.find(" #") {
        e = e[..i].trim();
    }
    e = e.strip_suffix(".to_i").unwrap_or(e).trim();
    if let Some(inner) = e.strip_prefix("Integer(").and_then(|r| r.strip_suffix(')')) {
        e = inner.trim();
    }
    if let Some(p) = parse_port(e.trim_matches(['"', '\''])) {
        return Some(p);
    }
    let (var, default) = if let Some(rest) = e.strip_prefix("ENV.fetch(") {
        // ENV.fetch("PORT") { 3000 }  |  ENV.fetch("PORT", 3000)
        let (args, block) = rest.split_once(')')?;
        let mut parts = args.splitn(2, ',');
        let var = parts.next()?.trim().trim_matches(['"', '\'']).to_string();
        let default = match parts.next() {
            Some(d) => d.trim().trim_matches(['"', '\'']).to_string(),
            None => block
                .trim()
                .strip_prefix('{')?
                .strip_suffix('}')?
                .trim()
                .trim_matches(['"', '\''])
                .to_string(),
        };
        (var, default)
    } else if let Some(rest) = e.strip_prefix("ENV[") {
        let (var, rest) = rest.split_once(']')?;
        let default = rest.trim().strip_prefix("||")?.trim();
        (
            var.trim().trim_matches(['"', '\'']).to_string(),
            default.trim_matches(['"', '\'']).to_string(),
        )
    } else {
        return None;
    };
    let default = default
        .strip_suffix(".to_i")
        .unwrap_or(&default)
        .to_string();
    match cmd.env(&var) {
        EnvValue::Set(v) if !v.is_empty() => parse_port(&v),
        EnvValue::Set(_) | EnvValue::Unset => parse_port(&default),
        EnvValue::Unknown => None,
    }
}

/// `"tcp://0.0.0.0:3000"`, `"tcp://0.0.0.0:#{ENV.fetch("PORT", 3000)}"`.
fn ruby_bind_expr(expr: &str, cmd: &Cmd) -> Option<u16> {
    let e = expr.trim();
    let e = match e.find(" #") {
        Some(i) if !e[..i].contains("#{") => e[..i].trim(),
        _ => e,
    };
    let quote = e.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let inner = e.strip_prefix(quote)?.strip_suffix(quote)?;
    if inner.starts_with("unix:") || inner.starts_with("ssl:") {
        return None;
    }
    let (_, port) = inner.rsplit_once(':')?;
    if let Some(interp) = port.strip_prefix("#{").and_then(|p| p.strip_suffix('}')) {
        return ruby_port_expr(interp, cmd);
    }
    parse_port(port)
}

/// Reads a Puma config file through the probe.
fn read_puma(path: &str, cmd: &Cmd) -> Option<PumaConfig> {
    match (cmd.probe.file)(path) {
        FileState::Present(text) => Some(puma_config(&text, path, cmd)),
        FileState::Absent => Some(PumaConfig::NoBind),
        FileState::Unknown => None,
    }
}

fn rails_server(cmd: &Cmd) -> Option<Listen> {
    let server = "`rails server`";
    if let Some(u) = option(cmd, 2, &["-u", "--using"]) {
        if u.as_deref() != Some("puma") {
            return None;
        }
    }
    match port_from(option(cmd, 2, &["-p", "--port"])) {
        Ok(Some(p)) => return Some(Listen::new(p, true, server, format!("`-p {p}`"))),
        Ok(None) => {}
        Err(()) => return None,
    }
    match env_port(cmd, "PORT") {
        Ok(Some(p)) => return Some(Listen::new(p, true, server, "`PORT`")),
        Ok(None) => {}
        Err(()) => return None,
    }
    // without `-p`, a `port` in config/puma.rb wins over Rails' default
    match read_puma("config/puma.rb", cmd) {
        Some(PumaConfig::Port(p, path)) => Some(Listen::new(
            p,
            true,
            server,
            format!("the `port` in {path}"),
        )),
        Some(PumaConfig::NoBind) | None => {
            Some(Listen::new(3000, true, server, "Rails' default port"))
        }
        Some(PumaConfig::Unknown) => None,
    }
}

fn puma(cmd: &Cmd) -> Option<Listen> {
    let server = "Puma";
    match port_from(option(cmd, 1, &["-p", "--port"])) {
        Ok(Some(p)) => return Some(Listen::new(p, true, server, format!("`-p {p}`"))),
        Ok(None) => {}
        Err(()) => return None,
    }
    let binds = options_all(cmd, 1, &["-b", "--bind"])?;
    if !binds.is_empty() {
        let ports: Vec<Option<u16>> = binds.iter().map(|b| bind_port(b)).collect();
        return match ports.as_slice() {
            [Some(p)] => Some(Listen::new(*p, true, server, format!("`-b {}`", binds[0]))),
            _ => None,
        };
    }
    let config = match option(cmd, 1, &["-C", "--config"]) {
        Some(Some(path)) => Some(path),
        Some(None) => return None,
        None => None,
    };
    if let Some(path) = config {
        let path = path.trim_start_matches("./").to_string();
        return match (cmd.probe.file)(&path) {
            FileState::Present(text) => match puma_config(&text, &path, cmd) {
                PumaConfig::Port(p, path) => Some(Listen::new(
                    p,
                    true,
                    server,
                    format!("the `port` in {path}"),
                )),
                PumaConfig::NoBind => Some(Listen::new(9292, true, server, "its default port")),
                PumaConfig::Unknown => None,
            },
            FileState::Absent => None,
            // Rails' generated config/puma.rb: `port ENV.fetch("PORT", 3000)`
            FileState::Unknown if path == "config/puma.rb" => match env_port(cmd, "PORT") {
                Ok(Some(p)) => Some(Listen::new(
                    p,
                    false,
                    server,
                    "`PORT`, which Rails' config/puma.rb reads",
                )),
                Ok(None) => Some(Listen::new(
                    3000,
                    false,
                    server,
                    "Rails' config/puma.rb reads `PORT`, default 3000",
                )),
                Err(()) => None,
            },
            FileState::Unknown => None,
        };
    }
    // no config given: Puma loads config/puma/ENV.rb, else config/puma.rb
    let environment = match option(cmd, 1, &["-e", "--environment"]) {
        Some(Some(e)) => Some(e),
        Some(None) => return None,
        None => ["APP_ENV", "RACK_ENV", "RAILS_ENV"]
            .iter()
            .find_map(|v| match cmd.env(v) {
                EnvValue::Set(e) if !e.is_empty() => Some(Some(e)),
                EnvValue::Unknown => Some(None),
                _ => None,
            })
            .unwrap_or(Some("development".to_string())),
    };
    let environment = environment?;
    let mut candidates = vec![format!("config/puma/{environment}.rb")];
    candidates.push("config/puma.rb".to_string());
    for path in candidates {
        match read_puma(&path, cmd)? {
            PumaConfig::NoBind if (cmd.probe.file)(&path) == FileState::Absent => continue,
            PumaConfig::NoBind => return Some(Listen::new(9292, true, server, "its default port")),
            PumaConfig::Port(p, path) => {
                return Some(Listen::new(
                    p,
                    true,
                    server,
                    format!("the `port` in {path}"),
                ))
            }
            PumaConfig::Unknown => return None,
        }
    }
    Some(Listen::new(9292, true, server, "its default port"))
}

fn rackup(cmd: &Cmd) -> Option<Listen> {
    match port_from(option(cmd, 1, &["-p", "--port"])) {
        Ok(Some(p)) => Some(Listen::new(p, true, "rackup", format!("`-p {p}`"))),
        Ok(None) => match (cmd.probe.file)("config.ru") {
            FileState::Present(text) if !text.starts_with("#\\") => {
                Some(Listen::new(9292, true, "rackup", "its default port"))
            }
            _ => None,
        },
        Err(()) => None,
    }
}

fn unicorn(cmd: &Cmd) -> Option<Listen> {
    match port_from(option(cmd, 1, &["-p", "--port"])) {
        Ok(Some(p)) => return Some(Listen::new(p, true, "Unicorn", format!("`-p {p}`"))),
        Ok(None) => {}
        Err(()) => return None,
    }
    let listens = options_all(cmd, 1, &["-l", "--listen"])?;
    if let [one] = listens.as_slice() {
        return bind_port(one).map(|p| Listen::new(p, true, "Unicorn", format!("`-l {one}`")));
    }
    if !listens.is_empty() || option(cmd, 1, &["-c", "--config-file"]).is_some() {
        return None;
    }
    Some(Listen::new(8080, true, "Unicorn", "its default port"))
}

/// gunicorn: `-b`/`--bind`, else `$PORT`, else a gunicorn.conf.py, else 127.0.0.1:8000.
fn gunicorn(cmd: &Cmd, from: usize) -> Option<Listen> {
    let server = "gunicorn";
    if cmd.env("GUNICORN_CMD_ARGS") != EnvValue::Unset {
        return None;
    }
    let binds = options_all(cmd, from, &["-b", "--bind"])?;
    if !binds.is_empty() {
        let ports: Vec<Option<u16>> = binds.iter().map(|b| bind_port(b)).collect();
        return match ports.as_slice() {
            [Some(p)] => Some(Listen::new(*p, true, server, format!("`-b {}`", binds[0]))),
            _ => None,
        };
    }
    if option(cmd, from, &["-c", "--config"]).is_some() {
        return None;
    }
    match env_port(cmd, "PORT") {
        Ok(Some(p)) => return Some(Listen::new(p, true, server, "`PORT`")),
        Ok(None) => {}
        Err(()) => return None,
    }
    match (cmd.probe.file)("gunicorn.conf.py") {
        FileState::Absent => Some(Listen::new(8000, true, server, "its default bind")),
        _ => None,
    }
}

fn hypercorn(cmd: &Cmd, from: usize) -> Option<Listen> {
    let binds = options_all(cmd, from, &["-b", "--bind"])?;
    if let [one] = binds.as_slice() {
        return bind_port(one).map(|p| Listen::new(p, true, "Hypercorn", format!("`-b {one}`")));
    }
    if !binds.is_empty() || option(cmd, from, &["-c", "--config"]).is_some() {
        return None;
    }
    Some(Listen::new(8000, true, "Hypercorn", "its default bind"))
}

fn uvicorn(cmd: &Cmd, from: usize) -> Option<Listen> {
    if option(cmd, from, &["--uds", "--fd"]).is_some() {
        return None;
    }
    match port_from(option(cmd, from, &["--port"])) {
        Ok(Some(p)) => return Some(Listen::new(p, true, "Uvicorn", format!("`--port {p}`"))),
        Ok(None) => {}
        Err(()) => return None,
    }
    match env_port(cmd, "UVICORN_PORT") {
        Ok(Some(p)) => Some(Listen::new(p, true, "Uvicorn", "`UVICORN_PORT`")),
        Ok(None) => Some(Listen::new(8000, true, "Uvicorn", "its default port")),
        Err(()) => None,
    }
}

fn daphne(cmd: &Cmd, from: usize) -> Option<Listen> {
    if option(
        cmd,
        from,
        &["-u", "--unix-socket", "--fd", "-e", "--endpoint"],
    )
    .is_some()
    {
        return None;
    }
    match port_from(option(cmd, from, &["-p", "--port"])) {
        Ok(Some(p)) => Some(Listen::new(p, true, "Daphne", format!("`-p {p}`"))),
        Ok(None) => Some(Listen::new(8000, true, "Daphne", "its default port")),
        Err(()) => None,
    }
}

fn waitress(cmd: &Cmd, from: usize) -> Option<Listen> {
    match port_from(option(cmd, from, &["--port"])) {
        Ok(Some(p)) => return Some(Listen::new(p, true, "Waitress", format!("`--port={p}`"))),
        Ok(None) => {}
        Err(()) => return None,
    }
    let listens = options_all(cmd, from, &["--listen"])?;
    match listens.as_slice() {
        [] => Some(Listen::new(8080, true, "Waitress", "its default port")),
        [one] => {
            bind_port(one).map(|p| Listen::new(p, true, "Waitress", format!("`--listen={one}`")))
        }
        _ => None,
    }
}

fn flask(cmd: &Cmd, from: usize) -> Option<Listen> {
    match port_from(option(cmd, from, &["-p", "--port"])) {
        Ok(Some(p)) => return Some(Listen::new(p, true, "`flask run`", format!("`--port {p}`"))),
        Ok(None) => {}
        Err(()) => return None,
    }
    match env_port(cmd, "FLASK_RUN_PORT") {
        Ok(Some(p)) => Some(Listen::new(p, true, "`flask run`", "`FLASK_RUN_PORT`")),
        Ok(None) => Some(Listen::new(5000, true, "`flask run`", "its default port")),
        Err(()) => None,
    }
}

/// `python -m gunicorn|uvicorn|flask run|http.server`, `python manage.py runserver`.
fn python(cmd: &Cmd) -> Option<Listen> {
    let mut i = 1;
    while cmd.word(i).is_some_and(|w| w.starts_with('-') && w != "-m") {
        i += 1;
    }
    match cmd.word(i)? {
        "-m" => {
            let module = cmd.word(i + 1)?;
            match module {
                "gunicorn" => gunicorn(cmd, i + 2),
                "uvicorn" => uvicorn(cmd, i + 2),
                "hypercorn" => hypercorn(cmd, i + 2),
                "daphne" => daphne(cmd, i + 2),
                "flask" if cmd.word(i + 2) == Some("run") => flask(cmd, i + 3),
                "http.server" => {
                    let port = cmd
                        .args
                        .iter()
                        .skip(i + 2)
                        .find(|a| !a.text.starts_with('-'))
                        .map(|a| (!a.dynamic).then(|| a.text.clone()));
                    match port {
                        None => Some(Listen::new(8000, true, "`http.server`", "its default port")),
                        Some(Some(p)) => parse_port(&p)
                            .map(|p| Listen::new(p, true, "`http.server`", format!("`{p}`"))),
                        Some(None) => None,
                    }
                }
                _ => None,
            }
        }
        script if basename(script) == "manage.py" && cmd.word(i + 1) == Some("runserver") => {
            let addr = cmd
                .args
                .iter()
                .skip(i + 2)
                .find(|a| !a.text.starts_with('-'));
            match addr {
                None => Some(Listen::new(
                    8000,
                    true,
                    "`manage.py runserver`",
                    "its default port",
                )),
                Some(a) if a.dynamic => None,
                Some(a) => bind_port(&a.text).map(|p| {
                    Listen::new(p, true, "`manage.py runserver`", format!("`{}`", a.text))
                }),
            }
        }
        _ => None,
    }
}

/// `php artisan serve [--port=N]`, `php -S host:port`.
fn php(cmd: &Cmd) -> Option<Listen> {
    if cmd.word(1) == Some("artisan") && cmd.word(2) == Some("serve") {
        let server = "`php artisan serve`";
        return match port_from(option(cmd, 3, &["--port"])) {
            Ok(Some(p)) => Some(Listen::new(p, true, server, format!("`--port={p}`"))),
            Ok(None) => match env_port(cmd, "SERVER_PORT") {
                Ok(Some(p)) => Some(Listen::new(p, true, server, "`SERVER_PORT`")),
                Ok(None) => Some(Listen::new(8000, true, server, "its default port")),
                Err(()) => None,
            },
            Err(()) => None,
        };
    }
    match option(cmd, 1, &["-S"])? {
        Some(addr) => bind_port(&addr)
            .map(|p| Listen::new(p, true, "PHP's built-in server", format!("`-S {addr}`"))),
        None => None,
    }
}

fn next_start(cmd: &Cmd) -> Option<Listen> {
    let server = "`next start`";
    match port_from(option(cmd, 2, &["-p", "--port"])) {
        Ok(Some(p)) => return Some(Listen::new(p, true, server, format!("`-p {p}`"))),
        Ok(None) => {}
        Err(()) => return None,
    }
    match env_port(cmd, "PORT") {
        Ok(Some(p)) => Some(Listen::new(p, true, server, "`PORT`")),
        Ok(None) => Some(Listen::new(3000, true, server, "its default port")),
        Err(()) => None,
    }
}

/// A Node (or Bun, Deno) app: only the `PORT` convention says anything.
fn node(cmd: &Cmd) -> Option<Listen> {
    match env_port(cmd, "PORT") {
        Ok(Some(p)) => Some(Listen::new(
            p,
            false,
            &format!("`{}`", basename(cmd.word(0).unwrap_or("node"))),
            "`PORT`, which Node apps conventionally listen on",
        )),
        _ => None,
    }
}

fn caddy(cmd: &Cmd) -> Option<Listen> {
    match cmd.word(1) {
        Some("file-server") | Some("reverse-proxy") => {
            let flag = if cmd.word(1) == Some("file-server") {
                "--listen"
            } else {
                "--from"
            };
            match option(cmd, 2, &[flag]) {
                Some(Some(addr)) => bind_port(&addr)
                    .map(|p| Listen::new(p, true, "Caddy", format!("`{flag} {addr}`"))),
                Some(None) => None,
                None if cmd.word(1) == Some("file-server")
                    && option(cmd, 2, &["--domain"]).is_none() =>
                {
                    Some(Listen::new(
                        80,
                        true,
                        "Caddy",
                        "`file-server`'s default port",
                    ))
                }
                None => None,
            }
        }
        Some("run")
            if option(cmd, 2, &["--config", "--adapter"]).is_none()
                && !(cmd.probe.copies_into)("/etc/caddy") =>
        {
            Some(Listen::new(
                80,
                false,
                "Caddy",
                "the image's default Caddyfile",
            ))
        }
        _ => None,
    }
}
