//! Fuzzes the `.kamal/secrets*` parser: any input (bytes decoded as UTF-8 text, lossily) must
//! parse without panicking, every span must lie inside the text on character boundaries, and the
//! static evaluation must not panic either (it never runs anything).
//!
//! ```sh
//! cd fuzz && cargo +nightly fuzz run dotenv
//! ```

#![no_main]

use std::ops::Range;

use libfuzzer_sys::fuzz_target;
use sextant_lint::syntax::dotenv::{parse, Part};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = parse(&text);
    let valid = |r: &Range<usize>| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for e in &file.entries {
        assert!(valid(&e.span) && valid(&e.key_span) && valid(&e.value_span));
        assert!(valid(&e.separator_span));
        assert!(e.export_span.as_ref().is_none_or(valid));
        assert_eq!(text.get(e.key_span.clone()), Some(e.key.as_str()));
        assert_eq!(text.get(e.value_span.clone()), Some(e.raw_value.as_str()));
        for part in &e.parts {
            assert!(valid(part.span()), "part {part:?}");
            if let Part::Command {
                variables, kamal, ..
            } = part
            {
                assert!(variables.iter().all(|v| valid(&v.span)));
                if let Some(call) = kamal {
                    assert!(valid(&call.subcommand_span));
                    let spans = call
                        .args
                        .iter()
                        .chain(&call.names)
                        .chain(&call.adapter)
                        .chain(&call.account)
                        .chain(&call.from);
                    for (_, span) in spans {
                        assert!(valid(span));
                    }
                }
            }
        }
        let _ = e.literal_value();
    }
    assert!(file.comments.iter().all(|c| valid(&c.span)));
    assert!(file.problems.iter().all(|p| valid(&p.span)));
    assert!(file.ignored_lines.iter().all(valid));
    assert!(file.legacy_linebreaks.as_ref().is_none_or(valid));
    let env = |name: &str| (name.len() == 1).then(|| name.repeat(2));
    let values = file.static_values(&env);
    assert_eq!(values.is_none(), file.fatal_problem().is_some());
    let _ = file.keys();
});
