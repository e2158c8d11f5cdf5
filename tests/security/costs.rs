//! Security tests: costs (see main.rs).
