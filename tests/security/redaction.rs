//! Security tests: redaction (see main.rs).
