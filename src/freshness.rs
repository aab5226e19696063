//! Whether the corpus changed since it was indexed, checked by searches without statting every
//! file.
//!
//! A search stats every folder the index walked (adding, removing or renaming a file changes its
//! folder's modification time) and two chunks of the file list ([`crate::store::filelist`]): the first,
//! the [`CHUNK`](crate::store::filelist::CHUNK) files changed last before the index was built, and one more that rotates on each
//! search, so that an edit in place (which leaves the folder as it was) is found within as many
//! searches as the list has chunks. Only when one of those differs does it walk the corpus and
//! compare every file, as `tracuu index` would, to count what changed.
//!
//! Once a full check has found changes, every search checks fully (and warns) until the index is
//! updated or the changes are undone.
//!
//! A folder can change without any indexed file changing (an editor's swap file came and went).
//! When the full walk finds nothing changed, the folder times it saw are recorded in
//! `tracuu-fresh.json` beside the index ([`crate::store::fresh`]), with the rotation's place, so that the next searches
//! compare against them instead of walking again. The record is a hint: when it is missing,
//! damaged or cannot be written (a read-only index), the check is only slower, and on a
//! read-only index the rotating chunk is chosen by the clock.
//!
//! A check that found nothing changed is trusted for [`TRUST`] (one second; `TRACUU_TRUST_MS`
//! sets it, 0 checks on every search): searches that start within it skip the check, and so
//! cost the same in a folder of 100,000 files as in one of five. The record holds the time the
//! trusted check started, so a change made after that start is reported by every search that
//! starts a second or more after the change. A stale result is never trusted.
//!
//! [`status`] reports, for `tracuu list`, the state of every index in the data directory.

pub mod status;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::corpus::walk::{corpus_walk, mtime_ns, relative_source};
use crate::error::{Error, Result};
use crate::store::filelist::{load_file_list, Entry, FileList, Reader};
use crate::store::fresh::Record;
use crate::store::source;
use crate::store::Manifest;

/// How the corpus differs from what the index holds, by sizes and modification times only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Staleness {
    /// Files not in the index.
    pub added: usize,
    /// Files whose size or modification time changed.
    pub changed: usize,
    /// Indexed files that are gone.
    pub removed: usize,
}

impl Staleness {
    /// True if nothing changed.
    pub fn is_fresh(&self) -> bool {
        *self == Staleness::default()
    }
}

/// How long a check that found the corpus unchanged is trusted by default.
pub const TRUST: Duration = Duration::from_secs(1);

/// Whether a search may rely on a recent quiet check instead of checking again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recent {
    /// Skip the check when one that found nothing changed started less than the trust time ago.
    Trust,
    /// Check now (`--refresh`, `tracuu list`).
    Recheck,
}

/// Compares the corpus on disk with the index whose manifest is `manifest`, in `index_dir`:
/// not at all within the trust time of a quiet check (with [`Recent::Trust`]), cheaply when
/// nothing changed (see the module documentation), else with one walk and one `stat` per file.
/// An unreadable file list is an error.
pub fn staleness(manifest: &Manifest, index_dir: &Path, recent: Recent) -> Result<Staleness> {
    let trust = match recent {
        Recent::Trust => trust_from_env(),
        Recent::Recheck => Duration::ZERO,
    };
    staleness_at(manifest, index_dir, now_ms(), trust)
}

/// The trust time: `TRACUU_TRUST_MS` if it is a number of milliseconds, else [`TRUST`].
fn trust_from_env() -> Duration {
    std::env::var("TRACUU_TRUST_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .map_or(TRUST, Duration::from_millis)
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// [`staleness`] at the time `now` (ms since the epoch), trusting a quiet check for `trust`.
fn staleness_at(
    manifest: &Manifest,
    index_dir: &Path,
    now: u64,
    trust: Duration,
) -> Result<Staleness> {
    if !manifest.corpus.is_dir() {
        return Ok(Staleness {
            removed: manifest.file_count as usize,
            ..Staleness::default()
        });
    }
    if manifest.generation == 0 {
        return Ok(full_check(manifest, index_dir, &FileList::default()).0);
    }
    let corrupt = |reason: String| Error::CorruptIndex {
        path: index_dir.to_path_buf(),
        reason: format!("file list: {reason}"),
    };
    let mut record = Record::open(index_dir, manifest.generation);
    if record.trusts(now, trust) {
        return Ok(Staleness::default());
    }
    let reader = Reader::open(index_dir, manifest.generation).map_err(corrupt)?;
    let recorded = reader.dirs().map_err(corrupt)?;
    let mut quiet =
        !record.state.stale && dirs_unchanged(&manifest.corpus, &recorded, &record.state.dirs);
    if quiet {
        let chunks = reader.chunks();
        let mut pick = vec![0];
        if chunks > 1 {
            pick.push(1 + (record.cursor() % (chunks as u64 - 1)) as usize);
        }
        for i in pick {
            if !files_unchanged(&manifest.corpus, &reader.chunk(i).map_err(corrupt)?) {
                quiet = false;
                break;
            }
        }
    }
    record.state.cursor = record.state.cursor.wrapping_add(1);
    if quiet {
        record.state.quiet_at = now;
        record.save();
        return Ok(Staleness::default());
    }
    let list = load_file_list(index_dir, manifest)?;
    let (stale, seen) = full_check(manifest, index_dir, &list);
    record.state.stale = !stale.is_fresh();
    record.state.quiet_at = if stale.is_fresh() { now } else { 0 };
    if stale.is_fresh() {
        // The folders are as indexed, whatever their times say: remember the times seen.
        let mut dirs: BTreeMap<String, u64> = seen
            .iter()
            .filter(|(d, m)| list.dirs.get(*d) != Some(*m))
            .map(|(d, m)| (d.clone(), *m))
            .collect();
        for d in list.dirs.keys().filter(|d| !seen.contains_key(*d)) {
            dirs.insert(d.clone(), 0);
        }
        record.state.dirs = dirs;
    }
    record.save();
    Ok(stale)
}

/// True if every folder has the time the record (or else the file list) expects.
fn dirs_unchanged(corpus: &Path, recorded: &[(String, u64)], seen: &BTreeMap<String, u64>) -> bool {
    let expected = |d: &String, m: u64| seen.get(d).copied().unwrap_or(m);
    let in_list: HashSet<&str> = recorded.iter().map(|(d, _)| d.as_str()).collect();
    let extra = seen.iter().filter(|(d, _)| !in_list.contains(d.as_str()));
    recorded
        .iter()
        .map(|(d, m)| (d, expected(d, *m)))
        .chain(extra.map(|(d, m)| (d, *m)))
        .all(|(d, m)| dir_mtime(corpus, d) == m)
}

/// Modification time of the folder `rel` under `corpus`; 0 if it is gone or not a folder.
fn dir_mtime(corpus: &Path, rel: &str) -> u64 {
    std::fs::metadata(source::in_corpus(corpus, rel))
        .ok()
        .filter(|m| m.is_dir())
        .map_or(0, |m| mtime_ns(&m))
}

/// True if every file of `entries` has the size and time the list records.
fn files_unchanged(corpus: &Path, entries: &[Entry]) -> bool {
    entries.iter().all(|e| {
        std::fs::metadata(source::in_corpus(corpus, e.path()))
            .is_ok_and(|m| (m.len(), mtime_ns(&m)) == e.size_mtime())
    })
}

/// Walks the corpus and compares every file with `list`; also returns the folders walked.
fn full_check(
    manifest: &Manifest,
    index_dir: &Path,
    list: &FileList,
) -> (Staleness, BTreeMap<String, u64>) {
    let mut stale = Staleness::default();
    let (files, dirs) = corpus_walk(
        &manifest.corpus,
        &manifest.options,
        index_dir,
        &mut |_, _| {},
    );
    let mut seen = HashSet::new();
    for file in files {
        let rel = relative_source(&manifest.corpus, &file.path);
        let known = list.files.get(&rel).or_else(|| list.skipped.get(&rel));
        let Some(known) = known else {
            stale.added += 1;
            continue;
        };
        if list.files.contains_key(&rel) {
            seen.insert(rel.clone());
        }
        if (file.size, file.mtime_ns) != (known.size, known.mtime_ns) {
            stale.changed += 1;
        }
    }
    stale.removed = list.files.len().saturating_sub(seen.len());
    (stale, dirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quiet check is trusted for the trust time after it started, and only then: a change
    /// inside the window is reported once it is over, a clock set back checks again, and a
    /// stale result is never trusted.
    #[test]
    fn a_quiet_check_is_trusted_for_the_trust_time_and_no_longer() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let index_dir = dir.path().join("index");
        std::fs::create_dir(&corpus).unwrap();
        std::fs::write(corpus.join("a.txt"), "Alpha").unwrap();
        let mut quiet = |_: &str| {};
        let options = crate::indexer::IndexOptions::default();
        crate::indexer::build(&corpus, &index_dir, &options, &mut quiet).unwrap();
        let manifest = crate::store::TracuuIndex::open(&index_dir)
            .unwrap()
            .manifest;
        let second = Duration::from_secs(1);
        let t0 = 1_000_000_000;
        let check = |now| staleness_at(&manifest, &index_dir, now, second).unwrap();
        assert!(check(t0).is_fresh());
        std::fs::write(corpus.join("b.txt"), "Beta").unwrap();
        // Within the second after the quiet check started: trusted, not checked.
        assert!(check(t0 + 999).is_fresh());
        // A second later: checked, and the new file is found.
        assert_eq!(check(t0 + 1000).added, 1);
        // Stale is never trusted, at any time.
        assert_eq!(check(t0 + 1001).added, 1);
        std::fs::remove_file(corpus.join("b.txt")).unwrap();
        assert!(check(t0 + 2000).is_fresh());
        std::fs::write(corpus.join("c.txt"), "Gamma").unwrap();
        // A clock set back before the quiet check does not trust it.
        assert_eq!(check(t0 + 1500).added, 1);
        std::fs::remove_file(corpus.join("c.txt")).unwrap();
        assert!(check(t0 + 3000).is_fresh());
        // Without trust (`--refresh`), every call checks.
        std::fs::write(corpus.join("d.txt"), "Delta").unwrap();
        let now = staleness_at(&manifest, &index_dir, t0 + 3001, Duration::ZERO).unwrap();
        assert_eq!(now.added, 1);
    }
}
