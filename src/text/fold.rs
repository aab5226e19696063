//! Diacritic folding: a word piece to lower-case ASCII where deunicode can fold it ("Trần" ->
//! "tran", "Đức" -> "duc", "Путин" -> "putin").

use unicode_normalization::UnicodeNormalization;

/// Accent-insensitive form: NFC, then deunicode per character, lower-cased, letters and digits only.
pub fn fold(piece: &str) -> String {
    let mut out = String::with_capacity(piece.len());
    fold_into(piece, &mut out);
    out
}

/// [`fold`] into `out` (appended).
pub(super) fn fold_into(piece: &str, out: &mut String) {
    for c in piece.nfc() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
            continue;
        }
        // Lower case first: some capitals have no folding while their small letter has one
        // (Ƛ, ƛ -> l), and folding must give the same word for both.
        for lower in c.to_lowercase() {
            match deunicode::deunicode_char(lower) {
                Some(s) => {
                    for d in s.chars() {
                        if d.is_alphanumeric() {
                            out.extend(d.to_lowercase());
                        }
                    }
                }
                None => {
                    if lower.is_alphanumeric() {
                        out.push(lower);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::assert_words;
    use super::*;
    use crate::text::{words, Mode};

    #[test]
    fn nfc_nfd_and_upper_case_fold_alike() {
        let nfc = "Nguyễn Ái Quốc";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        for text in [nfc, nfd.as_str(), "NGUYỄN ÁI QUỐC", "nguyen ai quoc"] {
            let folded: Vec<String> = words(text, Mode::Folded)
                .into_iter()
                .map(|w| w.text)
                .collect();
            assert_eq!(folded, ["nguyen", "ai", "quoc"], "{text:?}");
        }
        // NFD offsets still cover the whole word, combining marks included.
        let w = words(&nfd, Mode::Folded);
        assert_eq!(&nfd[w[0].start..w[0].end], nfd.split(' ').next().unwrap());
    }

    #[test]
    fn d_with_stroke_folds_to_d() {
        assert_words("Đ đ Ð", Mode::Folded, &[("d", "Đ"), ("d", "đ"), ("d", "Ð")]);
        assert_words("Đ đ", Mode::Exact, &[("đ", "Đ"), ("đ", "đ")]);
    }

    #[test]
    fn cyrillic_transliterates_but_stays_exact_in_exact_mode() {
        assert_words(
            "Путин, Лавров",
            Mode::Folded,
            &[("putin", "Путин"), ("lavrov", "Лавров")],
        );
        assert_words("Путин", Mode::Exact, &[("путин", "Путин")]);
        // A capital without a folding of its own folds like its small letter.
        assert_eq!(fold("Ƛ"), fold("ƛ"));
        // The soft sign is dropped rather than leaving an apostrophe in the token.
        assert_words(
            "вьетнамские",
            Mode::Folded,
            &[("vetnamskie", "вьетнамские")],
        );
    }
}
