//! Fuzzes the Dockerfile parser: any input (bytes decoded as UTF-8 text, lossily) must parse
//! without panicking, every span must lie inside the text on character boundaries, and the typed
//! helpers and substitution must not panic either.
//!
//! ```sh
//! cd fuzz && cargo +nightly fuzz run dockerfile
//! ```

#![no_main]

use std::ops::Range;

use libfuzzer_sys::fuzz_target;
use sextant_lint::syntax::dockerfile::{parse, Args};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = parse(&text);
    let valid = |r: &Range<usize>| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for p in &file.problems {
        assert!(valid(&p.span), "problem {p:?}");
    }
    for c in &file.comments {
        assert!(valid(&c.span));
    }
    for d in &file.directives {
        assert!(valid(&d.span) && valid(&d.name_span) && valid(&d.value_span));
    }
    let nested = file
        .instructions
        .iter()
        .filter_map(|i| i.onbuild.as_deref());
    for ins in file.instructions.iter().chain(nested) {
        assert!(valid(&ins.span) && valid(&ins.keyword_span) && valid(&ins.args_span()));
        for f in &ins.flags {
            assert!(valid(&f.span));
            assert!(f.value_span.as_ref().is_none_or(valid));
        }
        if let Args::Exec(words) = &ins.args {
            assert!(words.iter().all(|w| valid(&w.span)));
        }
        assert!(ins.words().iter().all(|w| valid(&w.span)));
        for h in &ins.heredocs {
            assert!(valid(&h.span) && valid(&h.body_span) && valid(&h.marker_span));
            assert_eq!(text.get(h.body_span.clone()), Some(h.body.as_str()));
            let _ = h.content();
        }
        assert!(ins.expose_ports().iter().all(|p| valid(&p.span)));
        assert!(ins.arg_decls().iter().all(|a| valid(&a.span)));
        assert!(ins
            .env_pairs()
            .iter()
            .all(|p| valid(&p.span) && valid(&p.value_span)));
        assert!(ins
            .mounts()
            .iter()
            .all(|m| m.options.iter().all(|o| valid(&o.span))));
        if let Some(from) = ins.from_image() {
            assert!(valid(&from.image.span));
        }
        let _ = (
            ins.user(),
            ins.workdir(),
            ins.healthcheck(),
            ins.label_pairs(),
        );
    }
    for stage in &file.stages {
        assert!(valid(&stage.image_span));
        assert!(stage.instructions.end <= file.instructions.len());
        let _ = file.substitute(stage.index, "$A ${PORT:-80} ${A:+x} '$A'");
    }
    for i in 0..file.instructions.len().min(64) {
        let _ = file.scope_at(i).substitute("${HOME}/x");
    }
});
