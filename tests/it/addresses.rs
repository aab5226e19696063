//! Addresses typed in administrative abbreviations (`P. Phúc Xá, Q. Ba Đình, TP. Hà Nội`,
//! `Q1`, `P.12`, `TP.HCM`): on a gazetteer of 10,000 wards with district and province, each form
//! of 200 addresses finds its ward first; on a small list, through the binary, each abbreviation
//! finds its full form and itself, and nothing else changes.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::util::gazetteer::{self, Indexed, Record};
use crate::util::{assert_lacks, stderr, Env};
use tracuu::text::{fold, words, Mode};
use tracuu::SearchOptions;

fn gazetteer() -> &'static Indexed {
    static F: OnceLock<Indexed> = OnceLock::new();
    F.get_or_init(|| gazetteer::indexed(10_000, 2026))
}

/// How an address abbreviates each kind of unit (the test's own table).
fn short(kind: &str) -> &'static str {
    match kind {
        "Phường" => "P",
        "Xã" => "X",
        "Thị trấn" => "TT",
        "Quận" => "Q",
        "Huyện" => "H",
        "Thị xã" => "TX",
        "Thành phố" => "TP",
        "Tỉnh" => "T",
        other => panic!("no abbreviation for {other}"),
    }
}

/// The ward, district and province of a record, each with its kind, as words in `mode`.
fn address(r: &Record, mode: Mode) -> Vec<Vec<String>> {
    [
        r.kind,
        &r.name,
        r.district_kind,
        &r.district,
        r.province_kind,
        &r.province,
    ]
    .iter()
    .map(|part| words(part, mode).into_iter().map(|w| w.text).collect())
    .collect()
}

/// The three forms of an address: spaced with commas, compact, and folded without marks (in
/// lower case).
fn forms(r: &Record) -> [String; 3] {
    let (p, d, t) = (
        short(r.kind),
        short(r.district_kind),
        short(r.province_kind),
    );
    let folded = |text: &str| -> String {
        let folded: Vec<String> = text.split(' ').map(fold).collect();
        folded.join(" ")
    };
    [
        format!("{p}. {}, {d}. {}, {t}. {}", r.name, r.district, r.province),
        format!("{p}.{} {d}.{} {t}.{}", r.name, r.district, r.province),
        format!(
            "{}. {}, {}. {}, {}. {}",
            p.to_lowercase(),
            folded(&r.name),
            d.to_lowercase(),
            folded(&r.district),
            t.to_lowercase(),
            folded(&r.province)
        ),
    ]
}

#[test]
fn abbreviated_addresses_find_their_ward_first_in_every_form() {
    let f = gazetteer();
    let wards: Vec<&Record> = f.records.iter().step_by(50).collect();
    assert_eq!(wards.len(), 200);
    let options = SearchOptions {
        limit: 1,
        ..SearchOptions::default()
    };
    let names = ["spaced", "compact", "folded"];
    for (form, name) in names.iter().enumerate() {
        // The folded form can only tell records apart by their folded words.
        let mode = if form == 2 { Mode::Folded } else { Mode::Exact };
        let mut misses = Vec::new();
        for r in &wards {
            let query = &forms(r)[form];
            let top = f.engine.search(query, &options).unwrap().hits;
            let right = top.first().is_some_and(|hit| {
                f.records
                    .iter()
                    .any(|o| o.line == hit.text && address(o, mode) == address(r, mode))
            });
            if !right {
                misses.push((query.clone(), top.first().map(|h| h.text.clone())));
            }
        }
        let first = wards.len() - misses.len();
        let rate = first as f64 / wards.len() as f64;
        eprintln!("{name}: {first}/{} = {rate:.3}", wards.len());
        assert!(
            rate >= 0.95,
            "{name}: {rate:.3}; misses: {:?}",
            &misses[..misses.len().min(5)]
        );
    }
}

/// A small list of wards and addresses written in full and abbreviated.
const LIST: &str = "\
Phường Phúc Xá thuộc Quận Ba Đình, Thành phố Hà Nội, mã 00001.
Phường Trúc Bạch thuộc Quận Ba Đình, Thành phố Hà Nội, mã 00004.
Xã Phúc Xá thuộc Huyện Ba Vì, Thành phố Hà Nội, mã 09999.
Phường 12 thuộc Quận Gò Vấp, Thành phố Hồ Chí Minh, mã 26800.
Phường 2 thuộc Quận Tân Bình, Thành phố Hồ Chí Minh, mã 26968.
Phường Bến Nghé thuộc Quận 1, Thành phố Hồ Chí Minh, mã 26740.
Văn phòng ở 12 Lê Lợi, P. Bến Thành, Q.1, TP.HCM.
Kho hàng ở 3 Trần Phú, P12, Q10, TPHCM.
Chi nhánh HN ở 5 Tràng Tiền.
Quận 10 có 14 phường.
";

fn list() -> Env {
    Env::indexed_files(&[("wards.txt", LIST.as_bytes().to_vec())])
}

/// The lines of `LIST` that `query` finds (with `extra` flags), and the exit status.
fn found(env: &Env, query: &str, extra: &[&str]) -> (BTreeSet<String>, i32) {
    let (hits, out) = env.search(query, extra);
    let code = out.status.code().unwrap();
    assert!(code < 2, "{query}: {}", stderr(&out));
    (hits.into_iter().map(|h| h.text).collect(), code)
}

/// The lines of `LIST` that hold each of `parts`.
fn lines(parts: &[&str]) -> BTreeSet<String> {
    let set: BTreeSet<String> = LIST
        .lines()
        .filter(|l| parts.iter().any(|p| l.contains(p)))
        .map(str::to_string)
        .collect();
    assert_eq!(set.len(), parts.len(), "{parts:?}");
    set
}

#[test]
fn numbered_units_and_city_acronyms_find_their_full_form_and_themselves() {
    let env = list();
    let quan1 = lines(&["Quận 1,", "Q.1,"]);
    for q in ["Q1", "Q.1", "q1", "Q. 1"] {
        assert_eq!(found(&env, q, &[]), (quan1.clone(), 0), "{q}");
    }
    let phuong12 = lines(&["Phường 12", "P12"]);
    for q in ["P.12", "P12", "P. 12"] {
        assert_eq!(found(&env, q, &[]), (phuong12.clone(), 0), "{q}");
    }
    let hcm = lines(&["Phường 12", "Phường 2 ", "Bến Nghé", "TP.HCM", "TPHCM"]);
    for q in ["TP.HCM", "TPHCM", "HCM", "tp.hcm", "TP HCM"] {
        assert_eq!(found(&env, q, &[]), (hcm.clone(), 0), "{q}");
    }
    let hn = lines(&["00001", "00004", "09999", "HN"]);
    assert_eq!(found(&env, "HN", &[]), (hn, 0));
    assert_eq!(
        found(&env, "Q1 TP.HCM", &[]),
        (lines(&["Quận 1,", "Q.1,"]), 0)
    );
}

#[test]
fn an_address_in_abbreviations_finds_the_ward_and_the_same_without_them_still_does() {
    let env = list();
    let ward = "Phường Phúc Xá thuộc Quận Ba Đình, Thành phố Hà Nội, mã 00001.";
    for q in [
        "P. Phúc Xá, Q. Ba Đình, TP. Hà Nội",
        "P.Phúc Xá Q.Ba Đình TP.Hà Nội",
        "P. Phuc Xa, Q. Ba Dinh, TP. Ha Noi",
        "P Phúc Xá, Q Ba Đình",
        "Phúc Xá, Ba Đình, Hà Nội",
    ] {
        let (hits, out) = env.search(q, &[]);
        assert_eq!(out.status.code(), Some(0), "{q}: {}", stderr(&out));
        assert_eq!(hits[0].text, ward, "{q}");
    }
    // Xã, not Phường: the ward of the other unit comes first.
    let (hits, _) = env.search("X. Phúc Xá", &[]);
    assert!(hits[0].text.starts_with("Xã Phúc Xá"), "{hits:?}");
}

#[test]
fn explain_shows_the_expansion_and_exact_keeps_the_spelling_typed() {
    let env = list();
    let (hits, _) = env.search("P. Phuc Xa, Q. Ba Dinh", &["--explain"]);
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0].query.contains("(phuong OR p)") && hits[0].query.contains("(quan OR q)"),
        "{}",
        hits[0].query
    );
    // Typed without marks: no exact-spelling tier, whatever marks the full forms carry.
    assert!(
        !hits[0].exact && !hits[0].query.contains("exact"),
        "{}",
        hits[0].query
    );
    // --exact: the words typed with marks in that spelling; the units in the table's spelling.
    let (hits, out) = env.search("P. Phúc Xá", &["--exact"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0].query.contains("exact:phường OR exact:p"),
        "{}",
        hits[0].query
    );
    assert_eq!(found(&env, "P. Phuc Xa", &["--exact"]).1, 1);
}

#[test]
fn quoted_and_full_words_are_not_expanded() {
    let env = list();
    // Quoted: the letters as typed.
    assert_eq!(found(&env, "\"Q1\"", &[]), (BTreeSet::new(), 1));
    assert_eq!(found(&env, "\"HN\"", &[]), (lines(&["HN"]), 0));
    // A full word finds itself only: abbreviations are read in queries, not in passages.
    assert_eq!(found(&env, "Quận 1", &[]), (lines(&["Quận 1,"]), 0));
    // A lone letter that is no address stays a word.
    assert_eq!(found(&env, "P Phúc", &[]), (BTreeSet::new(), 1));
}

#[test]
fn an_abbreviation_is_never_corrected_as_a_typo() {
    // The seeds hold no "Phường": the query finds nothing, and no word the user did not type is
    // "corrected" (it was once "no match for Phường; showing results for Phong").
    let env = Env::indexed();
    let (hits, out) = env.search("P. Putin", &[]);
    assert_eq!((hits.len(), out.status.code()), (0, Some(1)));
    assert_lacks(stderr(&out), "no match");
}

/// `--explain` in human output names what the query became: the abbreviation's full form.
#[test]
fn explain_shows_the_expansion_on_stderr() {
    let env = Env::with_files(&[(
        "wards.txt",
        "Phường Phúc Xá thuộc Quận Ba Đình, Thành phố Hà Nội.\n"
            .as_bytes()
            .to_vec(),
    )]);
    let out = env.run(&["index", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.run(&["search", "--explain", "P. Phúc Xá, Q. Ba Đình"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let line = stderr(&out);
    assert!(line.starts_with("tracuu: query: "), "{line}");
    assert!(line.contains("phuong") && line.contains("quan"), "{line}");
}
