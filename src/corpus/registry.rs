//! Where indexes live and which corpora exist: one index per corpus in the user's data directory
//! (`$TRACUU_HOME`, else `$XDG_DATA_HOME/tracuu`, else `~/.local/share/tracuu`), named after the
//! corpus's canonical path, never inside the corpus; the corpus that holds a folder; and the
//! watcher's lock that keeps other indexing runs off an index it keeps fresh.
//!
//! The registry is the `indexes/` folder itself: a corpus is registered when its index exists
//! there, and the index's manifest says which corpus it holds. No second list can drift from it.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use fs4::fs_std::FileExt;

use crate::error::{Error, Result};
use crate::store::{self, TracuuIndex};

/// The environment variable that overrides the data directory.
pub const HOME_VAR: &str = "TRACUU_HOME";
/// The folder of indexes under the data directory.
const INDEXES: &str = "indexes";
/// The folder of watcher locks under the data directory.
const WATCHERS: &str = "watch";
/// How many characters of the readable part an index's folder name keeps.
const SLUG_CHARS: usize = 48;

/// tracuu's data directory: `$TRACUU_HOME`, else `$XDG_DATA_HOME/tracuu`, else
/// `$HOME/.local/share/tracuu`. Relative values are ignored, as the XDG specification says.
pub fn data_dir() -> Result<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(home) = var(HOME_VAR) {
        return Ok(home);
    }
    if let Some(data) = var("XDG_DATA_HOME") {
        return Ok(data.join("tracuu"));
    }
    if let Some(home) = var("HOME") {
        return Ok(home.join(".local/share/tracuu"));
    }
    Err(Error::Usage(format!(
        "cannot tell where to keep indexes: set {HOME_VAR} (or HOME) to an absolute path, or pass --index DIR"
    )))
}

/// The folder that holds (or will hold) the index of the corpus at `corpus`, an absolute path
/// (canonical when the corpus exists): `<data>/indexes/<readable>-<hash>`.
pub fn index_dir_for(corpus: &Path) -> Result<PathBuf> {
    Ok(data_dir()?.join(INDEXES).join(index_name(corpus)))
}

/// The folder name of a corpus's index: the tail of its path made readable, and a hash of the
/// whole path, so two corpora never share a name. `/usr/share/doc/maint-guide-vi` ->
/// `usr-share-doc-maint-guide-vi-1a2b3c4d5e6f7a8b`.
pub fn index_name(corpus: &Path) -> String {
    let mut slug = String::new();
    for c in corpus.to_string_lossy().chars() {
        let c = if c.is_alphanumeric() || c == '.' || c == '_' {
            c
        } else {
            '-'
        };
        if c == '-' && (slug.is_empty() || slug.ends_with('-')) {
            continue;
        }
        slug.push(c);
    }
    let slug = slug.trim_matches(|c| c == '-' || c == '.');
    let chars: Vec<char> = slug.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(SLUG_CHARS)..]
        .iter()
        .collect();
    let tail = tail.trim_start_matches(['-', '.']);
    let tail = if tail.is_empty() { "root" } else { tail };
    format!(
        "{tail}-{:016x}",
        xxhash_rust::xxh3::xxh3_64(&store::source::path_bytes(corpus))
    )
}

/// `path` made absolute without touching the disk: joined to the working directory, `.` and `..`
/// resolved by name. For a corpus that may no longer exist.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The canonical path of `path` if it exists, else its [`absolute`] form.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path))
}

/// A registered corpus: its root and the folder of its index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corpus {
    /// The corpus root, as its index's manifest names it.
    pub path: PathBuf,
    /// The index folder.
    pub index: PathBuf,
}

impl Corpus {
    /// True if the corpus folder is still there.
    pub fn exists(&self) -> bool {
        self.path.is_dir()
    }
}

/// Every registered corpus, sorted by path: each index that records its corpus, readable or
/// not (a search of a damaged one says how to repair it). An index that names no corpus (a first
/// run still going, or interrupted) is left out here; `status` reports it.
pub fn registered() -> Result<Vec<Corpus>> {
    let mut all: Vec<Corpus> = index_dirs()?
        .into_iter()
        .filter_map(|dir| {
            Some(Corpus {
                path: store::recorded_corpus(&dir)?,
                index: dir,
            })
        })
        .collect();
    all.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(all)
}

/// The index folders in the data directory (committed or not).
pub fn index_dirs() -> Result<Vec<PathBuf>> {
    let root = data_dir()?.join(INDEXES);
    let entries = match std::fs::read_dir(&root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&root, e)),
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// The registered corpus at `path` exactly, if any.
pub fn lookup(path: &Path) -> Result<Option<Corpus>> {
    let canonical = canonical(path);
    for candidate in [canonical.clone(), absolute(path)] {
        let dir = index_dir_for(&candidate)?;
        if store::exists(&dir) {
            let corpus = TracuuIndex::open(&dir)
                .map(|idx| idx.manifest.corpus)
                .unwrap_or(candidate);
            return Ok(Some(Corpus {
                path: corpus,
                index: dir,
            }));
        }
    }
    // An index named otherwise (a corpus path with a symbolic link that has since changed).
    Ok(registered()?
        .into_iter()
        .find(|c| c.path == canonical || c.path == absolute(path)))
}

/// The registered corpus that holds `dir` (the deepest one when corpora nest), if any: the way
/// git finds the repository of the working directory.
pub fn containing(dir: &Path) -> Result<Option<Corpus>> {
    let dir = canonical(dir);
    for ancestor in dir.ancestors() {
        let index = index_dir_for(ancestor)?;
        if store::exists(&index) {
            return Ok(Some(Corpus {
                path: ancestor.to_path_buf(),
                index,
            }));
        }
    }
    Ok(None)
}

/// The registered corpus at `path` or an error that says how to index it.
pub fn require(path: &Path) -> Result<Corpus> {
    lookup(path)?.ok_or_else(|| {
        Error::Usage(format!(
            "{} is not indexed; index it with `tracuu index {}`, or see `tracuu list`",
            path.display(),
            path.display()
        ))
    })
}

/// Removes the registered corpus at `path` from the registry: deletes its index (never the
/// corpus). Returns what was removed.
pub fn forget(path: &Path) -> Result<Corpus> {
    let corpus = require(path)?;
    if let Some(w) = watcher_of(&corpus.index) {
        return Err(Error::Watched {
            index: corpus.index.clone(),
            pid: w.pid,
            corpus: w.corpus,
        });
    }
    // Under the writer lock, so no indexing run is disturbed halfway.
    let lock = store::lock_writer(&corpus.index)?;
    let removed = remove_index_files(&corpus.index);
    drop(lock);
    removed?;
    std::fs::remove_dir_all(&corpus.index).map_err(|e| Error::io(&corpus.index, e))?;
    Ok(corpus)
}

/// Deletes everything in an index folder but its lock files (held by us while this runs).
fn remove_index_files(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".lock") {
            continue;
        }
        let path = entry.path();
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// A running `tracuu index --watch`, as its lock file tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watcher {
    /// Its process id.
    pub pid: u32,
    /// The corpus it watches.
    pub corpus: PathBuf,
}

/// The lock file of a watcher of the index in `index_dir`: in the data directory, named after
/// the index folder (any index, also one given with `--index`).
fn watch_lock_path(index_dir: &Path) -> Result<PathBuf> {
    let dir = canonical(index_dir);
    Ok(data_dir()?.join(WATCHERS).join(format!(
        "{:016x}.lock",
        xxhash_rust::xxh3::xxh3_64(&store::source::path_bytes(&dir))
    )))
}

/// The watcher holding the index in `index_dir`, if one runs.
pub fn watcher_of(index_dir: &Path) -> Option<Watcher> {
    let path = watch_lock_path(index_dir).ok()?;
    let mut file = File::open(&path).ok()?;
    // Free to take: nobody holds it (a watcher that died releases its lock).
    if FileExt::try_lock_shared(&file).ok()? {
        let _ = FileExt::unlock(&file);
        return None;
    }
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    let (pid, corpus) = text.trim_end_matches('\n').split_once('\t')?;
    Some(Watcher {
        pid: pid.parse().ok()?,
        corpus: PathBuf::from(corpus),
    })
}

/// Fails with [`Error::Watched`] if a watcher keeps the index in `index_dir`: an indexing run
/// beside it would only race it.
pub fn check_not_watched(index_dir: &Path) -> Result<()> {
    match watcher_of(index_dir) {
        Some(w) => Err(Error::Watched {
            index: index_dir.to_path_buf(),
            pid: w.pid,
            corpus: w.corpus,
        }),
        None => Ok(()),
    }
}

/// The watcher's claim on an index, held while it runs; released when dropped (or when the
/// process dies).
pub struct WatchLock {
    file: File,
    path: PathBuf,
}

impl WatchLock {
    /// Claims the index in `index_dir` for a watcher of `corpus`, or fails naming the watcher
    /// that has it.
    pub fn acquire(index_dir: &Path, corpus: &Path) -> Result<Self> {
        let path = watch_lock_path(index_dir)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        if !FileExt::try_lock_exclusive(&file).map_err(|e| Error::io(&path, e))? {
            drop(file);
            return Err(match watcher_of(index_dir) {
                Some(w) => Error::Watched {
                    index: index_dir.to_path_buf(),
                    pid: w.pid,
                    corpus: w.corpus,
                },
                None => Error::IndexLocked(index_dir.to_path_buf()),
            });
        }
        let mut lock = WatchLock { file, path };
        lock.file.set_len(0).map_err(|e| Error::io(&lock.path, e))?;
        let line = format!("{}\t{}\n", std::process::id(), corpus.display());
        lock.file
            .write_all(line.as_bytes())
            .and_then(|()| lock.file.flush())
            .map_err(|e| Error::io(&lock.path, e))?;
        Ok(lock)
    }
}

impl Drop for WatchLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        // The file stays: removing it could let a second watcher lock a file already unlinked.
        let _ = FileExt::unlock(&self.file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_names_are_readable_and_distinct() {
        let a = index_name(Path::new("/usr/share/doc/maint-guide-vi"));
        assert!(a.starts_with("usr-share-doc-maint-guide-vi-"), "{a}");
        assert_eq!(a.len(), "usr-share-doc-maint-guide-vi-".len() + 16);
        // Paths that read the same still get their own folder.
        let b = index_name(Path::new("/usr/share/doc/maint guide vi"));
        assert_ne!(a, b);
        assert!(index_name(Path::new("/")).starts_with("root-"));
        let long = index_name(Path::new(&format!("/home/{}/notes", "x".repeat(200))));
        assert!(long.len() <= SLUG_CHARS + 17, "{long}");
        assert!(long.contains("notes-"), "{long}");
    }

    #[test]
    fn absolute_resolves_dots_by_name() {
        assert_eq!(
            absolute(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }
}
