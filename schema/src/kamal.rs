//! The Kamal 2.x configuration key tree (`config/deploy.yml`), with a doc string per key in
//! sextant's own words. Source: SPEC §3 and Appendices A/B.

use crate::tree::{Key, Section, Ty};
use crate::version::Version;

const fn v(major: u16, minor: u16, patch: u16) -> Version {
    Version::new(major, minor, patch)
}

// ---------------------------------------------------------------------------------------------
// Root
// ---------------------------------------------------------------------------------------------

pub static ROOT: Section = Section {
    path: "",
    doc: "The Kamal deployment configuration (`config/deploy.yml`, merged with \
          `config/deploy.DEST.yml` when deploying with `-d DEST`). Root keys starting with `x-` \
          are ignored by Kamal and can hold YAML anchors.",
    keys: &[
        Key {
            name: "service",
            doc: "Name of the service. Prefixes every container name (`SERVICE-ROLE-VERSION`) and \
                  becomes the `service` label Kamal filters containers by. Only letters, digits, \
                  `-` and `_` are allowed.",
            required: true,
            example: Some("service: my-app"),
            ..Key::DEFAULT
        },
        Key {
            name: "image",
            doc: "Image repository the app is built into and pulled from. The registry `server` \
                  is prepended to it, so do not repeat the server here. Required unless the \
                  registry is a local one (`localhost:PORT`), where it falls back to `service`.",
            required: true,
            example: Some("image: my-user/my-app"),
            ..Key::DEFAULT
        },
        Key {
            name: "labels",
            ty: Ty::Labels,
            doc: "Docker labels added to every app container. Avoid `service`, `role` and \
                  `destination`: Kamal sets those itself and uses them to find its containers.",
            example: Some("labels:\n  my-label: my-value"),
            ..Key::DEFAULT
        },
        Key {
            name: "volumes",
            ty: Ty::StrArray,
            doc: "Volumes mounted into every app container, each passed as `--volume`. Use \
                  `NAME:/path` for a named volume or an absolute `/host/path:/container/path`.",
            example: Some("volumes:\n  - \"my_app_storage:/rails/storage\""),
            ..Key::DEFAULT
        },
        Key {
            name: "registry",
            ty: Ty::Section(&REGISTRY),
            doc: "The registry images are pushed to and pulled from. Docker Hub when no \
                  `server` is given. Credentials are required unless the server is a local \
                  registry (`localhost:PORT`).",
            default: Some("Docker Hub"),
            required: true,
            example: Some(
                "registry:\n  server: ghcr.io\n  username: my-user\n  password:\n    - KAMAL_REGISTRY_PASSWORD",
            ),
            ..Key::DEFAULT
        },
        Key {
            name: "servers",
            ty: Ty::Servers,
            doc: "The hosts to deploy to. A list of hosts puts them all in the `web` role; a hash \
                  maps role names to their hosts (a list) or to a role configuration. Optional \
                  for accessory-only configurations (2.6.0).",
            required: true,
            example: Some("servers:\n  web:\n    - 192.0.2.1\n  job:\n    hosts:\n      - 192.0.2.2\n    cmd: bin/jobs"),
            ..Key::DEFAULT
        },
        Key {
            name: "env",
            ty: Ty::Env { root: true },
            doc: "Environment variables for every app container. Either plain `NAME: value` \
                  pairs, or `clear` (values), `secret` (names looked up in `.kamal/secrets`) and \
                  `tags` (extra env for hosts carrying a tag).",
            example: Some("env:\n  clear:\n    DB_HOST: db\n  secret:\n    - RAILS_MASTER_KEY"),
            ..Key::DEFAULT
        },
        Key {
            name: "asset_path",
            doc: "Path of the compiled assets inside the image. Kamal keeps the assets of the old \
                  and new versions available during a deploy (asset bridging). Proxy roles only.",
            example: Some("asset_path: /rails/public/assets"),
            ..Key::DEFAULT
        },
        Key {
            name: "hooks_path",
            doc: "Folder holding the hook scripts, relative to the directory Kamal runs in.",
            default: Some(".kamal/hooks"),
            example: Some("hooks_path: .kamal/hooks"),
            ..Key::DEFAULT
        },
        Key {
            name: "secrets_path",
            doc: "Base path of the secrets files: Kamal reads `PATH-common` and `PATH` (or \
                  `PATH.DEST` with a destination).",
            default: Some(".kamal/secrets"),
            since: v(2, 9, 0),
            example: Some("secrets_path: .kamal/secrets"),
            ..Key::DEFAULT
        },
        Key {
            name: "error_pages_path",
            doc: "Local folder of custom error pages. Files named like `4xx.html` and `5xx.html` \
                  (e.g. `404.html`, `503.html`) are uploaded and served by kamal-proxy.",
            since: v(2, 6, 0),
            example: Some("error_pages_path: public"),
            ..Key::DEFAULT
        },
        Key {
            name: "require_destination",
            ty: Ty::Bool,
            doc: "When true, every Kamal command must be given `-d DEST`.",
            default: Some("false"),
            example: Some("require_destination: true"),
            ..Key::DEFAULT
        },
        Key {
            name: "primary_role",
            doc: "The role whose first host runs one-off commands and whose containers the proxy \
                  serves by default. It must be a defined role with at least one host.",
            default: Some("web"),
            example: Some("primary_role: web"),
            ..Key::DEFAULT
        },
        Key {
            name: "allow_empty_roles",
            ty: Ty::Bool,
            doc: "Allow roles other than the primary one to have no hosts (useful when a \
                  destination leaves a role unused).",
            default: Some("false"),
            example: Some("allow_empty_roles: true"),
            ..Key::DEFAULT
        },
        Key {
            name: "retain_containers",
            ty: Ty::Int,
            doc: "How many old containers (and their images) `kamal prune` keeps. At least 1.",
            default: Some("5"),
            example: Some("retain_containers: 3"),
            ..Key::DEFAULT
        },
        Key {
            name: "minimum_version",
            doc: "The lowest Kamal version allowed to deploy this configuration. Quote it: an \
                  unquoted `2.10` is read as the number 2.1.",
            example: Some("minimum_version: \"2.8.2\""),
            ..Key::DEFAULT
        },
        Key {
            name: "readiness_delay",
            ty: Ty::Int,
            doc: "Seconds to wait before considering a container ready, for roles without the \
                  proxy whose container has no Docker healthcheck.",
            default: Some("7"),
            example: Some("readiness_delay: 10"),
            ..Key::DEFAULT
        },
        Key {
            name: "deploy_timeout",
            ty: Ty::Int,
            doc: "Seconds a new container has to become healthy before the deploy fails.",
            default: Some("30"),
            example: Some("deploy_timeout: 60"),
            ..Key::DEFAULT
        },
        Key {
            name: "drain_timeout",
            ty: Ty::Int,
            doc: "Seconds in-flight requests get to finish before an old container is stopped \
                  (replaces Kamal 1's `stop_wait_time`).",
            default: Some("30"),
            example: Some("drain_timeout: 30"),
            ..Key::DEFAULT
        },
        Key {
            name: "stop_timeout",
            ty: Ty::Int,
            doc: "Seconds `docker stop` waits for a container to exit before killing it.",
            since: v(2, 12, 0),
            example: Some("stop_timeout: 30"),
            ..Key::DEFAULT
        },
        Key {
            name: "run_directory",
            doc: "Accepted for compatibility but has no effect in Kamal 2.8: the run directory on \
                  hosts is always `.kamal`.",
            default: Some(".kamal"),
            example: Some("run_directory: .kamal"),
            ..Key::DEFAULT
        },
        Key {
            name: "ssh",
            ty: Ty::Section(&SSH),
            doc: "How Kamal connects to the hosts over SSH.",
            example: Some("ssh:\n  user: deploy"),
            ..Key::DEFAULT
        },
        Key {
            name: "builder",
            ty: Ty::Section(&BUILDER),
            doc: "How the image is built. `arch` is required.",
            required: true,
            example: Some("builder:\n  arch: amd64"),
            ..Key::DEFAULT
        },
        Key {
            name: "accessories",
            ty: Ty::Accessories,
            doc: "Long-running services deployed beside the app (databases, caches, …), each \
                  managed with `kamal accessory` and never touched by `kamal deploy`.",
            example: Some(
                "accessories:\n  db:\n    image: postgres:16\n    host: 192.0.2.3\n    port: \"127.0.0.1:5432:5432\"",
            ),
            ..Key::DEFAULT
        },
        Key {
            name: "proxy",
            ty: Ty::Section(&PROXY),
            doc: "kamal-proxy settings for the roles that run behind it (the primary role by \
                  default). Must be a hash at the root.",
            default: Some("{}"),
            example: Some("proxy:\n  host: app.example.com\n  ssl: true\n  app_port: 3000"),
            ..Key::DEFAULT
        },
        Key {
            name: "sshkit",
            ty: Ty::Section(&SSHKIT),
            doc: "Tuning of SSHKit, the library Kamal runs remote commands with.",
            example: Some("sshkit:\n  max_concurrent_starts: 10"),
            ..Key::DEFAULT
        },
        Key {
            name: "boot",
            ty: Ty::Section(&BOOT),
            doc: "Rolling boot: how many hosts get the new version at once, and the pause \
                  between groups.",
            example: Some("boot:\n  limit: 25%\n  wait: 2"),
            ..Key::DEFAULT
        },
        Key {
            name: "logging",
            ty: Ty::Section(&LOGGING),
            doc: "Docker logging driver and options for app containers. Without it Kamal sets \
                  `--log-opt max-size=10m`.",
            example: Some("logging:\n  driver: json-file\n  options:\n    max-size: 100m"),
            ..Key::DEFAULT
        },
        Key {
            name: "aliases",
            ty: Ty::Aliases,
            doc: "Command shortcuts: `kamal NAME` runs `kamal COMMAND…`. Names use lowercase \
                  letters, digits, `-` and `_`, and must not be a Kamal command.",
            example: Some("aliases:\n  console: app exec --interactive --reuse \"bin/rails console\""),
            ..Key::DEFAULT
        },
        Key {
            name: "hooks_output",
            ty: Ty::HooksOutput,
            doc: "Whether hook output is shown: `quiet` or `verbose`, or a hash of hook name to \
                  level.",
            since: v(2, 11, 0),
            values: &["quiet", "verbose"],
            example: Some("hooks_output: verbose"),
            ..Key::DEFAULT
        },
        Key {
            name: "output",
            ty: Ty::Section(&OUTPUT),
            doc: "Where Kamal also writes its command output: a log file and/or an \
                  OpenTelemetry endpoint.",
            since: v(2, 12, 0),
            example: Some("output:\n  file:\n    path: log/kamal.log"),
            ..Key::DEFAULT
        },
    ],
};

// ---------------------------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------------------------

pub static ROLE: Section = Section {
    path: "servers.<role>",
    doc: "A role: a group of hosts running the same image with its own command, options, env \
          and proxy settings. Role names are free-form; roles are processed in sorted order.",
    keys: &[
        Key {
            name: "hosts",
            ty: Ty::HostList,
            doc: "The role's hosts. Each item is a host, or `HOST: TAG` / `HOST: [TAGS]` to tag \
                  it (tags select extra env from `env.tags`).",
            example: Some("hosts:\n  - 192.0.2.1\n  - 192.0.2.2: [gpu]"),
            ..Key::DEFAULT
        },
        Key {
            name: "cmd",
            doc: "Command the role's containers run, instead of the image's default.",
            example: Some("cmd: bin/jobs"),
            ..Key::DEFAULT
        },
        Key {
            name: "options",
            ty: Ty::AnyHash,
            doc: "Extra `docker run` options: each `KEY: VALUE` becomes `--KEY VALUE`, `true` a \
                  bare `--KEY`, an array a repeated flag. `restart` is not allowed (Kamal \
                  manages restarts).",
            example: Some("options:\n  memory: 2g\n  cpus: 2"),
            ..Key::DEFAULT
        },
        Key {
            name: "logging",
            ty: Ty::Section(&LOGGING),
            doc: "Logging for this role, deep-merged over the root `logging`.",
            ..Key::DEFAULT
        },
        Key {
            name: "proxy",
            ty: Ty::RoleProxy,
            doc: "`true` runs this role behind kamal-proxy with the root proxy settings, a hash \
                  does so with these settings merged over the root ones, `false` turns the proxy \
                  off (the primary role runs it by default, other roles do not).",
            example: Some("proxy:\n  host: api.example.com"),
            ..Key::DEFAULT
        },
        Key {
            name: "labels",
            ty: Ty::Labels,
            doc: "Docker labels for this role's containers. `service`, `role` and `destination` \
                  are reserved.",
            ..Key::DEFAULT
        },
        Key {
            name: "env",
            ty: Ty::Env { root: false },
            doc: "Env for this role, merged over the root env (no `tags` here).",
            ..Key::DEFAULT
        },
        Key {
            name: "asset_path",
            doc: "Asset path for this role, instead of the root `asset_path`.",
            ..Key::DEFAULT
        },
        Key {
            name: "stop_timeout",
            ty: Ty::Int,
            doc: "Seconds `docker stop` waits for this role's containers to exit.",
            since: v(2, 12, 0),
            ..Key::DEFAULT
        },
    ],
};

// ---------------------------------------------------------------------------------------------
// Proxy
// ---------------------------------------------------------------------------------------------

pub static PROXY: Section = Section {
    path: "proxy",
    doc: "kamal-proxy settings: which hosts it answers for, TLS, the app's port, health checks.",
    keys: &[
        Key {
            name: "host",
            doc: "Host name the proxy routes to this app. Comma-separated names are split, but \
                  `hosts:` is clearer for several.",
            example: Some("host: app.example.com"),
            ..Key::DEFAULT
        },
        Key {
            name: "hosts",
            ty: Ty::HostList,
            doc: "Host names the proxy routes to this app. Use either `host` or `hosts`.",
            since: v(2, 1, 0),
            example: Some("hosts:\n  - app.example.com\n  - www.example.com"),
            ..Key::DEFAULT
        },
        Key {
            name: "app_port",
            ty: Ty::Int,
            doc: "Port the app listens on inside its container; the proxy forwards requests and \
                  health checks there. Rails images with Thruster listen on 80; `rails server` \
                  and Puma alone on 3000.",
            default: Some("80"),
            example: Some("app_port: 3000"),
            ..Key::DEFAULT
        },
        Key {
            name: "ssl",
            ty: Ty::Ssl,
            doc: "`true` gets a Let's Encrypt certificate automatically (needs `host`, one server \
                  per role). A hash with `certificate_pem` and `private_key_pem` (secret names) \
                  uses your own certificate (2.7.0).",
            default: Some("false"),
            example: Some("ssl: true"),
            ..Key::DEFAULT
        },
        Key {
            name: "ssl_redirect",
            ty: Ty::Bool,
            doc: "Whether plain HTTP requests are redirected to HTTPS when SSL is on.",
            default: Some("true"),
            since: v(2, 6, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "forward_headers",
            ty: Ty::Bool,
            doc: "Whether the proxy forwards `X-Forwarded-*` headers it received instead of \
                  setting its own. By default it forwards them unless SSL is on.",
            ..Key::DEFAULT
        },
        Key {
            name: "response_timeout",
            ty: Ty::Int,
            doc: "Seconds the app has to answer a request.",
            default: Some("30"),
            ..Key::DEFAULT
        },
        Key {
            name: "path_prefix",
            doc: "Serve only requests under this path (comma-separated values are split).",
            since: v(2, 7, 0),
            example: Some("path_prefix: /api"),
            ..Key::DEFAULT
        },
        Key {
            name: "path_prefixes",
            ty: Ty::StrArray,
            doc: "Serve only requests under these paths. Wins over `path_prefix`.",
            since: v(2, 8, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "strip_path_prefix",
            ty: Ty::Bool,
            doc: "Whether the path prefix is removed before requests reach the app.",
            default: Some("true"),
            since: v(2, 7, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "healthcheck",
            ty: Ty::Section(&PROXY_HEALTHCHECK),
            doc: "How the proxy checks a new container is healthy before switching traffic.",
            example: Some("healthcheck:\n  path: /up\n  interval: 3\n  timeout: 3"),
            ..Key::DEFAULT
        },
        Key {
            name: "buffering",
            ty: Ty::Section(&PROXY_BUFFERING),
            doc: "Request and response buffering in the proxy.",
            ..Key::DEFAULT
        },
        Key {
            name: "logging",
            ty: Ty::Section(&PROXY_LOGGING),
            doc: "Which request and response headers the proxy logs.",
            ..Key::DEFAULT
        },
        Key {
            name: "run",
            ty: Ty::Section(&PROXY_RUN),
            doc: "How kamal-proxy itself is run (ports, image, log size, options); replaces \
                  `kamal proxy boot_config`.",
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
    ],
};

pub static PROXY_SSL: Section = Section {
    path: "proxy.ssl",
    doc: "A custom TLS certificate. Both values are names of secrets holding PEM text.",
    keys: &[
        Key {
            name: "certificate_pem",
            doc: "Name of the secret holding the certificate chain (PEM).",
            since: v(2, 7, 0),
            example: Some("certificate_pem: CERTIFICATE_PEM"),
            ..Key::DEFAULT
        },
        Key {
            name: "private_key_pem",
            doc: "Name of the secret holding the private key (PEM).",
            since: v(2, 7, 0),
            example: Some("private_key_pem: PRIVATE_KEY_PEM"),
            ..Key::DEFAULT
        },
    ],
};

pub static PROXY_HEALTHCHECK: Section = Section {
    path: "proxy.healthcheck",
    doc: "The proxy's health check of new containers (HTTP GET on `app_port`).",
    keys: &[
        Key {
            name: "interval",
            ty: Ty::Int,
            doc: "Seconds between health checks.",
            default: Some("1"),
            ..Key::DEFAULT
        },
        Key {
            name: "path",
            doc: "Path requested; it must answer 200 over plain HTTP. Rails serves `/up`.",
            default: Some("/up"),
            ..Key::DEFAULT
        },
        Key {
            name: "timeout",
            ty: Ty::Int,
            doc: "Seconds each health check may take.",
            default: Some("5"),
            ..Key::DEFAULT
        },
    ],
};

pub static PROXY_BUFFERING: Section = Section {
    path: "proxy.buffering",
    doc: "Buffering limits, in bytes (integers only: `10mb` is rejected).",
    keys: &[
        Key {
            name: "requests",
            ty: Ty::Bool,
            doc: "Buffer request bodies before passing them to the app.",
            default: Some("true"),
            ..Key::DEFAULT
        },
        Key {
            name: "responses",
            ty: Ty::Bool,
            doc: "Buffer response bodies before sending them to the client.",
            default: Some("true"),
            ..Key::DEFAULT
        },
        Key {
            name: "max_request_body",
            ty: Ty::Int,
            doc: "Largest request body accepted, in bytes (0: no limit).",
            ..Key::DEFAULT
        },
        Key {
            name: "max_response_body",
            ty: Ty::Int,
            doc: "Largest response body accepted, in bytes (0: no limit).",
            ..Key::DEFAULT
        },
        Key {
            name: "memory",
            ty: Ty::Int,
            doc: "Bytes buffered in memory before spilling to disk.",
            ..Key::DEFAULT
        },
    ],
};

pub static PROXY_LOGGING: Section = Section {
    path: "proxy.logging",
    doc: "Headers included in the proxy's request log.",
    keys: &[
        Key {
            name: "request_headers",
            ty: Ty::StrArray,
            doc: "Request headers to log.",
            default: Some("[Cache-Control, Last-Modified, User-Agent]"),
            ..Key::DEFAULT
        },
        Key {
            name: "response_headers",
            ty: Ty::StrArray,
            doc: "Response headers to log.",
            ..Key::DEFAULT
        },
    ],
};

pub static PROXY_RUN: Section = Section {
    path: "proxy.run",
    doc: "How the kamal-proxy container is run on each host (2.10.0).",
    keys: &[
        Key {
            name: "http_port",
            ty: Ty::Int,
            doc: "Host port for HTTP.",
            default: Some("80"),
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "https_port",
            ty: Ty::Int,
            doc: "Host port for HTTPS.",
            default: Some("443"),
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "metrics_port",
            ty: Ty::Int,
            doc: "Port for Prometheus metrics.",
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "debug",
            ty: Ty::Bool,
            doc: "Debug logging in the proxy.",
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "log_max_size",
            doc: "Largest proxy log file before rotation.",
            default: Some("10m"),
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "publish",
            ty: Ty::Bool,
            doc: "Whether the proxy's ports are published on the host.",
            default: Some("true"),
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "bind_ips",
            ty: Ty::StrArray,
            doc: "Host IP addresses the published ports bind to.",
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "registry",
            doc: "Registry of the proxy image.",
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "repository",
            doc: "Repository of the proxy image.",
            default: Some("basecamp/kamal-proxy"),
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "version",
            doc: "Version (tag) of the proxy image.",
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "options",
            ty: Ty::AnyHash,
            doc: "Extra `docker run` options for the proxy container.",
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
    ],
};

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

pub static REGISTRY: Section = Section {
    path: "registry",
    doc: "Image registry and its credentials.",
    keys: &[
        Key {
            name: "server",
            doc:
                "Registry host (`ghcr.io`, `registry.digitalocean.com`, …); Docker Hub when \
                  absent. `localhost:PORT` runs a local registry that needs no credentials (2.8.0).",
            default: Some("Docker Hub"),
            example: Some("server: ghcr.io"),
            ..Key::DEFAULT
        },
        Key {
            name: "username",
            ty: Ty::RegistryCredential,
            doc: "Registry user. A plain string is used as is; a one-item list names a secret \
                  from `.kamal/secrets`.",
            required: true,
            example: Some("username: my-user"),
            ..Key::DEFAULT
        },
        Key {
            name: "password",
            ty: Ty::RegistryCredential,
            doc: "Registry password or token. Write it as a one-item list naming a secret \
                  (`- KAMAL_REGISTRY_PASSWORD`): a plain string is sent literally.",
            required: true,
            example: Some("password:\n  - KAMAL_REGISTRY_PASSWORD"),
            ..Key::DEFAULT
        },
    ],
};

// ---------------------------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------------------------

pub static BUILDER: Section = Section {
    path: "builder",
    doc: "How Kamal builds the image (Docker buildx).",
    keys: &[
        Key {
            name: "arch",
            ty: Ty::Arch,
            doc: "Architecture(s) to build for: `amd64`, `arm64`, or both. Required. Kamal adds \
                  `linux/` itself.",
            required: true,
            values: &["amd64", "arm64"],
            example: Some("arch: amd64"),
            ..Key::DEFAULT
        },
        Key {
            name: "remote",
            doc: "Docker endpoint of a remote builder (`ssh://user@host`), used for the arches \
                  your local Docker is not.",
            example: Some("remote: ssh://docker@192.0.2.9"),
            ..Key::DEFAULT
        },
        Key {
            name: "local",
            ty: Ty::Bool,
            doc: "`false` sends every build to the remote builder.",
            default: Some("true"),
            ..Key::DEFAULT
        },
        Key {
            name: "pack",
            ty: Ty::Section(&BUILDER_PACK),
            doc: "Build with Cloud Native Buildpacks instead of a Dockerfile (one arch only).",
            since: v(2, 7, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "cache",
            ty: Ty::Section(&BUILDER_CACHE),
            doc: "Build cache: `gha` (GitHub Actions) or `registry`.",
            example: Some("cache:\n  type: registry\n  options: mode=max"),
            ..Key::DEFAULT
        },
        Key {
            name: "context",
            doc: "Build context. When unset, Kamal builds from a clean git clone of HEAD, so \
                  uncommitted changes are not built; `.` uses the working tree.",
            default: Some("git clone of HEAD"),
            example: Some("context: ."),
            ..Key::DEFAULT
        },
        Key {
            name: "dockerfile",
            doc: "Dockerfile path, relative to the build context.",
            default: Some("Dockerfile"),
            ..Key::DEFAULT
        },
        Key {
            name: "target",
            doc: "Stage of a multi-stage Dockerfile to build.",
            ..Key::DEFAULT
        },
        Key {
            name: "args",
            ty: Ty::AnyHash,
            doc: "Build arguments, each passed as `--build-arg KEY=VALUE` (declare them with \
                  `ARG` in the Dockerfile).",
            example: Some("args:\n  RUBY_VERSION: 3.3.0"),
            ..Key::DEFAULT
        },
        Key {
            name: "secrets",
            ty: Ty::StrArray,
            doc: "Secrets exposed to the build, read in the Dockerfile with \
                  `RUN --mount=type=secret,id=NAME`.",
            example: Some("secrets:\n  - GITHUB_TOKEN"),
            ..Key::DEFAULT
        },
        Key {
            name: "ssh",
            doc: "SSH agent socket or keys forwarded to the build (`--ssh`).",
            example: Some("ssh: default=$SSH_AUTH_SOCK"),
            ..Key::DEFAULT
        },
        Key {
            name: "driver",
            doc: "Buildx driver: `docker-container` (default), `docker`, or `cloud ORG/BUILDER` \
                  for Docker Build Cloud.",
            default: Some("docker-container"),
            ..Key::DEFAULT
        },
        Key {
            name: "provenance",
            doc: "Buildx provenance attestation setting (`false`, `mode=max`, …).",
            since: v(2, 3, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "sbom",
            ty: Ty::Bool,
            doc: "Whether buildx adds an SBOM attestation.",
            since: v(2, 4, 0),
            ..Key::DEFAULT
        },
    ],
};

pub static BUILDER_PACK: Section = Section {
    path: "builder.pack",
    doc: "Cloud Native Buildpacks settings.",
    keys: &[
        Key {
            name: "builder",
            doc: "The buildpacks builder image (`heroku/builder:24`).",
            since: v(2, 7, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "buildpacks",
            ty: Ty::StrArray,
            doc: "Buildpacks to apply, in order.",
            since: v(2, 7, 0),
            ..Key::DEFAULT
        },
    ],
};

pub static BUILDER_CACHE: Section = Section {
    path: "builder.cache",
    doc: "Buildx cache settings.",
    keys: &[
        Key {
            name: "type",
            doc: "`gha` or `registry`.",
            values: &["gha", "registry"],
            ..Key::DEFAULT
        },
        Key {
            name: "options",
            doc: "Extra cache options, e.g. `mode=max`.",
            ..Key::DEFAULT
        },
        Key {
            name: "image",
            doc: "Image for the registry cache.",
            default: Some("IMAGE-build-cache"),
            ..Key::DEFAULT
        },
    ],
};

// ---------------------------------------------------------------------------------------------
// Accessories
// ---------------------------------------------------------------------------------------------

pub static ACCESSORY: Section = Section {
    path: "accessories.<name>",
    doc: "An accessory: a container Kamal boots once and leaves running across deploys. \
          Give it exactly one of `host`, `hosts`, `role`, `roles`, `tag` or `tags`.",
    keys: &[
        Key {
            name: "service",
            doc: "Container name and `service` label.",
            default: Some("SERVICE-NAME"),
            ..Key::DEFAULT
        },
        Key {
            name: "image",
            doc: "Image to run, with a tag (`postgres:16`). Not checked by Kamal's validation, \
                  but booting fails without it.",
            example: Some("image: postgres:16"),
            ..Key::DEFAULT
        },
        Key {
            name: "registry",
            ty: Ty::Section(&REGISTRY),
            doc: "Registry for this accessory's image, instead of Docker Hub.",
            since: v(2, 5, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "host",
            doc: "The host to run on.",
            ..Key::DEFAULT
        },
        Key {
            name: "hosts",
            ty: Ty::HostList,
            doc: "The hosts to run on.",
            ..Key::DEFAULT
        },
        Key {
            name: "role",
            doc: "Run on every host of this role.",
            since: v(2, 6, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "roles",
            ty: Ty::StrArray,
            doc: "Run on every host of these roles.",
            ..Key::DEFAULT
        },
        Key {
            name: "tag",
            doc: "Run on every host carrying this tag.",
            since: v(2, 6, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "tags",
            ty: Ty::StrArray,
            doc: "Run on every host carrying one of these tags.",
            since: v(2, 6, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "cmd",
            doc: "Command to run instead of the image's default. Not run through a shell: \
                  `$VAR` is not expanded.",
            ..Key::DEFAULT
        },
        Key {
            name: "port",
            doc: "Port to publish: `3306` publishes 3306:3306 on all interfaces; write \
                  `\"127.0.0.1:3306:3306\"` to keep it private. Quote it: unquoted `A:B` is read \
                  as a base-60 number.",
            example: Some("port: \"127.0.0.1:5432:5432\""),
            ..Key::DEFAULT
        },
        Key {
            name: "labels",
            ty: Ty::Labels,
            doc: "Docker labels. `service`, `role` and `destination` are reserved.",
            ..Key::DEFAULT
        },
        Key {
            name: "options",
            ty: Ty::AnyHash,
            doc: "Extra `docker run` options. `restart` is not allowed.",
            ..Key::DEFAULT
        },
        Key {
            name: "env",
            ty: Ty::Env { root: false },
            doc: "Env for the accessory (no `tags`).",
            ..Key::DEFAULT
        },
        Key {
            name: "files",
            ty: Ty::Paths,
            doc: "Local files uploaded and mounted, as `LOCAL:REMOTE` (`.erb` files are \
                  rendered first).",
            example: Some("files:\n  - config/init.sql:/docker-entrypoint-initdb.d/setup.sql"),
            ..Key::DEFAULT
        },
        Key {
            name: "directories",
            ty: Ty::Paths,
            doc: "Host directories created and mounted, as `HOST:CONTAINER`. A relative host \
                  path goes under the accessory's own directory.",
            example: Some("directories:\n  - data:/var/lib/postgresql/data"),
            ..Key::DEFAULT
        },
        Key {
            name: "volumes",
            ty: Ty::StrArray,
            doc: "Volumes passed as `--volume`.",
            ..Key::DEFAULT
        },
        Key {
            name: "network",
            doc: "Docker network to attach to.",
            default: Some("kamal"),
            since: v(2, 3, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "proxy",
            ty: Ty::Section(&PROXY),
            doc: "Run the accessory behind kamal-proxy with these settings (not merged with \
                  the root proxy).",
            since: v(2, 4, 0),
            ..Key::DEFAULT
        },
    ],
};

// ---------------------------------------------------------------------------------------------
// Env
// ---------------------------------------------------------------------------------------------

pub static ENV: Section = Section {
    path: "env",
    doc: "Environment variables. Plain `NAME: value` pairs, or the structured form below.",
    keys: &[
        Key {
            name: "clear",
            ty: Ty::Labels,
            doc: "Variables with their values, passed on the `docker run` command line.",
            example: Some("clear:\n  DB_HOST: db"),
            ..Key::DEFAULT
        },
        Key {
            name: "secret",
            ty: Ty::StrArray,
            doc: "Names of secrets from `.kamal/secrets*`, written to an env file on the host. \
                  `NAME:SECRET` sets NAME from the secret SECRET (2.6.0).",
            example: Some("secret:\n  - RAILS_MASTER_KEY"),
            ..Key::DEFAULT
        },
        Key {
            name: "tags",
            ty: Ty::AnyHash,
            doc: "Extra env per host tag (root env only): `TAG: { clear/secret or NAME: value }`. \
                  Every tag a host carries needs an entry here.",
            ..Key::DEFAULT
        },
    ],
};

// ---------------------------------------------------------------------------------------------
// SSH, SSHKit, boot, logging, output
// ---------------------------------------------------------------------------------------------

pub static SSH: Section = Section {
    path: "ssh",
    doc: "SSH connection settings.",
    keys: &[
        Key {
            name: "user",
            doc: "User to connect as.",
            default: Some("root"),
            ..Key::DEFAULT
        },
        Key {
            name: "port",
            doc: "SSH port.",
            default: Some("22"),
            ..Key::DEFAULT
        },
        Key {
            name: "proxy",
            doc: "Jump host, `host` or `user@host` (user defaults to root).",
            ..Key::DEFAULT
        },
        Key {
            name: "proxy_command",
            doc: "ProxyCommand used when `proxy` is unset.",
            ..Key::DEFAULT
        },
        Key {
            name: "log_level",
            doc: "SSH log level.",
            default: Some("fatal"),
            values: &["debug", "info", "warn", "error", "fatal"],
            ..Key::DEFAULT
        },
        Key {
            name: "keys_only",
            ty: Ty::Bool,
            doc: "Use only the listed keys, not the SSH agent's.",
            ..Key::DEFAULT
        },
        Key {
            name: "keys",
            ty: Ty::StrArray,
            doc: "Paths of private key files.",
            ..Key::DEFAULT
        },
        Key {
            name: "key_data",
            ty: Ty::StrArray,
            doc: "Private keys as PEM text (secret references from 2.10.0).",
            ..Key::DEFAULT
        },
        Key {
            name: "config",
            ty: Ty::SshConfig,
            doc: "Whether to read `~/.ssh/config` (paths allowed from 2.9.0). Has no effect \
                  before Kamal 2.9.0.",
            ..Key::DEFAULT
        },
        Key {
            name: "forward_agent",
            ty: Ty::Bool,
            doc: "Forward the local SSH agent to the hosts.",
            since: v(2, 12, 0),
            ..Key::DEFAULT
        },
    ],
};

pub static SSHKIT: Section = Section {
    path: "sshkit",
    doc: "SSHKit connection pool settings.",
    keys: &[
        Key {
            name: "max_concurrent_starts",
            ty: Ty::Int,
            doc: "How many SSH connections are opened at once.",
            default: Some("30"),
            ..Key::DEFAULT
        },
        Key {
            name: "pool_idle_timeout",
            ty: Ty::Int,
            doc: "Seconds an idle SSH connection is kept.",
            default: Some("900"),
            ..Key::DEFAULT
        },
        Key {
            name: "dns_retries",
            ty: Ty::Int,
            doc: "How often a failed DNS lookup of a host is retried.",
            since: v(2, 9, 0),
            ..Key::DEFAULT
        },
    ],
};

pub static BOOT: Section = Section {
    path: "boot",
    doc: "Rolling boot settings.",
    keys: &[
        Key {
            name: "limit",
            doc: "Hosts booted at once: an integer (`2`) or a percentage string (`25%`). A \
                  quoted number without `%` crashes at boot.",
            example: Some("limit: 25%"),
            ..Key::DEFAULT
        },
        Key {
            name: "wait",
            ty: Ty::Int,
            doc: "Seconds to wait between boot groups.",
            ..Key::DEFAULT
        },
        Key {
            name: "parallel_roles",
            ty: Ty::Bool,
            doc: "Boot roles in parallel.",
            since: v(2, 10, 0),
            ..Key::DEFAULT
        },
    ],
};

pub static LOGGING: Section = Section {
    path: "logging",
    doc: "Docker logging settings.",
    keys: &[
        Key {
            name: "driver",
            doc: "Docker log driver (`--log-driver`).",
            example: Some("driver: json-file"),
            ..Key::DEFAULT
        },
        Key {
            name: "options",
            ty: Ty::AnyHash,
            doc: "Log options, each passed as `--log-opt KEY=VALUE`.",
            example: Some("options:\n  max-size: 100m"),
            ..Key::DEFAULT
        },
    ],
};

pub static OUTPUT: Section = Section {
    path: "output",
    doc: "Extra destinations for Kamal's output (2.12.0).",
    keys: &[
        Key {
            name: "file",
            ty: Ty::Section(&OUTPUT_FILE),
            doc: "Write output to a log file.",
            since: v(2, 12, 0),
            ..Key::DEFAULT
        },
        Key {
            name: "otel",
            ty: Ty::Section(&OUTPUT_OTEL),
            doc: "Send output to an OpenTelemetry endpoint.",
            since: v(2, 12, 0),
            ..Key::DEFAULT
        },
    ],
};

pub static OUTPUT_FILE: Section = Section {
    path: "output.file",
    doc: "Log file output.",
    keys: &[Key {
        name: "path",
        doc: "Path of the log file.",
        since: v(2, 12, 0),
        ..Key::DEFAULT
    }],
};

pub static OUTPUT_OTEL: Section = Section {
    path: "output.otel",
    doc: "OpenTelemetry output.",
    keys: &[Key {
        name: "endpoint",
        doc: "OTLP endpoint URL.",
        since: v(2, 12, 0),
        ..Key::DEFAULT
    }],
};

/// Every section, for iteration (docs, completeness tests).
pub static SECTIONS: &[&Section] = &[
    &ROOT,
    &ROLE,
    &PROXY,
    &PROXY_SSL,
    &PROXY_HEALTHCHECK,
    &PROXY_BUFFERING,
    &PROXY_LOGGING,
    &PROXY_RUN,
    &REGISTRY,
    &BUILDER,
    &BUILDER_PACK,
    &BUILDER_CACHE,
    &ACCESSORY,
    &ENV,
    &SSH,
    &SSHKIT,
    &BOOT,
    &LOGGING,
    &OUTPUT,
    &OUTPUT_FILE,
    &OUTPUT_OTEL,
];

/// Kamal's top-level commands (an alias may not be named like one).
pub static COMMANDS: &[&str] = &[
    "accessory",
    "app",
    "audit",
    "build",
    "config",
    "deploy",
    "details",
    "docs",
    "init",
    "lock",
    "proxy",
    "prune",
    "redeploy",
    "registry",
    "remove",
    "rollback",
    "secrets",
    "server",
    "setup",
    "upgrade",
    "version",
];
