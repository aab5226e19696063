//! Indexing that never loses data: incremental updates, interruption, concurrent runs, stale
//! warnings, incompatible indexes, and every kind of odd file.

use std::time::Duration;

use crate::util::{
    assert_contains, assert_lacks, assert_offsets, assert_one_clean_error_line, edit_manifest,
    edit_meta, stderr, stdout, Env,
};

fn sources(env: &Env, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--files"];
    all.extend(args);
    stdout(&env.run(&all)).lines().map(str::to_string).collect()
}

#[test]
fn modifying_one_file_updates_only_that_file() {
    let env = Env::indexed();
    let file = env.path().join("seeds/002_49310b09fbf5f71a.txt");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text = text.replace("Putin", "Zanzibarquux");
    std::fs::write(&file, text).unwrap();

    let out = env.run(&["index"]);
    let err = stderr(&out);
    assert_contains(&err, "0 added, 1 updated, 0 removed, 4 unchanged");
    let with_new = sources(&env, &["Zanzibarquux"]);
    assert_eq!(with_new, ["seeds/002_49310b09fbf5f71a.txt"]);
    assert!(!sources(&env, &["Putin"]).contains(&"seeds/002_49310b09fbf5f71a.txt".to_string()));
    // A second run has nothing to do.
    let err = stderr(&env.run(&["index"]));
    assert_contains(&err, "0 added, 0 updated, 0 removed, 5 unchanged");
}

#[test]
fn deleting_a_file_removes_its_passages_and_adding_one_adds_them() {
    let env = Env::indexed();
    assert!(sources(&env, &["Sputnik"])
        .iter()
        .any(|s| s.contains("004_")));
    std::fs::remove_file(env.path().join("seeds/004_fde5aab7314cabf6.txt")).unwrap();
    std::fs::write(env.path().join("seeds/new.txt"), "A note about Sputnik.").unwrap();
    let err = stderr(&env.run(&["index"]));
    assert_contains(&err, "1 added, 0 updated, 1 removed, 4 unchanged");
    assert_eq!(sources(&env, &["Sputnik"]), ["seeds/new.txt"]);
}

#[test]
fn stale_index_is_noticed_and_refreshed() {
    let env = Env::indexed();
    let out = env.run(&["search", "Putin"]);
    assert_lacks(stderr(&out), "warning");
    std::fs::write(env.path().join("seeds/extra.txt"), "Quuxvillian Putin").unwrap();
    let out = env.run(&["search", "Quuxvillian"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_contains(
        &err,
        "changed since it was indexed (1 new, 0 changed, 0 removed files)",
    );
    assert_contains(&err, "--refresh");
    assert_contains(&err, "tracuu index");
    let out = env.run(&["search", "--refresh", "Quuxvillian"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = env.run(&["search", "Quuxvillian"]);
    assert_lacks(stderr(&out), "warning");
}

#[test]
fn incompatible_index_is_refused_until_rebuilt() {
    let env = Env::indexed();
    edit_manifest(&env.path().join("index"), |manifest| {
        manifest["tokenizer"] = serde_json::json!(0)
    });

    for args in [vec!["search", "Putin"], vec!["index"]] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_contains(&err, "another version of tracuu");
        assert_contains(&err, "--rebuild");
    }
    env.assert_rebuild_repairs();
}

/// Adds `files` files of about 128 KB of text under `seeds/big/` (interruptions are placed by
/// fail points, so the runs need not be long: a debug build indexes about 200 KB/s).
fn add_big_corpus(env: &Env, files: usize) {
    let dir = env.path().join("seeds/big");
    std::fs::create_dir_all(&dir).unwrap();
    let seed = std::fs::read_to_string(env.path().join("seeds/000_a4a2b0632f3d8560.txt")).unwrap();
    for i in 0..files {
        let mut text = String::with_capacity(1 << 17);
        let mut k = 0;
        while text.len() < 1 << 17 {
            text.push_str(&format!("Bigword{i}x{k}. "));
            text.push_str(&seed);
            k += 1;
        }
        std::fs::write(dir.join(format!("big{i:03}.txt")), text).unwrap();
    }
}

#[test]
fn kill_9_during_indexing_keeps_the_previous_index_and_the_next_run_completes() {
    let env = Env::indexed();
    let before = sources(&env, &["Putin"]);
    add_big_corpus(&env, 4);

    // Stopped with every passage written to segment files, before the commit names them: a
    // concurrent run is refused while the first holds the index; searches see the last commit.
    let mut child = env.spawn_paused(&["index"], "after-prepare");
    let second = env.run(&["index"]);
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    assert_contains(
        stderr(&second),
        "another tracuu process is updating the index",
    );
    assert_eq!(sources(&env, &["Putin"]), before);

    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(
        sources(&env, &["Putin"]),
        before,
        "the killed run changed what search sees"
    );
    assert_eq!(env.run(&["search", "Bigword3x0"]).status.code(), Some(1));

    let out = env.run(&["index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(stderr(&out), "4 added");
    assert_eq!(sources(&env, &["Bigword3x0"]), ["seeds/big/big003.txt"]);
}

#[test]
fn an_index_whose_passages_were_cut_otherwise_is_indexed_again_whole() {
    let env = Env::indexed();
    let out = env.run(&["index"]);
    assert_contains(stderr(&out), "5 unchanged");
    // As a build that cut passages another way (an older version) would have left it.
    let meta = env.path().join("index/meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let version = format!("\\\"passages\\\":{}", tracuu::passage::VERSION);
    assert_contains(&text, &version);
    std::fs::write(&meta, text.replace(&version, "\\\"passages\\\":1")).unwrap();
    // Searches read it as it is; the next update cuts every file again.
    assert_eq!(env.run(&["search", "Putin"]).status.code(), Some(0));
    let out = env.run(&["index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(stderr(&out), "5 added");
    assert_contains(stderr(&out), "indexing every file again");
    let out = env.run(&["index"]);
    assert_contains(stderr(&out), "5 unchanged");
    assert_lacks(stderr(&out), "warning");
    assert_eq!(env.run(&["check"]).status.code(), Some(0));
}

/// A run that has read the file list of the last commit (without new.txt) is held just before
/// the writer lock while `meanwhile` indexes new.txt in another commit, whose run reports
/// `added`. Released, the first run must build on that commit: nothing added twice.
fn race_for_the_lock(meanwhile: impl FnOnce(&Env), added: &str) {
    let env = Env::indexed();
    std::fs::write(
        env.path().join("seeds/new.txt"),
        "Wombatmarker arrived while two runs raced.",
    )
    .unwrap();
    let (first, marker) = env.spawn_waiting(&["index"], "before-lock");
    meanwhile(&env);
    let second = env.run(&["index"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(stderr(&second).contains(added), "{}", stderr(&second));
    std::fs::remove_file(&marker).unwrap();
    let out = first.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // It found new.txt already indexed: nothing added twice.
    assert_contains(stderr(&out), "0 added");
    let count = env.run(&["search", "--count", "Wombatmarker"]);
    assert_eq!(String::from_utf8_lossy(&count.stdout).trim(), "1");
    let check = env.run(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn a_run_that_waited_for_the_lock_builds_on_the_commit_made_meanwhile() {
    race_for_the_lock(|_| {}, "1 added");
}

#[test]
fn a_run_that_waited_for_the_lock_sees_an_index_built_again_meanwhile() {
    // Deleted and built again, the index's first commit has the generation of the one the
    // waiting run read (1): only the commit's random number tells them apart.
    race_for_the_lock(
        |env| std::fs::remove_dir_all(env.path().join("index")).unwrap(),
        "6 added",
    );
}

#[test]
fn a_first_run_interrupted_by_ctrl_c_leaves_no_index_and_the_next_run_builds_it() {
    let env = Env::new();
    add_big_corpus(&env, 4);
    // Stopped after 50 passages were added (the fail point is deterministic, not a race).
    let mut child = env.spawn_paused(&["index"], "after-add:50");
    // SIGINT, as Ctrl-C sends (the other interruption test uses SIGKILL).
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("the run ignored SIGINT for 60 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(
        status.code(),
        None,
        "the run was not ended by SIGINT: {status}"
    );
    let out = env.run(&["search", "--index", "index", "Putin"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(stderr(&out), "no index at index");
    let out = env.run(&["index", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(sources(&env, &["Bigword3x0"]).contains(&"seeds/big/big003.txt".to_string()));
}

#[test]
fn odd_files_are_skipped_with_a_warning_and_the_rest_is_indexed() {
    let env = Env::new();
    let seeds = env.path().join("seeds");
    let odd = seeds.join("odd");
    std::fs::create_dir_all(&odd).unwrap();
    std::fs::write(odd.join("latin1.txt"), b"Caf\xe9 au lait, Putin\n").unwrap();
    std::fs::write(odd.join("binary.bin"), b"\x7fELF\x00\x01\x02Putin").unwrap();
    std::fs::write(odd.join("empty.txt"), b"").unwrap();
    std::fs::write(
        odd.join("longline.txt"),
        format!("{} Longlinemarker.", "word ".repeat(200_000)),
    )
    .unwrap();
    let mut deep = odd.clone();
    for i in 0..60 {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("deep.txt"), "Deepfilemarker lives here.").unwrap();
    std::fs::write(odd.join(".hidden.txt"), "Hiddenmarker").unwrap();
    std::fs::write(odd.join(".gitignore"), "ignored.txt\n").unwrap();
    std::fs::write(odd.join("ignored.txt"), "Ignoredmarker").unwrap();
    let nfd: String =
        unicode_normalization::UnicodeNormalization::nfd("Điện Biên Phủ Nfdmarker").collect();
    std::fs::write(odd.join("nfd.txt"), nfd).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&odd, odd.join("loop")).unwrap();
        std::os::unix::fs::symlink(odd.join("missing.txt"), odd.join("dangling.txt")).unwrap();
        let fifo = odd.join("fifo.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    }
    let unreadable = odd.join("unreadable.txt");
    std::fs::write(&unreadable, "Unreadablemarker").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let privileged = std::fs::read(&unreadable).is_ok(); // root reads it anyway

    let out = env.run(&["index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    for (file, why) in [
        ("binary.bin", "binary"),
        ("loop", "loop"),
        ("dangling.txt", "dangling.txt"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains("warning") && l.contains(file) && l.contains(why)),
            "{file}: {err}"
        );
    }
    if !privileged {
        assert_contains(&err, "unreadable.txt");
    }
    assert!(!err.contains("panicked"));
    // A Latin-1 file is read as windows-1252, not skipped.
    assert_lacks(&err, "latin1.txt");
    assert_eq!(sources(&env, &["Cafe", "lait"]), ["seeds/odd/latin1.txt"]);
    // The seeds, the long line, the deep file and the NFD file are all searchable.
    assert_eq!(sources(&env, &["Sevastopol"]).len(), 1);
    assert_eq!(sources(&env, &["Longlinemarker"]).len(), 1);
    assert_eq!(sources(&env, &["Deepfilemarker"]).len(), 1);
    assert_eq!(sources(&env, &["Nfdmarker", "Dien", "Bien"]).len(), 1);
    assert_eq!(sources(&env, &["Điện", "Nfdmarker"]).len(), 1);
    // Hidden and ignored files are skipped unless asked for.
    assert!(sources(&env, &["Hiddenmarker"]).is_empty());
    assert!(sources(&env, &["Ignoredmarker"]).is_empty());
    let out = env.run(&["index", "--hidden", "--no-ignore"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(sources(&env, &["Hiddenmarker"]).len(), 1);
    assert_eq!(sources(&env, &["Ignoredmarker"]).len(), 1);
    // Passages of the long line are cut between words, and offsets hold.
    let (hits, _) = env.search("Longlinemarker", &[]);
    assert_offsets(env.path(), &hits[0]);
    assert!(hits[0].text.len() < 2000);
    // Skipped files do not make the index look stale.
    let out = env.run(&["search", "Sevastopol"]);
    assert_lacks(stderr(&out), "changed since");
}

#[test]
fn index_path_that_is_a_file_is_refused() {
    let env = Env::new();
    std::fs::write(env.path().join("afile"), "x").unwrap();
    let out = env.run(&["index", "--index", "afile"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(stderr(&out), "is not a tracuu index");
    assert_eq!(
        std::fs::read_to_string(env.path().join("afile")).unwrap(),
        "x",
        "file was touched"
    );
}

#[test]
fn a_searched_index_outlives_its_corpus_with_a_warning() {
    let env = Env::indexed();
    std::fs::rename(env.path().join("seeds"), env.path().join("moved")).unwrap();
    let out = env.run(&["search", "Putin"]);
    assert_eq!(out.status.code(), Some(0));
    assert_contains(
        stderr(&out),
        "changed since it was indexed (0 new, 0 changed, 5 removed files)",
    );
}

#[test]
fn the_index_folder_is_never_indexed_even_inside_the_corpus() {
    let env = Env::new();
    // The corpus is the whole temp dir, which holds index/ once the first run starts.
    let out = env.run(&["index", ".", "--index", "index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(stderr(&out), "5 files");
    let out = env.run(&["index", ".", "--index", "index"]);
    assert_contains(stderr(&out), "0 added, 0 updated, 0 removed, 5 unchanged");
    assert_lacks(stderr(&out), "warning");
    let out = env.run(&["search", "--index", "index", "Putin"]);
    assert_lacks(stderr(&out), "changed since");
}

#[cfg(unix)]
#[test]
fn file_names_that_differ_in_one_non_utf8_byte_are_two_files() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let odd = env.path().join("odd");
    std::fs::create_dir_all(&odd).unwrap();
    for (name, text) in [
        (
            &b"bad\xffname.txt"[..],
            "Quokkamarker lives in the first file.",
        ),
        (
            &b"bad\xfename.txt"[..],
            "Quokkamarker lives in the second file.",
        ),
    ] {
        std::fs::write(odd.join(std::ffi::OsStr::from_bytes(name)), text).unwrap();
    }
    let out = env.run(&["index", "odd", "--index", "oi"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(
        stderr(&out),
        "2 files, 2 passages (2 added, 0 updated, 0 removed, 0 unchanged)",
    );
    let out = env.run(&["index", "odd", "--index", "oi"]);
    assert_contains(stderr(&out), "(0 added, 0 updated, 0 removed, 2 unchanged)");
    let out = env.run(&["search", "--index", "oi", "--files", "Quokkamarker"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_lacks(stderr(&out), "changed since");
    let lines: Vec<&[u8]> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 2, "{}", stdout(&out));
    // Each line is the file's exact name, so it opens.
    for line in &lines {
        let path = env.path().join(std::ffi::OsStr::from_bytes(line));
        assert!(path.is_file(), "{}", path.display());
    }
    assert_ne!(lines[0], lines[1]);
    // JSON names them losslessly too: path_bytes (base64) is the exact path.
    let (hits, _) = env.search("Quokkamarker", &["--index", "oi"]);
    assert_eq!(hits.len(), 2);
    let mut opened = Vec::new();
    for hit in &hits {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(
                hit.path_bytes
                    .as_ref()
                    .expect("path_bytes for a non-UTF-8 name"),
            )
            .unwrap();
        let text =
            std::fs::read_to_string(env.path().join(std::ffi::OsStr::from_bytes(&bytes))).unwrap();
        assert_eq!(&text.as_bytes()[hit.start..hit.end], hit.text.as_bytes());
        opened.push(bytes);
    }
    assert_ne!(opened[0], opened[1]);
    let out = env.run(&["search", "--index", "oi", "--count", "Quokkamarker"]);
    assert_eq!(stdout(&out).trim(), "2");
}

#[cfg(unix)]
#[test]
fn the_index_folder_is_never_indexed_through_a_symlink_or_a_dotdot_path() {
    let env = Env::new();
    // The index lives outside the corpus, but a link inside the corpus leads to it.
    std::os::unix::fs::symlink(env.path().join("index"), env.path().join("seeds/link")).unwrap();
    let out = env.run(&["index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(stderr(&out), ": 5 files");
    let out = env.run(&["index"]);
    assert_contains(stderr(&out), "0 added, 0 updated, 0 removed, 5 unchanged");
    let out = env.run(&["search", "Putin"]);
    assert_lacks(stderr(&out), "changed since");
    // An index inside the corpus named through `..` (the link to the other index goes first).
    std::fs::remove_file(env.path().join("seeds/link")).unwrap();
    let out = env.run(&["index", "seeds", "--index", "seeds/../seeds/idx"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(stderr(&out), ": 5 files");
    let out = env.run(&["index", "seeds", "--index", "seeds/../seeds/idx"]);
    assert_contains(stderr(&out), "0 added, 0 updated, 0 removed, 5 unchanged");
}

/// Runs `f` with `dir` mounted read-only in place (a read-only bind mount), if this process may
/// mount (root, in a namespace that allows it); returns false, doing nothing, otherwise.
#[cfg(target_os = "linux")]
fn with_read_only(dir: &std::path::Path, f: impl FnOnce()) -> bool {
    let mount = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new("mount")
            .args(args)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let d = dir.as_os_str();
    if !mount(&["--bind".as_ref(), d, d]) {
        return false;
    }
    if !mount(&["-o".as_ref(), "remount,ro,bind".as_ref(), d]) {
        let _ = std::process::Command::new("umount").arg(d).status();
        return false;
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let _ = std::process::Command::new("umount").arg(d).status();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
    true
}

#[cfg(target_os = "linux")]
#[test]
fn a_read_only_index_answers_searches() {
    let env = Env::indexed();
    let index = env.path().join("index");
    let check = || {
        let probe = std::fs::write(index.join("probe"), "x");
        assert!(probe.is_err(), "the index folder is still writable");
        let out = env.run(&["search", "Putin"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(!stdout(&out).is_empty());
        let out = env.run(&["search", "--count", "Putin"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let out = env.run(&["check"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        // Updating it is refused with the cause, never with advice to rebuild.
        std::fs::write(env.path().join("seeds/new.txt"), "Readonlymarker").unwrap();
        let out = env.run(&["index"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_lacks(stderr(&out), "--rebuild");
        assert_one_clean_error_line(&out);
    };
    if !with_read_only(&index, check) {
        // No mount here: as another user, take the write permission away instead.
        use std::os::unix::fs::PermissionsExt;
        let ro = std::fs::Permissions::from_mode(0o555);
        std::fs::set_permissions(&index, ro).unwrap();
        if std::fs::write(index.join("probe"), "x").is_err() {
            check();
        } else {
            eprintln!("skipped: cannot make a folder read-only here (root without mount)");
        }
        std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_rebuild_of_an_unreadable_index_waits_for_the_writer_lock_before_clearing_it() {
    let env = Env::indexed();
    let index = env.path().join("index");
    edit_meta(&index, |meta| {
        meta["payload"] = serde_json::json!("{not a manifest")
    });
    let files_before = std::fs::read_dir(&index).unwrap().count();
    // Another process updating the index holds this lock.
    let lock = tracuu::store::lock_writer(&index).unwrap();
    let out = env.run(&["index", "--rebuild"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains(stderr(&out), "another tracuu process is updating the index");
    assert_eq!(std::fs::read_dir(&index).unwrap().count(), files_before);
    assert!(
        index.join("meta.json").exists(),
        "the rebuild cleared a locked index"
    );
    drop(lock);
    env.assert_rebuild_repairs();
}

#[cfg(target_os = "linux")]
#[test]
fn the_index_folder_is_never_indexed_through_a_bind_mount() {
    let env = Env::indexed();
    let bound = env.path().join("seeds/bound");
    std::fs::create_dir_all(&bound).unwrap();
    let mounted = std::process::Command::new("mount")
        .arg("--bind")
        .arg(env.path().join("index"))
        .arg(&bound)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot bind-mount here");
        return;
    }
    let out = env.run(&["index"]);
    let _ = std::process::Command::new("umount").arg(&bound).status();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(": 5 files, ") && !stderr(&out).contains("warning"),
        "{}",
        stderr(&out)
    );
}

/// The warning of a search of `env`'s index, if any.
fn stale_warning(env: &Env) -> Option<String> {
    let out = env.run(&["search", "--count", "Putin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    err.contains("changed since it was indexed").then_some(err)
}

#[test]
fn every_kind_of_change_in_a_subfolder_is_noticed_on_the_next_search() {
    let env = Env::new();
    std::fs::create_dir_all(env.path().join("seeds/a/b")).unwrap();
    std::fs::write(env.path().join("seeds/a/b/deep.txt"), "Deepword Putin").unwrap();
    assert!(env.run(&["index", "--quiet"]).status.success());
    assert_eq!(stale_warning(&env), None);
    // Added deep down.
    let added = env.path().join("seeds/a/b/added.txt");
    std::fs::write(&added, "Added").unwrap();
    let err = stale_warning(&env).expect("an added file is reported");
    assert_contains(&err, "(1 new, 0 changed, 0 removed files)");
    // Reported again on the next search, not only once.
    assert!(stale_warning(&env).is_some());
    std::fs::remove_file(&added).unwrap();
    assert_eq!(stale_warning(&env), None, "undone: fresh again");
    // Removed.
    std::fs::rename(
        env.path().join("seeds/a/b/deep.txt"),
        env.path().join("deep.txt"),
    )
    .unwrap();
    let err = stale_warning(&env).expect("a removed file is reported");
    assert_contains(&err, "(0 new, 0 changed, 1 removed files)");
    std::fs::rename(
        env.path().join("deep.txt"),
        env.path().join("seeds/a/b/deep.txt"),
    )
    .unwrap();
    assert_eq!(stale_warning(&env), None);
    // Edited in place (the folder does not change).
    let seed = env.path().join("seeds/000_a4a2b0632f3d8560.txt");
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&seed)
        .unwrap();
    std::io::Write::write_all(&mut file, b" Editedword").unwrap();
    drop(file);
    let err = stale_warning(&env).expect("an edited file is reported");
    assert_contains(&err, "(0 new, 1 changed, 0 removed files)");
}

#[test]
fn by_default_a_quiet_check_is_trusted_for_a_second_and_a_change_is_reported_after_it() {
    let env = Env::indexed();
    let search = || {
        let out = env
            .command(&["search", "--count", "Putin"])
            .env_remove("TRACUU_TRUST_MS")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out).contains("changed since it was indexed")
    };
    let started = std::time::Instant::now();
    assert!(!search());
    std::fs::write(env.path().join("seeds/extra.txt"), "Extraword").unwrap();
    let changed = std::time::Instant::now();
    let reported = search();
    // Within the second after the first search's check started, the second search trusts it
    // (on a machine too slow to run both within the second, it checks, and reports).
    if started.elapsed() < Duration::from_millis(900) {
        assert!(
            !reported,
            "a search within the second after a quiet check checked again"
        );
    }
    std::thread::sleep(Duration::from_millis(1100).saturating_sub(changed.elapsed()));
    assert!(search(), "not reported a second after the change");
    assert!(search(), "a stale result is not trusted: reported again");
}

#[test]
fn a_file_that_came_and_went_leaves_the_index_fresh_and_later_changes_are_still_seen() {
    let env = Env::indexed();
    // An editor's swap file, and an empty new folder: the folders change, the files do not.
    let swap = env.path().join("seeds/.notes.swp");
    std::fs::write(&swap, "x").unwrap();
    std::fs::remove_file(&swap).unwrap();
    std::fs::create_dir(env.path().join("seeds/empty")).unwrap();
    assert_eq!(stale_warning(&env), None);
    assert_eq!(stale_warning(&env), None);
    // A file added later in the folder that was new is still reported.
    std::fs::write(env.path().join("seeds/empty/late.txt"), "Latequux").unwrap();
    let err = stale_warning(&env).expect("a file in a new folder is reported");
    assert_contains(&err, "(1 new, 0 changed, 0 removed files)");
    let out = env.run(&["search", "--refresh", "--count", "Latequux"]);
    assert_eq!(stdout(&out).trim(), "1", "{}", stderr(&out));
    assert_eq!(stale_warning(&env), None);
}

#[test]
fn an_edit_in_place_in_a_large_corpus_is_reported_within_the_documented_searches() {
    let env = Env::new();
    let many = env.path().join("seeds/many");
    std::fs::create_dir_all(&many).unwrap();
    let files = 3 * tracuu::store::filelist::CHUNK;
    for i in 0..files {
        std::fs::write(many.join(format!("f{i:04}.txt")), format!("Word{i} Putin")).unwrap();
    }
    assert!(env.run(&["index", "--quiet"]).status.success());
    let chunks = (files + 5).div_ceil(tracuu::store::filelist::CHUNK);
    // Newest first: the first file written is in the last chunk, checked by rotation only.
    std::fs::write(many.join("f0000.txt"), "Word0 Putin edited").unwrap();
    // The first chunk is checked on every search, one other in turn: the edit is reported
    // within as many searches as there are other chunks.
    let mut searches = 1;
    while stale_warning(&env).is_none() {
        assert!(
            searches < chunks - 1,
            "not reported within {} searches",
            chunks - 1
        );
        searches += 1;
    }
    // From then on it is reported on every search.
    for _ in 0..chunks {
        let err = stale_warning(&env).expect("reported again");
        assert_contains(&err, "(0 new, 1 changed, 0 removed files)");
    }
}
