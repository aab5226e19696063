//! The integration tests, in one binary (as ripgrep's `tests/tests.rs`): the real `tracuu` run
//! on fixtures in a temp dir, and the library driven in-process, a module per area; `util` holds
//! what they share and the generators of test data. `cargo test --test it AREA` runs one area,
//! e.g. `cargo test --test it golden`.

mod util;

mod addresses;
mod bench;
mod cli;
mod corpora;
mod determinism;
mod documents;
mod engine;
mod export;
mod faults;
mod finder;
mod folding;
mod golden;
mod hostile;
mod indexing;
mod keys;
mod names;
mod partial;
mod passages;
mod properties;
mod ranking;
mod relevance;
mod watch;
