//! What a run does with each file of the corpus, decided from what the commit it builds on knew
//! of it: kept unchanged (by size and modification time, or by content hash once read), skipped
//! again unread, or read and indexed. Pure: every outcome is tested without an index.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::IndexOptions;
use crate::extract::Skip;
use crate::passage;
use crate::store::filelist::FileList;
use crate::store::{FileState, Manifest};

/// True if a run with `options` over `corpus` walks the corpus as the commit of `m` did (and is
/// no rebuild).
pub(super) fn same_walk(m: &Manifest, corpus: &Path, options: &IndexOptions) -> bool {
    !options.rebuild && m.corpus == corpus && m.options == options.read
}

/// True if such a run keeps the unchanged files of the commit of `m`: it walks the corpus and
/// cuts passages as that commit did.
pub(super) fn builds_on(m: &Manifest, corpus: &Path, options: &IndexOptions) -> bool {
    same_walk(m, corpus, options) && m.passages == passage::VERSION
}

/// What the commit a run builds on knew of the corpus (nothing, for a run that indexes every
/// file).
#[derive(Clone, Debug, Default)]
pub(super) struct Previous {
    /// Its indexed files, by source.
    pub files: BTreeMap<String, FileState>,
    /// The files it skipped, by source; empty unless the same build made the commit (another
    /// version's extractors may read what this one's skipped, so its skips are retried).
    pub skipped: BTreeMap<String, FileState>,
}

/// What to do with a walked file before reading it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Before<'p> {
    /// Unchanged by size and modification time: its entry is kept as it is.
    Unchanged(&'p FileState),
    /// Skipped by the last run for what it holds, and unchanged since: skipped again, unread
    /// and unwarned.
    SkippedAgain(&'p FileState),
    /// Read it; its entry in the last commit, if it was indexed.
    Read(Option<&'p FileState>),
}

/// What to do with a file once its bytes are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum After {
    /// The content indexed before (only touched): this entry, with the new size and time.
    Unchanged(FileState),
    /// New or changed content: index it, replacing its passages if it was indexed.
    Index {
        /// It was indexed: its passages are deleted first.
        replaces: bool,
    },
}

impl Previous {
    /// What `list` knows, with its skips kept if `same_build` made it.
    pub(super) fn new(list: FileList, same_build: bool) -> Self {
        Previous {
            files: list.files,
            skipped: if same_build {
                list.skipped
            } else {
                BTreeMap::new()
            },
        }
    }

    /// What to do with the walked file `rel`, of `size` bytes, modified at `mtime_ns`.
    pub(super) fn before_reading(&self, rel: &str, size: u64, mtime_ns: u64) -> Before<'_> {
        let same = |s: &&FileState| s.size == size && s.mtime_ns == mtime_ns;
        let indexed = self.files.get(rel);
        if let Some(state) = indexed.filter(same) {
            return Before::Unchanged(state);
        }
        let lasting = self.skipped.get(rel).filter(|s| !s.skip_reason.is_empty());
        if let Some(state) = lasting.filter(same) {
            return Before::SkippedAgain(state);
        }
        Before::Read(indexed)
    }

    /// The indexed files that the walk did not `seen`: gone, so their passages go too.
    pub(super) fn removed<'a>(
        &'a self,
        seen: &'a HashSet<String>,
    ) -> impl Iterator<Item = &'a String> + 'a {
        self.files.keys().filter(|rel| !seen.contains(*rel))
    }
}

/// What to do with a file whose content hashes to `hash`, given its entry in the last commit.
pub(super) fn after_reading(
    indexed: Option<&FileState>,
    size: u64,
    mtime_ns: u64,
    hash: &str,
) -> After {
    match indexed {
        Some(state) if state.hash == hash => After::Unchanged(FileState {
            size,
            mtime_ns,
            ..state.clone()
        }),
        _ => After::Index {
            replaces: indexed.is_some(),
        },
    }
}

/// The content hash an entry records: xxh3, in hex.
pub(super) fn content_hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// The entry of a file indexed as `passages` passages.
pub(super) fn indexed(size: u64, mtime_ns: u64, hash: String, passages: u64) -> FileState {
    FileState {
        size,
        mtime_ns,
        hash,
        passages,
        ..FileState::default()
    }
}

/// The entry of a file seen but not read (it could not be): retried by the next run.
pub(super) fn unreadable(size: u64, mtime_ns: u64) -> FileState {
    FileState {
        size,
        mtime_ns,
        ..FileState::default()
    }
}

/// The entry of a file skipped for what it holds: the reason is remembered when it holds for as
/// long as the file is unchanged, and not for too much text or a timeout, which a later run (with
/// a higher limit, or less load) may get past.
pub(super) fn skipped(size: u64, mtime_ns: u64, reason: &Skip) -> FileState {
    let lasting = !matches!(reason, Skip::TooLarge { .. } | Skip::Timeout { .. });
    FileState {
        skip_reason: if lasting {
            reason.to_string()
        } else {
            String::new()
        },
        ..unreadable(size, mtime_ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn previous() -> Previous {
        let mut list = FileList::default();
        list.files
            .insert("a.txt".into(), indexed(10, 100, content_hash(b"a"), 2));
        list.skipped
            .insert("bin.dat".into(), skipped(20, 200, &Skip::Binary));
        list.skipped
            .insert("locked.txt".into(), unreadable(30, 300));
        list.skipped.insert(
            "huge.pdf".into(),
            skipped(40, 400, &Skip::TooLarge { limit: 1 << 20 }),
        );
        Previous::new(list, true)
    }

    #[test]
    fn a_file_unchanged_by_size_and_time_is_kept_unread() {
        let p = previous();
        let state = &p.files["a.txt"];
        assert_eq!(p.before_reading("a.txt", 10, 100), Before::Unchanged(state));
        assert_eq!(
            p.before_reading("a.txt", 11, 100),
            Before::Read(Some(state))
        );
        assert_eq!(
            p.before_reading("a.txt", 10, 101),
            Before::Read(Some(state))
        );
        assert_eq!(p.before_reading("new.txt", 10, 100), Before::Read(None));
    }

    #[test]
    fn a_lasting_skip_is_repeated_unread_until_the_file_changes() {
        let p = previous();
        let binary = &p.skipped["bin.dat"];
        assert_eq!(
            p.before_reading("bin.dat", 20, 200),
            Before::SkippedAgain(binary)
        );
        assert_eq!(p.before_reading("bin.dat", 20, 201), Before::Read(None));
        // Unreadable, or too much text: retried.
        assert_eq!(p.before_reading("locked.txt", 30, 300), Before::Read(None));
        assert_eq!(p.before_reading("huge.pdf", 40, 400), Before::Read(None));
    }

    #[test]
    fn another_builds_skips_are_retried() {
        let mut list = FileList::default();
        list.skipped
            .insert("bin.dat".into(), skipped(20, 200, &Skip::Binary));
        let p = Previous::new(list, false);
        assert_eq!(p.before_reading("bin.dat", 20, 200), Before::Read(None));
    }

    #[test]
    fn once_read_the_hash_decides() {
        let p = previous();
        let state = &p.files["a.txt"];
        let touched = after_reading(Some(state), 10, 150, &content_hash(b"a"));
        assert_eq!(
            touched,
            After::Unchanged(FileState {
                mtime_ns: 150,
                ..state.clone()
            })
        );
        let changed = after_reading(Some(state), 10, 150, &content_hash(b"b"));
        assert_eq!(changed, After::Index { replaces: true });
        let new = after_reading(None, 10, 150, &content_hash(b"a"));
        assert_eq!(new, After::Index { replaces: false });
    }

    #[test]
    fn only_lasting_skips_keep_their_reason() {
        assert_eq!(
            skipped(1, 2, &Skip::Binary).skip_reason,
            Skip::Binary.to_string()
        );
        let too_large = Skip::TooLarge { limit: 1 << 20 };
        assert_eq!(skipped(1, 2, &too_large), unreadable(1, 2));
        assert_eq!(content_hash(b"a").len(), 16);
    }

    #[test]
    fn files_not_walked_are_removed() {
        let p = previous();
        let seen: HashSet<String> = HashSet::new();
        assert_eq!(p.removed(&seen).collect::<Vec<_>>(), ["a.txt"]);
        let seen: HashSet<String> = ["a.txt".to_string()].into();
        assert_eq!(p.removed(&seen).count(), 0);
    }

    #[test]
    fn a_run_builds_on_a_commit_of_the_same_walk_and_passages() {
        let corpus = PathBuf::from("/c");
        let m = Manifest::new(corpus.clone());
        let options = IndexOptions::default();
        assert!(builds_on(&m, &corpus, &options));
        assert!(!builds_on(&m, Path::new("/d"), &options));
        let rebuild = IndexOptions {
            rebuild: true,
            ..IndexOptions::default()
        };
        assert!(!builds_on(&m, &corpus, &rebuild));
        let mut hidden = IndexOptions::default();
        hidden.read.hidden = true;
        assert!(!same_walk(&m, &corpus, &hidden));
        let older = Manifest {
            passages: passage::VERSION.wrapping_sub(1),
            ..m
        };
        assert!(same_walk(&older, &corpus, &options));
        assert!(!builds_on(&older, &corpus, &options));
    }
}
