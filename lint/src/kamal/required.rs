//! Steps 13–21 of Kamal's checks: required destination, required keys, roles with hosts, the
//! minimum version, retained containers, the service name, legacy hook files, SSL per role, and
//! the local registry with a remote builder.

use sextant_schema::GemVersion;

use super::registry::is_local_server;
use super::{proxy, Checker, Ctx, Load};
use crate::diagnostic::Diagnostic;
use crate::model::Roles;
use crate::registry as rules;
use crate::syntax::psych::Typed;
use crate::syntax::yaml::Node;

pub(super) fn check(v: &mut Checker, load: &Load, roles: &Roles) {
    let config = load.config;
    let root = Ctx::root();

    // 13. required destination
    if let Some(e) = config.entry("require_destination") {
        if e.value.as_bool() == Some(true)
            && load.destination.is_none()
            && !load.ignore_require_destination
        {
            v.error(
                &rules::DESTINATION_REQUIRED,
                e.value.span,
                &root,
                "You must specify a destination",
                "this configuration requires a destination (`-d DEST`), and none was given",
            )
            .help = Some(
                "run with `-d DEST`, or add a `config/deploy.DEST.yml` so sextant checks it".into(),
            );
        }
    }

    // 14. required keys
    let missing = |v: &mut Checker, what: &str, message: &str, help: &str| {
        v.error(
            &rules::MISSING_REQUIRED_KEY,
            load.anchor,
            &root,
            &format!("Missing required configuration for {what}"),
            message.to_string(),
        )
        .help = Some(help.to_string());
    };
    let service = config.get("service");
    // a present but null/empty-typed value already failed its type check
    let type_failed = |n: &Node| n.is_null() || !n.is_stringish();
    let service_missing = match service {
        None => true,
        Some(s) => s.is_blank() && !type_failed(s),
    };
    if service_missing && !load.dynamic {
        missing(
            v,
            "service",
            "`service` is missing: Kamal needs the service name",
            "add `service: my-app`",
        );
    }
    let registry_local = config
        .get("registry")
        .and_then(|r| r.get("server"))
        .and_then(Node::as_str)
        .is_some_and(is_local_server);
    let registry_erb = config
        .get("registry")
        .is_some_and(|r| r.is_erb() || r.get("server").is_some_and(Node::is_erb));
    let image_blank = match config.get("image") {
        None => true,
        Some(i) => i.is_blank() && !type_failed(i),
    };
    let falls_back = registry_local && service.is_some_and(|s| !s.is_blank());
    if image_blank && !falls_back && !registry_erb && !load.dynamic {
        missing(
            v,
            "image",
            "`image` is missing: Kamal needs the image repository to build and pull",
            "add `image: OWNER/NAME`, the repository to push to (with a local registry, `server: localhost:PORT`, it defaults to the service name)",
        );
    }
    let accessories_blank = config.get("accessories").is_none_or(Node::is_blank);
    if config.entry("servers").is_none() && accessories_blank && !load.dynamic {
        v.error(
            &rules::MISSING_REQUIRED_KEY,
            load.anchor,
            &root,
            "No servers or accessories specified",
            "no `servers` (and no `accessories`): there is nothing to deploy to",
        )
        .help = Some("add `servers:` with the hosts to deploy to".into());
    } else if roles.present && !roles.unknown && !load.dynamic {
        required_roles(v, load, roles);
    }

    // 15. minimum version
    if let Some(e) = config.entry("minimum_version") {
        minimum_version(v, &e.value, load);
    }

    // 16. retained containers
    if let Some(n) = config.get("retain_containers").and_then(Node::as_int) {
        if n < 1 {
            v.error(
                &rules::RETAIN_CONTAINERS_TOO_LOW,
                config
                    .get("retain_containers")
                    .map_or(load.anchor, |r| r.span),
                &root,
                "Must retain at least 1 container",
                format!("`retain_containers: {n}`: Kamal must keep at least the running container"),
            )
            .help = Some("use 1 or more (the default is 5)".into());
        }
    }

    // 17. service name
    if let Some(s) = service.filter(|s| !s.is_erb() && !s.is_blank() && s.is_stringish()) {
        let valid = match &s.scalar().map(|x| &x.typed) {
            Some(Typed::Str) => s
                .as_str()
                .unwrap_or("")
                .split('\n')
                .any(|line| !line.is_empty() && line.bytes().all(valid_service_byte)),
            Some(Typed::Symbol(name)) => !name.is_empty() && name.bytes().all(valid_service_byte),
            _ => false,
        };
        if !valid {
            let d = v.error(
                &rules::INVALID_SERVICE_NAME,
                s.span,
                &root,
                "Service name can only include alphanumeric characters, hyphens, and underscores",
                "the service name may only use letters, digits, `-` and `_`",
            );
            let suggestion: String = s
                .ruby_to_s()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            d.help = Some(match s.scalar().map(|x| &x.typed) {
                Some(Typed::Str | Typed::Symbol(_)) => format!("rename it, e.g. `{suggestion}`"),
                _ => "write the name as a string of letters, e.g. `service: my-app`".into(),
            });
        }
    }

    // 18. Kamal 1 hook files
    traefik_hooks(v, load);

    // 19–20. SSL per role, shared SSL hosts
    proxy::check_roles(v, config, roles);

    // 21. local registry with a remote builder
    local_registry_remote_builder(v, config, registry_local);
}

fn valid_service_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn required_roles(v: &mut Checker, load: &Load, roles: &Roles) {
    let root = Ctx::root();
    let servers_span = roles.servers.map_or(load.anchor, |e| e.key.span);
    let primary_entry = load.config.entry("primary_role");
    let Some(primary) = roles.get(&roles.primary) else {
        let at = primary_entry.map_or(servers_span, |e| e.value.span);
        let names: Vec<String> = roles.names().map(|n| format!("`{n}`")).collect();
        v.error(
            &rules::UNDEFINED_PRIMARY_ROLE,
            at,
            &root,
            &format!("The primary_role {} isn't defined", roles.primary),
            format!(
                "the primary role `{}` is not defined under `servers`",
                roles.primary
            ),
        )
        .help = Some(if names.is_empty() {
            "define at least one role under `servers`".into()
        } else if primary_entry.is_none() {
            format!(
                "the primary role defaults to `web`; set `primary_role:` to one of {}, or name a role `web`",
                names.join(", ")
            )
        } else {
            format!("defined roles: {}", names.join(", "))
        });
        return;
    };
    if primary.hosts.is_empty() && !primary.hosts_unknown {
        let at = primary.key.map_or(servers_span, |k| k.span);
        v.error(
            &rules::EMPTY_ROLE,
            at,
            &root,
            &format!("No servers specified for the {} primary_role", primary.name),
            format!("the primary role `{}` has no hosts", primary.name),
        )
        .help = Some(
            "list at least one host for it (allow_empty_roles does not cover the primary role)"
                .into(),
        );
        return;
    }
    let allow_empty = load.config.get("allow_empty_roles");
    if allow_empty.is_some_and(Node::is_erb)
        || allow_empty.is_some_and(|a| !a.is_null() && a.as_bool() != Some(false))
    {
        return;
    }
    for role in &roles.list {
        if role.name == primary.name || !role.hosts.is_empty() || role.hosts_unknown {
            continue;
        }
        let at = role.key.map_or(servers_span, |k| k.span);
        v.error(
            &rules::EMPTY_ROLE,
            at,
            &root,
            &format!(
                "No servers specified for the {} role. You can ignore this with allow_empty_roles: true",
                role.name
            ),
            format!("role `{}` has no hosts", role.name),
        )
        .help = Some("list its hosts, remove the role, or set `allow_empty_roles: true`".into());
    }
}

fn minimum_version(v: &mut Checker, value: &Node, load: &Load) {
    if value.is_erb() || !value.is_stringish() {
        return;
    }
    if value.as_bool() == Some(false) {
        return;
    }
    let text = value.ruby_to_s();
    let root = Ctx::root();
    match GemVersion::parse(&text) {
        None => {
            v.error(
                &rules::MALFORMED_MINIMUM_VERSION,
                value.span,
                &root,
                &format!("Malformed version number string {text}"),
                format!("`{text}` is not a version number"),
            )
            .help = Some("write a version such as `\"2.8.2\"` (quoted)".into());
        }
        Some(required) => {
            let current = GemVersion::from_version(load.version);
            if required > current {
                let d = v.error(
                    &rules::MINIMUM_VERSION_NOT_MET,
                    value.span,
                    &root,
                    &format!("Current version is {}, minimum required is {text}", load.version),
                    format!(
                        "this configuration requires Kamal {text} or later; checking against Kamal {}",
                        load.version
                    ),
                );
                d.help = Some(
                    "upgrade Kamal, or tell sextant which Kamal you run with `--kamal-version`"
                        .into(),
                );
                if matches!(value.scalar().map(|s| &s.typed), Some(Typed::Float(_))) {
                    d.help = Some(format!(
                        "unquoted, `{}` is read as a number: quote the version",
                        value.scalar().map(|s| s.text.as_str()).unwrap_or("")
                    ));
                }
            }
        }
    }
}

fn traefik_hooks(v: &mut Checker, load: &Load) {
    let hooks_path = load.config.get("hooks_path");
    let path = match hooks_path {
        Some(h) if h.is_erb() => return,
        Some(h) if h.is_null() || h.as_bool() == Some(false) => ".kamal/hooks".to_string(),
        Some(h) => match h.scalar().map(|s| &s.typed) {
            Some(Typed::Str) => h.as_str().unwrap_or_default().to_string(),
            Some(other) => {
                let class = match other {
                    Typed::Int(_) => "Integer",
                    Typed::Float(_) => "Float",
                    Typed::Symbol(_) => "Symbol",
                    Typed::Bool(_) => "true",
                    _ => return, // dates and such already failed the type check
                };
                v.error(
                    &rules::HOOKS_PATH_NOT_STRING,
                    h.span,
                    &Ctx::root(),
                    &format!("no implicit conversion of {class} into String"),
                    "`hooks_path` must be a string: Kamal crashes on this value",
                )
                .help = Some("write the folder as a path, e.g. `hooks_path: .kamal/hooks`".into());
                return;
            }
            None => return,
        },
        None => ".kamal/hooks".to_string(),
    };
    let dir = load.root.join(&path);
    let found: Vec<(&str, std::path::PathBuf)> = ["pre-traefik-reboot", "post-traefik-reboot"]
        .into_iter()
        .map(|name| (name, dir.join(name)))
        .filter(|(_, p)| load.vfs.is_file(p) || load.vfs.is_dir(p))
        .collect();
    if found.is_empty() {
        return;
    }
    let names: Vec<&str> = found.iter().map(|(n, _)| *n).collect();
    let kamal = format!(
        "Found {}, these should be renamed to (pre|post)-proxy-reboot",
        names.join(", ")
    );
    for (name, file) in &found {
        let at = (load.hook_span)(file).unwrap_or(load.anchor);
        let new = name.replace("traefik", "proxy");
        let d = Diagnostic::new(
            &rules::TRAEFIK_HOOK_FILES,
            at,
            format!("Kamal 2 refuses to run with the Kamal 1 hook `{name}`; it is now `{new}`"),
        )
        .with_kamal(kamal.clone())
        .with_help(format!("rename `{path}/{name}` to `{path}/{new}`"));
        v.out.push(d);
    }
}

fn local_registry_remote_builder(v: &mut Checker, config: &Node, registry_local: bool) {
    if !registry_local {
        return;
    }
    let Some(builder) = config.get("builder").filter(|b| b.is_map()) else {
        return;
    };
    let Some(remote) = builder.get("remote") else {
        return;
    };
    if remote.is_erb() || remote.is_blank() {
        return;
    }
    let url = remote.ruby_to_s();
    if url.starts_with("ssh://") {
        return;
    }
    // Kamal uses the remote for `local: false` and for every arch other than the local
    // Docker's. That depends on the machine deploying: assume the usual amd64 one, and say so
    // when only an arm64 machine would use the remote.
    let arches: Vec<String> = match builder.get("arch") {
        Some(a) if a.is_erb() => Vec::new(),
        Some(a) => match a.seq() {
            Some(items) => items.iter().map(Node::ruby_to_s).collect(),
            None => vec![a.ruby_to_s()],
        },
        None => Vec::new(),
    };
    let local_disabled = builder.get("local").and_then(Node::as_bool) == Some(false);
    let only_amd64 = !arches.is_empty() && arches.iter().all(|a| a == "amd64");
    if only_amd64 && !local_disabled {
        let mut d = Diagnostic::new(
            &rules::LOCAL_REGISTRY_REMOTE_BUILDER,
            remote.span,
            "deploying from an arm64 machine (e.g. Apple Silicon) uses this remote builder, and a local registry needs it to be an `ssh://` URL",
        )
        .with_help("use `remote: ssh://user@host`; from an amd64 machine Kamal builds locally and does not complain");
        d.severity = crate::diagnostic::Severity::Warning;
        v.out.push(d);
        return;
    }
    let server = config
        .get("registry")
        .and_then(|r| r.get("server"))
        .map(|s| s.span);
    let mut d = Diagnostic::new(
        &rules::LOCAL_REGISTRY_REMOTE_BUILDER,
        remote.span,
        "a local registry is reached from a remote builder through an SSH tunnel: the remote must be an `ssh://` URL",
    )
    .with_kamal("Local registry with remote builder requires an SSH URL (e.g., ssh://user@host)")
    .with_help(
        "use `remote: ssh://user@host`; Kamal raises this whenever the remote builder is used \
         (`local: false`, or an arch other than your Docker's — sextant assumes an amd64 machine)",
    );
    if let Some(s) = server {
        d = d.with_label(s, "local registry");
    }
    v.out.push(d);
}
