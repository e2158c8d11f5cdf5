//! The port inference behind F001 (`app-port-mismatch`): which port a container command listens
//! on, from its words (exec form), its shell text, its environment and the project's files.

use sextant_lint::rules::dockerfile::ports::{
    base_image_port, listen_port, listen_port_shell, EnvValue, FileState, Probe,
};
use sextant_lint::rules::dockerfile::shell::commands;

/// A command (exec form), the environment, and the port expected.
type ExecCase = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    Option<u16>,
);
/// A shell-form command line, the environment, and the port expected.
type ShellCase = (
    &'static str,
    &'static [(&'static str, &'static str)],
    Option<u16>,
);

/// The port of an exec-form command (`None`: unknown), with the given environment.
fn port(argv: &[&str], env: &[(&str, &str)]) -> Option<u16> {
    port_with(argv, env, &[])
}

fn port_with(argv: &[&str], env: &[(&str, &str)], files: &[(&str, &str)]) -> Option<u16> {
    let env_fn = |name: &str| match env.iter().find(|(k, _)| *k == name) {
        Some((_, "?")) => EnvValue::Unknown,
        Some((_, v)) => EnvValue::Set(v.to_string()),
        None => EnvValue::Unset,
    };
    let file_fn = |path: &str| match files.iter().find(|(p, _)| *p == path) {
        Some((_, "<absent>")) => FileState::Absent,
        Some((_, text)) => FileState::Present(text.to_string()),
        None => FileState::Unknown,
    };
    let probe = Probe {
        env: &env_fn,
        file: &file_fn,
        copies_into: &|_| false,
    };
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    listen_port(&argv, &probe).map(|l| l.port)
}

fn shell_port(script: &str, env: &[(&str, &str)]) -> Option<u16> {
    let env_fn = |name: &str| match env.iter().find(|(k, _)| *k == name) {
        Some((_, "?")) => EnvValue::Unknown,
        Some((_, v)) => EnvValue::Set(v.to_string()),
        None => EnvValue::Unset,
    };
    let probe = Probe {
        env: &env_fn,
        file: &|_| FileState::Unknown,
        copies_into: &|_| false,
    };
    listen_port_shell(script, &probe).map(|l| l.port)
}

#[test]
fn exec_form_commands() {
    let table: &[ExecCase] = &[
        // Thruster: 80, or HTTP_PORT / THRUSTER_HTTP_PORT
        (&["./bin/thrust", "./bin/rails", "server"], &[], Some(80)),
        (
            &[
                "/rails/bin/docker-entrypoint",
                "./bin/thrust",
                "./bin/rails",
                "server",
            ],
            &[],
            Some(80),
        ),
        (
            &["bundle", "exec", "thrust", "bin/rails", "s"],
            &[],
            Some(80),
        ),
        (
            &["./bin/thrust", "./bin/rails", "server"],
            &[("HTTP_PORT", "8080")],
            Some(8080),
        ),
        (
            &["./bin/thrust", "./bin/rails", "server"],
            &[("HTTP_PORT", "8080"), ("THRUSTER_HTTP_PORT", "9000")],
            Some(9000),
        ),
        (
            &["./bin/thrust", "./bin/rails", "server"],
            &[("HTTP_PORT", "?")],
            None,
        ),
        (
            &["./bin/thrust", "./bin/rails", "server"],
            &[("TLS_DOMAIN", "a.test")],
            None,
        ),
        // rails server: 3000, -p, --port, PORT
        (&["./bin/rails", "server"], &[], Some(3000)),
        (&["bin/rails", "s"], &[], Some(3000)),
        (
            &["rails", "server", "-b", "0.0.0.0", "-p", "80"],
            &[],
            Some(80),
        ),
        (&["rails", "server", "-p4000"], &[], Some(4000)),
        (&["rails", "server", "--port=4001"], &[], Some(4001)),
        (&["rails", "server", "--port", "4002"], &[], Some(4002)),
        (&["./bin/rails", "server"], &[("PORT", "5000")], Some(5000)),
        (&["./bin/rails", "server"], &[("PORT", "?")], None),
        (&["./bin/rails", "server", "-p", "$PORT"], &[], None),
        (&["ruby", "bin/rails", "server"], &[], Some(3000)),
        (&["./bin/rails", "console"], &[], None),
        (&["./bin/rails", "server", "-u", "falcon"], &[], None),
        // Puma
        (&["bundle", "exec", "puma", "-p", "9000"], &[], Some(9000)),
        (&["puma", "-b", "tcp://0.0.0.0:8080"], &[], Some(8080)),
        (&["puma", "--bind", "unix:///tmp/puma.sock"], &[], None),
        (
            &["puma", "-b", "tcp://0.0.0.0:1", "-b", "tcp://0.0.0.0:2"],
            &[],
            None,
        ),
        (
            &["bundle", "exec", "puma", "-C", "config/puma.rb"],
            &[],
            Some(3000),
        ),
        (
            &["bundle", "exec", "puma", "-C", "config/puma.rb"],
            &[("PORT", "3001")],
            Some(3001),
        ),
        (&["puma"], &[], None),
        // wrappers
        (&["tini", "--", "./bin/rails", "server"], &[], Some(3000)),
        (
            &["/usr/bin/dumb-init", "--", "bin/rails", "server"],
            &[],
            Some(3000),
        ),
        (
            &["env", "PORT=4100", "bin/rails", "server"],
            &[],
            Some(4100),
        ),
        (&["gosu", "app", "bin/rails", "server"], &[], Some(3000)),
        (
            &["/docker-entrypoint.sh", "bin/rails", "server"],
            &[],
            Some(3000),
        ),
        (&["./start.sh"], &[], None),
        // Node: PORT only
        (&["node", "server.js"], &[], None),
        (&["node", "server.js"], &[("PORT", "3000")], Some(3000)),
        (&["npm", "start"], &[("PORT", "8080")], Some(8080)),
        (&["npx", "next", "start"], &[], Some(3000)),
        (&["next", "start", "-p", "4000"], &[], Some(4000)),
        // Python
        (&["gunicorn", "-b", ":8000", "app:app"], &[], Some(8000)),
        (
            &["gunicorn", "--bind", "0.0.0.0:5000", "app:app"],
            &[],
            Some(5000),
        ),
        (
            &["gunicorn", "--bind=0.0.0.0:5001", "app:app"],
            &[],
            Some(5001),
        ),
        (&["gunicorn", "app:app"], &[("PORT", "7000")], Some(7000)),
        (&["gunicorn", "app:app"], &[], None),
        (
            &["gunicorn", "-c", "gunicorn.conf.py", "app:app"],
            &[],
            None,
        ),
        (
            &["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8001"],
            &[],
            Some(8001),
        ),
        (&["uvicorn", "main:app"], &[], Some(8000)),
        (&["uvicorn", "main:app", "--uds", "/tmp/u.sock"], &[], None),
        (
            &["python", "-m", "uvicorn", "main:app", "--port", "8002"],
            &[],
            Some(8002),
        ),
        (
            &["python", "manage.py", "runserver", "0.0.0.0:8003"],
            &[],
            Some(8003),
        ),
        (&["python3", "manage.py", "runserver"], &[], Some(8000)),
        (&["flask", "run", "--port", "5005"], &[], Some(5005)),
        (&["flask", "run"], &[], Some(5000)),
        (
            &[
                "daphne",
                "-b",
                "0.0.0.0",
                "-p",
                "8004",
                "app.asgi:application",
            ],
            &[],
            Some(8004),
        ),
        // PHP
        (
            &["php", "artisan", "serve", "--host=0.0.0.0", "--port=8005"],
            &[],
            Some(8005),
        ),
        (&["php", "artisan", "serve"], &[], Some(8000)),
        (
            &["php", "-S", "0.0.0.0:8006", "-t", "public"],
            &[],
            Some(8006),
        ),
        // web servers
        (&["nginx", "-g", "daemon off;"], &[], Some(80)),
        (
            &["caddy", "file-server", "--listen", ":8007"],
            &[],
            Some(8007),
        ),
        (&["caddy", "run"], &[], Some(80)),
        (
            &["caddy", "run", "--config", "/etc/caddy/Caddyfile"],
            &[],
            None,
        ),
        // others: unknown
        (&["./coachbot"], &[], None),
        (&["java", "-jar", "app.jar"], &[], None),
        (&["bin/jobs"], &[], None),
        (&[], &[], None),
    ];
    let mut failures = Vec::new();
    for (argv, env, want) in table {
        let got = port(argv, env);
        if got != *want {
            failures.push(format!("{argv:?} with {env:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn shell_form_and_sh_c() {
    let table: &[ShellCase] = &[
        ("./bin/rails server", &[], Some(3000)),
        ("bundle exec rails s -p 3001", &[], Some(3001)),
        (
            "bin/rails db:prepare && exec bin/rails server -p $PORT",
            &[("PORT", "3002")],
            Some(3002),
        ),
        ("bin/rails server -p ${PORT:-3003}", &[], Some(3003)),
        (
            "bin/rails server -p ${PORT:-3003}",
            &[("PORT", "4000")],
            Some(4000),
        ),
        ("bin/rails server -p $PORT", &[("PORT", "?")], None),
        ("PORT=3004 bin/rails server", &[], Some(3004)),
        ("export PORT=3005; exec bin/rails server", &[], Some(3005)),
        ("bin/rails server & bin/jobs", &[], None),
        ("bin/rails server | tee log", &[], None),
        ("node server.js", &[], None),
        (
            "gunicorn -b 0.0.0.0:$PORT app:app",
            &[("PORT", "8000")],
            Some(8000),
        ),
    ];
    let mut failures = Vec::new();
    for (script, env, want) in table {
        let got = shell_port(script, env);
        if got != *want {
            failures.push(format!(
                "{script:?} with {env:?}: got {got:?}, want {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // exec form running a shell
    assert_eq!(
        port(
            &[
                "/bin/sh",
                "-c",
                "bin/rails db:migrate && bin/rails server -p 3100"
            ],
            &[]
        ),
        Some(3100)
    );
    assert_eq!(
        port(
            &["bash", "-lc", "exec ./bin/thrust ./bin/rails server"],
            &[]
        ),
        Some(80)
    );
    assert_eq!(port(&["sh", "-c", "$START_COMMAND"], &[]), None);
}

#[test]
fn puma_config_files_are_read() {
    let rails = "max_threads_count = ENV.fetch(\"RAILS_MAX_THREADS\", 3)\n\
                 threads max_threads_count, max_threads_count\n\
                 port ENV.fetch(\"PORT\", 3000)\n\
                 plugin :tmp_restart\n\
                 plugin :solid_queue if ENV[\"SOLID_QUEUE_IN_PUMA\"]\n";
    let argv = &["bundle", "exec", "puma", "-C", "config/puma.rb"];
    assert_eq!(
        port_with(argv, &[], &[("config/puma.rb", rails)]),
        Some(3000)
    );
    assert_eq!(
        port_with(argv, &[("PORT", "3300")], &[("config/puma.rb", rails)]),
        Some(3300)
    );
    let block = "port ENV.fetch(\"PORT\") { 3200 }\n";
    assert_eq!(
        port_with(argv, &[], &[("config/puma.rb", block)]),
        Some(3200)
    );
    let bind = "bind \"tcp://0.0.0.0:#{ENV.fetch('PORT', 9393)}\"\n";
    assert_eq!(
        port_with(argv, &[], &[("config/puma.rb", bind)]),
        Some(9393)
    );
    let plain = "workers 2\nport 4567\n";
    assert_eq!(
        port_with(argv, &[], &[("config/puma.rb", plain)]),
        Some(4567)
    );
    // a config without port or bind: Puma's default
    assert_eq!(
        port_with(argv, &[], &[("config/puma.rb", "workers 2\n")]),
        Some(9292)
    );
    // conditional or computed binds: unknown
    let conditional = "if ENV[\"SSL\"]\n  ssl_bind \"0.0.0.0\", \"3002\"\nelse\n  port 3000\nend\n";
    assert_eq!(
        port_with(argv, &[], &[("config/puma.rb", conditional)]),
        None
    );
    assert_eq!(
        port_with(argv, &[], &[("config/puma.rb", "port my_port\n")]),
        None
    );
    // `rails server` without -p takes the port of config/puma.rb
    assert_eq!(
        port_with(&["bin/rails", "server"], &[], &[("config/puma.rb", plain)]),
        Some(4567)
    );
    // bare `puma` loads config/puma.rb, else listens on 9292
    assert_eq!(
        port_with(
            &["puma"],
            &[],
            &[
                ("config/puma/development.rb", "<absent>"),
                ("config/puma.rb", rails)
            ]
        ),
        Some(3000)
    );
    // config/puma/ENV.rb not known: unknown
    assert_eq!(
        port_with(&["puma"], &[], &[("config/puma.rb", rails)]),
        None
    );
    assert_eq!(
        port_with(
            &["puma"],
            &[("RAILS_ENV", "production")],
            &[
                ("config/puma/production.rb", "<absent>"),
                ("config/puma.rb", "<absent>")
            ]
        ),
        Some(9292)
    );
    // gunicorn without -b: its default only when no gunicorn.conf.py exists
    assert_eq!(
        port_with(
            &["gunicorn", "app:app"],
            &[],
            &[("gunicorn.conf.py", "<absent>")]
        ),
        Some(8000)
    );
}

#[test]
fn certainty_and_reasons() {
    let probe = Probe::empty();
    let argv = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let thrust = listen_port(&argv(&["./bin/thrust", "./bin/rails", "server"]), &probe).unwrap();
    assert!(thrust.certain);
    assert_eq!(thrust.server, "Thruster");
    let rails = listen_port(&argv(&["./bin/rails", "server"]), &probe).unwrap();
    assert!(rails.certain);
    assert_eq!(rails.reason, "Rails' default port");
    // conventions are not certain
    let puma_rb = listen_port(&argv(&["puma", "-C", "config/puma.rb"]), &probe).unwrap();
    assert!(!puma_rb.certain);
    let nginx = base_image_port("nginx:1.27-alpine", &probe).unwrap();
    assert_eq!((nginx.port, nginx.certain), (80, false));
    assert_eq!(
        base_image_port("nginxinc/nginx-unprivileged:1.27", &probe).map(|l| l.port),
        Some(8080)
    );
    assert_eq!(base_image_port("ruby:3.4-slim", &probe), None);
    // nginx with its own configuration: unknown
    let custom = Probe {
        env: &|_| EnvValue::Unset,
        file: &|_| FileState::Unknown,
        copies_into: &|p| p == "/etc/nginx",
    };
    assert_eq!(base_image_port("nginx:1.27", &custom), None);
}

#[test]
fn shell_reader_finds_commands() {
    let c = commands("apt-get update && sudo apt-get install -y curl; rm -rf /var/lib/apt/lists/*");
    let names: Vec<&str> = c.iter().map(|c| c.words[0].text.as_str()).collect();
    assert_eq!(names, ["apt-get", "sudo", "rm"]);
}
