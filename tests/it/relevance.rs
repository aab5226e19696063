//! The relevance sets (tests/data/queries.tsv, a copy of the public set, and our own
//! more_queries.tsv) against the seeds: each expected answer must be in the top 5, or there must
//! be no hit where none is expected. Every folding query is also run in NFD and in upper case.

use std::sync::OnceLock;

use crate::util::seeds;
use tracuu::{Engine, IndexOptions, SearchOptions};
use unicode_normalization::UnicodeNormalization;

pub(crate) struct Case {
    id: String,
    category: String,
    pub(crate) query: String,
    /// (file prefix or "*", phrase); empty for NONE.
    pub(crate) expect: Vec<(String, String)>,
}

pub(crate) fn load(name: &str) -> Vec<Case> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1) // header
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert!(cols.len() >= 4, "bad line {line:?}");
            let expect = if cols[3] == "NONE" {
                Vec::new()
            } else {
                cols[3]
                    .split(" | ")
                    .map(|alt| {
                        let (file, phrase) = alt.split_once("::").expect("FILE::PHRASE");
                        (file.to_string(), phrase.to_string())
                    })
                    .collect()
            };
            Case {
                id: cols[0].into(),
                category: cols[1].into(),
                query: cols[2].into(),
                expect,
            }
        })
        .collect()
}

/// The seeds, indexed once for every test that asks.
pub(crate) fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let index = dir.path().join("index");
            tracuu::build(
                &seeds(),
                &index,
                &IndexOptions::default(),
                &mut |w: &str| panic!("warning on the seeds: {w}"),
            )
            .unwrap();
            let engine = Engine::open(&index).unwrap();
            (dir, engine)
        })
        .1
}

fn collapse(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// None if the case passes, else what went wrong.
fn check(case: &Case, query: &str) -> Option<String> {
    let options = SearchOptions {
        limit: 5,
        ..SearchOptions::default()
    };
    let outcome = match engine().search(query, &options) {
        Ok(o) => o,
        Err(e) => return Some(format!("{} {query:?}: error {e}", case.id)),
    };
    if case.expect.is_empty() {
        return (!outcome.hits.is_empty()).then(|| {
            format!(
                "{} {query:?}: expected no hit, got {}",
                case.id, outcome.hits[0].source
            )
        });
    }
    let ok = outcome.hits.iter().any(|h| {
        let text = collapse(&h.text);
        case.expect.iter().any(|(file, phrase)| {
            (file == "*" || h.source.starts_with(file.as_str())) && text.contains(&collapse(phrase))
        })
    });
    (!ok).then(|| {
        let got: Vec<String> = outcome
            .hits
            .iter()
            .map(|h| format!("{}@{}", &h.source[..3], h.start))
            .collect();
        format!(
            "{} {query:?} ({}): top 5 {got:?}, parsed {}",
            case.id, case.category, outcome.query
        )
    })
}

fn run_set(name: &str) {
    let cases = load(name);
    assert!(cases.len() >= 20, "{name} has {} cases", cases.len());
    let mut failures = Vec::new();
    let mut runs = 0;
    for case in &cases {
        let mut variants = vec![case.query.clone()];
        if case.category.starts_with("fold")
            || case.category == "control"
            || case.category == "compound"
        {
            variants.push(case.query.nfd().collect());
            variants.push(case.query.to_uppercase());
        }
        for q in &variants {
            runs += 1;
            failures.extend(check(case, q));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn public_relevance_set() {
    run_set("queries.tsv");
}

#[test]
fn our_relevance_set() {
    run_set("more_queries.tsv");
}

#[test]
fn the_public_set_is_the_shared_one() {
    // The copy must not drift from ../shared/queries.tsv where that exists (CI has it).
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/queries.tsv");
    if let Ok(shared) = std::fs::read_to_string(shared) {
        let ours = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/queries.tsv"),
        )
        .unwrap();
        assert_eq!(
            ours, shared,
            "tests/data/queries.tsv differs from ../shared/queries.tsv"
        );
    }
}
