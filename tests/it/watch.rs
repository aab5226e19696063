//! `tracuu index DIR --watch`: created, edited, renamed, saved-by-rename and deleted files and a
//! folder moved away all reach the index; a burst of files too; the watcher holds the index
//! against other runs and stops cleanly on Ctrl-C with everything committed. Waits poll with a
//! generous deadline: how fast it is gets measured elsewhere, not asserted.

use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{assert_contains, decode, stderr, Env};

const DEADLINE: Duration = Duration::from_secs(60);

/// A watcher running on `corpus/` of a temp dir.
struct Watching {
    env: Env,
    child: Child,
}

impl Watching {
    fn start() -> Self {
        Self::start_after(&[])
    }

    /// [`Watching::start`], the corpus indexed first with `index corpus` and `options`.
    fn start_after(options: &[&str]) -> Self {
        let env = Env::new();
        std::fs::create_dir_all(env.path().join("corpus")).unwrap();
        std::fs::write(env.path().join("corpus/first.txt"), "alpha beginning").unwrap();
        if !options.is_empty() {
            let out = env.run(&[&["index", "corpus", "--quiet"], options].concat());
            assert!(out.status.success(), "{}", stderr(&out));
        }
        let child = env
            .command(&["index", "corpus", "--watch", "--delay", "100"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let w = Watching { env, child };
        // `list` says fresh once the index has its first commit.
        let committed = || {
            String::from_utf8(w.env.run(&["list", "--json"]).stdout)
                .unwrap()
                .contains("\"state\":\"fresh\"")
        };
        w.wait_for("the first run", committed);
        w.wait_for("the first run", || w.files("alpha") == ["first.txt"]);
        w
    }

    fn corpus(&self) -> PathBuf {
        self.env.path().join("corpus")
    }

    /// The files (relative to the corpus) with a passage matching `query`, searched from inside
    /// the corpus.
    fn files(&self, query: &str) -> Vec<String> {
        let out = self
            .env
            .command(&["search", "--files", "--no-correct", "--", query])
            .current_dir(self.corpus())
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
        let mut files: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        files.sort();
        files
    }

    fn wait_for(&self, what: &str, done: impl Fn() -> bool) {
        let started = Instant::now();
        while !done() {
            assert!(
                started.elapsed() < DEADLINE,
                "{what}: not indexed after {DEADLINE:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.corpus().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit status.
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) on our own child's process id.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < DEADLINE, "the watcher ignored Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn created_edited_renamed_and_deleted_files_reach_the_index() {
    let mut w = Watching::start();

    w.write("notes/new.txt", "bravo created");
    w.wait_for("a created file", || w.files("bravo") == ["notes/new.txt"]);

    w.write("first.txt", "charlie edited");
    w.wait_for("an edit", || w.files("charlie") == ["first.txt"]);
    assert!(w.files("alpha").is_empty(), "the old text is still found");

    std::fs::rename(
        w.corpus().join("notes/new.txt"),
        w.corpus().join("notes/renamed.txt"),
    )
    .unwrap();
    w.wait_for("a rename", || w.files("bravo") == ["notes/renamed.txt"]);

    // An editor's save: write a temporary file, rename it over the original.
    w.write(".first.txt.swp", "delta saved by rename");
    std::fs::rename(
        w.corpus().join(".first.txt.swp"),
        w.corpus().join("first.txt"),
    )
    .unwrap();
    w.wait_for("a save by rename", || w.files("delta") == ["first.txt"]);
    assert!(w.files("charlie").is_empty());

    std::fs::remove_file(w.corpus().join("notes/renamed.txt")).unwrap();
    w.wait_for("a deletion", || w.files("bravo").is_empty());

    // A folder moved out of the corpus, then a new one in its place.
    w.write("sub/deep/x.txt", "echo inside a folder");
    w.wait_for("a new folder", || w.files("echo") == ["sub/deep/x.txt"]);
    std::fs::rename(w.corpus().join("sub"), w.env.path().join("moved-away")).unwrap();
    w.wait_for("a folder moved away", || w.files("echo").is_empty());
    w.write("sub/y.txt", "foxtrot after the move");
    w.wait_for("a folder made again", || {
        w.files("foxtrot") == ["sub/y.txt"]
    });

    // The watcher holds the index: another run exits 2 naming it; list shows it.
    let out = w.env.run(&["index", "corpus"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("--watch") && err.contains(&w.child.id().to_string()),
        "{err}"
    );
    let out = w.env.run(&["list", "--json"]);
    let listed = String::from_utf8(out.stdout).unwrap();
    assert_contains(&listed, &format!("\"watcher\":{}", w.child.id()));

    // Ctrl-C right after a change: it is committed before the watcher exits.
    w.write("last.txt", "golf written before ctrl-c");
    let status = w.interrupt();
    assert_eq!(status.code(), Some(0), "{status}");
    assert_eq!(w.files("golf"), ["last.txt"]);
    let out = w.env.run(&["index", "corpus", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_burst_of_files_is_indexed_in_full() {
    let w = Watching::start();
    let n = 1000;
    for i in 0..n {
        w.write(
            &format!("burst/{}/f{i}.txt", i % 10),
            &format!("hotel number{i} burst"),
        );
    }
    let count = |query: &str| {
        let out = w
            .env
            .command(&["search", "--count", "--corpus", "corpus", query])
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .trim()
            .parse::<usize>()
            .unwrap_or(0)
    };
    w.wait_for("a burst of 1000 files", || count("hotel") == n);
    assert_eq!(w.files("number999"), ["burst/9/f999.txt"]);
}

/// A watcher started without `--encoding` on an index built with one reads new files in it.
#[test]
fn a_watcher_keeps_the_encoding_the_index_was_built_with() {
    let w = Watching::start_after(&["--encoding", "windows-1258"]);
    let latin1: Vec<u8> = "Zebrafinch crème brûlée.\n"
        .chars()
        .map(|c| c as u32 as u8)
        .collect();
    std::fs::write(w.corpus().join("c.txt"), latin1).unwrap();
    w.wait_for("a new file", || w.files("zebrafinch") == ["c.txt"]);
    let out = w
        .env
        .command(&["search", "--json", "--", "zebrafinch"])
        .current_dir(w.corpus())
        .output()
        .unwrap();
    let hits = decode(&out);
    assert_eq!(hits.len(), 1, "{}", stderr(&out));
    assert_eq!(hits[0].encoding, "windows-1258");
}
