//! Building and updating an index from a folder, in phases: the index opened and its writer
//! lock taken (`open.rs`), the corpus walked, each file's fate decided from what the last commit
//! knew of it (`plan.rs`, pure), what changed read and written (`write.rs`), and committed
//! (`commit.rs`). Only what changed since the last run is read again.

mod commit;
mod open;
mod plan;
pub mod watch;
mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::corpus::walk::{check_corpus, corpus_walk};
use crate::error::{Error, Result};
use crate::extract;
use crate::store::{self, CorpusOptions, Manifest};

/// How to build an index.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Start over: drop everything the index holds.
    pub rebuild: bool,
    /// Total memory for the indexing threads, in bytes.
    pub memory: usize,
    /// Indexing threads.
    pub threads: usize,
    /// How the corpus is read (recorded in the index).
    pub read: CorpusOptions,
    /// The most text one container file (PDF, DOCX, ODT, EPUB, compressed) may yield, in bytes
    /// (`--max-extract MB`); past it the file is skipped as a bomb. Recorded in the index.
    pub max_extract: usize,
}

/// The default memory for the indexing threads: 256 MB.
pub const DEFAULT_MEMORY: usize = 256 * 1_000_000;

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            rebuild: false,
            memory: DEFAULT_MEMORY,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
            read: CorpusOptions::default(),
            max_extract: extract::DEFAULT_MAX_EXTRACT,
        }
    }
}

impl IndexOptions {
    /// The options the index whose manifest is `manifest` was built with (memory and threads
    /// at their defaults): what a refresh or a watcher updates it with.
    pub fn recorded(manifest: &Manifest) -> Self {
        IndexOptions {
            read: manifest.options.clone(),
            max_extract: match manifest.max_extract {
                0 => extract::DEFAULT_MAX_EXTRACT,
                n => usize::try_from(n).unwrap_or(usize::MAX),
            },
            ..IndexOptions::default()
        }
    }
}

/// What a run of the indexer did.
#[derive(Clone, Debug, Default)]
pub struct IndexReport {
    /// Files indexed for the first time.
    pub added: usize,
    /// Files whose content changed and were indexed again.
    pub updated: usize,
    /// Files gone from the corpus whose passages were deleted.
    pub removed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files not indexed, each with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// How many of `skipped` the last run skipped for the same reason, unchanged since: they
    /// were not read again, and not warned about again.
    pub skipped_again: usize,
    /// How many of `skipped` this run found to be images, sound, video or archives (by their
    /// first bytes): no warning names them, the summary counts them.
    pub not_text: usize,
    /// Members of archives and mail (not files of the corpus) that could not be read: warned
    /// about one by one, apart from images, sound, video and binary files.
    pub members_skipped: usize,
    /// Passages written in this run.
    pub passages_written: u64,
    /// Files the index holds now.
    pub files: usize,
    /// Passages the index holds now.
    pub passages: u64,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// What the indexer tells its caller as it goes.
pub trait Observer {
    /// A file was skipped, or something else the user should know.
    fn warning(&mut self, message: &str);
    /// A file was skipped for what it holds (never called for an image, sound, video or
    /// archive: [`IndexReport::not_text`] counts those). By default a warning naming the file.
    fn skipped(&mut self, path: &Path, reason: &extract::Skip) {
        self.warning(&format!("skipped {}: {reason}", path.display()));
    }
    /// `done` of `total` bytes of the corpus have been walked.
    fn progress(&mut self, _done: u64, _total: u64) {}
}

/// A closure observes warnings only.
impl<F: FnMut(&str)> Observer for F {
    fn warning(&mut self, message: &str) {
        self(message)
    }
}

/// Indexes `corpus` into `index_dir`: creates the index if needed, else updates it with what
/// changed. Warnings about skipped files and progress go to `observer` as they happen.
pub fn build(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    observer: &mut dyn Observer,
) -> Result<IndexReport> {
    let started = Instant::now();
    let corpus = check_corpus(corpus)?;
    if let Some(name) = &options.read.encoding {
        if extract::encoding::lookup(name).is_none() {
            let reason = extract::Skip::UnknownEncoding(name.clone());
            return Err(Error::Usage(reason.to_string()));
        }
    }
    let open::Opened {
        idx,
        mut writer,
        previous,
        live_generation,
    } = open::open(&corpus, index_dir, options, observer)?;
    let mut report = IndexReport::default();
    // Walk first, so that progress can be told against the total size.
    let (files, dirs) = corpus_walk(&corpus, &options.read, index_dir, &mut |path, reason| {
        report.skip(observer, path, reason);
    });
    let writing = write::Writing::new(&idx, &mut writer, options, observer, &mut report);
    let write::Written { mut list, need } = match writing.write(&corpus, files, &previous) {
        Ok(written) => written,
        Err(failed) => return Err(commit::fail(&idx, writer, failed.error, failed.need)),
    };
    list.dirs = dirs;
    let manifest = Manifest {
        options: options.read.clone(),
        max_extract: options.max_extract as u64,
        generation: live_generation + 1,
        file_count: list.files.len() as u64,
        passage_count: list.passages(),
        commit: store::commit_nonce(),
        ..Manifest::new(corpus.clone())
    };
    let writer = commit::commit(&idx, writer, &manifest, &list, need)?;
    let keep = [manifest.generation, live_generation];
    commit::maintain(&idx, writer, &corpus, keep, need, observer);
    report.files = list.files.len();
    report.passages = list.passages();
    report.elapsed = started.elapsed();
    Ok(report)
}

impl IndexReport {
    /// A file skipped because it could not be walked or read: told to `observer`.
    fn skip(&mut self, observer: &mut dyn Observer, path: &Path, reason: &str) {
        if path.as_os_str().is_empty() {
            observer.warning(&format!("skipped: {reason}"));
        } else {
            observer.warning(&format!("skipped {}: {reason}", path.display()));
        }
        self.skipped.push((path.to_path_buf(), reason.to_string()));
    }

    /// A member of an archive or mail skipped for what it holds: counted, and told to
    /// `observer` unless it is an image, sound, video or binary file.
    fn skip_member(&mut self, observer: &mut dyn Observer, path: &Path, reason: &extract::Skip) {
        if !matches!(reason, extract::Skip::NotText(_)) {
            observer.skipped(path, reason);
        }
        self.members_skipped += 1;
    }

    /// A file skipped for what it holds: an image, sound, video or archive is counted, anything
    /// else is told to `observer`.
    fn skip_content(&mut self, observer: &mut dyn Observer, path: &Path, reason: &extract::Skip) {
        if matches!(reason, extract::Skip::NotText(_)) {
            self.not_text += 1;
        } else {
            observer.skipped(path, reason);
        }
        self.skipped.push((path.to_path_buf(), reason.to_string()));
    }
}
