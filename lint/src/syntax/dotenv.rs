//! `.kamal/secrets*` parser (being written).
