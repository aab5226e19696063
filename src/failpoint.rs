//! Fail points: named places in indexing where a debug build can be told to pause, abort or fail,
//! so that tests interrupt a run at an exact moment instead of racing it. Compiled to nothing in
//! release builds.
//!
//! `TRACUU_FAILPOINT` holds one or more rules separated by commas, each `NAME[:N]:ACTION`: the
//! rule fires from the `N`th time (default 1) the run reaches the fail point `NAME`. Actions:
//!
//! - `pause`: write the fail point's name to the file named by `TRACUU_FAILPOINT_MARKER` (if
//!   set), then sleep until killed, so a test knows the run is there before it signals it;
//! - `wait`: write the marker file, then wait until the test removes it, and go on: a test can
//!   run something else at that exact moment;
//! - `abort`: `std::process::abort()`, like `kill -9` at that instant;
//! - `panic`: panic there (the finder must restore the terminal first);
//! - `enospc`, `eio`: the operation at the fail point fails with that I/O error.
//!
//! Fail points: `before-lock` (an update has read the last commit's file list, and is about to
//! take the writer lock), `after-lock` (the writer lock is held, old files cleaned up), `read` (before each
//! corpus file is read), `after-add` (after each passage is added), `before-commit` (before the
//! commit is prepared), `after-prepare` (between prepare and commit, before the file list is
//! written), `after-list` (the file list written and synced, not yet committed), `after-commit` (committed,
//! merges may still run), `write` (each file the index opens for writing), `finder-key` (each key
//! or paste the finder handles).
//!
//! For example `TRACUU_FAILPOINT=before-commit:pause`, `after-add:3:abort`, `write:enospc`.

use std::io;

/// The environment variable holding the rules.
pub const ENV: &str = "TRACUU_FAILPOINT";
/// The environment variable naming the marker file a paused run writes.
pub const MARKER_ENV: &str = "TRACUU_FAILPOINT_MARKER";

/// Reaches the fail point `name`: returns the injected error if a rule says so, pauses or
/// aborts if a rule says so, else does nothing. In release builds it always returns `Ok`.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn hit(_name: &str) -> io::Result<()> {
    Ok(())
}

/// Reaches the fail point `name`: returns the injected error if a rule says so, pauses or
/// aborts if a rule says so, else does nothing. In release builds it always returns `Ok`.
#[cfg(debug_assertions)]
pub fn hit(name: &str) -> io::Result<()> {
    active::hit(name)
}

/// What a rule does when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Write the marker file, then sleep until killed.
    Pause,
    /// Write the marker file, then wait until it is removed.
    Wait,
    /// Abort the process at once.
    Abort,
    /// Panic.
    Panic,
    /// Fail with "no space left on device".
    Enospc,
    /// Fail with an I/O error.
    Eio,
}

/// One rule of `TRACUU_FAILPOINT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The fail point.
    pub name: String,
    /// Fires from this hit on (1-based).
    pub from: u64,
    /// What it does.
    pub action: Action,
}

/// Parses `TRACUU_FAILPOINT`; malformed rules are ignored (this is a test hook, not a user
/// interface).
pub fn parse(spec: &str) -> Vec<Rule> {
    spec.split(',')
        .filter_map(|rule| {
            let parts: Vec<&str> = rule.trim().split(':').collect();
            let (name, from, action) = match parts.as_slice() {
                [name, action] => (*name, 1, *action),
                [name, n, action] => (*name, n.parse().ok()?, *action),
                _ => return None,
            };
            let action = match action {
                "pause" => Action::Pause,
                "wait" => Action::Wait,
                "abort" => Action::Abort,
                "panic" => Action::Panic,
                "enospc" => Action::Enospc,
                "eio" => Action::Eio,
                _ => return None,
            };
            (!name.is_empty()).then(|| Rule {
                name: name.to_string(),
                from: from.max(1),
                action,
            })
        })
        .collect()
}

#[cfg(debug_assertions)]
mod active {
    use std::collections::HashMap;
    use std::io;
    use std::sync::{Mutex, OnceLock};

    use super::{parse, Action, Rule, ENV, MARKER_ENV};

    fn rules() -> &'static [Rule] {
        static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
        RULES.get_or_init(|| std::env::var(ENV).map_or_else(|_| Vec::new(), |s| parse(&s)))
    }

    pub(super) fn hit(name: &str) -> io::Result<()> {
        let rules = rules();
        if rules.is_empty() {
            return Ok(());
        }
        static COUNTS: Mutex<Option<HashMap<String, u64>>> = Mutex::new(None);
        let count = {
            let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
            let n = counts
                .get_or_insert_with(HashMap::new)
                .entry(name.to_string())
                .or_insert(0);
            *n += 1;
            *n
        };
        let Some(rule) = rules.iter().find(|r| r.name == name && count >= r.from) else {
            return Ok(());
        };
        let marker = std::env::var_os(MARKER_ENV).map(std::path::PathBuf::from);
        let mark = || {
            if let Some(marker) = &marker {
                // Written whole, then renamed, so a test never reads half a marker.
                let tmp = marker.with_extension("part");
                let _ = std::fs::write(&tmp, name);
                let _ = std::fs::rename(&tmp, marker);
            }
        };
        match rule.action {
            Action::Pause => {
                mark();
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                }
            }
            Action::Wait => {
                mark();
                while marker.as_ref().is_some_and(|m| m.exists()) {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Ok(())
            }
            Action::Abort => std::process::abort(),
            Action::Panic => panic!("fail point {name}"),
            Action::Enospc => Err(io::Error::from_raw_os_error(28)),
            Action::Eio => Err(io::Error::from_raw_os_error(5)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_with_and_without_a_count() {
        assert_eq!(
            parse("before-commit:pause, after-add:3:abort,write:enospc,bad,x:y:eio,read:0:eio,before-lock:wait"),
            vec![
                Rule {
                    name: "before-commit".into(),
                    from: 1,
                    action: Action::Pause
                },
                Rule {
                    name: "after-add".into(),
                    from: 3,
                    action: Action::Abort
                },
                Rule {
                    name: "write".into(),
                    from: 1,
                    action: Action::Enospc
                },
                Rule {
                    name: "read".into(),
                    from: 1,
                    action: Action::Eio
                },
                Rule {
                    name: "before-lock".into(),
                    from: 1,
                    action: Action::Wait
                },
            ]
        );
    }

    #[test]
    fn an_unset_fail_point_does_nothing() {
        assert!(hit("no-such-fail-point").is_ok());
    }
}
