//! Opening an index safely: [`TracuuIndex`] opened (checking that this build can read it),
//! created, or recovered after a killed run (orphan files removed), its damage named, and a
//! panic inside tantivy contained.

use std::io;
use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::directory::{DirectoryLock, INDEX_WRITER_LOCK, META_LOCK};
use tantivy::schema::Field;
use tantivy::{
    Directory, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyError,
};

use super::directory::TracuuDirectory;
use super::filelist::{load_file_list, FileList};
use super::layout::{self, CORPUS_FILE};
use super::manifest::{save_corpus_file, Manifest};
use super::schema::{register_tokenizers, schema, Fields};
use crate::error::{self, Error, Result};

/// An open index with its fields and manifest.
pub struct TracuuIndex {
    /// The tantivy index, tokenizers registered.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// Its folder.
    pub dir: PathBuf,
    /// What it holds, as of the last commit.
    pub manifest: Manifest,
}

impl TracuuIndex {
    /// Opens the index in `dir`, checking that this build can read it.
    ///
    /// An index that a first indexing run created but never committed (it was interrupted) is
    /// reported as no index at all.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_with(dir, false)
    }

    /// Opens the index in `dir` to update it: an index created but never committed opens
    /// empty, ready to be filled.
    pub fn open_for_update(dir: &Path) -> Result<Self> {
        Self::open_with(dir, true)
    }

    fn open_with(dir: &Path, uncommitted_ok: bool) -> Result<Self> {
        if !dir.exists() || !layout::exists(dir) {
            return Err(
                if dir.is_dir() && !layout::is_empty_dir(dir)? && !layout::only_leftovers(dir)? {
                    Error::NotAnIndex(dir.to_path_buf())
                } else {
                    Error::NoIndex(dir.to_path_buf())
                },
            );
        }
        let corrupt = |reason: String| Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason,
        };
        let unreadable = |e: TantivyError| match error::io_error_of(&e) {
            Some(io) if error::is_permission(io) => Error::IndexNotReadable {
                path: dir.to_path_buf(),
                reason: io.to_string(),
            },
            _ => corrupt(error::describe(&e)),
        };
        let index = Index::open(TracuuDirectory::open(dir)?).map_err(unreadable)?;
        register_tokenizers(&index);
        let metas = index.load_metas().map_err(unreadable)?;
        let manifest: Manifest = match metas.payload.as_deref() {
            Some(p) => Manifest::from_payload(p).map_err(|e| corrupt(format!("manifest: {e}")))?,
            // Created, never committed: a first run that was interrupted.
            None if metas.segments.is_empty() && uncommitted_ok => Manifest::new(PathBuf::new()),
            None if metas.segments.is_empty() => return Err(Error::NoIndex(dir.to_path_buf())),
            None => Manifest::default(),
        };
        let (schema, fields) = schema();
        if !manifest.is_readable() || index.schema() != schema {
            return Err(Error::IncompatibleIndex {
                path: dir.to_path_buf(),
                found: manifest.versions(),
                expected: Manifest::new(PathBuf::new()).versions(),
            });
        }
        Ok(TracuuIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// Creates a new, empty index in `dir` (which must be empty or absent).
    pub fn create(dir: &Path, corpus: PathBuf) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = schema();
        let directory = TracuuDirectory::open(dir)?;
        let index =
            Index::create(directory, schema, IndexSettings::default()).map_err(|e| match e {
                TantivyError::IndexAlreadyExists => Error::NotAnIndex(dir.to_path_buf()),
                other => Error::from_tantivy_at(dir, other),
            })?;
        register_tokenizers(&index);
        // Named before the first commit, so that a first run interrupted is resumed from the
        // same corpus by `tracuu index --index DIR`.
        save_corpus_file(dir, &corpus).map_err(|e| Error::io(dir.join(CORPUS_FILE), e))?;
        Ok(TracuuIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            manifest: Manifest::new(corpus),
        })
    }

    /// The file list of the commit this index was opened at (read from its own file).
    pub fn file_list(&self) -> Result<FileList> {
        load_file_list(&self.dir, &self.manifest)
    }

    /// The manifest of the last commit, read again (another run may have committed since this
    /// index was opened); `None` for an index created but never committed.
    pub fn live_manifest(&self) -> Result<Option<Manifest>> {
        let metas = self
            .index
            .load_metas()
            .map_err(|e| Error::from_tantivy_at(&self.dir, e))?;
        metas
            .payload
            .as_deref()
            .map(|p| {
                Manifest::from_payload(p).map_err(|e| Error::CorruptIndex {
                    path: self.dir.clone(),
                    reason: format!("manifest: {e}"),
                })
            })
            .transpose()
    }

    /// A reader of the last commit. It takes no write lock, so a read-only index can be read.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| match error::io_error_of(&e) {
                Some(io) if error::is_permission(io) => Error::IndexNotReadable {
                    path: self.dir.clone(),
                    reason: io.to_string(),
                },
                _ => Error::CorruptIndex {
                    path: self.dir.clone(),
                    reason: error::describe(&e),
                },
            })
    }

    /// Removes what a killed or failed run left behind: files tantivy wrote for a commit that
    /// never happened (segments, deletes, temporary files), whether or not tantivy still lists
    /// them, so that a new writer can never collide with an orphan file or lack the space it
    /// holds. File lists ([`crate::store::filelist`]) other than the last commit's and the one before
    /// it go too. `writer` proves the writer lock is held: no other process writes meanwhile.
    /// Returns the names of the files removed.
    pub fn remove_orphans(&self, writer: &IndexWriter) -> Result<Vec<String>> {
        let at = |e| Error::from_tantivy_at(&self.dir, e);
        // tantivy's own collection first: it also updates its list of managed files. On a full
        // disk saving that list can fail after the files are gone; the sweep below still runs.
        let _ = writer.garbage_collect_files().wait();
        let metas = self.index.load_metas().map_err(at)?;
        let living = metas.list_segment_files();
        // The lists to keep; none is removed when the payload cannot be read.
        let live_lists: Option<[u64; 2]> = match metas.payload.as_deref() {
            None => Some([0, 0]),
            Some(p) => Manifest::from_payload(p)
                .ok()
                .map(|m| [m.generation, m.generation.saturating_sub(1)]),
        };
        // Readers open segment files under this lock; hold it while deleting.
        let _meta_lock = self
            .index
            .directory()
            .acquire_lock(&META_LOCK)
            .map_err(|e| at(TantivyError::LockFailure(e, None)))?;
        let mut removed = Vec::new();
        for entry in std::fs::read_dir(&self.dir).map_err(|e| Error::io(&self.dir, e))? {
            let entry = entry.map_err(|e| Error::io(&self.dir, e))?;
            let name = entry.file_name();
            let Some(text) = name.to_str() else { continue };
            let old_list = layout::list_generation(text)
                .is_some_and(|g| live_lists.is_some_and(|keep| !keep.contains(&g)));
            let orphan = (layout::is_segment_file(text) && !living.contains(Path::new(text)))
                || layout::is_temp(text)
                || old_list;
            if orphan && entry.file_type().is_ok_and(|t| t.is_file()) {
                match std::fs::remove_file(entry.path()) {
                    Ok(()) => removed.push(text.to_string()),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io(entry.path(), e)),
                }
            }
        }
        Ok(removed)
    }

    /// The files of the last commit whose checksum fails (or that cannot be read), sorted.
    pub fn damaged_files(&self) -> Result<Vec<String>> {
        let damaged = self
            .index
            .validate_checksum()
            .map_err(|e| Error::DamagedIndex {
                path: self.dir.clone(),
                damage: error::describe(&e),
            })?;
        let mut names: Vec<String> = damaged
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        // validate_checksum skips files tantivy does not list as its own; a missing one is damage too.
        let metas = self
            .index
            .load_metas()
            .map_err(|e| Error::from_tantivy_at(&self.dir, e))?;
        for seg in &metas.segments {
            for file in required_files(seg) {
                if !self.dir.join(&file).exists() {
                    names.push(format!("{} (missing)", file.display()));
                }
            }
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// An error naming the damaged files, if there are any.
    pub fn check_damage(&self) -> Result<()> {
        let damaged = self.damaged_files()?;
        if damaged.is_empty() {
            return Ok(());
        }
        Err(Error::DamagedIndex {
            path: self.dir.clone(),
            damage: damage_summary(&damaged),
        })
    }
}

/// Runs `f`, which reads the index in `dir`, turning a panic inside it (tantivy panics on some
/// damaged files instead of returning an error) into [`Error::DamagedIndex`], whose message
/// says how to repair that index.
pub fn contain<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        Err(Error::DamagedIndex {
            path: dir.to_path_buf(),
            damage: format!("reading it failed: {}", error::clean(&what)),
        })
    })
}

/// The sources (paths relative to the corpus) that have passages in `searcher`'s segments, read
/// from the term dictionary of the `source` field.
pub fn indexed_sources(
    searcher: &tantivy::Searcher,
    source: Field,
) -> tantivy::Result<std::collections::BTreeSet<String>> {
    let mut out = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(source)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            if let Ok(s) = std::str::from_utf8(terms.key()) {
                out.insert(s.to_string());
            }
        }
    }
    Ok(out)
}

/// Takes the writer lock of the index in `dir` without opening the index (which may be
/// unreadable), for work that must not overlap a run in progress. Released when dropped.
pub fn lock_writer(dir: &Path) -> Result<DirectoryLock> {
    TracuuDirectory::open(dir)?
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|e| match e {
            LockError::LockBusy => Error::IndexLocked(dir.to_path_buf()),
            other => Error::from_tantivy_at(dir, TantivyError::LockFailure(other, None)),
        })
}

/// A few words naming damaged files: "2 files fail their checksum: a.idx, b.pos".
pub fn damage_summary(files: &[String]) -> String {
    let shown: Vec<&str> = files.iter().take(3).map(String::as_str).collect();
    let more = if files.len() > 3 {
        format!(" and {} more", files.len() - 3)
    } else {
        String::new()
    };
    let n = files.len();
    let s = if n == 1 {
        "file fails its"
    } else {
        "files fail their"
    };
    format!("{n} {s} checksum: {}{more}", shown.join(", "))
}

/// Files a committed segment cannot do without (optional components may be absent).
fn required_files(seg: &tantivy::SegmentMeta) -> Vec<PathBuf> {
    use tantivy::index::SegmentComponent as C;
    let mut files: Vec<PathBuf> = [C::Postings, C::Terms, C::Store, C::FieldNorms]
        .into_iter()
        .map(|c| seg.relative_path(c))
        .collect();
    if seg.has_deletes() {
        files.push(seg.relative_path(C::Delete));
    }
    files
}
