//! Security tests: server (see main.rs).
