//! `tracuu list`: the status of every index in the data directory ([`crate::corpus::registry`]):
//! its corpus, size and last update, whether a watcher keeps it fresh, and, checked as a
//! search checks, whether its corpus changed since.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{staleness, Recent};
use crate::corpus::registry::{index_dirs, watcher_of};
use crate::error::{Error, Result};
use crate::store::{self, layout, TracuuIndex};

/// Whether a corpus's index matches its folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Nothing changed since the last update.
    Fresh,
    /// Files were added, changed or removed since.
    Stale,
    /// The corpus folder is gone.
    Missing,
    /// The index cannot be read.
    Broken,
    /// No commit yet: a first `tracuu index` runs, or was interrupted.
    Unfinished,
}

/// One line of `tracuu list`.
#[derive(Clone, Debug)]
pub struct Status {
    /// The corpus root.
    pub path: PathBuf,
    /// The index folder.
    pub index: PathBuf,
    /// Files indexed.
    pub files: usize,
    /// Passages indexed.
    pub passages: u64,
    /// Bytes the index takes on disk.
    pub bytes: u64,
    /// When the index was last committed, in seconds since the Unix epoch.
    pub updated: Option<u64>,
    /// Fresh, stale, missing or broken.
    pub state: State,
    /// Files added, changed and removed since the last update (0 unless stale).
    pub added: usize,
    /// Files changed since the last update.
    pub changed: usize,
    /// Indexed files gone since the last update.
    pub removed: usize,
    /// The process id of a `tracuu index --watch` keeping it fresh, if one runs.
    pub watcher: Option<u32>,
}

/// The status of every index in the data directory, sorted by corpus path; `check` compares each
/// corpus with its index (one walk each, one `stat` per file).
pub fn status(check: bool) -> Result<Vec<Status>> {
    let mut all: Vec<Status> = index_dirs()?
        .into_iter()
        .map(|dir| status_of(dir, check))
        .collect();
    all.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.index.cmp(&b.index)));
    Ok(all)
}

/// The status of the index in `dir`, its corpus compared with it if `check`.
fn status_of(dir: PathBuf, check: bool) -> Status {
    let bytes = dir_size(&dir);
    let updated = std::fs::metadata(dir.join(layout::META_FILE))
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|d| d.as_secs());
    let watcher = watcher_of(&dir).map(|w| w.pid);
    // Opened as a search opens it: the segments' files too, not only the manifest.
    let opened = store::contain(&dir, || {
        let idx = TracuuIndex::open(&dir)?;
        idx.reader()?;
        Ok(idx)
    });
    let blank = |path, state| Status {
        path,
        index: dir.clone(),
        files: 0,
        passages: 0,
        bytes,
        updated,
        state,
        added: 0,
        changed: 0,
        removed: 0,
        watcher,
    };
    let idx = match opened {
        Ok(idx) => idx,
        Err(e) => {
            let state = match e {
                Error::NoIndex(_) => State::Unfinished,
                _ => State::Broken,
            };
            return blank(store::recorded_corpus(&dir).unwrap_or_default(), state);
        }
    };
    let m = &idx.manifest;
    let mut status = Status {
        files: usize::try_from(m.file_count).unwrap_or(usize::MAX),
        passages: m.passage_count,
        ..blank(m.corpus.clone(), State::Fresh)
    };
    if !m.corpus.is_dir() {
        status.state = State::Missing;
    } else if check {
        match staleness(m, &dir, Recent::Recheck) {
            Ok(stale) if !stale.is_fresh() => {
                status.state = State::Stale;
                (status.added, status.changed, status.removed) =
                    (stale.added, stale.changed, stale.removed);
            }
            Ok(_) => {}
            Err(_) => status.state = State::Broken,
        }
    }
    status
}

/// Bytes of the regular files under `dir`.
fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}
