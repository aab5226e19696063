//! Fault injection: runs aborted at every fail point of an update, a full disk (injected, and a
//! real tmpfs when this process may mount one), orphan files that collide with a new commit,
//! and flipped bytes in every file of an index. After each, the next run must complete and the
//! index must answer exactly as a fresh build does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::{
    assert_contains, assert_one_clean_error_line, copy_dir, edit_manifest, killed_by_signal,
    stderr, stdout, Env,
};

/// Queries whose answers (`--count` and `--files`) must equal a fresh build's.
const QUERIES: &[&str] = &[
    "Putin",
    "Ngu*",
    "Tran Duc Luong",
    "\"Cam Ranh\"",
    "Faultword",
    "Zanzibarquux",
    "Hanoi -Moscow",
];

/// A small generated file: a marker word, a Vietnamese name, and some filler.
fn generated(i: usize, variant: &str) -> String {
    let mut text = String::new();
    for k in 0..12 {
        text.push_str(&format!(
            "Faultword{i} {variant} sentence {k} names Nguyễn Văn Faultname{i} in Hà Nội. \
             The delegation of {variant} met Trần Đức Lương and talked for a while.\n"
        ));
    }
    text
}

/// The seeds plus four generated files, indexed into `index/`.
fn base() -> Env {
    let env = Env::new();
    for i in 0..4 {
        std::fs::write(
            env.path().join(format!("seeds/gen{i}.txt")),
            generated(i, "first"),
        )
        .unwrap();
    }
    let out = env.run(&["index", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    env
}

/// Changes the corpus: one file changed, one removed, one added, one seed edited.
fn update_corpus(env: &Env) {
    let seeds = env.path().join("seeds");
    std::fs::write(seeds.join("gen1.txt"), generated(1, "second")).unwrap();
    std::fs::remove_file(seeds.join("gen2.txt")).unwrap();
    std::fs::write(seeds.join("gen9.txt"), generated(9, "added")).unwrap();
    let seed = seeds.join("002_49310b09fbf5f71a.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    std::fs::write(&seed, text.replace("Putin", "Zanzibarquux")).unwrap();
}

/// `--count` and `--files` of every query against the index in `index`.
fn answers(env: &Env, index: &str) -> Vec<(String, String)> {
    QUERIES
        .iter()
        .flat_map(|q| {
            ["--count", "--files"].map(|mode| {
                let out = env.run(&["search", "--index", index, "--no-correct", mode, "--", q]);
                assert!(
                    matches!(out.status.code(), Some(0 | 1)),
                    "{q} {mode}: {}",
                    stderr(&out)
                );
                (format!("{mode} {q}"), stdout(&out))
            })
        })
        .collect()
}

/// What a fresh build of the corpus as it is now answers.
fn fresh_answers(env: &Env) -> Vec<(String, String)> {
    let out = env.run(&["index", "--index", "fresh", "--quiet", "--rebuild"]);
    assert!(out.status.success(), "{}", stderr(&out));
    answers(env, "fresh")
}

/// Segment files in `index` that its `meta.json` does not reference.
fn orphans(index: &Path) -> Vec<String> {
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(index.join("meta.json")).unwrap()).unwrap();
    let ids: BTreeSet<String> = meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect();
    std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            tracuu::store::is_segment_file(name) && !ids.contains(name.split('.').next().unwrap())
        })
        .collect()
}

/// For each fail point: a copy of the base index is updated by a run aborted there; then the
/// previous commit is still searchable, the next run completes, and it answers as a fresh
/// build does.
fn abort_at(points: &[&str]) {
    let env = base();
    let before = answers(&env, "index");
    let pristine = env.path().join("pristine");
    copy_dir(&env.path().join("index"), &pristine);
    update_corpus(&env);
    let fresh = fresh_answers(&env);
    let mut aborted = 0;
    for point in points {
        let index = env.path().join("index");
        std::fs::remove_dir_all(&index).unwrap();
        copy_dir(&pristine, &index);
        let out = env.run_with_failpoint(&["index", "--quiet"], &format!("{point}:abort"));
        if killed_by_signal(&out) {
            aborted += 1;
            if *point != "after-commit" {
                assert_eq!(
                    answers(&env, "index"),
                    before,
                    "{point}: the abort changed answers"
                );
            }
        } else {
            assert!(out.status.success(), "{point}: {}", stderr(&out));
        }
        let out = env.run(&["index", "--quiet"]);
        assert!(out.status.success(), "after {point}: {}", stderr(&out));
        assert_eq!(answers(&env, "index"), fresh, "after an abort at {point}");
        assert!(
            orphans(&index).is_empty(),
            "after {point}: {:?}",
            orphans(&index)
        );
        let out = env.run(&["check"]);
        assert!(out.status.success(), "after {point}: {}", stderr(&out));
    }
    assert!(
        aborted * 4 >= points.len() * 3,
        "only {aborted} of {} fail points were reached",
        points.len()
    );
}

#[test]
fn aborted_before_writing_the_next_run_completes_and_equals_a_fresh_build() {
    abort_at(&["after-lock", "read", "read:3", "after-add", "after-add:30"]);
}

#[test]
fn aborted_while_writing_segments_the_next_run_completes_and_equals_a_fresh_build() {
    abort_at(&[
        "write", "write:2", "write:4", "write:6", "write:9", "write:12",
    ]);
}

#[test]
fn aborted_around_the_commit_the_next_run_completes_and_equals_a_fresh_build() {
    abort_at(&[
        "before-commit",
        "after-prepare",
        "after-list",
        "after-commit",
    ]);
}

fn assert_no_space_message(out: &Output) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert_one_clean_error_line(out);
    let err = stderr(out);
    assert_contains(&err, "no space left on device in");
    assert_contains(&err, "MB and run again");
}

#[test]
fn a_full_disk_is_named_and_the_next_run_recovers_without_cleanup() {
    let env = base();
    let before = answers(&env, "index");
    update_corpus(&env);
    let fresh = fresh_answers(&env);
    let index = env.path().join("index");
    // In an indexing thread (segment files), and on the commit itself (meta.json).
    for rule in ["write:enospc", "write:3:enospc", "before-commit:enospc"] {
        let out = env.run_with_failpoint(&["index"], rule);
        assert_no_space_message(&out);
        assert_eq!(answers(&env, "index"), before, "{rule}");
        assert!(orphans(&index).is_empty(), "{rule}: {:?}", orphans(&index));
    }
    // --rebuild too.
    let out = env.run_with_failpoint(&["index", "--rebuild"], "write:2:enospc");
    assert_no_space_message(&out);
    let out = env.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(answers(&env, "index"), fresh);

    // A first build that fails leaves no index, and the next one builds it.
    for (i, rule) in ["write:enospc", "write:2:enospc", "write:5:enospc"]
        .iter()
        .enumerate()
    {
        let dir = format!("first{i}");
        let out = env.run_with_failpoint(&["index", "--index", &dir], rule);
        assert_no_space_message(&out);
        let out = env.run(&["search", "--index", &dir, "Putin"]);
        assert!(
            stderr(&out).contains("no index at"),
            "{rule}: {}",
            stderr(&out)
        );
        let out = env.run(&["index", "--index", &dir]);
        assert!(out.status.success(), "{rule}: {}", stderr(&out));
        assert_eq!(answers(&env, &dir), fresh, "{rule}");
    }
}

#[test]
fn a_first_build_aborted_anywhere_is_built_by_the_next_run() {
    let env = base();
    let fresh = fresh_answers(&env);
    for (i, point) in [
        "write",
        "write:2",
        "write:3",
        "after-add:5",
        "after-prepare",
    ]
    .iter()
    .enumerate()
    {
        let dir = format!("first{i}");
        let out = env.run_with_failpoint(&["index", "--index", &dir], &format!("{point}:abort"));
        assert!(killed_by_signal(&out), "{point}: {}", stderr(&out));
        let out = env.run(&["index", "--index", &dir]);
        assert!(out.status.success(), "{point}: {}", stderr(&out));
        assert_eq!(answers(&env, &dir), fresh, "{point}");
    }
}

/// A tmpfs of `kb` kilobytes mounted at `dir`, unmounted on drop; None if mounting is not
/// possible here (not root, no `mount`, a sandbox that forbids it).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, kb: u64) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kb}k"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_real_full_disk_is_named_and_a_smaller_corpus_then_indexes_without_cleanup() {
    let env = Env::new();
    let Some(_disk) = Tmpfs::mount(&env.path().join("disk"), 320) else {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    };
    // About 400 KB of text makes an index larger than the 320 KB disk.
    let big = env.path().join("seeds/big");
    std::fs::create_dir_all(&big).unwrap();
    for i in 0..40 {
        let mut text = String::new();
        for k in 0..80 {
            text.push_str(&format!("Diskword{i}x{k} fills the disk with words. "));
        }
        std::fs::write(big.join(format!("b{i}.txt")), text.repeat(2)).unwrap();
    }
    let out = env.run(&["index", "--index", "disk/index"]);
    assert_no_space_message(&out);
    assert_contains(stderr(&out), "disk/index");
    std::fs::remove_dir_all(&big).unwrap();
    let out = env.run(&["index", "--index", "disk/index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(stderr(&out), ": 5 files");
    let out = env.run(&["search", "--index", "disk/index", "Putin"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn orphan_deletes_files_of_a_killed_run_do_not_block_the_next_run() {
    let env = base();
    let pre = env.path().join("pre");
    copy_dir(&env.path().join("index"), &pre);
    update_corpus(&env);
    // Stopped right after its commit, before deleted passages are merged away, the update has
    // its deletes files on disk.
    let out = env.run_with_failpoint(&["index", "--quiet"], "after-commit:abort");
    assert!(killed_by_signal(&out), "{}", stderr(&out));
    // What a run killed after writing its deletes files leaves: the same names the update
    // writes, in the index as it was before it.
    let dels: Vec<String> = std::fs::read_dir(env.path().join("index"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".del") && !pre.join(n).exists())
        .collect();
    assert!(!dels.is_empty(), "the update wrote no deletes file");
    for name in &dels {
        std::fs::copy(env.path().join("index").join(name), pre.join(name)).unwrap();
    }
    // Stopped after its commit as well, the run has written deletes files under those very
    // names (they would have collided), and its commit refers to them.
    let out = env.run_with_failpoint(&["index", "--index", "pre"], "after-commit:abort");
    assert!(killed_by_signal(&out), "{}", stderr(&out));
    let meta = std::fs::read_to_string(pre.join("meta.json"))
        .unwrap()
        .replace('-', "");
    let reused = dels
        .iter()
        .filter(|n| {
            let mut parts = n.split('.');
            let (id, opstamp) = (parts.next().unwrap(), parts.next().unwrap());
            pre.join(n).exists() && meta.contains(id) && meta.contains(opstamp)
        })
        .count();
    assert!(reused > 0, "no collision was possible: {dels:?} vs {meta}");
    let out = env.run(&["index", "--index", "pre"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(answers(&env, "pre"), fresh_answers(&env));
    assert!(orphans(&pre).is_empty(), "{:?}", orphans(&pre));
}

/// The seeds indexed on one thread: one segment with the same bytes on every run, so the
/// damaged copies below are the same on every run too.
fn indexed_deterministically() -> Env {
    let env = Env::new();
    let out = env.run(&["index", "--quiet", "--threads", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    env
}

/// Copies of `index`, each with one of its files damaged: `places` names the copies to make of a
/// file of `n` bytes, each with the place `damage` changes; (file, copy name) pairs.
fn damaged_copies_by(
    env: &Env,
    places: impl Fn(&str, usize) -> Vec<(String, usize)>,
    damage: impl Fn(&mut [u8], usize),
) -> Vec<(String, String)> {
    let index = env.path().join("index");
    let mut files: Vec<String> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    files.sort();
    let mut copies = Vec::new();
    for file in &files {
        let bytes = std::fs::read(index.join(file)).unwrap();
        for (name, at) in places(file, bytes.len()) {
            let dir = env.path().join(&name);
            copy_dir(&index, &dir);
            let mut bad = bytes.clone();
            damage(&mut bad, at);
            std::fs::write(dir.join(file), bad).unwrap();
            copies.push((file.clone(), name));
        }
    }
    copies
}

/// Copies of `index` with two bytes flipped in one file each, at five places from the start to
/// the footer; (file, copy name) pairs.
fn damaged_copies(env: &Env) -> Vec<(String, String)> {
    let places = |file: &str, n: usize| -> Vec<(String, usize)> {
        if n == 0 {
            return Vec::new();
        }
        let at = [n / 7, n / 3, n / 2, n * 5 / 6, n.saturating_sub(10)];
        let name = |k| format!("damaged-{file}-{k}");
        at.into_iter()
            .enumerate()
            .map(|(k, at)| (name(k), at))
            .collect()
    };
    damaged_copies_by(env, places, |bad, at| {
        bad[at] ^= 0x5a;
        if let Some(b) = bad.get_mut(at + 1) {
            *b ^= 0xff;
        }
    })
}

#[test]
fn check_flags_every_copy_with_a_damaged_segment_file() {
    let env = indexed_deterministically();
    let healthy = answers(&env, "index");
    let out = env.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(stdout(&out), "healthy");
    for (file, copy) in damaged_copies(&env) {
        let out = env.run(&["check", "--index", &copy]);
        if tracuu::store::is_segment_file(&file) {
            assert_eq!(out.status.code(), Some(2), "{copy}: {}", stdout(&out));
            assert_one_clean_error_line(&out);
            assert_contains(stderr(&out), "--rebuild");
        } else if out.status.success() {
            // Bytes of meta.json or .managed.json that nothing depends on: harmless.
            assert_eq!(answers(&env, &copy), healthy, "{copy} passed check");
        } else {
            assert_eq!(out.status.code(), Some(2), "{copy}: {}", stderr(&out));
            assert_one_clean_error_line(&out);
        }
        // Updating a damaged index never reports success while the damage stays (one copy a
        // file is enough: the update refuses before it reads anything but checksums).
        if tracuu::store::is_segment_file(&file) && copy.ends_with("-0") {
            let out = env.run(&["index", "--index", &copy]);
            assert_eq!(out.status.code(), Some(2), "{copy}: {}", stderr(&out));
            assert_contains(stderr(&out), "damaged");
            assert_one_clean_error_line(&out);
            let out = env.run(&["index", "--index", &copy, "--rebuild"]);
            assert!(out.status.success(), "{copy}: {}", stderr(&out));
            let out = env.run(&["check", "--index", &copy]);
            assert!(out.status.success(), "{copy}: {}", stderr(&out));
        }
    }
}

#[test]
fn check_flags_a_manifest_that_disagrees_with_the_segments() {
    let env = Env::indexed();
    let index = env.path().join("index");
    // One more passage for one file, in its file list and in the manifest's total.
    let file = edit_manifest(&index, |manifest| {
        let generation = manifest["generation"].as_u64().unwrap();
        let mut list = tracuu::store::filelist::FileList::load(&index, generation).unwrap();
        let state = list.files.get_mut("001_fab5263dfb4bd43e.txt").unwrap();
        let file = state.passages;
        state.passages += 1;
        list.write(&index, generation).unwrap();
        let count = manifest["passage_count"].as_u64().unwrap();
        manifest["passage_count"] = serde_json::json!(count + 1);
        file
    });
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_one_clean_error_line(&out);
    let report = stdout(&out);
    assert!(
        report.contains(&format!(
            "001_fab5263dfb4bd43e.txt: the manifest counts {} passages but the index holds {file}",
            file + 1
        )),
        "{report}"
    );
    assert_contains(&report, "passages but the segments hold");
    assert_contains(stderr(&out), "--rebuild");
}

/// Copies of `index` with one bit flipped in one file each: at 16 places spread over the file
/// and in each of its last 16 bytes (footers, offset tables); (file, copy name) pairs.
fn bit_flipped_copies(env: &Env) -> Vec<(String, String)> {
    let places = |file: &str, n: usize| {
        let mut places: BTreeSet<usize> = (0..16).map(|k| k * n / 16).collect();
        places.extend(n.saturating_sub(16)..n);
        let places = places.into_iter().filter(|&at| at < n);
        places
            .map(|at| (format!("flipped-{file}-{at}"), at))
            .collect()
    };
    damaged_copies_by(env, places, |bad, at| bad[at] ^= 1 << (at % 8))
}

#[test]
fn searches_on_damaged_copies_exit_0_1_or_2_with_one_clean_line() {
    let env = indexed_deterministically();
    let searches = [
        ("Putin", "--json"),
        ("Ngu*", "--count"),
        ("Tran Duc Luong", "--files"),
        ("\"Cam Ranh\"", "--json"),
    ];
    let mut copies = damaged_copies(&env);
    copies.extend(bit_flipped_copies(&env));
    for (i, (_, copy)) in copies.iter().enumerate() {
        let (query, mode) = searches[i % searches.len()];
        let out = env.run(&["search", "--index", copy, mode, "--", query]);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "{copy} {query} {mode}: exit {code:?}: {}",
            stderr(&out)
        );
        if code == Some(2) {
            assert_one_clean_error_line(&out);
        }
    }
}

/// Rewrites a file's text into damaged text.
type Damage = fn(&str) -> String;

/// Adds one to the first count of the ranking statistics (`{segment: {field: count}}`).
fn miscount(text: &str) -> String {
    let mut stats: serde_json::Value = serde_json::from_str(text).unwrap();
    let fields = stats.as_object_mut().unwrap().values_mut().next().unwrap();
    let count = fields.as_object_mut().unwrap().values_mut().next().unwrap();
    *count = serde_json::json!(count.as_u64().unwrap() + 1);
    stats.to_string()
}

/// `check` covers tracuu's own files beside the segments: ranking statistics that read well but
/// count wrong, statistics or a freshness record that cannot be read, a corpus file naming
/// another corpus. Each fails with one line naming the file; the healthy index passes.
#[test]
fn check_covers_the_files_tracuu_keeps_beside_the_segments() {
    let env = Env::indexed();
    // A search writes the freshness record.
    assert_eq!(env.run(&["search", "Putin"]).status.code(), Some(0));
    let index = env.path().join("index");
    let out = env.run(&["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let damages: [(&str, Damage); 4] = [
        ("tracuu-stats.json", miscount),
        ("tracuu-stats.json", |_| "{\"x\": damaged".into()),
        ("tracuu-fresh.json", |_| "{\"generation\": [".into()),
        ("tracuu-corpus", |_| "/somewhere/else".into()),
    ];
    for (k, (file, damage)) in damages.into_iter().enumerate() {
        let copy = env.path().join(format!("own-{k}"));
        copy_dir(&index, &copy);
        let text = std::fs::read_to_string(copy.join(file)).unwrap();
        std::fs::write(copy.join(file), damage(&text)).unwrap();
        let out = env.run(&["check", "--index", copy.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{file}: {}", stdout(&out));
        assert_one_clean_error_line(&out);
        assert!(stdout(&out).contains(file), "{file}: {}", stdout(&out));
    }
}

/// A search that trips over damage inside a segment names the index and the command that
/// rebuilds it, never a bare tantivy message.
#[test]
fn a_search_that_meets_damage_names_the_index_and_its_repair() {
    let env = indexed_deterministically();
    let index = env.path().join("index");
    let mut met = 0;
    for (file, copy) in damaged_copies(&env) {
        if !file.ends_with(".store") {
            continue;
        }
        let out = env.run(&["search", "--index", &copy, "--json", "--", "Putin"]);
        if out.status.code() != Some(2) {
            continue;
        }
        met += 1;
        assert_one_clean_error_line(&out);
        let wanted = format!(
            "`tracuu index --rebuild --index {}`",
            std::fs::canonicalize(env.path().join(&copy))
                .unwrap()
                .display()
        );
        assert!(
            stderr(&out).contains(&wanted),
            "{wanted} in: {}",
            stderr(&out)
        );
    }
    assert!(
        met > 0,
        "no damaged copy of {} failed a search",
        index.display()
    );
}
