//! The last phases of a run: the commit (the file list written between prepare and commit, fail
//! points on either side), what a failed run undoes and how its cause is named, and the upkeep
//! after a commit (old file lists, merges, statistics, the file naming the corpus), where a
//! failure is only a warning.

use std::path::Path;

use tantivy::{IndexWriter, TantivyError};

use super::Observer;
use crate::error::{self, Error, Result};
use crate::failpoint;
use crate::store::filelist::{self, FileList};
use crate::store::{self, stats, Manifest, TracuuIndex};

/// Commits what the writer holds with `manifest` as its payload and `list` as its file list,
/// then passes the fail point `after-commit`. On failure the run is undone ([`fail`]), the error
/// saying that about `need` bytes are needed when the disk is full.
pub(super) fn commit(
    idx: &TracuuIndex,
    mut writer: IndexWriter,
    manifest: &Manifest,
    list: &FileList,
    need: u64,
) -> Result<IndexWriter> {
    let payload = manifest
        .to_payload()
        .map_err(|e| Error::Tantivy(e.to_string()))?;
    if let Err(e) = prepare_and_commit(&mut writer, &payload, list, &idx.dir, manifest.generation) {
        return Err(fail(idx, writer, e, need));
    }
    hit(&idx.dir, "after-commit")?;
    Ok(writer)
}

/// Prepares and commits, with the fail points on either side of the prepare. The file list of
/// generation `generation` is written (and synced) between the prepare and the commit that names
/// it, so that a commit never names a list that is not on disk.
fn prepare_and_commit(
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

/// After the commit, what only makes the index faster or its statistics exact: a failure there
/// is a warning, and the next run does it again. The file lists of generations other than `keep`
/// go (the one before the commit stays, for a search that read the previous commit).
pub(super) fn maintain(
    idx: &TracuuIndex,
    writer: IndexWriter,
    corpus: &Path,
    keep: [u64; 2],
    need: u64,
    observer: &mut dyn Observer,
) {
    let dir = idx.dir.as_path();
    if let Err(e) = filelist::remove_other_generations(dir, &keep) {
        observer.warning(&format!(
            "removing old file lists failed ({e}); the next run removes them"
        ));
    }
    if let Err(e) = writer.wait_merging_threads() {
        observer.warning(&format!(
            "merging index segments failed ({}); the index is complete, and the next run merges again",
            cause(dir, &e, need)
        ));
    }
    // Once tantivy's own merges are done (they pick segments too), merge away deleted passages
    // with a writer of our own; if another run took the lock meanwhile, it does this itself.
    if let Err(e) = purge_deletes(idx) {
        observer.warning(&format!(
            "merging away deleted passages failed ({}); the index is complete, and the next run merges again",
            cause(dir, &e, need)
        ));
    }
    if let Err(e) = stats::save(&idx.index, dir, &idx.fields.scored()) {
        observer.warning(&format!(
            "saving ranking statistics failed ({e}); searches count them at start until the next run"
        ));
    }
    if let Err(e) = store::save_corpus_file(dir, corpus) {
        observer.warning(&format!(
            "saving the corpus's name beside the index failed ({e}); the next run saves it"
        ));
    }
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

/// tantivy's log merge policy, merging segments of a size four at a time instead of eight.
/// A large build then merges while it indexes, instead of merging eight segments alone at its
/// end: 1 GB built in 101 s instead of 123 s, and its peak RSS (the merge's mapped inputs) went
/// from 1,080 to 761 MiB, for the same number of segments (docs/how-it-works.md).
pub(super) fn merge_policy() -> tantivy::indexer::LogMergePolicy {
    let mut policy = tantivy::indexer::LogMergePolicy::default();
    policy.set_min_num_segments(4);
    policy
}

/// Reaches a fail point outside tantivy's calls; an injected error names its cause.
pub(super) fn hit(index_dir: &Path, name: &str) -> Result<()> {
    failpoint::hit(name).map_err(|e| Error::from_tantivy_at(index_dir, e.into()))
}

/// The error of a run that failed while writing, with its real cause, after undoing what the
/// run wrote so that no orphan file is left taking space. When an indexing thread died, tantivy
/// only says "an index writer was killed": the thread's own error is fetched by preparing a
/// commit (which joins the threads), and a full disk is looked for with statvfs.
pub(super) fn fail(
    idx: &TracuuIndex,
    mut writer: IndexWriter,
    e: TantivyError,
    need: u64,
) -> Error {
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
}
