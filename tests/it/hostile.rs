//! Hostile input to the real binary: every error path reachable from the command line ends in
//! exit 2 and one plain `tracuu:` line (no panic, no Rust Debug dump), and absurd numbers never
//! crash a search.

use std::ffi::OsString;
use std::process::Output;

use crate::util::{assert_contains, copy_dir, stderr, stdout, Env};

/// Runs the binary with `args`, without a backtrace setting from the environment (a panic must
/// be contained even when nobody asked to see it).
fn run(env: &Env, args: &[OsString]) -> Output {
    env.command(&[])
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run tracuu")
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// Text that Rust's `{:?}` produces and a message for a person never does.
const DEBUG_PATTERNS: [&str; 6] = ["{ ", " }", "(\"", "Custom {", "kind:", "Os {"];

/// Asserts exit 2, nothing on stdout, and exactly one `tracuu:` line on stderr without Debug
/// text or a panic report.
fn assert_one_line_error(args: &[OsString], out: &Output) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}: stdout {}", stdout(out));
    assert!(
        err.ends_with('\n') && err.matches('\n').count() == 1,
        "{args:?}: not one line: {err}"
    );
    assert!(err.starts_with("tracuu: "), "{args:?}: {err}");
    for pattern in DEBUG_PATTERNS {
        assert!(
            !err.contains(pattern),
            "{args:?}: Debug text {pattern:?}: {err}"
        );
    }
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

/// Copies `index/` to `name/` and rewrites every file of the copy whose name ends in `ext` with
/// `damage`.
fn damaged_copy(env: &Env, name: &str, ext: &str, damage: fn(&mut [u8])) {
    let copy = env.path().join(name);
    copy_dir(&env.path().join("index"), &copy);
    for entry in std::fs::read_dir(&copy).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == ext) {
            let mut bytes = std::fs::read(&path).unwrap();
            damage(&mut bytes);
            std::fs::write(&path, bytes).unwrap();
        }
    }
}

fn fill(bytes: &mut [u8]) {
    bytes.fill(0xff);
}

/// The data garbled, the footer (checksum, magic bytes) left as it was.
fn fill_body(bytes: &mut [u8]) {
    let n = bytes.len().saturating_sub(60);
    bytes[..n].fill(0xff);
}

/// The first half garbled: in a debug build this makes tantivy overflow an addition (a panic).
fn fill_first_half(bytes: &mut [u8]) {
    let n = bytes.len() / 2;
    bytes[..n].fill(0xff);
}

#[test]
fn every_error_path_is_one_plain_line() {
    let env = Env::indexed();
    let root = env.path();
    std::fs::write(root.join("afile.txt"), "x").unwrap();
    std::fs::create_dir(root.join("junk")).unwrap();
    std::fs::write(root.join("junk/notes.txt"), "x").unwrap();
    copy_dir(&root.join("index"), &root.join("bad-meta"));
    std::fs::write(root.join("bad-meta/meta.json"), "not json").unwrap();
    copy_dir(&root.join("index"), &root.join("no-meta"));
    std::fs::remove_file(root.join("no-meta/meta.json")).unwrap();
    let mut damaged = Vec::new();
    for ext in ["idx", "pos", "term", "fast", "fieldnorm", "store"] {
        for (how, damage) in [
            ("fill", fill as fn(&mut [u8])),
            ("body", fill_body),
            ("half", fill_first_half),
        ] {
            let name = format!("damaged-{ext}-{how}");
            damaged_copy(&env, &name, ext, damage);
            damaged.push(name);
        }
    }

    let long = "Putin ".repeat(16 * 1024 / 6 + 1);
    assert!(long.len() > 16 * 1024);
    let mut cases: Vec<Vec<OsString>> = [
        // Corpus and index folders.
        &["index", "missing-folder"][..],
        &["index", "afile.txt"],
        &["index", "seeds", "--index", "afile.txt"],
        &["index", "seeds", "--index", "junk"],
        &["search", "--index", "afile.txt", "Putin"],
        &["search", "--index", "junk", "Putin"],
        &["search", "--index", "nowhere", "Putin"],
        &["search", "--index", "bad-meta", "Putin"],
        &["search", "--index", "no-meta", "Putin"],
        &["index", "seeds", "--index", "bad-meta"],
        &["bench", "--index", "nowhere"],
        &["bench", "--queries", "no-such-file"],
        // Queries.
        &["search", "--", "\"Cam Ranh"],
        &["search", "--", "(Kosygin OR Lavrov"],
        &["search", "--", "Kosygin)"],
        &["search", "--", "Putin~3"],
        &["search", "--", "author:Tolstoy"],
        &["search", "--", ""],
        &["search", "--", "OR ( )"],
        &["search", "-Guam"],
        &["search", "--", "-Guam -\"Cam Ranh\""],
        &["search", "--", &long],
        // Values and flags.
        &["search", "Putin", "--limit", "abc"],
        &["search", "Putin", "--limit", "0"],
        &["search", "Putin", "-n", "-3"],
        &["search", "Putin", "--limit", "99999999999999999999999"],
        &["search", "Putin", "--offset", "-1"],
        &["search", "Putin", "--offset", "abc"],
        &["search", "Putin", "--offset", "18446744073709551616"],
        &["search", "Putin", "--context", "5"],
        &["search", "Putin", "--context", "lots"],
        &["search", "Putin", "--color", "pink"],
        &["search", "Putin", "-c", "-l"],
        &["search", "Putin", "--bogus"],
        &["search", "Putin", "--index"],
        &["search"],
        &["index", "--bogus"],
        &["index", "--memory", "1"],
        &["index", "a", "b"],
        &["bench", "--iterations", "0"],
        &["completions", "tcsh"],
        &["completions"],
        &["serch", "Putin"],
        &["--bogus"],
        &[],
    ]
    .iter()
    .map(|args| os(args))
    .collect();
    for name in &damaged {
        for query in [
            &["Putin"][..],
            &["-c", "Putin"],
            &["-l", "the"],
            &["--full", "the"],
        ] {
            let mut args = os(&["search", "--index", name]);
            args.extend(os(query));
            cases.push(args);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bad = std::ffi::OsStr::from_bytes(b"Pu\xfftin").to_os_string();
        cases.push(vec!["search".into(), bad.clone()]);
        cases.push(vec!["search".into(), "--".into(), bad.clone()]);
        cases.push(vec![
            "search".into(),
            "Putin".into(),
            "--source".into(),
            bad.clone(),
        ]);
        cases.push(vec![
            "search".into(),
            "--index".into(),
            bad.clone(),
            "x".into(),
        ]);
        cases.push(vec!["index".into(), bad]);
    }

    for args in &cases {
        let out = run(&env, args);
        // A damaged index may still answer some queries right; it must never crash.
        let damaged = args.len() > 2 && args[2].to_string_lossy().starts_with("damaged-");
        if damaged && matches!(out.status.code(), Some(0 | 1)) {
            assert!(
                !stderr(&out).contains("panicked"),
                "{args:?}: {}",
                stderr(&out)
            );
            continue;
        }
        assert_one_line_error(args, &out);
    }
}

#[test]
fn a_damaged_meta_json_is_named_not_dumped() {
    // tantivy's message quotes the whole meta.json, escaped (`Content: "{\n  \"index_settings…`).
    let env = Env::indexed();
    copy_dir(&env.path().join("index"), &env.path().join("cut"));
    let meta = std::fs::read(env.path().join("index/meta.json")).unwrap();
    std::fs::write(env.path().join("cut/meta.json"), &meta[..meta.len() / 2]).unwrap();
    let args = os(&["search", "--index", "cut", "Putin"]);
    let out = run(&env, &args);
    assert_one_line_error(&args, &out);
    let err = stderr(&out);
    assert_contains(&err, "meta.json");
    assert_contains(&err, "--rebuild");
    assert!(
        !err.contains("\\\"") && !err.contains("\\n"),
        "escaped content: {err}"
    );
    assert!(err.len() < 400, "{} bytes: {err}", err.len());
}

#[test]
fn a_panic_in_the_index_library_is_one_line_naming_the_index_and_its_rebuild() {
    // Garbage in the first half of the postings makes tantivy panic (exit 101 before) in a debug
    // build; a release build may report it as an error instead. Either way: one line, exit 2,
    // naming the damaged index and the command that rebuilds it, which works from any folder.
    let env = Env::indexed();
    damaged_copy(&env, "damaged", "idx", fill_first_half);
    let args = os(&["search", "--index", "damaged", "Putin"]);
    let out = run(&env, &args);
    assert_one_line_error(&args, &out);
    let err = stderr(&out);
    let repair = format!(
        "`tracuu index --rebuild --index {}`",
        env.path().join("damaged").display()
    );
    assert_contains(&err, "is damaged");
    assert_contains(&err, &repair);
    // With RUST_BACKTRACE the panic report is shown, for whoever debugs it.
    let out = env
        .command(&["search", "--index", "damaged", "Putin"])
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    if err.contains("reading it failed") {
        assert_contains(stderr(&out), "panicked");
    }
}

/// Runs a search with a hostile `--offset` and asserts that it found nothing, printed nothing
/// on stdout and at most one line on stderr.
fn assert_nothing_past(env: &Env, offset: &str, extra: &[&str]) {
    let mut args = os(&["search", "Putin", "--offset", offset]);
    args.extend(os(extra));
    let out = run(env, &args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
    assert!(err.lines().count() <= 1, "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

/// `-c` and `-l` count and list every match whatever the page: a hostile `--offset` changes
/// nothing (and crashes nothing).
fn assert_offset_ignored(env: &Env, offset: &str, extra: &[&str]) {
    let mut plain = os(&["search", "Putin"]);
    plain.extend(os(extra));
    let expected = run(env, &plain);
    assert_eq!(expected.status.code(), Some(0));
    let mut args = plain.clone();
    args.extend(os(&["--offset", offset]));
    let out = run(env, &args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    assert_eq!(stdout(&out), stdout(&expected), "{args:?}");
    assert!(
        stderr(&out).lines().count() <= 1,
        "{args:?}: {}",
        stderr(&out)
    );
}

/// Offsets past any index: the largest `u64`, and 1 GiB.
const HUGE_OFFSETS: [&str; 2] = ["18446744073709551615", "1073741824"];

/// Runs `check` on the indexed seeds with each huge offset and each of `modes` (extra flags).
fn with_huge_offsets(modes: &[&[&str]], check: fn(&Env, &str, &[&str])) {
    let env = Env::indexed();
    for offset in HUGE_OFFSETS {
        for extra in modes {
            check(&env, offset, extra);
        }
    }
}

#[test]
fn a_huge_offset_finds_nothing() {
    with_huge_offsets(&[&[], &["--json"], &["-n", "100000"]], assert_nothing_past);
}

#[test]
fn a_huge_offset_does_not_change_a_count() {
    with_huge_offsets(&[&["-c"], &["-c", "--json"]], assert_offset_ignored);
}

#[test]
fn a_huge_offset_does_not_change_a_file_list() {
    with_huge_offsets(&[&["-l"], &["-l", "--json"]], assert_offset_ignored);
}

#[test]
fn the_debug_patterns_catch_debug_text() {
    // The check above is only as good as its patterns: each must flag Debug text once seen.
    let seen = [
        r#"Failed to open file for read: 'IoError { io_error: Custom { kind: InvalidData, error: "x" }, filepath: "a.idx" }'"#,
        r#"FileDoesNotExist("/x/meta.json")"#,
        r#"Os { code: 2, kind: NotFound, message: "No such file or directory" }"#,
    ];
    for pattern in DEBUG_PATTERNS {
        assert!(seen.iter().any(|s| s.contains(pattern)), "{pattern:?}");
    }
}
