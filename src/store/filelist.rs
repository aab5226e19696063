//! The file list of an index: what it knows of each corpus file (size, modification time, hash,
//! passages) and of each corpus folder (modification time), stored beside the index in its own
//! file so that opening the index for a search never parses it.
//!
//! Each commit names its list by a generation number in its payload ([`crate::store::Manifest`]):
//! `tracuu-files.G`. The indexer writes and fsyncs the list before the commit that names it, and
//! removes older generations after it (keeping the one before, which a search that read the
//! previous commit may still be opening); a run that dies in between leaves an orphan list that
//! the next run removes. So the list in force always changes atomically with the documents.
//!
//! The file is read in pieces, so that the freshness check reads a few kilobytes however large
//! the corpus: a first line `tracuu-files 1`, a second line holding a JSON header (entry counts
//! and, for the folder list and each chunk of entries, its offset after the header, length and
//! xxh3 checksum), then the pieces, each a JSON array. Entries are ordered newest first (by
//! modification time), [`CHUNK`] to a chunk, so the first chunk holds the files most recently
//! changed when the index was built.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::layout::{list_generation, list_name, list_tmp_name, LIST_TMP_PREFIX};
use super::manifest::{FileState, Manifest};
use crate::error::{Error, Result};
use crate::failpoint;

/// Entries per chunk: what the freshness check stats on each search is two chunks.
pub const CHUNK: usize = 256;
const MAGIC: &[u8] = b"tracuu-files 1\n";

/// What the index knows of the corpus, as of one commit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileList {
    /// One entry per indexed file, by path relative to the corpus root.
    pub files: BTreeMap<String, FileState>,
    /// Files seen but not indexed (binary, not UTF-8, unreadable), so that they do not look new.
    pub skipped: BTreeMap<String, FileState>,
    /// Modification time (ns since the Unix epoch) of each folder walked, by path relative to the
    /// corpus root (`""` for the root), read before its entries were listed.
    pub dirs: BTreeMap<String, u64>,
}

/// One entry of a chunk: path, size, mtime (ns), hash, passages, skipped. For a skipped file
/// (which has no hash), the hash slot holds its [`FileState::skip_reason`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry(
    pub String,
    pub u64,
    pub u64,
    pub String,
    pub u64,
    #[serde(default)] pub bool,
);

impl Entry {
    /// Path relative to the corpus root.
    pub fn path(&self) -> &str {
        &self.0
    }
    /// Size and modification time when indexed.
    pub fn size_mtime(&self) -> (u64, u64) {
        (self.1, self.2)
    }
}

/// Offset (after the header), length and xxh3 of one piece.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Piece(u64, u64, u64);

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Header {
    files: u64,
    skipped: u64,
    dirs: Piece,
    chunks: Vec<Piece>,
}

impl FileList {
    /// Total passages across files.
    pub fn passages(&self) -> u64 {
        self.files.values().map(|f| f.passages).sum()
    }

    /// Writes the list as generation `generation` in `dir`, durably: a temporary file, fsynced,
    /// renamed, and the folder fsynced. Passes the fail point `write`.
    pub fn write(&self, dir: &Path, generation: u64) -> io::Result<()> {
        failpoint::hit("write")?;
        let bytes = self.to_bytes();
        let tmp = dir.join(list_tmp_name(generation));
        let mut file = File::create(&tmp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, dir.join(list_name(generation)))?;
        File::open(dir)?.sync_all()
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut entries: Vec<Entry> = self
            .files
            .iter()
            .map(|(p, s)| (p, s, false))
            .chain(self.skipped.iter().map(|(p, s)| (p, s, true)))
            .map(|(p, s, skipped)| {
                Entry(
                    p.clone(),
                    s.size,
                    s.mtime_ns,
                    if skipped {
                        s.skip_reason.clone()
                    } else {
                        s.hash.clone()
                    },
                    s.passages,
                    skipped,
                )
            })
            .collect();
        // Newest first, so that the first chunk holds what was changed last.
        entries.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        let mut body = Vec::new();
        let mut piece = |json: Vec<u8>| {
            let p = Piece(
                body.len() as u64,
                json.len() as u64,
                xxhash_rust::xxh3::xxh3_64(&json),
            );
            body.extend_from_slice(&json);
            p
        };
        let dirs: Vec<(&String, &u64)> = self.dirs.iter().collect();
        let dirs = piece(serde_json::to_vec(&dirs).expect("strings and numbers"));
        let chunks = entries
            .chunks(CHUNK)
            .map(|c| piece(serde_json::to_vec(c).expect("strings and numbers")))
            .collect();
        let header = Header {
            files: self.files.len() as u64,
            skipped: self.skipped.len() as u64,
            dirs,
            chunks,
        };
        let mut out = MAGIC.to_vec();
        serde_json::to_writer(&mut out, &header).expect("numbers");
        out.push(b'\n');
        out.extend_from_slice(&body);
        out
    }

    /// Reads the whole list of generation `generation` in `dir`; the error is a reason.
    pub fn load(dir: &Path, generation: u64) -> std::result::Result<FileList, String> {
        let reader = Reader::open(dir, generation)?;
        let mut list = FileList {
            dirs: reader.dirs()?.into_iter().collect(),
            ..FileList::default()
        };
        for i in 0..reader.chunks() {
            for Entry(path, size, mtime_ns, hash, passages, skipped) in reader.chunk(i)? {
                let mut state = FileState {
                    size,
                    mtime_ns,
                    passages,
                    ..FileState::default()
                };
                if skipped {
                    state.skip_reason = hash;
                    list.skipped.insert(path, state);
                } else {
                    state.hash = hash;
                    list.files.insert(path, state);
                }
            }
        }
        if list.files.len() as u64 != reader.header.files
            || list.skipped.len() as u64 != reader.header.skipped
        {
            return Err(format!("{}: entry counts disagree", reader.path.display()));
        }
        Ok(list)
    }
}

/// The file list that `manifest` names, in the index folder `dir`.
pub fn load_file_list(dir: &Path, manifest: &Manifest) -> Result<FileList> {
    if manifest.generation == 0 {
        return Ok(FileList::default());
    }
    let list = FileList::load(dir, manifest.generation).map_err(|reason| Error::CorruptIndex {
        path: dir.to_path_buf(),
        reason: format!("file list: {reason}"),
    })?;
    if list.files.len() as u64 != manifest.file_count || list.passages() != manifest.passage_count {
        return Err(Error::CorruptIndex {
            path: dir.to_path_buf(),
            reason: "the file list disagrees with the manifest".into(),
        });
    }
    Ok(list)
}

/// A file list opened to be read in pieces.
pub struct Reader {
    file: File,
    path: PathBuf,
    header: Header,
    base: u64,
}

impl Reader {
    /// Opens the list of generation `generation` in `dir` and reads its header.
    pub fn open(dir: &Path, generation: u64) -> std::result::Result<Reader, String> {
        let path = dir.join(list_name(generation));
        let bad = |why: &str| format!("{}: {why}", path.display());
        let file = File::open(&path).map_err(|e| bad(&e.to_string()))?;
        let len = file.metadata().map_err(|e| bad(&e.to_string()))?.len();
        // The header is small: read a first block, and more only if its line is longer.
        let mut want = 16 * 1024u64;
        let head = loop {
            let buf = read_at(&file, 0, want.min(len)).map_err(|e| bad(&e.to_string()))?;
            if !buf.starts_with(MAGIC) {
                return Err(bad("not a tracuu file list"));
            }
            if let Some(nl) = buf[MAGIC.len()..].iter().position(|&b| b == b'\n') {
                break buf[..MAGIC.len() + nl + 1].to_vec();
            }
            if want >= len {
                return Err(bad("truncated header"));
            }
            want *= 4;
        };
        let header: Header = serde_json::from_slice(&head[MAGIC.len()..])
            .map_err(|e| bad(&format!("header: {e}")))?;
        let base = head.len() as u64;
        let fits = |p: &Piece| base.checked_add(p.0).and_then(|s| s.checked_add(p.1)) <= Some(len);
        if !fits(&header.dirs) || !header.chunks.iter().all(fits) {
            return Err(bad("truncated"));
        }
        Ok(Reader {
            file,
            path,
            header,
            base,
        })
    }

    /// Files and skipped files listed.
    pub fn entries(&self) -> u64 {
        self.header.files + self.header.skipped
    }

    /// The number of chunks.
    pub fn chunks(&self) -> usize {
        self.header.chunks.len()
    }

    /// The folders and their modification times.
    pub fn dirs(&self) -> std::result::Result<Vec<(String, u64)>, String> {
        self.piece(self.header.dirs)
    }

    /// The entries of chunk `i` (0 holds the newest files).
    pub fn chunk(&self, i: usize) -> std::result::Result<Vec<Entry>, String> {
        match self.header.chunks.get(i) {
            Some(&p) => self.piece(p),
            None => Ok(Vec::new()),
        }
    }

    fn piece<T: serde::de::DeserializeOwned>(&self, p: Piece) -> std::result::Result<T, String> {
        let bad = |why: &str| format!("{}: {why}", self.path.display());
        let bytes = read_at(&self.file, self.base + p.0, p.1).map_err(|e| bad(&e.to_string()))?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != p.2 {
            return Err(bad("fails its checksum"));
        }
        serde_json::from_slice(&bytes).map_err(|e| bad(&e.to_string()))
    }
}

#[cfg(unix)]
fn read_at(file: &File, offset: u64, len: u64) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut buf = vec![0; len as usize];
    file.read_exact_at(&mut buf, offset)?;
    Ok(buf)
}

#[cfg(not(unix))]
fn read_at(file: &File, offset: u64, len: u64) -> io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    let mut buf = vec![0; len as usize];
    f.read_exact(&mut buf)?;
    Ok(buf)
}

/// Removes the file lists in `dir` other than generations `keep` (and what a run left while
/// writing one); returns the names removed. Best effort for files that vanish meanwhile.
pub fn remove_other_generations(dir: &Path, keep: &[u64]) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let stale = name.starts_with(LIST_TMP_PREFIX)
            || list_generation(name).is_some_and(|g| !keep.contains(&g));
        if stale {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed.push(name.to_string()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(size: u64, mtime_ns: u64, passages: u64) -> FileState {
        FileState {
            size,
            mtime_ns,
            hash: format!("{size:016x}"),
            passages,
            ..FileState::default()
        }
    }

    fn seen(size: u64, mtime_ns: u64) -> FileState {
        FileState {
            size,
            mtime_ns,
            ..FileState::default()
        }
    }

    #[test]
    fn a_list_round_trips_in_chunks_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut list = FileList::default();
        for i in 0..(CHUNK as u64 * 2 + 5) {
            list.files
                .insert(format!("d{}/f\n{i}.txt", i % 3), state(i, 1000 + i, i % 7));
        }
        let binary = FileState {
            skip_reason: "binary file".into(),
            ..seen(3, 5_000_000)
        };
        list.skipped.insert("bin/\u{0}ffx".into(), binary);
        list.skipped.insert("unreadable".into(), seen(4, 7));
        list.dirs.insert(String::new(), 42);
        list.dirs.insert("d1".into(), 43);
        list.write(dir.path(), 3).unwrap();
        assert_eq!(FileList::load(dir.path(), 3).unwrap(), list);
        let reader = Reader::open(dir.path(), 3).unwrap();
        assert_eq!(reader.chunks(), 3);
        assert_eq!(reader.entries(), CHUNK as u64 * 2 + 7);
        let first = reader.chunk(0).unwrap();
        assert_eq!(first[0].path(), "bin/\u{0}ffx");
        assert!(first.windows(2).all(|w| w[0].2 >= w[1].2));
        assert!(reader.chunk(3).unwrap().is_empty());
        assert!(FileList::load(dir.path(), 4).is_err());
    }

    #[test]
    fn a_damaged_list_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut list = FileList::default();
        list.files.insert("a.txt".into(), state(1, 2, 3));
        list.dirs.insert(String::new(), 9);
        list.write(dir.path(), 1).unwrap();
        let path = dir.path().join(list_name(1));
        let bytes = std::fs::read(&path).unwrap();
        for at in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[at] ^= 0x04;
            std::fs::write(&path, &bad).unwrap();
            if let Ok(read) = FileList::load(dir.path(), 1) {
                // Only a flip the JSON header does not depend on can pass.
                assert_eq!(read, list, "flip at {at} read as another list");
            }
        }
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(FileList::load(dir.path(), 1).is_err());
    }

    #[test]
    fn other_generations_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        for g in 1..=4 {
            FileList::default().write(dir.path(), g).unwrap();
        }
        std::fs::write(dir.path().join(list_tmp_name(5)), "x").unwrap();
        std::fs::write(dir.path().join("tracuu-files.x"), "x").unwrap();
        let mut removed = remove_other_generations(dir.path(), &[3, 4]).unwrap();
        removed.sort();
        assert_eq!(
            removed,
            [".tmptracuu-files.5", "tracuu-files.1", "tracuu-files.2"]
        );
        assert!(dir.path().join("tracuu-files.x").exists());
    }
}
