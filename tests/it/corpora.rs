//! Indexes per corpus in the data directory (`TRACUU_HOME`, inside each test's temp dir): search
//! from inside a corpus and from elsewhere, several corpora ranked as one index over all of them
//! would rank, `list` and `forget`.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::{
    assert_contains, assert_one_clean_error_line, copy_dir, decode, seeds, stderr, stdout, Env,
    JsonHit,
};
use serde::Deserialize;

/// One line of `tracuu list --json`, as the README documents it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    path: PathBuf,
    index: PathBuf,
    files: usize,
    passages: u64,
    bytes: u64,
    updated: Option<u64>,
    state: String,
    added: usize,
    changed: usize,
    removed: usize,
    watcher: Option<u32>,
}

/// Runs the binary with `args` in `dir` (under the temp dir or elsewhere).
fn run_in(env: &Env, dir: &Path, args: &[&str]) -> Output {
    let mut cmd = env.command(args);
    cmd.current_dir(dir);
    cmd.output().expect("run tracuu")
}

/// `search --json` in `dir`; the hits and the output.
pub(crate) fn search_in(
    env: &Env,
    dir: &Path,
    query: &str,
    extra: &[&str],
) -> (Vec<JsonHit>, Output) {
    let mut args = vec!["search", "--json", "--limit", "400"];
    args.extend(extra);
    args.extend(["--", query]);
    let out = run_in(env, dir, &args);
    (decode(&out), out)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn index(env: &Env, dir: &Path, corpus: &str) {
    let out = run_in(env, dir, &["index", corpus, "--quiet"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "index {corpus}: {}",
        stderr(&out)
    );
}

fn list(env: &Env) -> Vec<Listed> {
    let out = env.run(&["list", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// Two corpora, `notes/` and `reports/`, sharing the word "quarterly", and a folder elsewhere.
fn two_corpora() -> Env {
    let env = Env::new();
    let root = env.path();
    write(
        &root.join("notes/a.txt"),
        "Quarterly notes on the harbour at Cam Ranh.",
    );
    write(
        &root.join("notes/deep/b.txt"),
        "Notebook of quarterly plans.",
    );
    write(
        &root.join("reports/r.txt"),
        "The quarterly report on rice exports.",
    );
    std::fs::create_dir_all(root.join("elsewhere")).unwrap();
    index(&env, root, "notes");
    index(&env, root, "reports");
    env
}

/// The files of `hits` as absolute paths, resolving relative ones against `cwd`.
fn files(hits: &[JsonHit], cwd: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = hits
        .iter()
        .map(|h| {
            if h.path.is_absolute() {
                h.path.clone()
            } else {
                cwd.join(&h.path)
            }
        })
        .collect();
    files.sort();
    files.dedup();
    files
}

#[test]
fn an_index_lives_in_the_data_directory_never_in_the_corpus() {
    let env = two_corpora();
    let root = env.path().canonicalize().unwrap();
    let notes: Vec<_> = std::fs::read_dir(root.join("notes")).unwrap().collect();
    assert_eq!(notes.len(), 2, "the corpus folder gained files");
    assert!(!root.join("index").exists(), "the demo index was written");
    let listed = list(&env);
    assert_eq!(listed.len(), 2);
    for l in &listed {
        assert!(l.index.starts_with(env.home().join("indexes")), "{l:?}");
        assert!(l.index.join("meta.json").is_file());
    }
    let name = listed[0]
        .index
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.contains("notes-"),
        "{name}: not named after the corpus"
    );
}

#[test]
fn inside_a_corpus_only_it_is_searched_elsewhere_every_corpus() {
    let env = two_corpora();
    let root = env.path().canonicalize().unwrap();
    let all = [
        root.join("notes/a.txt"),
        root.join("notes/deep/b.txt"),
        root.join("reports/r.txt"),
    ];

    // Inside notes, also from a subfolder: notes only, paths relative to the working folder.
    let (hits, out) = search_in(&env, &root.join("notes/deep"), "quarterly", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(files(&hits, &root.join("notes/deep")), all[..2].to_vec());
    let b = hits.iter().find(|h| h.source == "deep/b.txt").unwrap();
    assert_eq!(b.path, PathBuf::from("b.txt"));
    let a = hits.iter().find(|h| h.source == "a.txt").unwrap();
    assert_eq!(
        a.path,
        root.join("notes/a.txt"),
        "outside the cwd: absolute"
    );

    let (hits, _) = search_in(&env, &root.join("reports"), "quarterly", &[]);
    assert_eq!(files(&hits, &root.join("reports")), all[2..].to_vec());
    assert_eq!(hits[0].path, PathBuf::from("r.txt"));

    // Elsewhere: both, every path absolute (none is under the working folder).
    let (hits, out) = search_in(&env, &root.join("elsewhere"), "quarterly", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(hits.iter().all(|h| h.path.is_absolute()), "{hits:?}");
    assert_eq!(files(&hits, &root), all.to_vec());
    assert_eq!(
        hits.iter().map(|h| h.rank).collect::<Vec<_>>(),
        (1..=hits.len()).collect::<Vec<_>>()
    );

    // Explicit choices, from a folder that holds the demo (seeds/): --corpus, --all.
    let (hits, _) = search_in(&env, &root, "quarterly", &["--corpus", "reports"]);
    assert_eq!(files(&hits, &root), all[2..].to_vec());
    let (hits, _) = search_in(
        &env,
        &root.join("notes"),
        "quarterly",
        &["--corpus", "../reports", "--corpus", "."],
    );
    assert_eq!(files(&hits, &root.join("notes")), all.to_vec());
    let (hits, _) = search_in(&env, &root.join("notes"), "quarterly", &["--all"]);
    assert_eq!(files(&hits, &root.join("notes")), all.to_vec());
    // The demo is still what a search finds in the checkout-like folder.
    let (hits, out) = search_in(&env, &root, "Tran Duc Luong", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(hits.iter().all(|h| h.path.starts_with("seeds")), "{hits:?}");

    // --files and --count over several corpora.
    let out = run_in(
        &env,
        &root.join("elsewhere"),
        &["search", "--files", "quarterly"],
    );
    let listed: Vec<PathBuf> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(PathBuf::from)
        .collect();
    assert_eq!(listed, all.to_vec());
    let out = run_in(
        &env,
        &root.join("elsewhere"),
        &["search", "--count", "quarterly"],
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "3");

    // A corpus that is not indexed is an error that says what to do.
    let out = run_in(&env, &root, &["search", "--corpus", "elsewhere", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(stderr(&out), "tracuu index");
}

/// Splits the seeds into `both/A` (two files) and `both/B` (the rest).
fn split_seeds(env: &Env) -> (PathBuf, PathBuf) {
    let both = env.path().join("both");
    let mut names: Vec<_> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for (i, path) in names.iter().enumerate() {
        let half = if i < 2 { "A" } else { "B" };
        let to = both.join(half).join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(path, &to);
        } else {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(path, &to).unwrap();
        }
    }
    (both.join("A"), both.join("B"))
}

/// The seeds split into two corpora ([`split_seeds`]), each indexed, and one index over both
/// (`combined`); returns the temp dir, canonical.
pub(crate) fn two_corpora_and_one_index(env: &Env) -> PathBuf {
    split_seeds(env);
    let root = env.path().canonicalize().unwrap();
    index(env, &root, "both/A");
    index(env, &root, "both/B");
    let out = env.run(&["index", "both", "--index", "combined", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    root
}

#[test]
fn several_corpora_rank_as_one_index_over_all_of_them() {
    let env = Env::new();
    let root = two_corpora_and_one_index(&env);
    let queries = [
        "Putin",
        "Tran Duc Luong",
        "Trần Đức Lương",
        "Cam Ranh",
        "\"strategic partnership\"",
        "Hanoi",
        "Hà Nội",
        "Kosygin OR Shevardnadze",
        "Russia Vietnam",
        "Liên Xô",
        "oil gas",
        "\"Cam Ranh\" -Guam",
        "Varshav*",
        "Kosigin",
        "nuclear",
        "Soviet Union",
        "Nguyễn Xuân Phúc",
        "military cooperation",
        "Moscow",
        "trade",
    ];
    let mut compared = 0;
    for query in queries {
        compared += assert_same_ranking(&env, &root, query, &[]);
        compared += assert_same_ranking(&env, &root, query, &["--exact"]);
    }
    assert!(compared > 100, "only {compared} hits compared");
}

/// Searches `query` over every corpus and in `combined` (one index over both), from `root`,
/// and asserts the same hits in the same order with the same scores; returns how many.
fn assert_same_ranking(env: &Env, root: &Path, query: &str, extra: &[&str]) -> usize {
    let (merged, out) = search_in(env, root, query, &[extra, &["--all"]].concat());
    assert_ne!(out.status.code(), Some(2), "{query}: {}", stderr(&out));
    let (one, _) = search_in(
        env,
        root,
        query,
        &[extra, &["--index", "combined"]].concat(),
    );
    let key = |h: &JsonHit| (root.join(&h.path), h.start, h.end);
    assert_eq!(
        merged.iter().map(key).collect::<Vec<_>>(),
        one.iter().map(key).collect::<Vec<_>>(),
        "{query} {extra:?}: another order"
    );
    for (m, o) in merged.iter().zip(&one) {
        assert!(
            (m.score - o.score).abs() < 1e-4,
            "{query}: {} scores {} merged, {} in one index",
            m.source,
            m.score,
            o.score
        );
        assert_eq!((m.rank, m.exact), (o.rank, o.exact), "{query}");
    }
    merged.len()
}

#[test]
fn proximity_is_scored_on_the_best_passages_of_all_corpora_together() {
    // Two corpora of 300 short passages each from a tiny vocabulary: two-word queries match
    // hundreds of passages, more than the proximity window, and words stand together or apart.
    let env = Env::new();
    let words = ["tran", "duc", "luong", "van", "an", "ha", "noi", "song"];
    let mut x: u64 = 7;
    let mut next = move |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    for half in ["A", "B"] {
        for file in 0..3 {
            let mut text = String::new();
            for _ in 0..100 {
                let len = 4 + next(10);
                let sentence: Vec<&str> = (0..len).map(|_| words[next(8) as usize]).collect();
                text.push_str(&sentence.join(" "));
                text.push_str(".\n\n");
            }
            write(&env.path().join(format!("both/{half}/f{file}.txt")), &text);
        }
    }
    let root = env.path().canonicalize().unwrap();
    index(&env, &root, "both/A");
    index(&env, &root, "both/B");
    let out = env.run(&["index", "both", "--index", "combined", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for query in [
        "tran duc",
        "ha noi",
        "van song",
        "luong tran",
        "noi OR song",
    ] {
        let n = assert_same_ranking(&env, &root, query, &[]);
        assert!(n > 200, "{query}: only {n} hits");
    }
}

#[test]
fn list_reports_each_corpus_and_forget_drops_its_index() {
    let env = two_corpora();
    let root = env.path().canonicalize().unwrap();
    let listed = list(&env);
    let paths: Vec<&Path> = listed.iter().map(|l| l.path.as_path()).collect();
    assert_eq!(paths, [root.join("notes"), root.join("reports")]);
    let notes = &listed[0];
    assert_eq!((notes.files, notes.passages), (2, 2));
    assert_eq!(notes.state, "fresh");
    assert!(notes.bytes > 0 && notes.updated.is_some() && notes.watcher.is_none());
    assert_eq!((notes.added, notes.changed, notes.removed), (0, 0, 0));
    let human = String::from_utf8(env.run(&["list"]).stdout).unwrap();
    assert_contains(&human, &root.join("reports").display().to_string());
    assert_contains(&human, "fresh");

    // A change makes it stale.
    write(&root.join("notes/c.txt"), "A third note.");
    std::fs::remove_file(root.join("notes/a.txt")).unwrap();
    let notes = &list(&env)[0];
    assert_eq!(notes.state, "stale");
    assert_eq!((notes.added, notes.changed, notes.removed), (1, 0, 1));
    index(&env, &root, "notes");
    assert_eq!(list(&env)[0].state, "fresh");

    // A corpus gone: listed as missing, skipped by search with one warning.
    std::fs::rename(root.join("reports"), root.join("moved")).unwrap();
    let reports = list(&env)
        .into_iter()
        .find(|l| l.path == root.join("reports"))
        .unwrap();
    assert_eq!(reports.state, "missing");
    let (hits, out) = search_in(&env, &root.join("elsewhere"), "quarterly", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(files(&hits, &root), [root.join("notes/deep/b.txt")]);
    let err = stderr(&out);
    assert_eq!(err.matches("is gone").count(), 1, "{err}");
    assert_contains(&err, "tracuu forget");

    // forget: the index goes, the corpus stays; a gone corpus can be forgotten too.
    let out = env.run(&["forget", "notes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!list(&env)[0].path.ends_with("notes"));
    assert!(root.join("notes/deep/b.txt").is_file());
    let out = env.run(&["forget", "reports"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(list(&env).is_empty());
    let leftovers: Vec<_> = std::fs::read_dir(env.home().join("indexes"))
        .unwrap()
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let out = env.run(&["forget", "notes"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(stderr(&out), "not indexed");
    // Nothing indexed and no demo here: a search says what to do.
    let out = run_in(&env, &root.join("elsewhere"), &["search", "quarterly"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(stderr(&out), "tracuu index");
}

#[test]
fn show_check_and_bench_take_a_corpus_instead_of_an_index() {
    let env = two_corpora();
    let root = env.path().to_path_buf();
    let elsewhere = root.join("elsewhere");
    let (hits, _) = search_in(&env, &elsewhere, "quarterly", &["--corpus", "../reports"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hit = &hits[0];
    // show: the hit's span, read back through the corpus's index.
    let (start, end) = (hit.start.to_string(), hit.end.to_string());
    let out = run_in(
        &env,
        &elsewhere,
        &["show", &hit.source, &start, &end, "--corpus", "../reports"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), hit.text);
    // check: the corpus's index, not a demo index here.
    let out = run_in(&env, &elsewhere, &["check", "--corpus", "../notes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
    assert_contains(&report, "2 files");
    // bench: the corpus's index, its own queries.
    std::fs::write(root.join("q.txt"), "quarterly\n").unwrap();
    let out = run_in(
        &env,
        &elsewhere,
        &[
            "bench",
            "--corpus",
            "../notes",
            "--queries",
            "../q.txt",
            "--iterations",
            "1",
            "--warmup",
            "0",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["queries"][0]["hits"], 2, "{report}");
    // A folder that is not indexed, or --corpus with --index: one line, exit 2.
    for args in [
        &["check", "--corpus", "."][..],
        &["check", "--corpus", "../notes", "--index", "x"],
    ] {
        let out = run_in(&env, &elsewhere, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    }
}

#[test]
fn show_reads_a_hit_by_the_path_search_printed_from_wherever_it_was_run() {
    let env = two_corpora();
    let root = env.path().to_path_buf();
    let elsewhere = root.join("elsewhere");
    let (hits, _) = search_in(&env, &elsewhere, "quarterly", &["--all"]);
    assert_eq!(hits.len(), 3, "{hits:?}");
    for hit in &hits {
        let (start, end) = (hit.start.to_string(), hit.end.to_string());
        let path = hit.path.to_str().unwrap();
        // The printed path (absolute here: the file is outside the working folder), with no
        // index named: the index of the corpus that holds the file.
        let out = run_in(&env, &elsewhere, &["show", path, &start, &end]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout), hit.text, "{path}");
        // The same path relative to the working folder.
        let under = hit.path.strip_prefix(&root).unwrap();
        let relative = Path::new("..").join(under);
        let relative = relative.to_str().unwrap();
        let out = run_in(&env, &elsewhere, &["show", relative, &start, &end]);
        assert_eq!(out.status.code(), Some(0), "{relative}: {}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout), hit.text, "{relative}");
        // The source (relative to the corpus), from inside the corpus: its index.
        let corpus = root.join(under.iter().next().unwrap());
        let out = run_in(&env, &corpus, &["show", &hit.source, &start, &end]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            hit.source,
            stderr(&out)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), hit.text);
    }
    // A name that is no file, from a folder outside every corpus with no demo index: one line
    // that says what to give, exit 2.
    let out = run_in(&env, &elsewhere, &["show", "nosuch.txt", "0", "3"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_contains(&err, "--corpus PATH");
    // A file outside every corpus: one line that says what to give, exit 2.
    write(&elsewhere.join("x.txt"), "quarterly");
    let out = run_in(
        &env,
        &elsewhere,
        &["show", "x.txt", "0", "3", "--corpus", "../notes"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_contains(&err, "a hit's source");
}

#[test]
fn show_reads_what_search_printed_and_never_guesses_between_two_files() {
    let env = Env::new();
    let root = env.path().to_path_buf();
    write(&root.join("c/a.txt"), "Top level pangolin notes.");
    write(&root.join("c/sub/a.txt"), "Nested pangolin notes.");
    write(&root.join("outside/real.txt"), "Linked pangolin notes.");
    std::os::unix::fs::symlink(root.join("outside/real.txt"), root.join("c/link.txt")).unwrap();
    index(&env, &root, "c");
    let sub = root.join("c/sub");
    // From c/sub, "a.txt" is c/sub/a.txt as a path and c/a.txt as a source: refused, exit 2.
    let out = run_in(&env, &sub, &["show", "a.txt", "0", "6"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_contains(stderr(&out), "names two indexed files");
    // What the human output printed, pasted with its line and column, from the corpus root.
    let c = root.join("c");
    let human = run_in(&env, &c, &["search", "--color", "never", "pangolin"]);
    let printed = String::from_utf8_lossy(&human.stdout).into_owned();
    let mut shown = 0;
    for line in printed.lines().filter(|l| l.contains(": #")) {
        let (location, rest) = line.split_once(": #").unwrap();
        let bytes = rest.split("bytes ").nth(1).unwrap();
        let (start, end) = bytes.split_once("..").unwrap();
        let out = run_in(&env, &c, &["show", &format!("{location}:"), start, end]);
        assert_eq!(out.status.code(), Some(0), "{line}: {}", stderr(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("pangolin"),
            "{line}"
        );
        shown += 1;
    }
    assert_eq!(shown, 3, "{printed}");
    // A link inside the corpus is shown under its own name, from outside, with no index named.
    let out = run_in(&env, &root, &["show", "c/link.txt", "0", "6"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Linked");
    // A file outside every corpus, from a folder outside every corpus: one line, exit 2.
    let out = run_in(&env, &root.join("outside"), &["show", "real.txt", "0", "6"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    assert_contains(stderr(&out), "not a file of an indexed corpus");
}

/// The one index folder in the data directory.
fn only_index(env: &Env) -> PathBuf {
    let dirs: Vec<PathBuf> = std::fs::read_dir(env.home().join("indexes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs.into_iter().next().unwrap()
}

/// A temp dir with `corpus/a.txt` (one line about zebrafinches) indexed into the data directory:
/// the dir, the corpus and its index folder.
fn one_indexed_corpus() -> (Env, PathBuf, PathBuf) {
    let env = Env::new();
    let corpus = env.path().join("corpus");
    write(&corpus.join("a.txt"), "Zebrafinches nest in Huế.\n");
    index(&env, env.path(), "corpus");
    let index_dir = only_index(&env);
    (env, corpus, index_dir)
}

/// Asserts that the index of `corpus/` (made by [`one_indexed_corpus`]) finds its one line and
/// none of the seeds; `what` says what made it.
fn assert_only_its_corpus(env: &Env, what: &str) {
    let (hits, out) = search_in(env, env.path(), "zebrafinches", &["--corpus", "corpus"]);
    assert_eq!(hits.len(), 1, "{what}: {}", stderr(&out));
    assert_eq!(hits[0].source, "a.txt");
    let (hits, _) = search_in(env, env.path(), "Putin", &["--corpus", "corpus"]);
    assert!(
        hits.is_empty(),
        "{what}: the seeds were indexed into the corpus's index"
    );
}

/// Damages the index in `dir`: a segment's term dictionary cut short, or `meta.json` (and so
/// the manifest) unreadable.
fn damage(dir: &Path, what: &str) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let hit = match what {
            "segments" => name.ends_with(".term"),
            _ => name == "meta.json",
        };
        if hit {
            std::fs::write(&path, b"{ damaged").unwrap();
        }
    }
}

/// The command inside the backquotes after `rebuild it with` in an error message.
fn repair_command(err: &str) -> Vec<String> {
    let (_, rest) = err
        .split_once("rebuild it with `")
        .unwrap_or_else(|| panic!("no repair hint in: {err}"));
    let command = rest.split('`').next().unwrap();
    let words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
    assert_eq!(words[0], "tracuu", "{err}");
    words[1..].to_vec()
}

/// The repair a damaged index's message names rebuilds that index from its own corpus, whatever
/// the folder it is run from: one holding another `seeds/`, or `/`; with the manifest readable
/// or not.
#[test]
fn the_repair_hint_rebuilds_the_damaged_index_from_its_own_corpus_from_anywhere() {
    let (env, corpus, index_dir) = one_indexed_corpus();
    let root = std::fs::canonicalize(&corpus).unwrap();
    for (what, from) in [
        ("segments", env.path()),
        ("meta.json", Path::new("/")),
        ("segments", Path::new("/")),
        ("meta.json", env.path()),
    ] {
        damage(&index_dir, what);
        let out = run_in(&env, &corpus, &["search", "zebrafinches"]);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
        assert_one_clean_error_line(&out);
        let repair = repair_command(&stderr(&out));
        let args: Vec<&str> = repair.iter().map(String::as_str).collect();
        let out = run_in(&env, from, &args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{what} from {from:?}: {}",
            stderr(&out)
        );
        let listed = list(&env);
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(
            (&listed[0].path, listed[0].state.as_str()),
            (&root, "fresh")
        );
        // The seeds of the folder it was run from went nowhere near it.
        assert_only_its_corpus(&env, &format!("{what} from {from:?}"));
    }
}

/// `--index` naming an index of one corpus never takes another corpus: the run is refused with
/// one line, and the index keeps its corpus.
#[test]
fn an_index_is_never_given_another_corpus() {
    let (env, _, index_dir) = one_indexed_corpus();
    let index_arg = index_dir.to_str().unwrap();
    for args in [
        vec!["index", "seeds", "--index", index_arg],
        vec!["index", "seeds", "--index", index_arg, "--rebuild"],
    ] {
        let out = run_in(&env, env.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_one_clean_error_line(&out);
        assert_contains(stderr(&out), "holds");
    }
    // Named by its index alone, it is updated from its own corpus.
    let out = run_in(
        &env,
        env.path(),
        &["index", "--index", index_arg, "--quiet"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_only_its_corpus(&env, "updated by its index");
}

/// An index that cannot be opened is listed as damaged with its corpus and the repair; a search
/// of every corpus names it and how to repair it, and searches the others.
#[test]
fn a_damaged_index_is_listed_as_damaged_and_named_by_a_search_of_every_corpus() {
    let (env, corpus, index_dir) = one_indexed_corpus();
    damage(&index_dir, "segments");
    let listed = list(&env);
    assert_eq!(listed[0].state, "broken", "{listed:?}");
    assert_eq!(listed[0].path, std::fs::canonicalize(&corpus).unwrap());
    let human = stdout(&run_in(&env, env.path(), &["list"]));
    assert_contains(&human, "damaged");
    assert_contains(&human, "--rebuild --index");
    let out = run_in(&env, env.path(), &["search", "--all", "zebrafinches"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_one_clean_error_line(&out);
    assert!(!repair_command(&stderr(&out)).is_empty());
    // With another corpus beside it, that one is searched and the damaged one named.
    write(&env.path().join("other/b.txt"), "Zebrafinches sing.\n");
    index(&env, env.path(), "other");
    let (hits, out) = search_in(&env, env.path(), "zebrafinches", &["--all"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].source, "b.txt");
    assert!(!repair_command(&stderr(&out)).is_empty());
    // `check --all` names the damage too, and fails.
    let out = run_in(&env, env.path(), &["check", "--all"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!repair_command(&stderr(&out)).is_empty());
}
