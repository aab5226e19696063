//! The same corpus and query give the same hits in the same order, byte for byte, however the
//! index was built: with 1, 2 or 8 indexing threads, in one run or in several.

use crate::util::{stderr, stdout, Env};

/// The queries of the public relevance set (tests/data/queries.tsv) and our own.
fn queries() -> Vec<String> {
    let mut out = Vec::new();
    for name in ["queries.tsv", "more_queries.tsv"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name);
        let text = std::fs::read_to_string(path).unwrap();
        out.extend(
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .skip(1)
                .map(|l| l.split('\t').nth(2).unwrap().to_string()),
        );
    }
    // Common words: many equal scores, which is where order used to depend on the build.
    out.extend([
        "the".to_string(),
        "Russia Vietnam".to_string(),
        "a*".to_string(),
    ]);
    out
}

/// Asserts two sets of answers equal, naming the first query and line that differ.
fn assert_same(a: &[String], b: &[String], what: &str) {
    let queries = queries();
    for ((x, y), q) in a.iter().zip(b).zip(&queries) {
        if x != y {
            let (lx, ly) = x
                .lines()
                .zip(y.lines())
                .find(|(l, r)| l != r)
                .unwrap_or(("(shorter)", "(shorter)"));
            panic!(
                "{what}: query {q:?} differs:\n{}\n{}",
                &lx[..lx.len().min(300)],
                &ly[..ly.len().min(300)]
            );
        }
    }
    assert_eq!(a.len(), b.len());
}

/// Every query's `--json` output (top 50) against `index`.
fn answers(env: &Env, index: &str) -> Vec<String> {
    queries()
        .iter()
        .map(|q| {
            let out = env.run(&["search", "--json", "-n", "50", "--index", index, "--", q]);
            assert!(
                out.status.code().is_some_and(|c| c < 2),
                "{q}: {}",
                stderr(&out)
            );
            stdout(&out)
        })
        .collect()
}

#[test]
fn thread_counts_and_incremental_runs_give_byte_identical_results() {
    let env = Env::new();
    for threads in ["1", "2", "8"] {
        let index = format!("index{threads}");
        let out = env.run(&[
            "index",
            "seeds",
            "--index",
            &index,
            "--threads",
            threads,
            "-q",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let one = answers(&env, "index1");
    assert!(one.iter().filter(|a| !a.is_empty()).count() >= 20);
    assert_same(&one, &answers(&env, "index2"), "2 threads differ from 1");
    assert_same(&one, &answers(&env, "index8"), "8 threads differ from 1");

    // Built in three runs: two files first, then the rest, then one file edited and restored.
    let staged = env.path().join("staged");
    std::fs::create_dir_all(&staged).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(env.path().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    for name in &names[..2] {
        std::fs::copy(env.path().join("seeds").join(name), staged.join(name)).unwrap();
    }
    let index = |env: &Env| {
        let out = env.run(&["index", "staged", "--index", "incremental", "-q"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    };
    index(&env);
    for name in &names[2..] {
        std::fs::copy(env.path().join("seeds").join(name), staged.join(name)).unwrap();
    }
    index(&env);
    let first = staged.join(&names[0]);
    let original = std::fs::read(&first).unwrap();
    std::fs::write(&first, b"Edited away for a moment.").unwrap();
    index(&env);
    std::fs::write(&first, &original).unwrap();
    index(&env);
    let incremental: Vec<String> = answers(&env, "incremental")
        .into_iter()
        .map(|a| a.replace("staged/", "seeds/"))
        .collect();
    assert_same(&one, &incremental, "an index built in several runs differs");
}
