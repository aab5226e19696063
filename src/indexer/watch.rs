//! `tracuu index DIR --watch`: keeps an index fresh while files change. The file system's change
//! notices (the notify crate: inotify, FSEvents, kqueue, ReadDirectoryChangesW) only say *that*
//! something changed; each quiet period then ends in one run of the incremental indexer, which
//! compares the corpus with the manifest and commits once. So a save by rename, a folder moved
//! away or a burst of thousands of files (even one that overflows the kernel's queue) all come
//! down to the same update as a `tracuu index` by hand.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};

use crate::corpus::registry::WatchLock;
use crate::error::{Error, Result};
use crate::indexer::{self, IndexOptions, IndexReport, Observer};

/// Runs of the indexer in a row that may fail before the watch gives up.
const MAX_FAILURES: usize = 5;

/// How a watcher batches changes.
#[derive(Clone, Copy, Debug)]
pub struct WatchOptions {
    /// Commit once no change came for this long.
    pub quiet: Duration,
    /// Commit at least this often while changes keep coming.
    pub max_delay: Duration,
    /// How often the stop flag is read.
    pub poll: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            quiet: Duration::from_millis(500),
            max_delay: Duration::from_secs(5),
            poll: Duration::from_millis(50),
        }
    }
}

/// Indexes `corpus` into `index_dir`, then keeps the index fresh until `stop` is set, returning
/// after the last commit. Holds the watcher lock all along, so `tracuu index` on the same index
/// fails naming this watcher. `on_update` hears of every run of the indexer (the first one too).
pub fn watch(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    watch: &WatchOptions,
    stop: &AtomicBool,
    observer: &mut dyn Observer,
    on_update: &mut dyn FnMut(&IndexReport),
) -> Result<()> {
    let root = crate::corpus::walk::check_corpus(corpus)?;
    let _lock = WatchLock::acquire(index_dir, &root)?;
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .map_err(|e| notify_error(&root, e))?;
    // Watching starts before the first run, so nothing changed during it is missed.
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| notify_error(&root, e))?;
    let index_abs = std::fs::canonicalize(index_dir).unwrap_or_else(|_| index_dir.to_path_buf());
    let relevant = |event: &notify::Result<notify::Event>| match event {
        // An error (the kernel's queue overflowed, a folder could not be watched): look again.
        Err(_) => true,
        Ok(e) => {
            let reading = matches!(
                e.kind,
                EventKind::Access(AccessKind::Open(_) | AccessKind::Read)
                    | EventKind::Access(AccessKind::Close(AccessMode::Read))
            );
            // The indexer's own writes, when the index lives inside the corpus.
            let own = !e.paths.is_empty() && e.paths.iter().all(|p| p.starts_with(&index_abs));
            !reading && !own
        }
    };

    let mut update = |first: bool, observer: &mut dyn Observer| -> Result<()> {
        let options = IndexOptions {
            rebuild: first && options.rebuild,
            ..options.clone()
        };
        let report = indexer::build(&root, index_dir, &options, observer)?;
        on_update(&report);
        Ok(())
    };
    update(true, observer)?;

    let mut pending: Option<(Instant, Instant)> = None; // (first, last) change not yet indexed
    let mut failures = 0;
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(watch.poll) {
            Ok(event) => {
                if relevant(&event) {
                    let now = Instant::now();
                    pending = Some((pending.map_or(now, |(first, _)| first), now));
                }
                continue_draining(&rx, &mut pending, &relevant);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        let Some((first, last)) = pending else {
            continue;
        };
        if last.elapsed() < watch.quiet && first.elapsed() < watch.max_delay {
            continue;
        }
        pending = None;
        if !root.is_dir() {
            return Err(Error::NoCorpus(root.clone()));
        }
        // A failed run (a file system error, another writer) is tried again after a while;
        // only one that keeps failing ends the watch.
        match update(false, observer) {
            Ok(()) => failures = 0,
            Err(e) if failures + 1 < MAX_FAILURES => {
                failures += 1;
                observer.warning(&format!("could not update the index ({e}); trying again"));
                let later = Instant::now() + watch.quiet * 4;
                pending = Some((later, later));
            }
            Err(e) => return Err(e),
        }
    }
    // Stopped: one last run commits whatever changed before the stop, noticed or not yet.
    if root.is_dir() {
        update(false, observer)?;
    }
    Ok(())
}

/// Takes every notice already queued, without waiting.
fn continue_draining(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    pending: &mut Option<(Instant, Instant)>,
    relevant: &dyn Fn(&notify::Result<notify::Event>) -> bool,
) {
    while let Ok(event) = rx.try_recv() {
        if relevant(&event) {
            let now = Instant::now();
            *pending = Some((pending.map_or(now, |(first, _)| first), now));
        }
    }
}

fn notify_error(root: &Path, e: notify::Error) -> Error {
    let hint = match &e.kind {
        notify::ErrorKind::MaxFilesWatch => {
            " (the system's limit of watched folders; raise fs.inotify.max_user_watches)"
        }
        _ => "",
    };
    Error::io(
        PathBuf::from(root),
        std::io::Error::other(format!("cannot watch for changes: {e}{hint}")),
    )
}
