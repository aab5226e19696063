//! tracuu ("tra cứu": look up) is a full-text search engine for the terminal.
//!
//! The data path runs one way. Indexing: [`corpus`] walks a folder, [`extract`] reads each file
//! as text with an offset map back to its bytes, [`passage`] cuts the text into passages of a few
//! sentences, [`text`] turns each passage into words twice, folded ("Trần" -> "tran") and in
//! their exact spelling, plus compounds ("Hà Nội" -> "hanoi"), and [`indexer`] writes them into
//! an index folder that [`store`] owns (schema, manifest, file list, statistics). Searching:
//! [`search`] parses what the user typed, compiles it into tantivy queries, ranks exact
//! spellings first and highlights the matched words; [`output`] prints hits for people or as
//! JSON Lines, and [`finder`] searches as you type, full screen. [`freshness`] tells whether a
//! corpus changed since it was indexed, [`show`] reads a hit's span back, [`bench`] measures
//! query latency, and [`cli`] wires it all to the command line, with [`exit`] deciding the
//! process's exit status.

pub mod bench;
pub mod cli;
pub mod corpus;
pub mod engine;
pub mod error;
pub mod exit;
pub mod export;
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
pub mod text;

pub use error::{Error, Result};
pub use indexer::{build, IndexOptions, IndexReport};
pub use search::{Engine, Hit, Outcome, SearchOptions};
