//! Everything inside an index folder: the names of its files ([`layout`]), its schema and
//! tokenizer registration ([`schema`](mod@schema)), the passage document ([`document`]), the manifest of what
//! it holds ([`manifest`]), the file list ([`filelist`]), ranking statistics ([`stats`]), the
//! freshness record ([`fresh`]), stored source paths ([`source`]), opening and recovering it
//! ([`TracuuIndex`]) and checking it ([`check`]).
//!
//! The manifest (corpus root, format and tokenizer versions, walk options, counts, and the
//! generation of the file list) is stored as the payload of tantivy's commit, so it changes
//! atomically with the documents: an interrupted run leaves the previous commit, and its
//! manifest, in force. It stays small, so that opening the index for a search parses a few
//! hundred bytes; the per-file list it names lives in its own file ([`crate::store::filelist`]), read
//! only to index or to check freshness. Building and updating the index lives in
//! [`crate::indexer`].

pub mod check;
mod directory;
pub mod document;
pub mod filelist;
pub mod fresh;
pub mod layout;
pub mod manifest;
mod open;
pub mod schema;
pub mod source;
pub mod stats;

// The public face of the store: the paths the rest of tracuu uses.
pub use self::filelist::load_file_list;
pub use self::layout::{
    exists, is_empty_dir, is_placeholder, is_segment_file, only_leftovers, CORPUS_FILE, FRESH_FILE,
    STATS_FILE,
};
pub use self::manifest::{
    commit_nonce, meta_unreadable, recorded_corpus, recorded_manifest, save_corpus_file,
    CorpusOptions, FileState, Manifest, BUILD,
};
pub use self::open::{contain, damage_summary, indexed_sources, lock_writer, TracuuIndex};
pub use self::schema::{
    register_tokenizers, schema, Fields, COMPOUND_TOKENIZER, EXACT_TOKENIZER, FOLDED_TOKENIZER,
    FORMAT_VERSION,
};
pub use self::source::{
    decode as decode_source, display as display_source, encode as encode_source,
};
