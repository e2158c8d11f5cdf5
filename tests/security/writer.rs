//! Security tests: writer (see main.rs).
