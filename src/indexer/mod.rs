//! Building and updating an index from a folder: walking it, reading each file safely, and
//! committing only what changed since the last run.

pub mod watch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::corpus::walk::{check_corpus, corpus_walk, relative_source, CorpusFile};
use crate::error::{self, Error, Result};
use crate::extract::{self, Extracted, Format};
use crate::failpoint;
use crate::passage;
use crate::store::filelist::{self, FileList};
use crate::store::{self, CorpusOptions, FileState, Manifest, TracuuIndex};

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

    // An update keeps the files of the last commit that are unchanged, if it walks the corpus
    // and cuts passages as that commit did.
    let same_walk =
        |m: &Manifest| !options.rebuild && m.corpus == corpus && m.options == options.read;
    let updates = |m: &Manifest| same_walk(m) && m.passages == passage::VERSION;
    let (idx, previous) = if store::exists(index_dir) {
        match TracuuIndex::open_for_update(index_dir) {
            Ok(idx) => {
                let prev = if updates(&idx.manifest) {
                    Some(idx.file_list()?)
                } else {
                    None
                };
                (idx, prev)
            }
            Err(Error::IncompatibleIndex { .. } | Error::CorruptIndex { .. })
                if options.rebuild =>
            {
                // Nothing readable to keep: start a fresh index in the same place, holding the
                // writer lock while the old files go, so a run in progress is never disturbed.
                let lock = store::lock_writer(index_dir)?;
                clear_index_dir(index_dir)?;
                let idx = TracuuIndex::create(index_dir, corpus.clone())?;
                drop(lock);
                (idx, None)
            }
            Err(e) => return Err(e),
        }
    } else if index_dir.is_dir() && !store::is_empty_dir(index_dir)? {
        if !store::only_leftovers(index_dir)? {
            return Err(Error::NotAnIndex(index_dir.to_path_buf()));
        }
        // A first run died before its index existed: clear what it left, under the lock.
        let lock = store::lock_writer(index_dir)?;
        clear_index_dir(index_dir)?;
        let idx = TracuuIndex::create(index_dir, corpus.clone())?;
        drop(lock);
        (idx, None)
    } else {
        if index_dir.is_file() {
            return Err(Error::NotAnIndex(index_dir.to_path_buf()));
        }
        (TracuuIndex::create(index_dir, corpus.clone())?, None)
    };

    hit(index_dir, "before-lock")?;
    let mut writer = open_writer(&idx, options)?;
    // Another run may have committed between the list read above and the lock (or deleted the
    // index and built it again): build on its commit, or its new files would be added a second
    // time.
    let mut previous = previous;
    let live = idx.live_manifest()?;
    if let Some(live) = &live {
        if (live.generation, live.commit) != (idx.manifest.generation, idx.manifest.commit) {
            previous = if updates(live) {
                Some(store::load_file_list(index_dir, live)?)
            } else {
                None
            };
        }
        if previous.is_none() && live.passages != passage::VERSION && same_walk(live) {
            observer.warning(
                "this index's passages were cut by another version of tracuu: indexing every file again",
            );
        }
    }
    // A killed or failed run may have left files that a new commit would collide with.
    idx.remove_orphans(&writer)?;
    if previous.is_some() {
        // Updating damaged segments would report success and leave them damaged.
        idx.check_damage()?;
    }
    hit(index_dir, "after-lock")?;
    let fields = idx.fields;
    // The list this run writes is a generation past the one in force now (the lock is held).
    let live_generation = idx.live_manifest()?.map_or(0, |m| m.generation);
    let mut manifest = Manifest {
        options: options.read.clone(),
        max_extract: options.max_extract as u64,
        generation: live_generation + 1,
        commit: store::commit_nonce(),
        ..Manifest::new(corpus.clone())
    };
    let mut list = FileList::default();
    let mut report = IndexReport::default();
    // Another version's extractors may read what this one's skipped: its skips are retried.
    let same_build = live.as_ref().is_some_and(|m| m.build == store::BUILD);
    let (previous, previously_skipped) = match previous {
        Some(p) if same_build => (p.files, p.skipped),
        Some(p) => (p.files, BTreeMap::new()),
        None => {
            writer.delete_all_documents()?;
            (BTreeMap::new(), BTreeMap::new())
        }
    };

    let extract_options = extract::Options {
        encoding: options.read.encoding.clone(),
        max_extract: Some(options.max_extract),
    };
    let mut seen = std::collections::HashSet::new();
    // Walk first, so that progress can be told against the total size.
    let (files, dirs) = corpus_walk(&corpus, &options.read, index_dir, &mut |path, reason| {
        skip(&mut report, observer, path, reason);
    });
    list.dirs = dirs;
    let total_bytes: u64 = files.iter().map(|f| f.size).sum();
    let mut done_bytes = 0;
    // Bytes not walked yet: with what this run wrote, an estimate of the space it needs.
    let mut pending_bytes = total_bytes;
    let mut written_bytes = 0;
    // About what the run needs on disk: its segments, and room to merge the index as it is.
    let index_bytes = folder_bytes(index_dir);
    let space_needed = |text: u64| 2 * text + index_bytes;
    for CorpusFile {
        path,
        size,
        mtime_ns,
    } in files
    {
        done_bytes += size;
        observer.progress(done_bytes, total_bytes);
        let rel = relative_source(&corpus, &path);
        seen.insert(rel.clone());
        pending_bytes = pending_bytes.saturating_sub(size);
        let prev = previous.get(&rel);
        if let Some(p) = prev.filter(|p| p.size == size && p.mtime_ns == mtime_ns) {
            list.files.insert(rel, p.clone());
            report.unchanged += 1;
            continue;
        }
        // Skipped by the last run for what it holds, and unchanged: skipped again, unread.
        if let Some(s) = previously_skipped
            .get(&rel)
            .filter(|s| !s.skip_reason.is_empty() && s.size == size && s.mtime_ns == mtime_ns)
        {
            report.skipped.push((path, s.skip_reason.clone()));
            report.skipped_again += 1;
            list.skipped.insert(rel, s.clone());
            continue;
        }
        let bytes = match failpoint::hit("read").and_then(|()| std::fs::read(&path)) {
            Ok(b) => b,
            Err(e) => {
                skip(&mut report, observer, &path, &e.to_string());
                forget(&mut writer, fields.source, &rel, prev.is_some());
                list.skipped.insert(rel, seen_only(size, mtime_ns));
                continue;
            }
        };
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        if let Some(p) = prev.filter(|p| p.hash == hash) {
            let state = FileState {
                size,
                mtime_ns,
                ..p.clone()
            };
            list.files.insert(rel, state);
            report.unchanged += 1;
            continue;
        }
        let read = extract::extract_owned(&path, bytes, &extract_options);
        let (extracted, bytes) = match read {
            Ok(x) => x,
            Err(reason) => {
                skip_content(&mut report, observer, &path, &reason);
                forget(&mut writer, fields.source, &rel, prev.is_some());
                let lasting = !matches!(
                    reason,
                    extract::Skip::TooLarge { .. } | extract::Skip::Timeout { .. }
                );
                let state = FileState {
                    skip_reason: if lasting {
                        reason.to_string()
                    } else {
                        String::new()
                    },
                    ..seen_only(size, mtime_ns)
                };
                list.skipped.insert(rel, state);
                continue;
            }
        };
        if prev.is_some() {
            writer.delete_term(Term::from_field_text(fields.source, &rel));
            report.updated += 1;
        } else {
            report.added += 1;
        }
        let passages = match add_passages(&writer, &idx, &rel, &extracted, bytes.as_deref()) {
            Ok(n) => n,
            Err(e) => {
                let need =
                    space_needed(written_bytes + extracted.text.len() as u64 + pending_bytes);
                return Err(fail(&idx, writer, e, need));
            }
        };
        written_bytes += extracted.text.len() as u64;
        report.passages_written += passages;
        list.files.insert(
            rel,
            FileState {
                size,
                mtime_ns,
                hash,
                passages,
                ..FileState::default()
            },
        );
    }
    // Files still there but no longer readable were skipped (and forgotten) above.
    for rel in previous.keys().filter(|rel| !seen.contains(*rel)) {
        writer.delete_term(Term::from_field_text(fields.source, rel));
        report.removed += 1;
    }

    manifest.file_count = list.files.len() as u64;
    manifest.passage_count = list.passages();
    let payload = serde_json::to_string(&manifest).map_err(|e| Error::Tantivy(e.to_string()))?;
    let need = space_needed(written_bytes);
    if let Err(e) = commit(&mut writer, &payload, &list, index_dir, manifest.generation) {
        return Err(fail(&idx, writer, e, need));
    }
    hit(index_dir, "after-commit")?;
    // Older lists go; the one before stays for a search that read the previous commit.
    let keep = [manifest.generation, live_generation];
    if let Err(e) = filelist::remove_other_generations(index_dir, &keep) {
        observer.warning(&format!(
            "removing old file lists failed ({e}); the next run removes them"
        ));
    }
    // The commit is done; what follows only makes the index faster or its statistics exact, and
    // a failure there is a warning: the next run does it again.
    if let Err(e) = writer.wait_merging_threads() {
        observer.warning(&format!(
            "merging index segments failed ({}); the index is complete, and the next run merges again",
            cause(index_dir, &e, need)
        ));
    }
    // Once tantivy's own merges are done (they pick segments too), merge away deleted passages
    // with a writer of our own; if another run took the lock meanwhile, it does this itself.
    if let Err(e) = purge_deletes(&idx) {
        observer.warning(&format!(
            "merging away deleted passages failed ({}); the index is complete, and the next run merges again",
            cause(index_dir, &e, need)
        ));
    }
    if let Err(e) = crate::store::stats::save(&idx.index, index_dir, &fields.scored()) {
        observer.warning(&format!(
            "saving ranking statistics failed ({e}); searches count them at start until the next run"
        ));
    }
    if let Err(e) = store::save_corpus_file(index_dir, &corpus) {
        observer.warning(&format!(
            "saving the corpus's name beside the index failed ({e}); the next run saves it"
        ));
    }

    report.files = list.files.len();
    report.passages = list.passages();
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Rewrites the segments that hold deleted passages without them, so that an index updated in
/// several runs has the statistics of one built in one run (BM25 counts deleted documents), and
/// ranks and scores alike. A merge keeps the commit and its manifest.
fn purge_deletes(idx: &TracuuIndex) -> tantivy::Result<()> {
    let with_deletes: Vec<tantivy::index::SegmentId> = idx
        .index
        .searchable_segment_metas()?
        .iter()
        .filter(|m| m.has_deletes())
        .map(|m| m.id())
        .collect();
    if with_deletes.is_empty() {
        return Ok(());
    }
    let mut writer: IndexWriter = match idx.index.writer_with_num_threads(1, 15_000_000) {
        Ok(w) => w,
        Err(TantivyError::LockFailure(..)) => return Ok(()),
        Err(e) => return Err(e),
    };
    writer.merge(&with_deletes).wait()?;
    writer.wait_merging_threads()
}

/// Total size of the files directly in `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(|e| e.ok()?.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    })
}

/// Prepares and commits, with the fail points on either side of the prepare. The file list of
/// generation `generation` is written (and synced) between the prepare and the commit that names
/// it, so that a commit never names a list that is not on disk.
fn commit(
    writer: &mut IndexWriter,
    payload: &str,
    list: &FileList,
    index_dir: &Path,
    generation: u64,
) -> tantivy::Result<()> {
    failpoint::hit("before-commit")?;
    let mut prepared = writer.prepare_commit()?;
    failpoint::hit("after-prepare")?;
    list.write(index_dir, generation)?;
    failpoint::hit("after-list")?;
    prepared.set_payload(payload);
    prepared.commit()?;
    Ok(())
}

/// Reaches a fail point outside tantivy's calls; an injected error names its cause.
fn hit(index_dir: &Path, name: &str) -> Result<()> {
    failpoint::hit(name).map_err(|e| Error::from_tantivy_at(index_dir, e.into()))
}

/// The error of a run that failed while writing, with its real cause, after undoing what the
/// run wrote so that no orphan file is left taking space. When an indexing thread died, tantivy
/// only says "an index writer was killed": the thread's own error is fetched by preparing a
/// commit (which joins the threads), and a full disk is looked for with statvfs.
fn fail(idx: &TracuuIndex, mut writer: IndexWriter, e: TantivyError, need: u64) -> Error {
    let e = if matches!(e, TantivyError::ErrorInThread(_)) {
        match writer.prepare_commit() {
            Err(inner) => inner,
            Ok(_) => e,
        }
    } else {
        e
    };
    let error = classify(&idx.dir, e, need);
    // Best effort: the next run cleans up anyway.
    if writer.rollback().is_ok() {
        let _ = idx.remove_orphans(&writer);
    }
    error
}

/// A tantivy error with its cause named; "killed" threads on a nearly full disk mean no space.
fn classify(index_dir: &Path, e: TantivyError, need: u64) -> Error {
    const LOW: u64 = 16_000_000;
    let killed = matches!(e, TantivyError::ErrorInThread(_));
    if error::is_no_space(&e)
        || (killed && fs4::available_space(index_dir).is_ok_and(|free| free < LOW))
    {
        return Error::no_space(index_dir, need);
    }
    Error::from_tantivy_at(index_dir, e)
}

/// The cause of a tantivy error as a few words.
fn cause(index_dir: &Path, e: &TantivyError, need: u64) -> String {
    classify(index_dir, e.clone(), need).to_string()
}

fn open_writer(idx: &TracuuIndex, options: &IndexOptions) -> Result<IndexWriter> {
    let min = 15_000_000;
    if options.memory < min {
        return Err(Error::Usage(format!(
            "--memory must be at least {} MB",
            min.div_ceil(1_000_000)
        )));
    }
    let threads = options.threads.clamp(1, (options.memory / min).max(1));
    let writer: IndexWriter = idx
        .index
        .writer_with_num_threads(threads, options.memory)
        .map_err(|e| Error::from_tantivy_at(&idx.dir, e))?;
    writer.set_merge_policy(Box::new(merge_policy()));
    Ok(writer)
}

/// tantivy's log merge policy, merging segments of a size four at a time instead of eight.
/// A large build then merges while it indexes, instead of merging eight segments alone at its
/// end: 1 GB built in 101 s instead of 123 s, and its peak RSS (the merge's mapped inputs) went
/// from 1,080 to 761 MiB, for the same number of segments (README, Performance).
fn merge_policy() -> tantivy::indexer::LogMergePolicy {
    let mut policy = tantivy::indexer::LogMergePolicy::default();
    policy.set_min_num_segments(4);
    policy
}

/// Adds the passages of one file and returns how many. `bytes` are the file's bytes, unless
/// its text is exactly those bytes.
///
/// `start` and `end` are file byte offsets; a passage whose text is not the file's bytes also
/// stores its slice of the offset map, so that highlights map back exactly. Line and column are
/// those of the file read in its encoding (for UTF-8, the file itself; for a legacy encoding, the
/// decoded file, markup included), the column in decoded characters.
fn add_passages(
    writer: &IndexWriter,
    idx: &TracuuIndex,
    rel: &str,
    x: &Extracted,
    bytes: Option<&[u8]>,
) -> tantivy::Result<u64> {
    let f = idx.fields;
    let text = x.text.as_str();
    let identity = x.map.is_identity();
    let lines_of = LinesOf::new(x, bytes);
    let mut lines = LineCounter::new(lines_of.text());
    let mut last_line_offset = 0;
    let mut n = 0;
    let part_starts: Vec<usize> = x.parts.iter().map(|p| p.start).collect();
    for p in passage::split_in_parts(text, &x.breaks, &part_starts) {
        let (start, end) = if identity {
            (p.start, p.end)
        } else {
            (x.map.file_start(p.start), x.map.file_end(p.end))
        };
        let at = lines_of.offset(p.start, start).max(last_line_offset);
        last_line_offset = at;
        let (line, column) = lines.line_column(at);
        let passage_text = &text[p.start..p.end];
        // A block break becomes a tab (same length) for the index: a phrase never crosses it.
        let first = x.breaks.partition_point(|&b| b < p.start);
        let inner = x.breaks[first..].iter().take_while(|&&b| b < p.end);
        let indexed = if inner.clone().next().is_some() {
            let mut copy = passage_text.as_bytes().to_vec();
            for &b in inner {
                if copy[b - p.start] == b'\n' {
                    copy[b - p.start] = b'\t';
                }
            }
            std::borrow::Cow::Owned(String::from_utf8(copy).expect("one ASCII byte replaced"))
        } else {
            std::borrow::Cow::Borrowed(passage_text)
        };
        // An HTML page's title is not in its text: it is searchable with the first passage,
        // kept apart from it by a tab so that no phrase runs across.
        let indexed = match (&x.title, x.format) {
            (Some(title), Format::Html) if n == 0 => {
                std::borrow::Cow::Owned(format!("{title}\t{indexed}"))
            }
            _ => indexed,
        };
        let mut doc = TantivyDocument::default();
        doc.add_text(f.body, &indexed);
        doc.add_text(f.exact, &indexed);
        doc.add_text(f.compound, &indexed);
        doc.add_text(f.text, passage_text);
        doc.add_text(f.source, rel);
        doc.add_u64(f.start, start as u64);
        doc.add_u64(f.end, end as u64);
        doc.add_u64(f.line, line as u64);
        doc.add_u64(f.column, column as u64);
        doc.add_u64(f.text_start, p.start as u64);
        if !identity {
            doc.add_bytes(f.map, &x.map.slice(p.start..p.end).to_bytes());
        }
        if x.format != Format::Text {
            doc.add_text(f.format, x.format.name());
        }
        if x.encoding != "utf-8" {
            doc.add_text(f.encoding, x.encoding);
        }
        if let Some(title) = &x.title {
            doc.add_text(f.title, title);
        }
        if x.offsets == extract::Offsets::Extracted {
            doc.add_text(f.offsets, x.offsets.name());
        }
        // The part the passage lies in (passages never cross a part's start).
        let part = x.parts.partition_point(|q| q.start <= p.start);
        match part.checked_sub(1).map(|i| &x.parts[i].place) {
            Some(extract::Place::Page(n)) => doc.add_u64(f.page, u64::from(*n)),
            Some(extract::Place::Chapter(path)) => doc.add_text(f.chapter, path),
            Some(extract::Place::Paragraph(n)) => doc.add_u64(f.paragraph, u64::from(*n)),
            None => {}
        }
        writer.add_document(doc)?;
        failpoint::hit("after-add")?;
        n += 1;
    }
    Ok(n)
}

/// The text that lines and columns are counted in: the extracted text when it is the file read
/// in its encoding, else the file's bytes (UTF-8) or the whole file decoded (markup included).
enum LinesOf<'a> {
    /// The extracted text (plain text files).
    Extracted(&'a str),
    /// The file itself, valid UTF-8: counted at file offsets.
    File(&'a str),
    /// The whole file decoded: counted at the decoded offset of each file offset.
    Decoded(extract::encoding::Decoded),
}

impl<'a> LinesOf<'a> {
    fn new(x: &'a Extracted, bytes: Option<&'a [u8]>) -> Self {
        let Some(bytes) = bytes.filter(|_| !x.map.is_identity()) else {
            return LinesOf::Extracted(&x.text);
        };
        if let Ok(file) = std::str::from_utf8(bytes) {
            return LinesOf::File(file);
        }
        match (x.format, extract::encoding::lookup(x.encoding)) {
            (Format::Text, _) | (_, None) => LinesOf::Extracted(&x.text),
            (_, Some(enc)) => LinesOf::Decoded(extract::encoding::decode_with(bytes, enc)),
        }
    }

    fn text(&self) -> &str {
        match self {
            LinesOf::Extracted(t) | LinesOf::File(t) => t,
            LinesOf::Decoded(d) => &d.text,
        }
    }

    /// Where a passage starting at text offset `text_at` and file offset `file_at` is, in
    /// [`Self::text`] (on a character boundary).
    fn offset(&self, text_at: usize, file_at: usize) -> usize {
        let (text, at) = match self {
            LinesOf::Extracted(t) => (*t, text_at),
            LinesOf::File(t) => (*t, file_at),
            LinesOf::Decoded(d) => (d.text.as_str(), d.map.text_offset(file_at)),
        };
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// The manifest entry of a file that was seen but not indexed.
fn seen_only(size: u64, mtime_ns: u64) -> FileState {
    FileState {
        size,
        mtime_ns,
        ..FileState::default()
    }
}

fn skip(report: &mut IndexReport, observer: &mut dyn Observer, path: &Path, reason: &str) {
    if path.as_os_str().is_empty() {
        observer.warning(&format!("skipped: {reason}"));
    } else {
        observer.warning(&format!("skipped {}: {reason}", path.display()));
    }
    report
        .skipped
        .push((path.to_path_buf(), reason.to_string()));
}

/// A file skipped for what it holds: an image, sound, video or archive is counted, anything
/// else is told to `observer`.
fn skip_content(
    report: &mut IndexReport,
    observer: &mut dyn Observer,
    path: &Path,
    reason: &extract::Skip,
) {
    if matches!(reason, extract::Skip::NotText(_)) {
        report.not_text += 1;
    } else {
        observer.skipped(path, reason);
    }
    report
        .skipped
        .push((path.to_path_buf(), reason.to_string()));
}

/// Deletes the passages of a file that can no longer be indexed.
fn forget(writer: &mut IndexWriter, source: tantivy::schema::Field, rel: &str, was_indexed: bool) {
    if was_indexed {
        writer.delete_term(Term::from_field_text(source, rel));
    }
}

/// Removes what a rebuild replaces: the files of an unreadable or incompatible index.
fn clear_index_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        // The lock files stay: removing one that is held would let a second writer in.
        let lock = name
            .to_str()
            .is_some_and(|n| n.starts_with(".tantivy-") && n.ends_with(".lock"));
        if !store::is_placeholder(&name) && !lock && entry.path().is_file() {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// Line and column of increasing offsets in one pass over the text: each byte is looked at
/// once, however long the lines.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    /// Characters between the start of the line and `offset`.
    column: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            // A UTF-8 byte order mark is no character of the first line (a UTF-16 one is
            // decoded away): editors do not show it, and a column counting it points one off.
            offset: if text.starts_with('\u{FEFF}') { 3 } else { 0 },
            line: 1,
            column: 0,
        }
    }

    /// 1-based line and column (in characters) of `offset`, which must not go backwards.
    fn line_column(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.max(self.offset);
        let chunk = &self.text[self.offset..offset];
        match chunk.rfind('\n') {
            Some(last) => {
                self.line += chunk.bytes().filter(|&b| b == b'\n').count();
                self.column = chunk[last + 1..].chars().count();
            }
            None => self.column += chunk.chars().count(),
        }
        self.offset = offset;
        (self.line, self.column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::indexer::MergePolicy;

    #[test]
    fn segments_of_a_size_merge_four_at_a_time() {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        let segments = |n: usize| -> Vec<tantivy::index::SegmentMeta> {
            (0..n)
                .map(|_| {
                    index.new_segment_meta(tantivy::index::SegmentId::generate_random(), 146_000)
                })
                .collect()
        };
        let policy = merge_policy();
        assert!(policy.compute_merge_candidates(&segments(3)).is_empty());
        let four = policy.compute_merge_candidates(&segments(4));
        assert_eq!(four.len(), 1);
        assert_eq!(four[0].0.len(), 4);
    }

    #[test]
    fn line_counter_agrees_with_line_column() {
        let text = "a\nbc\n\nĐức x\ny";
        let mut lc = LineCounter::new(text);
        for (i, _) in text.char_indices() {
            assert_eq!(
                lc.line_column(i),
                passage::line_column(text, i),
                "offset {i}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_no_column() {
        let mut lc = LineCounter::new("\u{FEFF}ab\ncd");
        assert_eq!(lc.line_column(0), (1, 1));
        assert_eq!(lc.line_column(4), (1, 2));
        assert_eq!(lc.line_column(7), (2, 2));
    }

    #[test]
    fn line_counter_is_linear_on_one_long_line() {
        // 4 MB on one line, a column asked for every 500 bytes: quadratic recounting would
        // look at 16 billion bytes; the counter looks at each once.
        let text = "Đức ab ".repeat(500_000);
        let mut lc = LineCounter::new(&text);
        let mut last = (0, 0);
        for offset in (0..text.len()).step_by(500) {
            if text.is_char_boundary(offset) {
                last = lc.line_column(offset);
                assert_eq!(last.0, 1);
            }
        }
        let end = text.len();
        assert_eq!(lc.line_column(end), (1, text.chars().count() + 1));
        assert!(last.1 > 1);
        let mut lc = LineCounter::new("ab\ncd\nĐf");
        assert_eq!(lc.line_column(8), passage::line_column("ab\ncd\nĐf", 8));
    }

    #[test]
    fn plain_utf8_is_read_without_a_copy_and_binary_is_refused() {
        let read = |bytes: &[u8]| {
            extract::extract_owned(Path::new("a.txt"), bytes.to_vec(), &Default::default())
        };
        let (x, rest) = read(b"ok \xc4\x91").unwrap();
        assert!(x.map.is_identity() && rest.is_none());
        assert!(read(b"a\0b").is_err());
        let (x, rest) = read(b"Les soci\xe9t\xe9s fran\xe7aises et leurs soci\xe9t\xe9s").unwrap();
        assert_eq!(x.encoding, "windows-1252");
        assert!(rest.is_some());
    }
}
