//! The index on disk: its schema, tokenizer registration (in one place), the manifest of what it
//! holds, and opening it safely.
//!
//! The manifest (corpus root, format and tokenizer versions, walk options, counts, and the
//! generation of the file list) is stored as the payload of tantivy's commit, so it changes
//! atomically with the documents: an interrupted run leaves the previous commit, and its
//! manifest, in force. It stays small, so that opening the index for a search parses a few
//! hundred bytes; the per-file list it names lives in its own file ([`crate::store::filelist`]), read
//! only to index or to check freshness. Building and updating the index lives in
//! [`crate::indexer`].

pub mod check;
pub mod filelist;
pub mod stats;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, FileSlice, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, INDEX_WRITER_LOCK, META_LOCK,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{
    Directory, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyError,
};

use self::filelist::FileList;
use crate::error::{self, Error, Result};
use crate::failpoint;
use crate::text::{Emit, Mode, TracuuTokenizer, TOKENIZER_VERSION};

/// Bumped whenever the schema or the meaning of a stored value changes.
pub const FORMAT_VERSION: u32 = 5;

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
    /// `extracted` when `start`, `end` and the highlights count bytes of the extracted text
    /// (PDF, DOCX, ODT, EPUB, compressed files); absent when they count bytes of the file.
    pub offsets: Field,
    /// The PDF page (1-based) the passage is on.
    pub page: Field,
    /// The EPUB chapter (its path inside the book) the passage is in.
    pub chapter: Field,
    /// The DOCX/ODT paragraph (1-based) the passage is in.
    pub paragraph: Field,
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
        offsets: b.add_text_field("offsets", STRING | STORED),
        page: b.add_u64_field("page", STORED),
        chapter: b.add_text_field("chapter", STORED),
        paragraph: b.add_u64_field("paragraph", STORED),
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

/// What the index holds, saved with every commit (as its payload).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// [`FORMAT_VERSION`] of the build that wrote the index.
    pub format: u32,
    /// [`TOKENIZER_VERSION`] of the build that wrote the index.
    pub tokenizer: u32,
    /// Absolute path of the corpus root.
    pub corpus: PathBuf,
    /// How the corpus was read (its fields sit at the top level of the JSON, as they always did).
    #[serde(flatten)]
    pub options: CorpusOptions,
    /// The `--max-extract` limit the index was built with, in bytes (0: the default). Searches
    /// that refresh the index, and watchers, keep it.
    #[serde(default)]
    pub max_extract: u64,
    /// The file list of this commit is `tracuu-files.<generation>` ([`crate::store::filelist`]); 0 when
    /// there is none (an index created but never committed).
    #[serde(default)]
    pub generation: u64,
    /// Files indexed.
    #[serde(default)]
    pub file_count: u64,
    /// Passages indexed.
    #[serde(default)]
    pub passage_count: u64,
    /// [`crate::passage::VERSION`] of the build that cut the passages (0: before versions). An
    /// update by a build that cuts them otherwise indexes every file again.
    #[serde(default)]
    pub passages: u32,
    /// A number drawn at random for each commit, so that two commits are told apart even when
    /// they have the same generation (an index deleted and built again starts at 1 again); 0
    /// before it was recorded.
    #[serde(default)]
    pub commit: u64,
    /// The version of tracuu that made this commit ([`BUILD`]): the skips it remembered (see
    /// [`FileState::skip_reason`]) hold only for the same version, whose extractors made them.
    #[serde(default)]
    pub build: String,
}

/// How a corpus is read: which files the walk takes and how their bytes are decoded. The index
/// records them; every later run, refresh, freshness check and watcher reads the corpus with the
/// recorded options, and a run with other options indexes every file again.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CorpusOptions {
    /// Hidden files and folders are indexed too (`--hidden`).
    #[serde(default)]
    pub hidden: bool,
    /// Files that `.gitignore` / `.ignore` files exclude are indexed too (`--no-ignore`).
    #[serde(default)]
    pub no_ignore: bool,
    /// The encoding of every file that is not UTF-8 (and has no BOM), in place of detection
    /// (`--encoding NAME`).
    #[serde(default)]
    pub encoding: Option<String>,
}

/// This build's version, as the manifest records it.
pub const BUILD: &str = env!("CARGO_PKG_VERSION");

/// A random number for [`Manifest::commit`]: std's hasher keys are drawn from the operating
/// system's random source, and the time makes two draws in one process differ.
pub fn commit_nonce() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(std::time::SystemTime::now())
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
    /// For a skipped file, why, if the reason holds for as long as the file is unchanged (it is
    /// binary, encrypted, corrupt…): the next run of the same version ([`Manifest::build`])
    /// then skips it again without reading it or warning again. Empty for an indexed file, and for a skip worth retrying (unreadable, too
    /// much text for `--max-extract`, an extractor timeout).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub skip_reason: String,
}

impl Manifest {
    /// An empty manifest for `corpus`, with this build's versions.
    pub fn new(corpus: PathBuf) -> Self {
        Manifest {
            format: FORMAT_VERSION,
            tokenizer: TOKENIZER_VERSION,
            corpus,
            options: CorpusOptions::default(),
            max_extract: 0,
            generation: 0,
            file_count: 0,
            passage_count: 0,
            passages: crate::passage::VERSION,
            commit: 0,
            build: BUILD.to_string(),
        }
    }

    /// How the files of this index are read back (by `show`): its encoding and extraction limit.
    pub fn extract_options(&self) -> crate::extract::Options {
        crate::extract::Options {
            encoding: self.options.encoding.clone(),
            max_extract: (self.max_extract > 0)
                .then(|| usize::try_from(self.max_extract).unwrap_or(usize::MAX)),
        }
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

/// The file beside the index that holds its ranking statistics ([`crate::store::stats`]).
pub const STATS_FILE: &str = "tracuu-stats.json";
/// The file beside the index that records the last freshness check ([`crate::freshness`]).
pub const FRESH_FILE: &str = "tracuu-fresh.json";
/// The file beside the index that names its corpus (the path's bytes), so that an index whose
/// `meta.json` is damaged can still be rebuilt from its own corpus.
pub const CORPUS_FILE: &str = "tracuu-corpus";

/// The manifest of the last commit of the index in `dir`, read from `meta.json` without opening
/// the index (which may be damaged or of another version); `None` when it cannot be read.
pub fn recorded_manifest(dir: &Path) -> Option<Manifest> {
    serde_json::from_str(&read_payload(dir).ok()??).ok()
}

/// The payload of the last commit in `dir`'s `meta.json`: `Ok(None)` for an index created but
/// never committed, `Err(())` when `meta.json` cannot be read.
fn read_payload(dir: &Path) -> std::result::Result<Option<String>, ()> {
    #[derive(Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    let bytes = std::fs::read(dir.join("meta.json")).map_err(|_| ())?;
    let meta: Meta = serde_json::from_slice(&bytes).map_err(|_| ())?;
    Ok(meta.payload)
}

/// True if `dir` holds an index whose `meta.json` cannot be read: nothing in the folder but
/// [`CORPUS_FILE`] can say which corpus it holds.
pub fn meta_unreadable(dir: &Path) -> bool {
    exists(dir) && read_payload(dir).is_err()
}

/// The corpus the index in `dir` was built from: its manifest's, else the one its
/// [`CORPUS_FILE`] names; `None` when neither can be read.
pub fn recorded_corpus(dir: &Path) -> Option<PathBuf> {
    if let Some(m) = recorded_manifest(dir).filter(|m| !m.corpus.as_os_str().is_empty()) {
        return Some(m.corpus);
    }
    let bytes = std::fs::read(dir.join(CORPUS_FILE)).ok()?;
    (!bytes.is_empty()).then(|| bytes_to_path(bytes))
}

/// What [`CORPUS_FILE`] holds for `corpus`.
pub fn recorded_corpus_bytes(corpus: &Path) -> Vec<u8> {
    path_to_bytes(corpus)
}

/// Writes [`CORPUS_FILE`] naming `corpus`, unless it already does (replaced atomically).
pub fn save_corpus_file(dir: &Path, corpus: &Path) -> io::Result<()> {
    let bytes = path_to_bytes(corpus);
    let path = dir.join(CORPUS_FILE);
    if std::fs::read(&path).is_ok_and(|b| b == bytes) {
        return Ok(());
    }
    let tmp = dir.join(format!("{CORPUS_FILE}.tmp"));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, &path)
}

#[cfg(unix)]
fn path_to_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_to_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
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
            return Err(
                if dir.is_dir() && !is_empty_dir(dir)? && !only_leftovers(dir)? {
                    Error::NotAnIndex(dir.to_path_buf())
                } else {
                    Error::NoIndex(dir.to_path_buf())
                },
            );
        }
        let corrupt = |reason: String| Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason,
        };
        let unreadable = |e: TantivyError| match error::io_error_of(&e) {
            Some(io) if error::is_permission(io) => Error::IndexNotReadable {
                path: dir.to_path_buf(),
                reason: io.to_string(),
            },
            _ => corrupt(one_line(&e)),
        };
        let index = Index::open(TracuuDirectory::open(dir)?).map_err(unreadable)?;
        register_tokenizers(&index);
        let metas = index.load_metas().map_err(unreadable)?;
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
        let directory = TracuuDirectory::open(dir)?;
        let index =
            Index::create(directory, schema, IndexSettings::default()).map_err(|e| match e {
                TantivyError::IndexAlreadyExists => Error::NotAnIndex(dir.to_path_buf()),
                other => Error::from_tantivy_at(dir, other),
            })?;
        register_tokenizers(&index);
        // Named before the first commit, so that a first run interrupted is resumed from the
        // same corpus by `tracuu index --index DIR`.
        save_corpus_file(dir, &corpus).map_err(|e| Error::io(dir.join(CORPUS_FILE), e))?;
        Ok(TracuuIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            manifest: Manifest::new(corpus),
        })
    }

    /// The file list of the commit this index was opened at (read from its own file).
    pub fn file_list(&self) -> Result<FileList> {
        load_file_list(&self.dir, &self.manifest)
    }

    /// The manifest of the last commit, read again (another run may have committed since this
    /// index was opened); `None` for an index created but never committed.
    pub fn live_manifest(&self) -> Result<Option<Manifest>> {
        let metas = self
            .index
            .load_metas()
            .map_err(|e| Error::from_tantivy_at(&self.dir, e))?;
        metas
            .payload
            .as_deref()
            .map(|p| {
                serde_json::from_str(p).map_err(|e| Error::CorruptIndex {
                    path: self.dir.clone(),
                    reason: format!("manifest: {e}"),
                })
            })
            .transpose()
    }

    /// A reader of the last commit. It takes no write lock, so a read-only index can be read.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| match error::io_error_of(&e) {
                Some(io) if error::is_permission(io) => Error::IndexNotReadable {
                    path: self.dir.clone(),
                    reason: io.to_string(),
                },
                _ => Error::CorruptIndex {
                    path: self.dir.clone(),
                    reason: one_line(&e),
                },
            })
    }

    /// Removes what a killed or failed run left behind: files tantivy wrote for a commit that
    /// never happened (segments, deletes, temporary files), whether or not tantivy still lists
    /// them, so that a new writer can never collide with an orphan file or lack the space it
    /// holds. File lists ([`crate::store::filelist`]) other than the last commit's and the one before
    /// it go too. `writer` proves the writer lock is held: no other process writes meanwhile.
    /// Returns the names of the files removed.
    pub fn remove_orphans(&self, writer: &IndexWriter) -> Result<Vec<String>> {
        let at = |e| Error::from_tantivy_at(&self.dir, e);
        // tantivy's own collection first: it also updates its list of managed files. On a full
        // disk saving that list can fail after the files are gone; the sweep below still runs.
        let _ = writer.garbage_collect_files().wait();
        let metas = self.index.load_metas().map_err(at)?;
        let living = metas.list_segment_files();
        // The lists to keep; none is removed when the payload cannot be read.
        let live_lists: Option<[u64; 2]> = match metas.payload.as_deref() {
            None => Some([0, 0]),
            Some(p) => serde_json::from_str::<Manifest>(p)
                .ok()
                .map(|m| [m.generation, m.generation.saturating_sub(1)]),
        };
        // Readers open segment files under this lock; hold it while deleting.
        let _meta_lock = self
            .index
            .directory()
            .acquire_lock(&META_LOCK)
            .map_err(|e| at(TantivyError::LockFailure(e, None)))?;
        let mut removed = Vec::new();
        for entry in std::fs::read_dir(&self.dir).map_err(|e| Error::io(&self.dir, e))? {
            let entry = entry.map_err(|e| Error::io(&self.dir, e))?;
            let name = entry.file_name();
            let Some(text) = name.to_str() else { continue };
            let old_list = filelist::generation_of(text)
                .is_some_and(|g| live_lists.is_some_and(|keep| !keep.contains(&g)));
            let orphan = (is_segment_file(text) && !living.contains(Path::new(text)))
                || text.starts_with(".tmp")
                || old_list;
            if orphan && entry.file_type().is_ok_and(|t| t.is_file()) {
                match std::fs::remove_file(entry.path()) {
                    Ok(()) => removed.push(text.to_string()),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io(entry.path(), e)),
                }
            }
        }
        Ok(removed)
    }

    /// The files of the last commit whose checksum fails (or that cannot be read), sorted.
    pub fn damaged_files(&self) -> Result<Vec<String>> {
        let damaged = self
            .index
            .validate_checksum()
            .map_err(|e| Error::DamagedIndex {
                path: self.dir.clone(),
                damage: error::describe(&e),
            })?;
        let mut names: Vec<String> = damaged
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        // validate_checksum skips files tantivy does not list as its own; a missing one is damage too.
        let metas = self
            .index
            .load_metas()
            .map_err(|e| Error::from_tantivy_at(&self.dir, e))?;
        for seg in &metas.segments {
            for file in required_files(seg) {
                if !self.dir.join(&file).exists() {
                    names.push(format!("{} (missing)", file.display()));
                }
            }
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// An error naming the damaged files, if there are any.
    pub fn check_damage(&self) -> Result<()> {
        let damaged = self.damaged_files()?;
        if damaged.is_empty() {
            return Ok(());
        }
        Err(Error::DamagedIndex {
            path: self.dir.clone(),
            damage: damage_summary(&damaged),
        })
    }
}

/// Runs `f`, which reads the index in `dir`, turning a panic inside it (tantivy panics on some
/// damaged files instead of returning an error) into [`Error::DamagedIndex`], whose message
/// says how to repair that index.
pub fn contain<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        Err(Error::DamagedIndex {
            path: dir.to_path_buf(),
            damage: format!("reading it failed: {}", error::clean(&what)),
        })
    })
}

/// The file list that `manifest` names, in the index folder `dir`.
pub fn load_file_list(dir: &Path, manifest: &Manifest) -> Result<FileList> {
    if manifest.generation == 0 {
        return Ok(FileList::default());
    }
    let list = FileList::load(dir, manifest.generation).map_err(|reason| Error::CorruptIndex {
        path: dir.to_path_buf(),
        reason: format!("file list: {reason}"),
    })?;
    if list.files.len() as u64 != manifest.file_count || list.passages() != manifest.passage_count {
        return Err(Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason: "the file list disagrees with the manifest".into(),
        });
    }
    Ok(list)
}

/// The sources (paths relative to the corpus) that have passages in `searcher`'s segments, read
/// from the term dictionary of the `source` field.
pub fn indexed_sources(
    searcher: &tantivy::Searcher,
    source: Field,
) -> tantivy::Result<std::collections::BTreeSet<String>> {
    let mut out = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(source)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            if let Ok(s) = std::str::from_utf8(terms.key()) {
                out.insert(s.to_string());
            }
        }
    }
    Ok(out)
}

/// Takes the writer lock of the index in `dir` without opening the index (which may be
/// unreadable), for work that must not overlap a run in progress. Released when dropped.
pub fn lock_writer(dir: &Path) -> Result<DirectoryLock> {
    TracuuDirectory::open(dir)?
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|e| match e {
            LockError::LockBusy => Error::IndexLocked(dir.to_path_buf()),
            other => Error::from_tantivy_at(dir, TantivyError::LockFailure(other, None)),
        })
}

/// A few words naming damaged files: "2 files fail their checksum: a.idx, b.pos".
pub fn damage_summary(files: &[String]) -> String {
    let shown: Vec<&str> = files.iter().take(3).map(String::as_str).collect();
    let more = if files.len() > 3 {
        format!(" and {} more", files.len() - 3)
    } else {
        String::new()
    };
    let n = files.len();
    let s = if n == 1 {
        "file fails its"
    } else {
        "files fail their"
    };
    format!("{n} {s} checksum: {}{more}", shown.join(", "))
}

/// Files a committed segment cannot do without (optional components may be absent).
fn required_files(seg: &tantivy::SegmentMeta) -> Vec<PathBuf> {
    use tantivy::index::SegmentComponent as C;
    let mut files: Vec<PathBuf> = [C::Postings, C::Terms, C::Store, C::FieldNorms]
        .into_iter()
        .map(|c| seg.relative_path(c))
        .collect();
    if seg.has_deletes() {
        files.push(seg.relative_path(C::Delete));
    }
    files
}

/// True for a file name tantivy gives a segment's files: 32 hex digits, a dot, an extension.
pub fn is_segment_file(name: &str) -> bool {
    let Some((id, ext)) = name.split_once('.') else {
        return false;
    };
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) && !ext.is_empty()
}

/// tantivy's memory-mapped directory, with the fail point `write` on every file written, and
/// readers that work on a folder they cannot write: tantivy takes a lock file (`META_LOCK`) to
/// keep a writer's garbage collection away while a reader opens segments; where that file
/// cannot be created (a read-only mount, another user's folder), no writer can delete files
/// either, so the lock is skipped.
#[derive(Clone, Debug)]
struct TracuuDirectory {
    inner: MmapDirectory,
}

impl TracuuDirectory {
    fn open(dir: &Path) -> Result<Self> {
        let inner = MmapDirectory::open(dir)
            .map_err(|e| Error::from_tantivy_at(dir, TantivyError::OpenDirectoryError(e)))?;
        Ok(TracuuDirectory { inner })
    }
}

impl Directory for TracuuDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn open_read(&self, path: &Path) -> std::result::Result<FileSlice, OpenReadError> {
        self.inner.open_read(path)
    }

    fn delete(&self, path: &Path) -> std::result::Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> std::result::Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> std::result::Result<WritePtr, OpenWriteError> {
        failpoint::hit("write")
            .map_err(|e| OpenWriteError::wrap_io_error(e, path.to_path_buf()))?;
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> std::result::Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        failpoint::hit("write")?;
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> std::result::Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(io))
                if lock.filepath == META_LOCK.filepath && error::is_permission(&io) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

/// A path relative to the corpus as a string, losslessly: `/` between components, valid UTF-8
/// as it is, and each byte that is not valid UTF-8 as U+0000 followed by two lower-case hex
/// digits (NUL never occurs in a Unix file name, so this cannot collide with a real name).
pub fn encode_source(rel: &Path) -> String {
    let mut out = String::new();
    for (i, component) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_lossless(&mut out, component.as_os_str());
    }
    out
}

#[cfg(unix)]
fn push_lossless(out: &mut String, name: &std::ffi::OsStr) {
    use std::fmt::Write;
    use std::os::unix::ffi::OsStrExt;
    for chunk in name.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\0{b:02x}");
        }
    }
}

#[cfg(not(unix))]
fn push_lossless(out: &mut String, name: &std::ffi::OsStr) {
    out.push_str(&name.to_string_lossy());
}

/// The path [`encode_source`] encoded, byte for byte.
pub fn decode_source(source: &str) -> PathBuf {
    if !source.contains('\0') {
        return PathBuf::from(source);
    }
    let mut bytes = Vec::with_capacity(source.len());
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c == '\0' {
            let hex: String = chars.by_ref().take(2).collect();
            if let Ok(b) = u8::from_str_radix(&hex, 16) {
                bytes.push(b);
                continue;
            }
        }
        let mut buf = [0; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    bytes_to_path(bytes)
}

#[cfg(unix)]
fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// An encoded source for people: each byte that is not UTF-8 shown as U+FFFD.
pub fn display_source(source: &str) -> String {
    if !source.contains('\0') {
        return source.to_string();
    }
    decode_source(source).to_string_lossy().into_owned()
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

/// True if `dir` holds nothing but placeholders and files tantivy leaves when a first run dies
/// before its index exists (lock files, its list of files, temporary and segment files).
pub fn only_leftovers(dir: &Path) -> Result<bool> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let leftover = name.to_str().is_some_and(|n| {
            n == ".managed.json"
                || n == STATS_FILE
                || n == FRESH_FILE
                || n == CORPUS_FILE
                || filelist::generation_of(n).is_some()
                || (n.starts_with(".tantivy-") && n.ends_with(".lock"))
                || n.starts_with(".tmp")
                || is_segment_file(n)
        });
        if !(leftover || is_placeholder(&name)) || !entry.file_type().is_ok_and(|t| t.is_file()) {
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

/// A tantivy error as one line, without Rust Debug output.
pub fn one_line(e: &TantivyError) -> String {
    error::describe(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_round_trip_and_never_collide() {
        assert_eq!(encode_source(Path::new("a/Đức.txt")), "a/Đức.txt");
        assert_eq!(decode_source("a/Đức.txt"), PathBuf::from("a/Đức.txt"));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let ff = Path::new(std::ffi::OsStr::from_bytes(b"d/bad\xffname.txt"));
            let fe = Path::new(std::ffi::OsStr::from_bytes(b"d/bad\xfename.txt"));
            let (a, b) = (encode_source(ff), encode_source(fe));
            assert_eq!(a, "d/bad\u{0}ffname.txt");
            assert_ne!(a, b);
            assert_eq!(decode_source(&a), ff);
            assert_eq!(decode_source(&b), fe);
            assert_eq!(display_source(&a), "d/bad\u{FFFD}name.txt");
            // A lone byte in a multi-byte character, and at the end.
            let odd = Path::new(std::ffi::OsStr::from_bytes(b"\xc4x\xc4"));
            assert_eq!(decode_source(&encode_source(odd)), odd);
        }
    }

    #[test]
    fn segment_files_are_recognised_by_name() {
        assert!(is_segment_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(is_segment_file(
            "0123456789abcdef0123456789abcdef.80190.del"
        ));
        assert!(!is_segment_file("meta.json"));
        assert!(!is_segment_file(".managed.json"));
        assert!(!is_segment_file("README.md"));
    }
}
