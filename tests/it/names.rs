//! Ranking on a list of names with many spellings (a synthetic gazetteer of 10,000 ward
//! records): each record is a passage, the spelling typed comes first, and a name plus its
//! province finds its record.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::util::gazetteer::{self, Record};
use tracuu::text::{words, Mode};
use tracuu::{Engine, Hit, IndexOptions, SearchOptions};

fn toks(text: &str, mode: Mode) -> Vec<String> {
    words(text, mode).into_iter().map(|w| w.text).collect()
}

/// True if `needle` stands in `hay` as consecutive words.
fn contains_seq(hay: &[String], needle: &[String]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

struct Fixture {
    _dir: tempfile::TempDir,
    engine: Engine,
    records: Vec<Record>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let records = gazetteer::records(10_000, 2026);
        std::fs::write(corpus.join("wards.txt"), gazetteer::text(&records)).unwrap();
        let index = dir.path().join("index");
        tracuu::build(&corpus, &index, &IndexOptions::default(), &mut |w: &str| {
            panic!("{w}")
        })
        .unwrap();
        let engine = Engine::open(&index).unwrap();
        Fixture {
            _dir: dir,
            engine,
            records,
        }
    })
}

/// The first `limit` hits of `query` in the gazetteer.
fn search(query: &str, limit: usize) -> Vec<Hit> {
    let options = SearchOptions {
        limit,
        ..SearchOptions::default()
    };
    fixture().engine.search(query, &options).unwrap().hits
}

/// The top hit of `query` in the gazetteer.
fn top(query: &str) -> Option<Hit> {
    search(query, 1).into_iter().next()
}

/// Asks each query of `cases` and asserts that at least the share `at_least` of them has a top
/// hit `right` takes for its case, naming the first misses if not; prints the share as `what`.
/// Returns how many were asked.
fn assert_top_rate<T>(
    what: &str,
    at_least: f64,
    cases: impl Iterator<Item = (String, T)>,
    right: impl Fn(&T, &Hit) -> bool,
) -> usize {
    let (mut asked, mut first) = (0, 0);
    let mut misses = Vec::new();
    for (query, case) in cases {
        asked += 1;
        match top(&query) {
            Some(hit) if right(&case, &hit) => first += 1,
            other => misses.push((query, other.map(|h| h.text))),
        }
    }
    let rate = first as f64 / asked as f64;
    eprintln!("{what}: {first}/{asked} = {rate:.3}");
    assert!(
        rate >= at_least,
        "{rate:.3}; misses: {:?}",
        &misses[..misses.len().min(10)]
    );
    asked
}

#[test]
fn every_record_is_a_passage_of_its_own() {
    let hits = search("\"mã 00042\"", 5);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].text, fixture().records[41].line);
}

#[test]
fn a_name_typed_with_diacritics_finds_that_spelling_first() {
    let f = fixture();
    let mut spellings: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for r in &f.records {
        spellings
            .entry(toks(&r.name, Mode::Folded))
            .or_default()
            .insert(r.name.clone());
    }
    // Typed with diacritics; a name typed without any is read folded, as most people type.
    let cases = spellings
        .values()
        .filter(|s| s.len() >= 2)
        .flat_map(|names| names.iter().filter(|n| tracuu::text::has_diacritics(n)))
        .map(|name| (name.clone(), toks(name, Mode::Exact)));
    let asked = assert_top_rate("exact spelling first", 0.95, cases, |want, hit| {
        contains_seq(&toks(&hit.text, Mode::Exact), want)
    });
    assert!(asked >= 200, "{asked} names asked");
}

#[test]
fn a_folded_name_and_province_find_the_record_first() {
    let f = fixture();
    let cases = f.records.iter().step_by(25).map(|r| {
        let query = format!(
            "{} {}",
            toks(&r.name, Mode::Folded).join(" "),
            toks(&r.province, Mode::Folded).join(" ")
        );
        (query, r)
    });
    assert_top_rate("name + province first", 0.92, cases, |r, hit| {
        f.records.iter().any(|o| {
            o.line == hit.text
                && toks(&o.name, Mode::Folded) == toks(&r.name, Mode::Folded)
                && toks(&o.province, Mode::Folded) == toks(&r.province, Mode::Folded)
        })
    });
}

#[test]
fn a_bare_syllable_in_a_query_with_diacritics_means_the_level_tone() {
    // "Quang Sơn": Quang as typed, not Quảng, in the exact tier.
    for query in ["Quang Sơn", "Tân Thanh", "Hòa An"] {
        let want = toks(query, Mode::Exact);
        let hits = search(query, 3);
        for hit in hits.iter().filter(|h| h.exact) {
            assert!(
                contains_seq(&toks(&hit.text, Mode::Exact), &want)
                    || want
                        .iter()
                        .all(|w| toks(&hit.text, Mode::Exact).contains(w)),
                "{query}: exact hit {:?}",
                hit.text
            );
        }
        assert!(hits.first().is_some_and(|h| h.exact), "{query}: {hits:?}");
    }
}
