//! Ranking on a list of names with many spellings (a synthetic gazetteer of 10,000 ward
//! records): each record is a passage, the spelling typed comes first, and a name plus its
//! province finds its record.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use tracuu::testing::gazetteer::{self, Record};
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

fn top(query: &str) -> Option<Hit> {
    let options = SearchOptions {
        limit: 1,
        ..SearchOptions::default()
    };
    let outcome = fixture().engine.search(query, &options).unwrap();
    outcome.hits.into_iter().next()
}

#[test]
fn every_record_is_a_passage_of_its_own() {
    let f = fixture();
    let options = SearchOptions {
        limit: 5,
        ..SearchOptions::default()
    };
    let hits = f.engine.search("\"mã 00042\"", &options).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].text, f.records[41].line);
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
    let (mut asked, mut first) = (0, 0);
    let mut misses = Vec::new();
    for names in spellings.values().filter(|s| s.len() >= 2) {
        // Typed with diacritics; a name typed without any is read folded, as most people type.
        for name in names.iter().filter(|n| tracuu::text::has_diacritics(n)) {
            asked += 1;
            let want = toks(name, Mode::Exact);
            match top(name) {
                Some(hit) if contains_seq(&toks(&hit.text, Mode::Exact), &want) => first += 1,
                other => misses.push((name.clone(), other.map(|h| h.text))),
            }
        }
    }
    let rate = first as f64 / asked as f64;
    eprintln!("exact spelling first: {first}/{asked} = {rate:.3}");
    assert!(asked >= 200, "{asked} names asked");
    assert!(
        rate >= 0.95,
        "{rate:.3}; misses: {:?}",
        &misses[..misses.len().min(10)]
    );
}

#[test]
fn a_folded_name_and_province_find_the_record_first() {
    let f = fixture();
    let (mut asked, mut first) = (0, 0);
    let mut misses = Vec::new();
    for r in f.records.iter().step_by(25) {
        asked += 1;
        let query = format!(
            "{} {}",
            toks(&r.name, Mode::Folded).join(" "),
            toks(&r.province, Mode::Folded).join(" ")
        );
        let right = |hit: &Hit| {
            f.records.iter().any(|o| {
                o.line == hit.text
                    && toks(&o.name, Mode::Folded) == toks(&r.name, Mode::Folded)
                    && toks(&o.province, Mode::Folded) == toks(&r.province, Mode::Folded)
            })
        };
        match top(&query) {
            Some(hit) if right(&hit) => first += 1,
            other => misses.push((query, other.map(|h| h.text))),
        }
    }
    let rate = first as f64 / asked as f64;
    eprintln!("name + province first: {first}/{asked} = {rate:.3}");
    assert!(
        rate >= 0.92,
        "{rate:.3}; misses: {:?}",
        &misses[..misses.len().min(10)]
    );
}

#[test]
fn a_bare_syllable_in_a_query_with_diacritics_means_the_level_tone() {
    // "Quang Sơn": Quang as typed, not Quảng, in the exact tier.
    let f = fixture();
    let options = SearchOptions {
        limit: 3,
        ..SearchOptions::default()
    };
    for query in ["Quang Sơn", "Tân Thanh", "Hòa An"] {
        let want = toks(query, Mode::Exact);
        let hits = f.engine.search(query, &options).unwrap().hits;
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
