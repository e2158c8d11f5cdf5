//! Fuzzes the hook script analysis: any input (bytes decoded as UTF-8 text, lossily) must parse
//! without panicking, every span must lie inside the text on character boundaries, and the
//! names recorded must be what their spans hold.
//!
//! ```sh
//! cd fuzz && cargo +nightly fuzz run shell
//! ```

#![no_main]

use std::ops::Range;

use libfuzzer_sys::fuzz_target;
use sextant_lint::syntax::shell::parse;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let script = parse(&text);
    let valid = |r: &Range<usize>| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    if let Some(sb) = &script.shebang {
        assert!(valid(&sb.span) && valid(&sb.path_span) && valid(&sb.interpreter_span));
        assert!(sb.args.iter().all(|(_, r)| valid(r)));
    }
    for v in &script.variables {
        assert!(valid(&v.span) && valid(&v.name_span));
        assert_eq!(&text[v.name_span.clone()], v.name);
        assert!(v.command.is_none_or(|c| c < script.commands.len()));
    }
    for c in &script.commands {
        assert!(valid(&c.span));
        for w in c.words.iter().chain(c.redirects.iter().map(|r| &r.target)) {
            assert!(valid(&w.span));
            assert!(w.vars.iter().all(|v| *v < script.variables.len()));
        }
        assert!(c
            .context
            .iter()
            .all(|e| e.condition.as_ref().is_none_or(valid)));
    }
    for a in &script.assignments {
        assert!(valid(&a.span) && valid(&a.name_span));
        assert!(a.value.as_ref().is_none_or(|v| valid(&v.span)));
    }
    assert!(script.comments.iter().all(|c| valid(&c.span)));
    assert!(script.heredocs.iter().all(|h| valid(&h.body)));
    assert!(script.problems.iter().all(|p| valid(&p.span)));
    assert!(script.code.iter().all(valid));
    let _ = script.language.shellcheck_dialect();
});
