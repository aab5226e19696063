//! The names of the files inside an index folder, tantivy's and tracuu's: the one place that
//! says what a name is, so that recovery, cleaning, checking and freshness agree on them.

use std::ffi::OsStr;
use std::path::Path;

use crate::error::{Error, Result};

/// tantivy's list of segments and the commit payload ([`crate::store::Manifest`]).
pub const META_FILE: &str = "meta.json";
/// tantivy's list of the files it manages.
pub const MANAGED_FILE: &str = ".managed.json";
/// The file beside the index that holds its ranking statistics ([`crate::store::stats`]).
pub const STATS_FILE: &str = "tracuu-stats.json";
/// The file beside the index that records the last freshness check ([`crate::store::fresh`]).
pub const FRESH_FILE: &str = "tracuu-fresh.json";
/// The file beside the index that names its corpus (the path's bytes), so that an index whose
/// `meta.json` is damaged can still be rebuilt from its own corpus.
pub const CORPUS_FILE: &str = "tracuu-corpus";
/// Prefix of a file list's name ([`crate::store::filelist`]); the generation follows.
pub const LIST_PREFIX: &str = "tracuu-files.";
/// Prefix of a file list being written (removed as an orphan if a run dies).
pub const LIST_TMP_PREFIX: &str = ".tmptracuu-files.";

/// The name of the file list of generation `generation`.
pub fn list_name(generation: u64) -> String {
    format!("{LIST_PREFIX}{generation}")
}

/// The name of the file list of generation `generation` while it is written.
pub fn list_tmp_name(generation: u64) -> String {
    format!("{LIST_TMP_PREFIX}{generation}")
}

/// The generation of a file list's name (`tracuu-files.7` is 7).
pub fn list_generation(name: &str) -> Option<u64> {
    let digits = name.strip_prefix(LIST_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The name under which one of tracuu's own files (`name`) is written before it is renamed.
pub fn tmp_name(name: &str) -> String {
    format!("{name}.tmp")
}

/// True for one of tantivy's lock files (`.tantivy-writer.lock`, `.tantivy-meta.lock`).
pub fn is_lock(name: &str) -> bool {
    name.starts_with(".tantivy-") && name.ends_with(".lock")
}

/// True for a temporary file a run that dies leaves: tantivy's, a file list's, or one of
/// tracuu's own files before its rename ([`tmp_name`]).
pub fn is_temp(name: &str) -> bool {
    let own = name
        .strip_suffix(".tmp")
        .is_some_and(|file| [STATS_FILE, FRESH_FILE, CORPUS_FILE].contains(&file));
    name.starts_with(".tmp") || own
}

/// True for a file name tantivy gives a segment's files: 32 hex digits, a dot, an extension.
pub fn is_segment_file(name: &str) -> bool {
    let Some((id, ext)) = name.split_once('.') else {
        return false;
    };
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) && !ext.is_empty()
}

/// True for the files a repository keeps in an empty index folder; they are never index files.
pub fn is_placeholder(name: &OsStr) -> bool {
    matches!(
        name.to_str(),
        Some(".gitignore") | Some(".gitkeep") | Some("README.md")
    )
}

/// True for a file a first run leaves when it dies before its index exists: lock files, its list
/// of files, tracuu's own files, temporary and segment files.
fn is_leftover(name: &str) -> bool {
    name == MANAGED_FILE
        || name == STATS_FILE
        || name == FRESH_FILE
        || name == CORPUS_FILE
        || list_generation(name).is_some()
        || is_lock(name)
        || is_temp(name)
        || is_segment_file(name)
}

/// True if `dir` holds a tantivy index (a `meta.json`).
pub fn exists(dir: &Path) -> bool {
    dir.join(META_FILE).is_file()
}

/// True if `dir` has no entries other than the placeholders a repository keeps in an empty
/// index folder (`.gitignore`, `.gitkeep`, `README.md`).
pub fn is_empty_dir(dir: &Path) -> Result<bool> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if !is_placeholder(&entry.file_name()) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// True if `dir` holds nothing but placeholders and files tantivy leaves when a first run dies
/// before its index exists (lock files, its list of files, temporary and segment files).
pub fn only_leftovers(dir: &Path) -> Result<bool> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let leftover = name.to_str().is_some_and(is_leftover);
        if !(leftover || is_placeholder(&name)) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_files_are_recognised_by_name() {
        assert!(is_segment_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(is_segment_file(
            "0123456789abcdef0123456789abcdef.80190.del"
        ));
        assert!(!is_segment_file("meta.json"));
        assert!(!is_segment_file(".managed.json"));
        assert!(!is_segment_file("README.md"));
    }

    #[test]
    fn file_lists_are_named_by_generation() {
        assert_eq!(list_name(12), "tracuu-files.12");
        assert_eq!(list_generation("tracuu-files.12"), Some(12));
        assert_eq!(list_generation("tracuu-files."), None);
        assert_eq!(list_generation("tracuu-files.x"), None);
        assert_eq!(list_generation(&list_tmp_name(3)), None);
        assert!(is_temp(&list_tmp_name(3)));
    }

    #[test]
    fn leftovers_are_tantivys_and_tracuus_files_only() {
        for name in [
            ".tantivy-writer.lock",
            ".tantivy-meta.lock",
            ".managed.json",
            ".tmp1234",
            "tracuu-files.3",
            "tracuu-corpus",
            "tracuu-corpus.tmp",
            "tracuu-stats.json.tmp",
        ] {
            assert!(is_leftover(name), "{name}");
        }
        for name in [
            "notes.txt",
            "meta.json",
            "README.md",
            ".tantivy-x",
            "notes.tmp",
        ] {
            assert!(!is_leftover(name), "{name}");
        }
    }
}
