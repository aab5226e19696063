//! The real binary on a copy of the seeds: indexing, searching, output formats, exit codes and
//! the message of every bad input.

use crate::util::{
    assert_contains, assert_lacks, assert_offsets, assert_one_clean_error_line, copy_dir, decode,
    stderr, stdout, Env,
};

#[test]
fn first_search_builds_the_index_and_finds_tran_duc_luong_first() {
    let env = Env::new();
    let (hits, out) = env.search("Tran Duc Luong", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(stderr(&out), "building one from seeds/");
    assert!(env.path().join("index/meta.json").is_file());
    let first_two: Vec<&str> = hits.iter().take(2).map(|h| &h.source[..3]).collect();
    assert!(
        first_two.contains(&"000") && first_two.contains(&"003"),
        "{first_two:?}"
    );
    for h in hits.iter().take(2) {
        assert_contains(&h.text, "Trần Đức Lương");
    }
    for h in &hits {
        assert_offsets(env.path(), h);
    }
    // The second search does not rebuild.
    let (_, out) = env.search("Tran Duc Luong", &[]);
    assert!(!stderr(&out).contains("building"));
}

#[test]
fn index_reports_files_passages_and_time() {
    let env = Env::new();
    let out = env.run(&["index"]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert_contains(&err, "5 files");
    assert_contains(&err, "5 added");
    assert_contains(&err, " passages");
    assert_contains(&err, " s");
    // Custom corpus and index paths.
    let out = env.run(&["index", "seeds", "--index", "elsewhere"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = env.run(&["search", "--index", "elsewhere", "Sevastopol"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn required_searches_find_the_right_passages() {
    let env = Env::indexed();
    for (query, file, phrase) in [
        ("Nguyễn Ái Quốc", "001", "Nguyen Ai Quoc"),
        ("Путин", "", "Putin"),
        ("Điện Biên Phủ", "001", "Dien Bien"),
    ] {
        let (hits, out) = env.search(query, &[]);
        assert_eq!(out.status.code(), Some(0), "{query}: {}", stderr(&out));
        assert!(!hits.is_empty(), "{query}");
        for h in &hits {
            assert!(h.source.starts_with(file), "{query}: {}", h.source);
            assert!(h.text.contains(phrase), "{query}: {}", h.text);
            assert_offsets(env.path(), h);
        }
    }
}

#[test]
fn a_phrase_across_a_wrapped_line_matches() {
    let env = Env::indexed();
    let text = std::fs::read_to_string(env.path().join("seeds/001_fab5263dfb4bd43e.txt")).unwrap();
    // Find two words separated by a line break and a blank line, as the PDF text has them.
    let at = text.find(" \n\n").expect("a wrapped line");
    let before = text[..at].split_whitespace().last().unwrap();
    let after = text[at..].split_whitespace().next().unwrap();
    let phrase = format!("\"{before} {after}\"");
    let (hits, out) = env.search(&phrase, &[]);
    assert_eq!(out.status.code(), Some(0), "{phrase}: {}", stderr(&out));
    assert!(hits.iter().any(|h| h.start <= at && at < h.end), "{phrase}");
}

#[test]
fn no_answer_exits_1_and_prints_nothing() {
    let env = Env::indexed();
    for extra in [&[][..], &["--json"], &["--files"], &["--files", "--json"]] {
        let mut args = vec!["search", "cryptocurrency", "blockchain"];
        args.extend(extra);
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
    }
}

#[test]
fn count_prints_0_and_exits_1_when_nothing_matches() {
    // Like `grep -c`: the count is always printed; the status says whether it is 0.
    let env = Env::indexed();
    let out = env.run(&["search", "--count", "cryptocurrency"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "0\n");
    let out = env.run(&["search", "-c", "--json", "cryptocurrency"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(json["count"], 0);
    let out = env.run(&["search", "-c", "Putin"]);
    assert_eq!(out.status.code(), Some(0));
    assert_ne!(stdout(&out), "0\n");
}

#[test]
fn a_page_past_the_last_hit_exits_1_and_prints_nothing() {
    let env = Env::indexed();
    let total: usize = stdout(&env.run(&["search", "-c", "Putin"]))
        .trim()
        .parse()
        .unwrap();
    let offset = total.to_string();
    for json in [false, true] {
        let mut args = vec!["search", "Putin", "--offset", &offset];
        if json {
            args.push("--json");
        }
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
    }
    // The last hit alone is still a hit.
    let last = (total - 1).to_string();
    let out = env.run(&["search", "Putin", "--json", "--offset", &last]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(decode(&out).len(), 1);
    // `--count` counts every match whatever the page.
    let out = env.run(&["search", "Putin", "-c", "--offset", &offset]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).trim(), offset);
}

#[test]
fn errors_exit_2_with_one_line_that_says_what_to_do() {
    let env = Env::indexed();
    std::fs::write(env.path().join("afile.txt"), "x").unwrap();
    std::fs::create_dir(env.path().join("junk")).unwrap();
    std::fs::write(env.path().join("junk/notes.txt"), "x").unwrap();
    for (args, hint) in [
        (
            vec!["search", "--index", "nowhere", "Putin"],
            "no index at nowhere; build one with `tracuu index",
        ),
        (
            vec!["search", "--index", "junk", "Putin"],
            "is not a tracuu index",
        ),
        (
            vec!["index", "missing-folder"],
            "no corpus at missing-folder",
        ),
        (vec!["index", "afile.txt"], "is a file, not a folder"),
        (
            vec!["index", "seeds", "--index", "junk"],
            "is not a tracuu index",
        ),
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(hint), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Error {"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn corrupt_index_is_reported_not_panicked() {
    let env = Env::indexed();
    std::fs::write(env.path().join("index/meta.json"), "{ not json").unwrap();
    let out = env.run(&["search", "Putin"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_contains(&err, "cannot be read");
    assert_contains(&err, "--rebuild");
    // And the suggested command repairs it.
    env.assert_rebuild_repairs();
}

#[test]
fn bad_queries_exit_2_with_a_hint() {
    let env = Env::indexed();
    let long = "Putin ".repeat(20_000);
    for (query, hint) in [
        ("", "no words"),
        ("OR ( )", "no words"),
        ("-Guam", "only excludes"),
        ("-Guam -\"Cam Ranh\"", "only excludes"),
        ("\"Cam Ranh", "unbalanced quote"),
        ("(Kosygin OR Lavrov", "closing `)`"),
        ("Kosygin)", "extra `)`"),
        ("author:Tolstoy", "unknown field `author:`"),
        ("source:", "`source:` needs a file glob"),
        ("Putin source:", "`source:` needs a file glob"),
        (long.as_str(), "bytes long"),
    ] {
        let out = env.run(&["search", "--", query]);
        assert_eq!(out.status.code(), Some(2), "{query:.40}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("tracuu: bad query: ") && err.contains(hint),
            "{query:.40}: {err}"
        );
        assert_eq!(err.lines().count(), 1);
    }
}

#[test]
fn odd_arguments_are_handled() {
    let env = Env::indexed();
    // Control characters are spaces.
    let out = env.run(&["search", "Cam\u{1}Ranh"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A limit of 0 or below is a usage error.
    for limit in ["0", "-3"] {
        let out = env.run(&["search", "Putin", "--limit", limit]);
        assert_eq!(out.status.code(), Some(2), "--limit {limit}");
        assert_contains(stderr(&out), "--limit");
        assert!(!stderr(&out).contains("panicked"));
    }
    // Invalid UTF-8 in an argument.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bad = std::ffi::OsStr::from_bytes(b"Pu\xfftin");
        let out = env.command(&["search"]).arg(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_contains(stderr(&out), "not valid UTF-8");
    }
}

#[test]
fn exclusions_work_unquoted_on_the_command_line() {
    let env = Env::indexed();
    let all = decode(&env.run(&["search", "--json", "-n", "100", "Putin"]));
    let out = env.run(&["search", "--json", "-n", "100", "Putin", "-Hanoi"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let some = decode(&out);
    let with_hanoi = all.iter().filter(|h| h.text.contains("Hanoi")).count();
    assert!(with_hanoi > 0);
    assert_eq!(some.len(), all.len() - with_hanoi);
    assert!(some.iter().all(|h| !h.text.contains("Hanoi")));
}

#[test]
fn count_files_and_paging() {
    let env = Env::indexed();
    let out = env.run(&["search", "--count", "Putin"]);
    let total: usize = stdout(&out).trim().parse().unwrap();
    let all = decode(&env.run(&["search", "--json", "-n", "1000", "Putin"]));
    assert_eq!(total, all.len());
    assert!(total > 3);

    let page = decode(&env.run(&["search", "--json", "-n", "2", "--offset", "2", "Putin"]));
    assert_eq!(page.len(), 2);
    assert_eq!(page[0].rank, 3);
    assert_eq!(
        (page[0].start, &page[0].source),
        (all[2].start, &all[2].source)
    );

    let out = env.run(&["search", "--files", "Putin"]);
    let files: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    let mut expected: Vec<String> = all.iter().map(|h| h.path.display().to_string()).collect();
    expected.sort();
    expected.dedup();
    assert_eq!(files, expected);
    // With --json, each file's count of matching passages: those of the ranked list.
    let out = env.run(&["search", "--files", "--json", "Putin"]);
    let mut counted = 0;
    for line in stdout(&out).lines() {
        let file: serde_json::Value = serde_json::from_str(line).unwrap();
        let passages = file["passages"].as_u64().unwrap() as usize;
        let source = file["source"].as_str().unwrap();
        assert_eq!(
            passages,
            all.iter().filter(|h| h.source == source).count(),
            "{line}"
        );
        counted += passages;
    }
    assert_eq!(counted, total);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let env = Env::indexed();
    let piped = env.run(&["search", "Putin"]);
    assert!(!stdout(&piped).contains('\x1b'), "colour in a pipe");
    let forced = env.run(&["search", "--color", "always", "Putin"]);
    assert!(
        stdout(&forced).contains("\x1b[1;31mPutin"),
        "{}",
        stdout(&forced)
    );
    let never = env
        .command(&["search", "--color", "never", "Putin"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&never).contains('\x1b'));
}

#[test]
fn human_output_is_clickable_and_shows_rank_score_and_bytes() {
    let env = Env::indexed();
    let out = env.run(&["search", "Sevastopol", "1919"]);
    let text = stdout(&out);
    let first = text.lines().next().unwrap();
    // path:line:column: #rank score S bytes A..B
    let (location, rest) = first.split_once(": ").unwrap();
    let mut parts = location.rsplitn(3, ':');
    let column: usize = parts.next().unwrap().parse().unwrap();
    let line: usize = parts.next().unwrap().parse().unwrap();
    let path = parts.next().unwrap();
    assert!(
        rest.starts_with("#1 score ") && rest.contains(" bytes "),
        "{first}"
    );
    // The location is the first highlighted word.
    let file = std::fs::read_to_string(env.path().join(path)).unwrap();
    let line_text = file.lines().nth(line - 1).unwrap();
    let word: String = line_text.chars().skip(column - 1).take(10).collect();
    assert!(
        word.starts_with("Sevastopol") || word.starts_with("1919"),
        "{word:?}"
    );
    // --full prints the whole passage.
    let hits = decode(&env.run(&["search", "--json", "Sevastopol", "1919"]));
    let full = stdout(&env.run(&["search", "--full", "-n", "1", "Sevastopol", "1919"]));
    let flat: String = hits[0]
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_contains(&full, &flat);
}

#[test]
fn closed_pipe_exits_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let env = Env::indexed();
    let mut child = env
        .command(&["search", "--full", "-n", "1000", "the"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_lacks(stderr(&out), "panicked");
    assert!(matches!(out.status.code(), Some(0)), "{:?}", out.status);
}

#[test]
fn completions_for_each_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("tracuu"), "{shell}");
    }
    assert_eq!(env.run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn an_exclusion_starting_like_a_flag_is_an_exclusion() {
    let env = Env::indexed();
    let all = decode(&env.run(&["search", "--json", "-n", "100", "Putin"]));
    // `-nuclear` is not `-n uclear`; `-n5` is still the limit.
    let out = env.run(&["search", "--json", "Putin", "-nuclear", "-n5"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let some = decode(&out);
    let kept: Vec<_> = all
        .iter()
        .filter(|h| !h.text.to_lowercase().contains("nuclear"))
        .collect();
    assert!(kept.len() < all.len(), "no Putin passage mentions nuclear");
    assert_eq!(some.len(), kept.len().min(5));
    assert!(some
        .iter()
        .all(|h| !h.text.to_lowercase().contains("nuclear")));
}

#[test]
fn a_corpus_named_search_is_a_corpus() {
    let env = Env::new();
    copy_dir(&env.path().join("seeds"), &env.path().join("search"));
    let out = env.run(&["index", "search", "-q", "--index", "idx"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).is_empty(),
        "-q was not quiet: {}",
        stderr(&out)
    );
    let out = env.run(&["search", "--index", "idx", "-c", "Putin"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn usage_errors_are_one_line_and_help_is_not_an_error() {
    let env = Env::new();
    for (args, says) in [
        (&["search", "Putin", "--limit", "0"][..], "--limit"),
        (&["search", "Putin", "--bogus"], "'--bogus'"),
        (&["search"], "<QUERY>"),
        (&["index", "--threads", "0"], "--threads"),
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("tracuu: ") && err.contains(says),
            "{args:?}: {err}"
        );
        let help = format!("see `tracuu {} --help`", args[0]);
        assert!(err.trim_end().ends_with(&help), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
    for args in [
        &["--help"][..],
        &["-h"],
        &["--version"],
        &["search", "--help"],
        &["help", "index"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(!out.stdout.is_empty(), "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    }
    let version = stdout(&env.run(&["--version"]));
    assert_eq!(
        version.trim(),
        format!("tracuu {}", env!("CARGO_PKG_VERSION"))
    );
}

#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_prints_as_its_bytes_and_show_never_guesses_between_lossy_twins() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let env = Env::with_files(&[("plain.txt", b"Nothing to see here.".to_vec())]);
    for (name, text) in [
        (&b"bad\xffname.txt"[..], "Quokkamarker in the first file."),
        (b"bad\xfename.txt", "Quokkamarker in the second file."),
        (b"solo\xff.txt", "Quokkamarker alone."),
    ] {
        let path = env.path().join("seeds").join(OsStr::from_bytes(name));
        std::fs::write(path, text).unwrap();
    }
    let out = env.run(&["index", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The human output names each file by its bytes, as `-l` does: the location opens it.
    let out = env.run(&["search", "Quokkamarker"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let headers: Vec<&[u8]> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(b"seeds/"))
        .collect();
    assert_eq!(headers.len(), 3, "{}", stdout(&out));
    for header in &headers {
        let end = header.windows(3).position(|w| w == b":1:").unwrap();
        let path = env.path().join(OsStr::from_bytes(&header[..end]));
        assert!(path.is_file(), "{}", path.display());
    }
    // `show` takes that location as it is, bytes and all.
    let first = headers
        .iter()
        .find(|h| h.starts_with(b"seeds/bad\xff"))
        .unwrap();
    let location = &first[..first.windows(2).position(|w| w == b": ").unwrap() + 1];
    let out = env
        .command(&["show"])
        .arg(OsStr::from_bytes(location))
        .args(["0", "12"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "Quokkamarker", "{}", stderr(&out));
    // A name copied from a terminal has U+FFFD where the odd byte was: one file may be meant,
    // two cannot be told apart, and show says what to give instead.
    let out = env.run(&["show", "seeds/solo\u{FFFD}.txt", "0", "12"]);
    assert_eq!(stdout(&out), "Quokkamarker", "{}", stderr(&out));
    let out = env.run(&["show", "seeds/bad\u{FFFD}name.txt", "0", "12"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_one_clean_error_line(&out);
    let err = stderr(&out);
    for candidate in [r"$'bad\xfename.txt'", r"$'bad\xffname.txt'"] {
        assert!(err.contains(candidate), "{candidate}: {err}");
    }
}
