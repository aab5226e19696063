//! Vietnamese: the canonical tone placement of the exact form (hoà = hòa, thuỷ = thủy), and the
//! shape of a syllable.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The five Vietnamese tone marks as combining characters (huyền, sắc, ngã, hỏi, nặng).
const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Accent-sensitive form: lower case NFC, with a single tone mark moved onto the last vowel.
pub fn exact(piece: &str) -> String {
    let mut out = String::new();
    exact_into(piece, &mut out);
    out
}

/// [`exact`] into `out` (appended).
pub(super) fn exact_into(piece: &str, out: &mut String) {
    let decomposed: Vec<char> = piece.nfd().flat_map(char::to_lowercase).collect();
    let tones: Vec<char> = decomposed
        .iter()
        .copied()
        .filter(|c| TONE_MARKS.contains(c))
        .collect();
    if tones.len() != 1 {
        out.extend(decomposed.into_iter().nfc());
        return;
    }
    let mut base: Vec<char> = decomposed
        .into_iter()
        .filter(|c| !TONE_MARKS.contains(c))
        .collect();
    let Some(last_vowel) = base.iter().rposition(|&c| is_vowel(c)) else {
        out.extend(piece.nfc().flat_map(char::to_lowercase));
        return;
    };
    // The tone goes after the vowel and the marks that shape it (breve, circumflex, horn).
    let mut at = last_vowel + 1;
    while at < base.len() && is_combining_mark(base[at]) {
        at += 1;
    }
    base.insert(at, tones[0]);
    out.extend(base.into_iter().nfc());
}

/// True if a folded word has the shape of a Vietnamese syllable: an optional initial consonant,
/// one to three vowels, an optional final consonant.
pub fn is_syllable(folded: &str) -> bool {
    const INITIALS: [&str; 28] = [
        "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu", "b", "c", "d", "g", "h",
        "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "", "",
    ];
    const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    if folded.is_empty() || folded.len() > 7 || !folded.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    INITIALS.iter().any(|init| {
        let Some(rest) = folded.strip_prefix(init) else {
            return false;
        };
        let vowels = rest.bytes().take_while(|&b| is_vowel(b as char)).count();
        (1..=3).contains(&vowels) && FINALS.contains(&&rest[vowels..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_mode_makes_tone_placement_canonical() {
        for (a, b) in [
            ("hoà", "hòa"),
            ("thuỷ", "thủy"),
            ("qúy", "quý"),
            ("HOÀ", "hòa"),
        ] {
            assert_eq!(exact(a), exact(b), "{a} vs {b}");
        }
        // Tones still tell words apart.
        let forms: Vec<String> = ["ma", "mà", "má", "mả", "mã", "mạ"]
            .iter()
            .map(|w| exact(w))
            .collect();
        let mut unique = forms.clone();
        unique.dedup();
        assert_eq!(unique.len(), 6, "{forms:?}");
        assert_eq!(exact("Trần"), "trần");
        assert_eq!(exact("Nguyễn"), "nguyễn");
    }

    #[test]
    fn syllables_have_an_initial_vowels_and_a_final() {
        assert!(is_syllable("nguyen") && !is_syllable("ngh"));
    }
}
