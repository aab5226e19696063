//! The walk over a corpus: which files tracuu reads under a root (hidden and ignored ones left
//! out unless asked, never the index's own folder), their sizes and modification times, and
//! their paths relative to the root as the index stores them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::error::{Error, Result};
use crate::store::{source, CorpusOptions};

/// A regular file of the corpus, as the walk found it.
#[derive(Clone, Debug)]
pub struct CorpusFile {
    /// Its path (under the corpus root as given).
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
}

/// The files tracuu indexes under `corpus`, sorted: regular files (links followed), hidden and
/// ignored ones left out unless `options` say otherwise, never anything inside `index_dir`.
/// What cannot be walked or stat'ed goes to `problem` as (path, reason); the path is empty when
/// the walker's message names it already.
pub fn corpus_files(
    corpus: &Path,
    options: &CorpusOptions,
    index_dir: &Path,
    problem: &mut dyn FnMut(&Path, &str),
) -> Vec<CorpusFile> {
    corpus_walk(corpus, options, index_dir, problem).0
}

/// [`corpus_files`], and the folders walked with their modification times (ns), by path
/// relative to `corpus` (`""` for the root). A folder's time is read when the walk reaches it,
/// before its entries are listed, so a file added while the walk runs changes it after.
pub fn corpus_walk(
    corpus: &Path,
    options: &CorpusOptions,
    index_dir: &Path,
    problem: &mut dyn FnMut(&Path, &str),
) -> (Vec<CorpusFile>, BTreeMap<String, u64>) {
    let index_abs = std::fs::canonicalize(index_dir).unwrap_or_else(|_| index_dir.to_path_buf());
    let mut files = Vec::new();
    let mut dirs = BTreeMap::new();
    for entry in walk(corpus, options, file_id(index_dir)) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problem(Path::new(""), &e.to_string().replace('\n', " "));
                continue;
            }
        };
        if entry.path().starts_with(&index_abs) {
            continue;
        }
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            let mtime = std::fs::metadata(entry.path()).map_or(0, |m| mtime_ns(&m));
            dirs.insert(relative_source(corpus, entry.path()), mtime);
            continue;
        }
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        match entry.metadata() {
            Ok(m) => files.push(CorpusFile {
                size: m.len(),
                mtime_ns: mtime_ns(&m),
                path: entry.into_path(),
            }),
            Err(e) => problem(entry.path(), &e.to_string().replace('\n', " ")),
        }
    }
    (files, dirs)
}

/// The corpus root as an absolute path, checked to be a folder.
pub fn check_corpus(corpus: &Path) -> Result<PathBuf> {
    if !corpus.exists() {
        return Err(Error::NoCorpus(corpus.to_path_buf()));
    }
    if !corpus.is_dir() {
        return Err(Error::CorpusNotDir(corpus.to_path_buf()));
    }
    std::fs::canonicalize(corpus).map_err(|e| Error::io(corpus, e))
}

/// The (device, inode) pair of a file or folder, links followed.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// The walk over a corpus: sorted, skipping hidden and ignored files unless asked, following
/// symbolic links (loops are reported, not followed), and never entering the folder whose
/// (device, inode) is `index`, however it is reached (a symbolic link, a bind mount).
fn walk(corpus: &Path, options: &CorpusOptions, index: Option<(u64, u64)>) -> ignore::Walk {
    ignore::WalkBuilder::new(corpus)
        .filter_entry(move |entry| {
            index.is_none()
                || !entry.file_type().is_some_and(|t| t.is_dir())
                || file_id(entry.path()) != index
        })
        .hidden(!options.hidden)
        .ignore(!options.no_ignore)
        .git_ignore(!options.no_ignore)
        .git_exclude(!options.no_ignore)
        .git_global(false)
        .parents(false)
        .require_git(false)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build()
}

/// `path` relative to `corpus`, with `/` separators, encoded losslessly
/// ([`source::encode`]): two names that differ in a byte that is not UTF-8 stay apart.
pub fn relative_source(corpus: &Path, path: &Path) -> String {
    source::encode(path.strip_prefix(corpus).unwrap_or(path))
}

/// The modification time in `meta`, in nanoseconds since the Unix epoch (0 when unknown).
pub fn mtime_ns(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}
