//! The sextant language server. Built on the `sextant-lint` engine; see the language-server
//! issue for what it will serve.
