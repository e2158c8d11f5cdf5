//! Security tests: shellcheck (see main.rs).
