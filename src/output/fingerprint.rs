//! Fingerprints that identify a problem across runs (SARIF `partialFingerprints`, GitLab
//! `fingerprint`): a hash of the rule code, the file name, the source text of the primary span,
//! the message and the occurrence index among diagnostics sharing all four. No line or column
//! goes in, so an unrelated edit elsewhere in the file keeps every fingerprint; editing the
//! flagged text itself gives a new one. The text is hashed, never printed.

use std::collections::HashMap;

use sextant_lint::Report;

/// One fingerprint (32 hex digits) per diagnostic, in the order of [`super::diagnostics`].
pub fn fingerprints(reports: &[Report]) -> Vec<String> {
    let mut seen: HashMap<u128, u32> = HashMap::new();
    super::diagnostics(reports)
        .map(|(r, d)| {
            let file = &r.files.get(d.span.file).name;
            let base = fnv1a_128(&[
                b"sextant/v1",
                d.code().as_bytes(),
                file.as_bytes(),
                r.files.slice(d.span).as_bytes(),
                d.message.as_bytes(),
            ]);
            let occurrence = seen.entry(base).or_insert(0);
            let index = *occurrence;
            *occurrence += 1;
            let full = fnv1a_128(&[&base.to_le_bytes(), &index.to_le_bytes()]);
            format!("{full:032x}")
        })
        .collect()
}

/// FNV-1a, 128 bits, over length-prefixed fields (so that `ab`+`c` and `a`+`bc` differ).
/// Defined by its constants, so the value never changes across Rust versions or platforms.
fn fnv1a_128(fields: &[&[u8]]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u128::from(*b);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    for field in fields {
        eat(&(field.len() as u64).to_le_bytes());
        eat(field);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::report;
    use sextant_lint::registry::find;
    use sextant_lint::Diagnostic;

    #[test]
    fn known_value() {
        // FNV-1a 128 of the empty input is the offset basis; pin one value so that a change
        // of the algorithm (which would change every user's fingerprints) is noticed
        assert_eq!(fnv1a_128(&[]), 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
        // computed independently (Python) from the published FNV-1a 128 constants
        assert_eq!(
            format!("{:032x}", fnv1a_128(&[b"sextant"])),
            "c0d224b03eff0c3268df775edb25ec5f"
        );
        assert_ne!(fnv1a_128(&[b"ab", b"c"]), fnv1a_128(&[b"a", b"bc"]));
    }

    #[test]
    fn same_text_twice_differs_by_occurrence_and_ignores_position() {
        let rule = find("K001").unwrap();
        let make = |text: &str| {
            report("config/deploy.yml", text, |_, find| {
                let first = find("x: 1");
                let second = sextant_lint::text::Span::new(
                    first.file,
                    text.rfind("x: 1").unwrap()..text.rfind("x: 1").unwrap() + 4,
                );
                vec![
                    Diagnostic::new(rule, first, "m"),
                    Diagnostic::new(rule, second, "m"),
                ]
            })
        };
        let a = fingerprints(&[make("x: 1\ny: 2\nx: 1\n")]);
        let b = fingerprints(&[make("# moved\n\nx: 1\ny: 2\n\nx: 1\n")]);
        assert_eq!(a.len(), 2);
        assert_ne!(a[0], a[1]);
        assert_eq!(a, b);
        assert!(a.iter().all(|f| f.len() == 32));
    }
}
