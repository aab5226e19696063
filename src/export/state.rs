//! What an export remembers, to make the next one incremental: the index commit it exported
//! (generation, versions, corpus) and, per corpus file, its content hash and the `_id`s written
//! for it; and the plan of the next export drawn from it (pure: tested without an index).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::{FileState, Manifest};

/// The name of the state file in an export folder.
pub const STATE_FILE: &str = "tracuu-export.json";

/// The state of an export, as written after it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// The tracuu version that exported.
    pub version: String,
    /// The index format version exported.
    pub format: u32,
    /// The analysis (tokenizer) version of the tokens sent.
    pub analysis: u32,
    /// The passage-cutting version of the index exported.
    pub passages: u32,
    /// The generation of the index commit exported.
    pub generation: u64,
    /// The random number of that commit, which tells two commits of the same generation apart.
    pub commit: u64,
    /// The absolute corpus path.
    pub corpus: PathBuf,
    /// Each corpus file exported, by its source.
    pub files: BTreeMap<String, FileRecord>,
}

/// What an export wrote for one corpus file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The content hash the index had for it.
    pub hash: String,
    /// The `_id`s of its passages.
    pub ids: Vec<String>,
}

impl State {
    /// The state of an export of the commit `manifest` describes, with no files yet.
    pub fn of(manifest: &Manifest) -> State {
        State {
            version: crate::store::BUILD.to_string(),
            format: manifest.format,
            analysis: manifest.tokenizer,
            passages: manifest.passages,
            generation: manifest.generation,
            commit: manifest.commit,
            corpus: manifest.corpus.clone(),
            files: BTreeMap::new(),
        }
    }

    /// The state in `path`, or `None` when there is none.
    pub fn load(path: &Path) -> Result<Option<State>> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::Usage(format!(
                "{} cannot be read ({e}); export with --full into a new index",
                path.display()
            ))
        })
    }

    /// Writes the state to `path` durably (a temporary file renamed over it).
    pub fn save(&self, path: &Path) -> Result<()> {
        let tmp = path.with_extension("json.tmp");
        let json = serde_json::to_vec(self).map_err(Error::Json)?;
        std::fs::write(&tmp, json).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    }

    /// Every `_id` written.
    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.files.values().flat_map(|f| f.ids.iter())
    }
}

/// What an export sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The corpus files whose passages are sent; `None`: every file.
    pub send: Option<BTreeSet<String>>,
    /// The files whose passages the engine holds and that are gone, or whose passages are sent
    /// again: their old `_id`s not written again are deleted.
    pub replaced: BTreeSet<String>,
    /// The files whose records carry over unchanged.
    pub kept: BTreeSet<String>,
}

impl Plan {
    /// Whether the passages of `file` are sent.
    pub fn sends(&self, file: &str) -> bool {
        self.send.as_ref().is_none_or(|s| s.contains(file))
    }
}

/// The plan of an export of the commit `manifest` describes, whose files are `files`, after the
/// export `previous` (if any); `full` sends everything. An export of another analysis version
/// than the previous one is refused unless `full` (the engine would mix two analyses); one of
/// another corpus too. Another passage-cutting or format version sends every file again.
pub fn plan(
    previous: Option<&State>,
    manifest: &Manifest,
    files: &BTreeMap<String, FileState>,
    full: bool,
    place: &str,
) -> Result<Plan> {
    let Some(previous) = previous else {
        return Ok(everything(None));
    };
    if full {
        return Ok(everything(Some(previous)));
    }
    if previous.analysis != manifest.tokenizer {
        return Err(Error::Usage(format!(
            "{place} was exported with analysis version {}, and this index has version {}; export with --full into a new index",
            previous.analysis, manifest.tokenizer
        )));
    }
    if previous.corpus != manifest.corpus {
        return Err(Error::Usage(format!(
            "{place} holds an export of {}, not {}; export with --full into a new index",
            previous.corpus.display(),
            manifest.corpus.display()
        )));
    }
    if previous.passages != manifest.passages || previous.format != manifest.format {
        return Ok(everything(Some(previous)));
    }
    let mut send = BTreeSet::new();
    let mut replaced = BTreeSet::new();
    let mut kept = BTreeSet::new();
    for (file, state) in files {
        match previous.files.get(file) {
            Some(before) if before.hash == state.hash => {
                kept.insert(file.clone());
            }
            Some(_) => {
                send.insert(file.clone());
                replaced.insert(file.clone());
            }
            None => {
                send.insert(file.clone());
            }
        }
    }
    for file in previous.files.keys() {
        if !files.contains_key(file) {
            replaced.insert(file.clone());
        }
    }
    Ok(Plan {
        send: Some(send),
        replaced,
        kept,
    })
}

/// Send every file; what `previous` wrote and is not written again is deleted.
fn everything(previous: Option<&State>) -> Plan {
    Plan {
        send: None,
        replaced: previous.map_or_else(BTreeSet::new, |p| p.files.keys().cloned().collect()),
        kept: BTreeSet::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, FileState> {
        list.iter()
            .map(|(f, h)| {
                let state = FileState {
                    hash: h.to_string(),
                    ..FileState::default()
                };
                (f.to_string(), state)
            })
            .collect()
    }

    fn previous(manifest: &Manifest, list: &[(&str, &str)]) -> State {
        let mut s = State::of(manifest);
        for (f, h) in list {
            let record = FileRecord {
                hash: h.to_string(),
                ids: vec![format!("{f}:0")],
            };
            s.files.insert(f.to_string(), record);
        }
        s
    }

    #[test]
    fn changed_added_and_removed_files_are_planned() {
        let m = Manifest::new("/c".into());
        let before = previous(&m, &[("a", "1"), ("b", "2"), ("gone", "3")]);
        let now = files(&[("a", "1"), ("b", "20"), ("new", "4")]);
        let p = plan(Some(&before), &m, &now, false, "x").unwrap();
        let set = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(p.send, Some(set(&["b", "new"])));
        assert_eq!(p.replaced, set(&["b", "gone"]));
        assert_eq!(p.kept, set(&["a"]));
        assert!(p.sends("new") && !p.sends("a"));
    }

    #[test]
    fn first_and_full_exports_send_everything() {
        let m = Manifest::new("/c".into());
        let now = files(&[("a", "1")]);
        assert_eq!(plan(None, &m, &now, false, "x").unwrap().send, None);
        let before = previous(&m, &[("a", "1")]);
        let full = plan(Some(&before), &m, &now, true, "x").unwrap();
        assert_eq!(full.send, None);
        assert!(full.replaced.contains("a"));
    }

    #[test]
    fn another_analysis_or_corpus_is_refused_without_full() {
        let m = Manifest::new("/c".into());
        let mut before = previous(&m, &[("a", "1")]);
        before.analysis += 1;
        let now = files(&[("a", "1")]);
        let e = plan(Some(&before), &m, &now, false, "out").unwrap_err();
        assert!(e.to_string().contains("--full into a new index"), "{e}");
        assert!(plan(Some(&before), &m, &now, true, "out").is_ok());
        let mut other = previous(&m, &[("a", "1")]);
        other.corpus = "/elsewhere".into();
        assert!(plan(Some(&other), &m, &now, false, "out").is_err());
    }
}
