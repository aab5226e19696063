//! The freshness record beside an index (`tracuu-fresh.json`): what searches remember between
//! runs about the folders they found unchanged, the rotation of the chunks they check, and the
//! time of the last quiet check ([`crate::freshness`] decides with it). It is a hint: missing,
//! damaged or unwritable, it only makes the check slower.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::layout::FRESH_FILE;

/// What a search remembers between runs.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct State {
    /// The file list this record is about; a record of another generation is ignored.
    pub generation: u64,
    /// Searches so far: picks the rotating chunk.
    pub cursor: u64,
    /// Folders whose time differs from the file list's although their entries are the same as
    /// when indexed, with the time the last full check saw (0: the folder is gone).
    pub dirs: BTreeMap<String, u64>,
    /// The last full check found changes: every search checks fully until the index is updated
    /// (or the changes are undone), so that a change once reported keeps being reported.
    #[serde(default)]
    pub stale: bool,
    /// When the last check that found nothing changed started, in ms since the Unix epoch (0:
    /// none): searches within the trust time after it do not check.
    #[serde(default)]
    pub quiet_at: u64,
}

/// What is wrong with the freshness record beside the index in `dir`, if anything: it is a
/// hint, so damage only costs searches a full check, but `tracuu check` names it.
pub fn verify_record(dir: &Path) -> Option<String> {
    let bytes = std::fs::read(dir.join(FRESH_FILE)).ok()?;
    // An empty record is one a search created and could not fill: it is read as none.
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    serde_json::from_slice::<State>(&bytes)
        .err()
        .map(|_| format!("{FRESH_FILE} cannot be read as a freshness record"))
}

/// The state file, open for writing when the index folder can be written.
pub struct Record {
    file: Option<File>,
    /// What the record holds now; saved by [`Record::save`].
    pub state: State,
    loaded: State,
    /// The length of the file when it was read: a shorter record is padded to it.
    length: usize,
}

impl Record {
    /// The record beside the index in `index_dir`, as of the file list of `generation` (a
    /// record of another generation, or one that cannot be read, starts afresh).
    pub fn open(index_dir: &Path, generation: u64) -> Record {
        let path = index_dir.join(FRESH_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .ok();
        let mut file = file;
        let mut text = Vec::new();
        let read = match file.as_mut() {
            Some(f) => f.read_to_end(&mut text).is_ok(),
            None => std::fs::File::open(&path)
                .and_then(|mut f| f.read_to_end(&mut text))
                .is_ok(),
        };
        let state = read
            .then(|| serde_json::from_slice::<State>(&text).ok())
            .flatten()
            .filter(|s| s.generation == generation)
            .unwrap_or(State {
                generation,
                ..State::default()
            });
        Record {
            file,
            loaded: state.clone(),
            state,
            length: text.len(),
        }
    }

    /// True if a check that found nothing changed started at most `trust` before `now` (and
    /// not after it: a clock set back checks again). Never on an index whose record cannot be
    /// written, where the time of the last check is not kept.
    pub fn trusts(&self, now: u64, trust: Duration) -> bool {
        let trust = u64::try_from(trust.as_millis()).unwrap_or(u64::MAX);
        self.file.is_some()
            && !self.state.stale
            && self.state.quiet_at != 0
            && now >= self.state.quiet_at
            && now - self.state.quiet_at < trust
    }

    /// The place of the rotation: the count of searches, or the clock where it cannot be kept.
    pub fn cursor(&self) -> u64 {
        match self.file {
            Some(_) => self.state.cursor,
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_micros() as u64),
        }
    }

    /// Writes the state back, best effort (a concurrent search may write it too; either wins).
    ///
    /// The record is overwritten in place, padded with spaces (JSON allows them after the
    /// value) to the length it had, never truncated: on ext4, a file truncated to nothing and
    /// written again is flushed to disk when it is closed (`auto_da_alloc`), which made every
    /// search wait for the disk.
    pub fn save(mut self) {
        if self.state == self.loaded {
            return;
        }
        if let Some(f) = self.file.as_mut() {
            let Ok(mut json) = serde_json::to_vec(&self.state) else {
                return;
            };
            if json.len() < self.length {
                json.resize(self.length, b' ');
            }
            let _ = f.rewind().and_then(|()| f.write_all(&json));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_round_trips_and_ignores_another_generation() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Record::open(dir.path(), 3);
        assert_eq!(r.state.cursor, 0);
        r.state.cursor = 7;
        r.state.dirs.insert("a".into(), 5);
        r.save();
        let r = Record::open(dir.path(), 3);
        assert_eq!(r.state.cursor, 7);
        assert_eq!(r.state.dirs.get("a"), Some(&5));
        assert_eq!(
            Record::open(dir.path(), 4).state,
            State {
                generation: 4,
                ..State::default()
            }
        );
        // A shorter record overwrites a longer one in place, and still reads back.
        let mut r = Record::open(dir.path(), 3);
        r.state.dirs.clear();
        r.state.cursor = 8;
        let before = std::fs::metadata(dir.path().join(FRESH_FILE))
            .unwrap()
            .len();
        r.save();
        assert_eq!(
            std::fs::metadata(dir.path().join(FRESH_FILE))
                .unwrap()
                .len(),
            before
        );
        let r = Record::open(dir.path(), 3);
        assert_eq!((r.state.cursor, r.state.dirs.len()), (8, 0));
        std::fs::write(dir.path().join(FRESH_FILE), "{damaged").unwrap();
        assert_eq!(Record::open(dir.path(), 3).state.cursor, 0);
    }
}
