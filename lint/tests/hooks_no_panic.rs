//! Mutated hook scripts never make the shell analysis or the hook rules panic or hang (a
//! property test run in CI; `fuzz/fuzz_targets/shell.rs` explores further).

use std::path::PathBuf;
use std::time::Instant;

mod support;

use sextant_lint::git::{ExecBit, ModeSource};
use sextant_lint::syntax::shell::parse;
use sextant_lint::vfs::MemVfs;
use sextant_lint::{check, Project, Settings};

use support::{mutate, span_fits, Edit, Rng};

const SEEDS: &[(&str, &str)] = &[
    (
        "post-deploy",
        "#!/bin/sh\nset -eu\n# sextant: ignore[H013]\nbin/kamal app exec --reuse \"bin/rails db:migrate\"\nfor h in $KAMAL_HOSTS; do ssh root@$h \"echo ${KAMAL_ROLE:-x}\"; done\ncurl -d \"{\\\"text\\\": \\\"$KAMAL_PERFORMER\\\"}\" https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/cccccccccccccccccccccccc\n",
    ),
    (
        "pre-connect",
        "#!/usr/bin/env bash\nIFS=',' read -ra hosts <<< \"${KAMAL_HOSTS:?}\"\ncase \"${KAMAL_COMMAND:-}:${KAMAL_SUBCOMMAND:-}\" in\n  deploy:*|redeploy:*) kamal app exec -d \"$KAMAL_DESTINATION\" x ;;\nesac\nf() { kamal proxy reboot; }\nssh host <<EOF\n$(date) $KAMAL_RUNTIME\nEOF\nargs=(-d \"$X\")\nVAR=$(( 1 + ${#KAMAL_HOSTS} ))\n",
    ),
    (
        "pre-deploy",
        "#!/usr/bin/env ruby\n# ENV['X']\nhosts = ENV[\"KAMAL_HOSTS\"].split(\",\")\nsystem(\"kamal\", \"deploy\")\nputs \"#{ENV.fetch('KAMAL_ROLE', 'x')} %w(a b) <<~EOS\"\nTOKEN = \"abcdefghijklmnop1234\"\n",
    ),
    (
        "pre_build.sh",
        "set -e\n[[ -n $KAMAL_VERSION ]] && git push\n`echo $(echo \"${A//,/ }\")`\n",
    ),
];

const INSERTS: &[&str] = &[
    "é",
    "😀",
    "$",
    "${",
    "}",
    "$(",
    ")",
    "(",
    "`",
    "\"",
    "'",
    "\\",
    "\n",
    "#",
    "<<EOF\n",
    "EOF\n",
    "<<-'X'\n",
    ";;",
    "case ",
    " in ",
    "esac",
    "if ",
    "then ",
    "fi",
    "do ",
    "done",
    "&&",
    "||",
    "|",
    "&",
    "{",
    "[[",
    "]]",
    "\r",
    "\t",
    "é",
    "\u{feff}",
    "#!/usr/bin/env ",
    "$'",
    "$((",
    "))",
    "=(",
    "ENV[\"",
    "os.environ['",
    "process.env.",
    "KAMAL_HOSTS",
    "kamal ",
    "-d ",
    "https://",
];

/// Deleting, inserting and overwriting are equally likely.
const EDITS: &[Edit] = &[Edit::Delete, Edit::Insert, Edit::Overwrite];

#[test]
fn mutated_hooks_never_panic() {
    let mut rng = Rng(0x5eed_400c);
    let start = Instant::now();
    let mut runs = 0;
    for (name, seed) in SEEDS {
        for i in 0..800 {
            let bytes = mutate(&mut rng, seed, EDITS, INSERTS);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            // the parser alone: every span inside the text, on character boundaries
            let s = parse(&text);
            let valid = |r: &std::ops::Range<usize>| span_fits(&text, r);
            for v in &s.variables {
                assert!(valid(&v.span) && valid(&v.name_span), "{text:?}");
                assert_eq!(&text[v.name_span.clone()], v.name, "{text:?}");
            }
            for c in &s.commands {
                assert!(valid(&c.span), "{text:?}");
                for w in &c.words {
                    assert!(valid(&w.span), "{text:?}");
                }
            }
            for c in &s.comments {
                assert!(valid(&c.span), "{text:?}");
            }
            for h in &s.heredocs {
                assert!(valid(&h.body), "{text:?}");
            }
            for a in &s.assignments {
                assert!(valid(&a.name_span) && valid(&a.span), "{text:?}");
            }
            // the whole engine, every 4th time (with a destination and secrets to look at)
            if i % 4 != 0 {
                continue;
            }
            let mut vfs = MemVfs::new();
            let root = PathBuf::from("/p");
            vfs.insert(
                root.join("config/deploy.yml"),
                "service: app\nimage: u/app\nregistry: {username: u, password: [P]}\nbuilder: {arch: amd64}\nservers: [10.0.0.1]\n",
            );
            vfs.insert(
                root.join("config/deploy.staging.yml"),
                "servers: [10.0.0.2]\n",
            );
            vfs.insert(
                root.join(".kamal/secrets"),
                "P=$(op read x)\nKAMAL_HOSTS=x\n",
            );
            let hook = root.join(".kamal/hooks").join(name);
            vfs.insert(&hook, bytes.clone());
            vfs.set_executable(
                &hook,
                ExecBit {
                    executable: i % 8 == 0,
                    source: ModeSource::GitIndex,
                    on_disk: Some(i % 16 == 0),
                },
            );
            let settings = Settings {
                base_dir: root.clone(),
                shellcheck: Some(false),
                ..Settings::default()
            };
            let report = check(&vfs, &Project::at(root), &settings).expect("in-memory files load");
            for d in &report.diagnostics {
                let f = report.files.get(d.span.file);
                assert!(f.missing || d.span.end as usize <= f.text.len());
                assert!(f.text.is_char_boundary(d.span.start as usize));
                assert!(f.text.is_char_boundary(d.span.end as usize));
                if let Some(fix) = &d.fix {
                    for e in &fix.edits {
                        let t = &report.files.get(e.span.file).text;
                        assert!(
                            e.span.end as usize <= t.len()
                                && t.is_char_boundary(e.span.start as usize)
                        );
                    }
                }
            }
            for s in report.redactor.spans() {
                let t = &report.files.get(s.file).text;
                assert!(s.end as usize <= t.len());
            }
            runs += 1;
        }
    }
    assert!(runs > 0);
    assert!(start.elapsed().as_secs() < 120);
}
