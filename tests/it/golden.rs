//! Golden answers: the JSON output of every query of both relevance sets over the seeds, and of
//! queries over a documents fixture (HTML, Markdown, PDF, DOCX, ODT, EPUB, gzip, legacy
//! encodings, UTF-16, a BOM), compared byte for byte with `tests/data/golden/*.txt`. A change
//! that is meant to change answers rewrites them with
//! `TRACUU_BLESS=1 cargo test --test it golden`, and the diff shows what changed; a
//! restructuring must leave them as they are.

use std::path::Path;

use crate::util::{copy_dir, stderr, Env};

/// The queries of a relevance set (the third column of its TSV).
fn relevance_queries(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split('\t').nth(2).unwrap().to_string())
        .collect()
}

/// Queries over the documents fixture: words of every format, names in both spellings.
const DOCUMENT_QUERIES: &[&str] = &[
    "Hà Nội",
    "Ha Noi",
    "Nguyen Ai Quoc",
    "\"Nguyễn Ái Quốc\"",
    "Tran Duc Luong",
    "Trần Đức Lương",
    "sông Hồng",
    "Sai Gon",
    "hiếu khách",
    "tieng viet",
    "ngôn ngữ",
    "trang",
    "Chương",
    "cài đặt",
    "thế giới",
    "pho co -Sai",
];

/// Each query's `search --json` output (top 10) and `--count --json`, with its exit status,
/// run in `env` with `extra` flags.
fn answers(env: &Env, queries: &[String]) -> String {
    let mut out = String::new();
    for query in queries {
        for mode in [&["--json", "-n", "10"][..], &["--count", "--json"][..]] {
            let args: Vec<&str> = [&["search"][..], mode, &["--", query.as_str()]].concat();
            let run = env.run(&args);
            let code = run.status.code();
            assert!(matches!(code, Some(0 | 1)), "{query}: {}", stderr(&run));
            out.push_str(&format!("## {} {query}\n", mode.join(" ")));
            out.push_str(&String::from_utf8(run.stdout).unwrap());
            out.push_str(&format!("exit {}\n", code.unwrap()));
        }
    }
    out
}

/// Compares `actual` with the golden file `name`, or rewrites it with `TRACUU_BLESS=1`.
fn assert_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/golden")
        .join(name);
    if std::env::var_os("TRACUU_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let (line, (want, got)) = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((0, ("(lengths differ)", "(lengths differ)")));
        panic!(
            "{name} differs at line {}:\nexpected: {}\nactual:   {}\n(TRACUU_BLESS=1 rewrites it)",
            line + 1,
            &want[..want.len().min(400)],
            &got[..got.len().min(400)]
        );
    }
}

/// Indexes `env`'s `seeds/` on one thread (one segment, the same bytes on every run).
fn index(env: &Env) {
    let out = env.run(&["index", "--threads", "1", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_relevance_sets_answer_as_the_golden_file_says() {
    let env = Env::new();
    index(&env);
    let mut queries = relevance_queries("queries.tsv");
    queries.extend(relevance_queries("more_queries.tsv"));
    assert_golden("seeds.txt", &answers(&env, &queries));
}

#[test]
fn the_documents_fixture_answers_as_the_golden_file_says() {
    let env = Env::with_files(&[]);
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden/docs");
    copy_dir(&docs, &env.path().join("seeds"));
    index(&env);
    let queries: Vec<String> = DOCUMENT_QUERIES.iter().map(|q| q.to_string()).collect();
    assert_golden("documents.txt", &answers(&env, &queries));
}
