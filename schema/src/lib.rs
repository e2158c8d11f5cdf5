//! The Kamal 2.x configuration schema: one source for validation (in `sextant-lint`), hover and
//! completion (in the language server), and the `sextant schema` JSON Schema export.

pub mod json;
pub mod kamal;
pub mod place;
pub mod tree;
pub mod version;

pub use json::json_schema;
pub use tree::{describe, Key, Section, Ty};
pub use version::{GemVersion, Version, DEFAULT_VERSION, LATEST_KNOWN, V2_0};

#[cfg(test)]
mod tests {
    use super::kamal::SECTIONS;

    #[test]
    fn every_key_is_documented_once() {
        for section in SECTIONS {
            assert!(!section.doc.is_empty(), "{} has no doc", section.path);
            let mut names: Vec<_> = section.keys.iter().map(|k| k.name).collect();
            names.sort();
            let before = names.len();
            names.dedup();
            assert_eq!(before, names.len(), "duplicate key in {}", section.path);
            for key in section.keys {
                assert!(
                    key.doc.len() > 5,
                    "{}.{} needs a doc string",
                    section.path,
                    key.name
                );
            }
        }
    }

    #[test]
    fn exported_schema_is_a_valid_json_schema() {
        let schema = super::json_schema(super::DEFAULT_VERSION);
        jsonschema::draft202012::meta::validate(&schema).expect("valid draft 2020-12 schema");
        // later keys are left out for 2.8.2
        assert!(schema["properties"].get("secrets_path").is_none());
        let later = super::json_schema(super::LATEST_KNOWN);
        assert!(later["properties"].get("secrets_path").is_some());
    }
}
