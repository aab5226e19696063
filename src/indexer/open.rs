//! The first phase of a run: the index opened (or created, or recreated in place of what cannot
//! be kept), its writer lock taken, what a killed run left removed, and the commit to build on
//! reconciled with any other run that committed meanwhile.

use std::path::Path;

use tantivy::IndexWriter;

use super::commit::{hit, merge_policy};
use super::plan::{self, Previous};
use super::{IndexOptions, Observer};
use crate::error::{Error, Result};
use crate::passage;
use crate::store::filelist::FileList;
use crate::store::{self, layout, Manifest, TracuuIndex};

/// An index open for a run, its writer lock held.
pub(super) struct Opened {
    /// The index.
    pub idx: TracuuIndex,
    /// Its writer (holding the lock), with tracuu's merge policy.
    pub writer: IndexWriter,
    /// What the commit the run builds on knew (nothing: every file is indexed, and the writer
    /// deletes every passage).
    pub previous: Previous,
    /// The generation of the file list in force; the run writes the next one.
    pub live_generation: u64,
}

/// Opens (or creates) the index in `index_dir` for a run over `corpus`, and takes its writer
/// lock. Passes the fail points `before-lock` and `after-lock`.
pub(super) fn open(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    observer: &mut dyn Observer,
) -> Result<Opened> {
    let (idx, previous) = open_or_create(corpus, index_dir, options)?;
    hit(index_dir, "before-lock")?;
    let writer = open_writer(&idx, options)?;
    let live = idx.live_manifest()?;
    let previous = reconcile(&idx, live.as_ref(), previous, corpus, options, observer)?;
    // A killed or failed run may have left files that a new commit would collide with.
    idx.remove_orphans(&writer)?;
    if previous.is_some() {
        // Updating damaged segments would report success and leave them damaged.
        idx.check_damage()?;
    }
    hit(index_dir, "after-lock")?;
    // The lock is held: the commit read above stays the one in force until this run commits.
    let same_build = live.as_ref().is_some_and(|m| m.build == store::BUILD);
    let previous = match previous {
        Some(list) => Previous::new(list, same_build),
        None => {
            writer.delete_all_documents()?;
            Previous::default()
        }
    };
    Ok(Opened {
        idx,
        writer,
        previous,
        live_generation: live.map_or(0, |m| m.generation),
    })
}

/// The index in `index_dir`, and the file list of its last commit if the run builds on it.
fn open_or_create(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
) -> Result<(TracuuIndex, Option<FileList>)> {
    if layout::exists(index_dir) {
        return match TracuuIndex::open_for_update(index_dir) {
            Ok(idx) => {
                let previous = if plan::builds_on(&idx.manifest, corpus, options) {
                    Some(idx.file_list()?)
                } else {
                    None
                };
                Ok((idx, previous))
            }
            // Nothing readable to keep: a fresh index in the same place.
            Err(Error::IncompatibleIndex { .. } | Error::CorruptIndex { .. })
                if options.rebuild =>
            {
                Ok((recreate(index_dir, corpus)?, None))
            }
            Err(e) => Err(e),
        };
    }
    if index_dir.is_dir() && !layout::is_empty_dir(index_dir)? {
        if !layout::only_leftovers(index_dir)? {
            return Err(Error::NotAnIndex(index_dir.to_path_buf()));
        }
        // A first run died before its index existed: clear what it left.
        return Ok((recreate(index_dir, corpus)?, None));
    }
    if index_dir.is_file() {
        return Err(Error::NotAnIndex(index_dir.to_path_buf()));
    }
    Ok((TracuuIndex::create(index_dir, corpus.to_path_buf())?, None))
}

/// A new, empty index in place of what `index_dir` holds, made holding the writer lock while the
/// old files go, so that a run in progress is never disturbed.
fn recreate(index_dir: &Path, corpus: &Path) -> Result<TracuuIndex> {
    let lock = store::lock_writer(index_dir)?;
    clear_index_dir(index_dir)?;
    let idx = TracuuIndex::create(index_dir, corpus.to_path_buf())?;
    drop(lock);
    Ok(idx)
}

/// Removes what a rebuild replaces: the files of an unreadable or incompatible index.
fn clear_index_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        // The lock files stay: removing one that is held would let a second writer in.
        let lock = name.to_str().is_some_and(layout::is_lock);
        if !layout::is_placeholder(&name) && !lock && entry.path().is_file() {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// The file list to build on once the lock is held. Another run may have committed between the
/// list read at open and the lock (or deleted the index and built it again): the run builds on
/// that commit, or its new files would be added a second time.
fn reconcile(
    idx: &TracuuIndex,
    live: Option<&Manifest>,
    previous: Option<FileList>,
    corpus: &Path,
    options: &IndexOptions,
    observer: &mut dyn Observer,
) -> Result<Option<FileList>> {
    let Some(live) = live else {
        return Ok(previous);
    };
    let mut previous = previous;
    if (live.generation, live.commit) != (idx.manifest.generation, idx.manifest.commit) {
        previous = if plan::builds_on(live, corpus, options) {
            Some(store::load_file_list(&idx.dir, live)?)
        } else {
            None
        };
    }
    if previous.is_none()
        && live.passages != passage::VERSION
        && plan::same_walk(live, corpus, options)
    {
        observer.warning(
            "this index's passages were cut by another version of tracuu: indexing every file again",
        );
    }
    Ok(previous)
}

/// The index's writer, taking its lock, with the threads and memory `options` ask for.
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
