//! Vietnamese text as typed without an input method: each word in Telex keys ("Trần" →
//! "Traanf") or VNI keys ("Trần" → "Tra62n"), the tone typed at the end of the word or right
//! after its vowel.

use unicode_normalization::UnicodeNormalization;

/// Which keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keys {
    Telex,
    Vni,
}

/// Where the tone key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToneAt {
    /// At the end of the word ("Traanf").
    End,
    /// Right after its vowel and the vowel's mark ("Traafn").
    Vowel,
}

/// The keys of a combining mark (breve, circumflex, horn) in Telex and VNI; the Telex
/// circumflex repeats the vowel instead.
const MARKS: [(char, &str, &str); 3] = [
    ('\u{306}', "w", "8"),
    ('\u{302}', "", "6"),
    ('\u{31b}', "w", "7"),
];

/// The keys of a tone mark in Telex and VNI.
const TONES: [(char, char, char); 5] = [
    ('\u{301}', 's', '1'),
    ('\u{300}', 'f', '2'),
    ('\u{309}', 'r', '3'),
    ('\u{303}', 'x', '4'),
    ('\u{323}', 'j', '5'),
];

/// `text` with every word typed in `keys`; anything that is not a Vietnamese letter stays.
pub fn type_text(text: &str, keys: Keys, tone_at: ToneAt) -> String {
    text.split(' ')
        .map(|word| type_word(word, keys, tone_at))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One word typed in `keys`.
pub fn type_word(word: &str, keys: Keys, tone_at: ToneAt) -> String {
    let mut out = String::new();
    let mut tone = None;
    for c in word.nfc() {
        let (base, stroke) = match c {
            'đ' => ('d', true),
            'Đ' => ('D', true),
            _ => (c, false),
        };
        let decomposed: Vec<char> = base.nfd().collect();
        out.push(decomposed[0]);
        if stroke {
            out.push_str(if keys == Keys::Telex { "d" } else { "9" });
        }
        for &mark in &decomposed[1..] {
            if let Some(&(_, telex, vni)) = MARKS.iter().find(|m| m.0 == mark) {
                match keys {
                    Keys::Telex if telex.is_empty() => out.push(decomposed[0]),
                    Keys::Telex => out.push_str(telex),
                    Keys::Vni => out.push_str(vni),
                }
            }
        }
        if let Some(&(_, telex, vni)) = TONES.iter().find(|t| decomposed.contains(&t.0)) {
            let key = if keys == Keys::Telex { telex } else { vni };
            match tone_at {
                ToneAt::Vowel => out.push(key),
                ToneAt::End => tone = Some(key),
            }
        }
    }
    out.extend(tone);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_typed_as_keys() {
        use {Keys::*, ToneAt::*};
        for (text, keys, at, typed) in [
            ("Trần Đức Nguyễn", Telex, End, "Traanf Dduwcs Nguyeenx"),
            ("Trần Lương", Telex, Vowel, "Traafn Luwowng"),
            ("Trần đường Nghệ", Vni, Vowel, "Tra62n d9u7o72ng Nghe65"),
            ("Trần Dương", Vni, End, "Tra6n2 Du7o7ng"),
            ("Ba Hà", Telex, End, "Ba Haf"),
        ] {
            assert_eq!(type_text(text, keys, at), typed);
        }
    }
}
