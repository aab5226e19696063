//! Words typed in Telex or VNI keys, as without an input method: a word in no passage that spells
//! a syllable of the index is searched as that syllable, on a gazetteer of 10,000 wards and on
//! the seeds; words of the corpus stay themselves, and `--no-correct` turns it off.

use std::sync::OnceLock;

use crate::util::gazetteer::{self, Indexed, Record};
use crate::util::keys::{type_text, type_word, Keys, ToneAt};
use crate::util::{assert_contains, assert_lacks, stderr, Env};
use tracuu::text::{fold, from_keys, is_syllable};
use tracuu::SearchOptions;

fn fixture() -> &'static Indexed {
    static F: OnceLock<Indexed> = OnceLock::new();
    F.get_or_init(|| gazetteer::indexed(10_000, 2026))
}

/// The texts of the first hits of `query` on the gazetteer, and the words corrected.
fn ask(query: &str, correct_typos: bool) -> (Vec<String>, Vec<(String, String)>) {
    let options = SearchOptions {
        limit: 1,
        correct_typos,
        ..SearchOptions::default()
    };
    let outcome = fixture().engine.search(query, &options).unwrap();
    let texts = outcome.hits.into_iter().map(|h| h.text).collect();
    let fixed = outcome
        .corrections
        .into_iter()
        .map(|c| (c.from, c.to))
        .collect();
    (texts, fixed)
}

/// Asks 200 wards as `<ward> <district>` typed in `keys` (the tone at the end of the word for
/// half, after its vowel for the other half) and asserts that for 90% their own record (or one
/// of the same ward and district) comes first; prints the share.
fn assert_typed_first(keys: Keys) {
    let f = fixture();
    let (mut asked, mut first, mut misses) = (0, 0, Vec::new());
    for (i, r) in f.records.iter().step_by(50).enumerate() {
        let at = if i % 2 == 0 {
            ToneAt::End
        } else {
            ToneAt::Vowel
        };
        let query = type_text(&format!("{} {}", r.name, r.district), keys, at);
        let (top, _) = ask(&query, true);
        asked += 1;
        let right = |o: &&Record| o.name == r.name && o.district == r.district;
        match top.first() {
            Some(text) if f.records.iter().filter(right).any(|o| &o.line == text) => first += 1,
            other => misses.push((query, other.cloned())),
        }
    }
    assert_eq!(asked, 200);
    let rate = first as f64 / asked as f64;
    eprintln!("{keys:?} keys, ward + district first: {first}/{asked} = {rate:.3}");
    assert!(
        rate >= 0.9,
        "{rate:.3}; misses: {:?}",
        &misses[..misses.len().min(10)]
    );
}

#[test]
fn wards_typed_in_telex_keys_find_their_record_first() {
    assert_typed_first(Keys::Telex);
}

#[test]
fn wards_typed_in_vni_keys_find_their_record_first() {
    assert_typed_first(Keys::Vni);
}

#[test]
fn keys_are_reported_as_corrections_and_no_correct_turns_them_off() {
    let r = fixture()
        .records
        .iter()
        .find(|r| r.name.contains('ư') && r.district.contains('Đ'))
        .unwrap();
    let words = format!("{} {}", r.name, r.district);
    let typed: Vec<String> = words
        .split(' ')
        .map(|w| type_word(w, Keys::Telex, ToneAt::End))
        .collect();
    // Each word typed with a key, as typed → as spelled.
    let want: Vec<(String, String)> = typed
        .iter()
        .zip(words.split(' '))
        .filter(|(t, w)| t != w)
        .map(|(t, w)| (t.clone(), w.to_string()))
        .collect();
    let query = typed.join(" ");
    let (hits, fixed) = ask(&query, true);
    assert!(!hits.is_empty(), "{query}");
    assert_eq!(fixed, want);
    assert_eq!(ask(&query, false), (vec![], vec![]));
}

#[test]
fn words_typed_in_keys_on_the_seeds() {
    let env = Env::new();
    let extra = [
        ("ddos.txt", "Một cuộc tấn công DDoS làm sập trang web."),
        ("do.txt", "Đó là lời của ông Trần."),
    ];
    for (name, text) in extra {
        std::fs::write(env.path().join("seeds").join(name), text).unwrap();
    }
    assert!(env.run(&["index", "--quiet"]).status.success());
    for (query, shown) in [
        ("Traanf Dduwcs Luwowng", "Trần Đức Lương"),
        ("Tra62n D9u71c Lu7o7ng", "Trần Đức Lương"),
    ] {
        let (hits, out) = env.search(query, &[]);
        assert!(hits[0].text.contains("Trần Đức Lương"), "{query}: {hits:?}");
        assert_contains(
            stderr(&out),
            &format!("no match for {query}; showing results for {shown}"),
        );
        let (hits, out) = env.search(query, &["--no-correct"]);
        assert!(hits.is_empty() && out.status.code() == Some(1), "{query}");
        assert_lacks(stderr(&out), "showing results");
    }
    // Words of the corpus stay themselves: `ddos` is no "đó", though "Đó" is in the corpus.
    for query in ["class", "Putin", "ddos"] {
        let (hits, out) = env.search(query, &[]);
        assert!(!hits.is_empty(), "{query}");
        assert_lacks(stderr(&out), "showing results");
    }
    // Read as "đó Trần", `ddos Traanf` would find do.txt.
    assert!(!env.search("đó Trần", &[]).0.is_empty());
    let (hits, out) = env.search("ddos Traanf", &[]);
    assert!(hits.is_empty() && out.status.code() == Some(1), "{hits:?}");
    assert_lacks(stderr(&out), "showing results");
}

#[test]
fn every_word_of_the_gazetteer_typed_in_keys_reads_back() {
    let mut words: Vec<&str> = fixture()
        .records
        .iter()
        .flat_map(|r| r.line.split([' ', ',', '.']))
        // Names like "Krông" and "Đắk" are no syllables of Vietnamese's shape: typed, they stay.
        .filter(|w| !w.is_ascii() && is_syllable(&fold(w)))
        .collect();
    words.sort_unstable();
    words.dedup();
    assert!(words.len() > 80, "{}", words.len());
    for word in words {
        for keys in [Keys::Telex, Keys::Vni] {
            for at in [ToneAt::End, ToneAt::Vowel] {
                let typed = type_word(word, keys, at);
                assert_eq!(from_keys(&typed).as_deref(), Some(word), "{typed}");
            }
        }
    }
}
