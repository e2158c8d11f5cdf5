//! Security tests: files (see main.rs).
