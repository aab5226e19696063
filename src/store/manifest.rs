//! What an index holds, and how its corpus is read: the [`Manifest`] saved as the payload of
//! every commit (with its one [`CorpusOptions`]), the [`FileState`] of each corpus file, and the
//! file naming the corpus beside the index ([`CORPUS_FILE`]).

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::layout::{self, CORPUS_FILE, META_FILE};
use super::schema::FORMAT_VERSION;
use super::source::{path_bytes, path_from_bytes};
use crate::text::TOKENIZER_VERSION;

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
            nesting: 0,
        }
    }

    /// The versions it was written with, for a message ("format 5, tokenizer 3").
    pub fn versions(&self) -> String {
        format!("format {}, tokenizer {}", self.format, self.tokenizer)
    }

    /// True if this build can read an index whose manifest this is (its schema aside).
    pub fn is_readable(&self) -> bool {
        self.format == FORMAT_VERSION && self.tokenizer == TOKENIZER_VERSION
    }

    /// The manifest saved as a commit's payload.
    pub fn from_payload(payload: &str) -> serde_json::Result<Manifest> {
        serde_json::from_str(payload)
    }

    /// The payload a commit saves (it fails for a corpus path that is not UTF-8).
    pub fn to_payload(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }
}

/// The manifest of the last commit of the index in `dir`, read from `meta.json` without opening
/// the index (which may be damaged or of another version); `None` when it cannot be read.
pub fn recorded_manifest(dir: &Path) -> Option<Manifest> {
    Manifest::from_payload(&read_payload(dir).ok()??).ok()
}

/// The payload of the last commit in `dir`'s `meta.json`: `Ok(None)` for an index created but
/// never committed, `Err(())` when `meta.json` cannot be read.
fn read_payload(dir: &Path) -> std::result::Result<Option<String>, ()> {
    #[derive(Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    let bytes = std::fs::read(dir.join(META_FILE)).map_err(|_| ())?;
    let meta: Meta = serde_json::from_slice(&bytes).map_err(|_| ())?;
    Ok(meta.payload)
}

/// True if `dir` holds an index whose `meta.json` cannot be read: nothing in the folder but
/// [`CORPUS_FILE`] can say which corpus it holds.
pub fn meta_unreadable(dir: &Path) -> bool {
    layout::exists(dir) && read_payload(dir).is_err()
}

/// The corpus the index in `dir` was built from: its manifest's, else the one its
/// [`CORPUS_FILE`] names; `None` when neither can be read.
pub fn recorded_corpus(dir: &Path) -> Option<PathBuf> {
    if let Some(m) = recorded_manifest(dir).filter(|m| !m.corpus.as_os_str().is_empty()) {
        return Some(m.corpus);
    }
    let bytes = std::fs::read(dir.join(CORPUS_FILE)).ok()?;
    (!bytes.is_empty()).then(|| path_from_bytes(bytes))
}

/// Writes [`CORPUS_FILE`] naming `corpus`, unless it already does (replaced atomically).
pub fn save_corpus_file(dir: &Path, corpus: &Path) -> io::Result<()> {
    let bytes = path_bytes(corpus);
    let path = dir.join(CORPUS_FILE);
    if std::fs::read(&path).is_ok_and(|b| b == bytes) {
        return Ok(());
    }
    let tmp = dir.join(layout::tmp_name(CORPUS_FILE));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_round_trips_with_the_corpus_options_at_the_top_level() {
        let m = Manifest {
            options: CorpusOptions {
                hidden: true,
                no_ignore: false,
                encoding: Some("vni".into()),
            },
            ..Manifest::new(PathBuf::from("/c"))
        };
        let payload = m.to_payload().unwrap();
        let json: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(
            (&json["hidden"], &json["encoding"]),
            (&true.into(), &"vni".into())
        );
        assert_eq!(Manifest::from_payload(&payload).unwrap(), m);
        assert!(m.is_readable());
        assert!(!Manifest::default().is_readable());
    }

    #[test]
    fn the_corpus_file_names_the_corpus_when_meta_json_cannot() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Path::new("/some/corpus");
        save_corpus_file(dir.path(), corpus).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join(CORPUS_FILE)).unwrap(),
            path_bytes(corpus)
        );
        assert!(!meta_unreadable(dir.path()));
        std::fs::write(dir.path().join(META_FILE), "{damaged").unwrap();
        assert!(meta_unreadable(dir.path()));
        assert_eq!(recorded_manifest(dir.path()), None);
        assert_eq!(recorded_corpus(dir.path()).as_deref(), Some(corpus));
    }
}
