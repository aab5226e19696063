//! Folding over the whole Vietnamese alphabet: every vowel with every tone, and đ, in lower and
//! upper case, NFC, NFD and mixed (a precomposed base letter followed by a combining tone mark).

use tracuu::text::{words, Mode};
use unicode_normalization::UnicodeNormalization;

/// Each row: the base vowel folded, then the letter bare and with huyền, sắc, hỏi, ngã, nặng.
const VOWELS: [(&str, [&str; 6]); 12] = [
    ("a", ["a", "à", "á", "ả", "ã", "ạ"]),
    ("a", ["ă", "ằ", "ắ", "ẳ", "ẵ", "ặ"]),
    ("a", ["â", "ầ", "ấ", "ẩ", "ẫ", "ậ"]),
    ("e", ["e", "è", "é", "ẻ", "ẽ", "ẹ"]),
    ("e", ["ê", "ề", "ế", "ể", "ễ", "ệ"]),
    ("i", ["i", "ì", "í", "ỉ", "ĩ", "ị"]),
    ("o", ["o", "ò", "ó", "ỏ", "õ", "ọ"]),
    ("o", ["ô", "ồ", "ố", "ổ", "ỗ", "ộ"]),
    ("o", ["ơ", "ờ", "ớ", "ở", "ỡ", "ợ"]),
    ("u", ["u", "ù", "ú", "ủ", "ũ", "ụ"]),
    ("u", ["ư", "ừ", "ứ", "ử", "ữ", "ự"]),
    ("y", ["y", "ỳ", "ý", "ỷ", "ỹ", "ỵ"]),
];

/// Combining tone marks in the order of the table's columns 1..=5.
const TONES: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0309}', '\u{0303}', '\u{0323}'];

fn one(text: &str, mode: Mode) -> String {
    let w = words(text, mode);
    assert_eq!(w.len(), 1, "{text:?} gave {w:?}");
    assert_eq!(
        (w[0].start, w[0].end),
        (0, text.len()),
        "{text:?} not covered whole"
    );
    w[0].text.clone()
}

/// Every spelling of one letter inside a word ("t" + letter + "n").
fn forms(letter: &str, base: &str, tone: Option<char>) -> Vec<String> {
    let lower = format!("t{letter}n");
    let mut out = vec![
        lower.clone(),
        lower.nfd().collect(),
        lower.to_uppercase(),
        lower.to_uppercase().nfd().collect(),
    ];
    if let Some(t) = tone {
        // Mixed: the precomposed base letter (ă, ê, ư, ...) then the combining tone.
        let mixed = format!("t{base}{t}n");
        out.push(mixed.clone());
        out.push(mixed.to_uppercase());
    }
    out
}

#[test]
fn the_table_is_what_unicode_says() {
    for (_, row) in VOWELS {
        for (k, &tone) in TONES.iter().enumerate() {
            let composed: String = format!("{}{tone}", row[0]).nfc().collect();
            assert_eq!(composed, row[k + 1], "row {}", row[0]);
        }
    }
}

#[test]
fn every_vowel_with_every_tone_folds_to_its_base_in_every_form() {
    let mut checked = 0;
    for (folded, row) in VOWELS {
        for (k, letter) in row.iter().enumerate() {
            let tone = (k > 0).then(|| TONES[k - 1]);
            for form in forms(letter, row[0], tone) {
                assert_eq!(one(&form, Mode::Folded), format!("t{folded}n"), "{form:?}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 12 * 4 + 12 * 5 * 6);
}

#[test]
fn every_form_of_a_letter_has_one_exact_spelling_and_letters_stay_apart() {
    let mut seen = std::collections::HashSet::new();
    for (_, row) in VOWELS {
        for (k, letter) in row.iter().enumerate() {
            let tone = (k > 0).then(|| TONES[k - 1]);
            let spellings: std::collections::HashSet<String> = forms(letter, row[0], tone)
                .iter()
                .map(|f| one(f, Mode::Exact))
                .collect();
            assert_eq!(spellings.len(), 1, "{letter}: {spellings:?}");
            let exact = spellings.into_iter().next().unwrap();
            assert!(
                seen.insert(exact.clone()),
                "{letter} shares its exact spelling {exact}"
            );
        }
    }
    assert_eq!(seen.len(), 72);
}

#[test]
fn d_with_stroke_in_every_form() {
    for d in ["đ", "Đ", "Ð"] {
        assert_eq!(one(&format!("{d}ức"), Mode::Folded), "duc");
        assert_eq!(
            one(&format!("{d}ức").nfd().collect::<String>(), Mode::Folded),
            "duc"
        );
    }
    assert_eq!(one("Đức", Mode::Exact), one("đức", Mode::Exact));
    assert_ne!(one("Đức", Mode::Exact), one("Dức", Mode::Exact));
}

#[test]
fn whole_names_fold_alike_in_every_form() {
    for name in [
        "Trần Đức Lương",
        "Nguyễn Ái Quốc",
        "Điện Biên Phủ",
        "Võ Nguyên Giáp",
        "Hồ Chí Minh",
    ] {
        let expected: Vec<String> = words(&deunicode::deunicode(name), Mode::Folded)
            .into_iter()
            .map(|w| w.text)
            .collect();
        for form in [
            name.to_string(),
            name.nfd().collect(),
            name.to_uppercase(),
            name.to_lowercase(),
        ] {
            let got: Vec<String> = words(&form, Mode::Folded)
                .into_iter()
                .map(|w| w.text)
                .collect();
            assert_eq!(got, expected, "{form:?}");
        }
    }
}
