//! tracuu ("tra cứu": look up) is a full-text search engine for the terminal.
//!
//! The pipeline: [`indexer`] walks a folder and splits each text file into [`passage`]s of a few
//! sentences; [`tokenizer`] turns each passage into words twice, folded ("Trần" -> "tran") and in
//! their exact spelling, plus compounds ("Hà Nội" -> "hanoi"); [`index`] stores them in tantivy
//! with byte offsets into the original file. At search time [`query`] parses what the user typed,
//! [`search`] compiles it into tantivy queries, ranks exact spellings first and highlights the
//! matched words, and [`output`] prints hits for people or as JSON Lines; [`finder`] searches as you
//! type, full screen. [`cli`] wires it to the
//! command line, and [`bench`] measures query latency ([`synth`] makes large corpora to measure it on).

pub mod bench;
pub mod cli;
pub mod corpus;
pub mod error;
pub mod extract;
pub mod failpoint;
pub mod finder;
pub mod freshness;
pub mod indexer;
pub mod output;
pub mod passage;
pub mod search;
pub mod show;
pub mod store;
pub mod testing;
pub mod text;

pub use error::{Error, Result};
pub use indexer::{build, IndexOptions, IndexReport};
pub use search::{Engine, Hit, Outcome, SearchOptions};
