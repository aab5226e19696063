//! The index on disk: its schema, tokenizer registration (in one place), the manifest of what it
//! holds, and opening it safely.
//!
//! The manifest (corpus root, format and tokenizer versions, and one entry per indexed file) is
//! stored as the payload of tantivy's commit, so it changes atomically with the documents: an
//! interrupted run leaves the previous commit, and its manifest, in force. Building and updating
//! the index lives in [`crate::indexer`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

use crate::error::{Error, Result};
use crate::tokenizer::{Emit, Mode, TracuuTokenizer, TOKENIZER_VERSION};

/// Bumped whenever the schema or the meaning of a stored value changes.
pub const FORMAT_VERSION: u32 = 3;

/// Name of the folded-word tokenizer.
pub const FOLDED_TOKENIZER: &str = "tracuu_folded";
/// Name of the exact-spelling tokenizer.
pub const EXACT_TOKENIZER: &str = "tracuu_exact";
/// Name of the compound tokenizer.
pub const COMPOUND_TOKENIZER: &str = "tracuu_compound";

/// The fields of a passage document.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// The passage text, indexed folded with positions (with every block break of a document
    /// made a tab, so that a phrase never runs from a heading into the next paragraph).
    pub body: Field,
    /// The passage text as extracted (stored only).
    pub text: Field,
    /// The same text indexed in its exact spelling, with positions.
    pub exact: Field,
    /// Compounds of the text ("hanoi" for "Hà Nội", "su30mk2" for "Su-30MK2").
    pub compound: Field,
    /// Path of the file relative to the corpus root, with `/` separators.
    pub source: Field,
    /// Byte offset of the passage in its file.
    pub start: Field,
    /// Byte offset just past the passage in its file.
    pub end: Field,
    /// 1-based line of the passage start.
    pub line: Field,
    /// 1-based column, in characters, of the passage start.
    pub column: Field,
    /// Byte offset of the passage in the extracted text of its file.
    pub text_start: Field,
    /// The offset map of the passage, relative to the passage (see
    /// [`OffsetMap::to_bytes`](crate::extract::OffsetMap::to_bytes)); absent when the passage
    /// text is the file's bytes `[start, end)`.
    pub map: Field,
    /// The format the file was read as; absent for `text`.
    pub format: Field,
    /// The encoding the file was decoded from; absent for `utf-8`.
    pub encoding: Field,
    /// The document's title, if it has one.
    pub title: Field,
}

impl Fields {
    /// The fields whose words are scored.
    pub fn scored(&self) -> [Field; 3] {
        [self.body, self.exact, self.compound]
    }
}

/// The schema of a tracuu index, and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let fields = Fields {
        body: b.add_text_field("body", text(FOLDED_TOKENIZER, positions)),
        text: b.add_text_field("text", STORED),
        exact: b.add_text_field("exact", text(EXACT_TOKENIZER, positions)),
        compound: b.add_text_field(
            "compound",
            text(COMPOUND_TOKENIZER, IndexRecordOption::WithFreqs),
        ),
        source: b.add_text_field("source", STRING | STORED | FAST),
        start: b.add_u64_field("start", STORED | FAST),
        end: b.add_u64_field("end", STORED),
        line: b.add_u64_field("line", STORED),
        column: b.add_u64_field("column", STORED),
        text_start: b.add_u64_field("text_start", STORED),
        map: b.add_bytes_field("map", STORED),
        format: b.add_text_field("format", STRING | STORED),
        encoding: b.add_text_field("encoding", STRING | STORED),
        title: b.add_text_field("title", STORED),
    };
    (b.build(), fields)
}

/// Registers tracuu's tokenizers on `index`. Called after every create and every open: tantivy
/// saves only tokenizer names, and without them documents are silently lost.
pub fn register_tokenizers(index: &Index) {
    let manager: &TokenizerManager = index.tokenizers();
    manager.register(
        FOLDED_TOKENIZER,
        TextAnalyzer::from(TracuuTokenizer::new(Emit::Words(Mode::Folded))),
    );
    manager.register(
        EXACT_TOKENIZER,
        TextAnalyzer::from(TracuuTokenizer::new(Emit::Words(Mode::Exact))),
    );
    manager.register(
        COMPOUND_TOKENIZER,
        TextAnalyzer::from(TracuuTokenizer::new(Emit::Compounds)),
    );
}

/// What the index holds, saved with every commit.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// [`FORMAT_VERSION`] of the build that wrote the index.
    pub format: u32,
    /// [`TOKENIZER_VERSION`] of the build that wrote the index.
    pub tokenizer: u32,
    /// Absolute path of the corpus root.
    pub corpus: PathBuf,
    /// One entry per indexed file, by path relative to the corpus root.
    pub files: BTreeMap<String, FileState>,
    /// Files seen but not indexed (binary, not UTF-8, unreadable), so that they do not look new.
    #[serde(default)]
    pub skipped: BTreeMap<String, FileState>,
    /// Hidden files were indexed too.
    #[serde(default)]
    pub hidden: bool,
    /// Files excluded by ignore files were indexed too.
    #[serde(default)]
    pub no_ignore: bool,
    /// The encoding forced with `--encoding`, if any.
    #[serde(default)]
    pub encoding: Option<String>,
}

/// What the index knows of one file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileState {
    /// Size in bytes when indexed.
    pub size: u64,
    /// Modification time when indexed, in nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
    /// xxh3 hash of the content, in hex.
    pub hash: String,
    /// Number of passages indexed.
    pub passages: u64,
}

impl Manifest {
    /// An empty manifest for `corpus`, with this build's versions.
    pub fn new(corpus: PathBuf) -> Self {
        Manifest {
            format: FORMAT_VERSION,
            tokenizer: TOKENIZER_VERSION,
            corpus,
            files: BTreeMap::new(),
            skipped: BTreeMap::new(),
            hidden: false,
            no_ignore: false,
            encoding: None,
        }
    }

    /// Total passages across files.
    pub fn passages(&self) -> u64 {
        self.files.values().map(|f| f.passages).sum()
    }

    fn versions(&self) -> String {
        format!("format {}, tokenizer {}", self.format, self.tokenizer)
    }
}

/// An open index with its fields and manifest.
pub struct TracuuIndex {
    /// The tantivy index, tokenizers registered.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// Its folder.
    pub dir: PathBuf,
    /// What it holds, as of the last commit.
    pub manifest: Manifest,
}

/// True if `dir` holds a tantivy index (a `meta.json`).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

impl TracuuIndex {
    /// Opens the index in `dir`, checking that this build can read it.
    ///
    /// An index that a first indexing run created but never committed (it was interrupted) is
    /// reported as no index at all.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_with(dir, false)
    }

    /// Opens the index in `dir` to update it: an index created but never committed opens
    /// empty, ready to be filled.
    pub fn open_for_update(dir: &Path) -> Result<Self> {
        Self::open_with(dir, true)
    }

    fn open_with(dir: &Path, uncommitted_ok: bool) -> Result<Self> {
        if !dir.exists() || !exists(dir) {
            return Err(if dir.is_dir() && !is_empty_dir(dir)? {
                Error::NotAnIndex(dir.to_path_buf())
            } else {
                Error::NoIndex(dir.to_path_buf())
            });
        }
        let corrupt = |reason: String| Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason,
        };
        let index = Index::open_in_dir(dir).map_err(|e| corrupt(one_line(&e)))?;
        register_tokenizers(&index);
        let metas = index.load_metas().map_err(|e| corrupt(one_line(&e)))?;
        let manifest: Manifest = match metas.payload.as_deref() {
            Some(p) => serde_json::from_str(p).map_err(|e| corrupt(format!("manifest: {e}")))?,
            // Created, never committed: a first run that was interrupted.
            None if metas.segments.is_empty() && uncommitted_ok => Manifest::new(PathBuf::new()),
            None if metas.segments.is_empty() => return Err(Error::NoIndex(dir.to_path_buf())),
            None => Manifest::default(),
        };
        let (schema, fields) = schema();
        if manifest.format != FORMAT_VERSION
            || manifest.tokenizer != TOKENIZER_VERSION
            || index.schema() != schema
        {
            return Err(Error::IncompatibleIndex {
                path: dir.to_path_buf(),
                found: manifest.versions(),
                expected: Manifest::new(PathBuf::new()).versions(),
            });
        }
        Ok(TracuuIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// Creates a new, empty index in `dir` (which must be empty or absent).
    pub fn create(dir: &Path, corpus: PathBuf) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(|e| match e {
            TantivyError::IndexAlreadyExists => Error::NotAnIndex(dir.to_path_buf()),
            other => Error::from(other),
        })?;
        register_tokenizers(&index);
        Ok(TracuuIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            manifest: Manifest::new(corpus),
        })
    }

    /// A reader of the last commit.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::CorruptIndex {
                path: self.dir.clone(),
                reason: one_line(&e),
            })
    }
}

/// True if `dir` has no entries other than the placeholders a repository keeps in an empty
/// index folder (`.gitignore`, `.gitkeep`, `README.md`).
pub fn is_empty_dir(dir: &Path) -> Result<bool> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if !is_placeholder(&entry.file_name()) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// True for the files a repository keeps in an empty index folder; they are never index files.
pub fn is_placeholder(name: &std::ffi::OsStr) -> bool {
    matches!(
        name.to_str(),
        Some(".gitignore") | Some(".gitkeep") | Some("README.md")
    )
}

/// A tantivy error as one line.
pub fn one_line(e: &TantivyError) -> String {
    e.to_string().replace('\n', " ")
}
