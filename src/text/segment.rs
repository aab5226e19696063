//! Where the words of a text are: UAX #29 words cut into pieces, with their original byte offsets.
//!
//! A piece is a UAX #29 word (unicode-segmentation), cut again at any character inside it that is
//! neither a letter, a digit nor a combining mark ("level.Nguyen" -> "level", "Nguyen";
//! "d'Estaing" -> "d", "Estaing"). A possessive "'s" / "’s" is dropped, so "Putin's" is the piece
//! "Putin". Text in the scripts of the corpus takes a fast path that gives the same pieces.

use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Calls `f(start, end)` for every word piece of `text`, in order, before normalisation.
///
/// This is the one place that decides where words are. Text in the scripts of the corpus (Latin
/// with Vietnamese, Greek, Cyrillic) takes a fast path that gives the same pieces as UAX #29
/// (a property test holds them equal); anything else goes through UAX #29.
pub fn for_each_piece(text: &str, f: impl FnMut(usize, usize)) {
    if text.is_ascii() || text.chars().all(fast_path_char) {
        fast_pieces(text, f)
    } else {
        uax29_pieces(text, f)
    }
}

/// The pieces of `text` as (start, end), by the fast path if `fast` (the text must be fit for
/// it), else by UAX #29. For tests that hold the two equal.
#[doc(hidden)]
pub fn pieces_by(text: &str, fast: bool) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    if fast {
        if !text.chars().all(fast_path_char) {
            return None;
        }
        fast_pieces(text, |s, e| out.push((s, e)));
    } else {
        uax29_pieces(text, |s, e| out.push((s, e)));
    }
    Some(out)
}

/// Characters whose UAX #29 word-break class the fast path reproduces: letters, digits and
/// marks of Latin, Greek, Cyrillic and Vietnamese, and punctuation. Excluded: other scripts, and
/// digits-like signs (², ½) that UAX #29 keeps apart from letters.
fn fast_path_char(c: char) -> bool {
    matches!(c as u32, 0..=0x00B1 | 0x00B4..=0x00B8 | 0x00BA | 0x00BB | 0x00BF..=0x052F
        | 0x1E00..=0x1EFF | 0x2000..=0x206F | 0x20A0..=0x20CF)
}

/// UAX #29 classes that join letters across them (MidLetter, MidNumLet, single quote), so that
/// "Putin's.Next" is one word and its "s" is no possessive.
fn joins_letters(c: char) -> bool {
    matches!(
        c,
        ':' | '\u{B7}' | '\u{387}' | '\u{2027}' | '.' | '\u{2018}' | '\u{2019}' | '\u{2024}' | '\''
    )
}

/// UAX #29 ExtendNumLet in the fast-path range.
fn extends_numbers(c: char) -> bool {
    matches!(c, '_' | '\u{203F}' | '\u{2040}' | '\u{2054}')
}

/// Marks and format characters that UAX #29 ignores inside words (WB4).
fn ignorable(c: char) -> bool {
    is_combining_mark(c)
        || matches!(c, '\u{AD}' | '\u{200C}'..='\u{200F}' | '\u{2060}'..='\u{2064}')
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// The apostrophes before a possessive "s": ASCII and typographic.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// True if a piece is the "s" of a possessive, when it follows an apostrophe.
fn is_possessive_s(piece: &str) -> bool {
    piece.eq_ignore_ascii_case("s")
}

/// The pieces of fast-path text: maximal runs of letters, digits and (not leading) marks, with a
/// possessive "'s" dropped where UAX #29 would have made it the last piece of a word.
fn fast_pieces(text: &str, mut f: impl FnMut(usize, usize)) {
    // Byte by byte, decoding only what is not ASCII (most of the text).
    let bytes = text.as_bytes();
    let char_at = |i: usize| -> (char, usize) {
        match bytes[i] {
            b if b.is_ascii() => (b as char, 1),
            _ => {
                let c = text[i..].chars().next().expect("a char boundary");
                (c, c.len_utf8())
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let (c, len) = char_at(i);
        let start = i;
        i += len;
        if !is_word_char(c) {
            continue;
        }
        while i < bytes.len() {
            let (n, len) = char_at(i);
            // Combining marks start at U+0300.
            if is_word_char(n) || (n >= '\u{300}' && is_combining_mark(n)) {
                i += len;
            } else {
                break;
            }
        }
        let end = i;
        if !(is_possessive_s(&text[start..end]) && ends_a_possessive(text, start, end)) {
            f(start, end);
        }
    }
}

/// True if the "s" at `start..end` of fast-path text is a possessive: an apostrophe right
/// before, a letter (marks aside) before that, and nothing after that UAX #29 would join to it.
fn ends_a_possessive(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].chars().rev();
    let apostrophe = before.next().is_some_and(is_apostrophe);
    let letter_before = before
        .find(|&b| !ignorable(b))
        .is_some_and(char::is_alphabetic);
    let mut after = text[end..].chars().filter(|&a| !ignorable(a)).peekable();
    let joined_after = match after.next() {
        // Only an ignorable character came between: UAX #29 joins across it.
        Some(a) if is_word_char(a) => true,
        Some(a) if extends_numbers(a) => {
            // "s_x" joins; "s_" alone leaves the s the last piece.
            after
                .find(|&a| !extends_numbers(a))
                .is_some_and(is_word_char)
        }
        Some(a) if joins_letters(a) => after.next().is_some_and(char::is_alphabetic),
        _ => false,
    };
    apostrophe && letter_before && !joined_after
}

/// The pieces of any text, through UAX #29 words.
fn uax29_pieces(text: &str, mut f: impl FnMut(usize, usize)) {
    for (word_start, word) in text.unicode_word_indices() {
        // Most words are plain ASCII letters and digits: one piece, nothing to cut.
        if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
            f(word_start, word_start + word.len());
            continue;
        }
        let pieces = cut_word(word);
        let n = pieces.len();
        for (k, &(s, e, sep)) in pieces.iter().enumerate() {
            let possessive = k + 1 == n
                && k > 0
                && sep.is_some_and(is_apostrophe)
                && is_possessive_s(&word[s..e]);
            if !possessive {
                f(word_start + s, word_start + e);
            }
        }
    }
}

/// One UAX #29 word cut at every character that is neither a letter, a digit nor a (not
/// leading) mark: each piece as (start, end, the character cut at before it).
fn cut_word(word: &str) -> Vec<(usize, usize, Option<char>)> {
    let mut pieces = Vec::new();
    let mut piece_start: Option<usize> = None;
    let mut separator: Option<char> = None;
    for (i, c) in word.char_indices() {
        if c.is_alphanumeric() || (is_combining_mark(c) && piece_start.is_some()) {
            if piece_start.is_none() {
                piece_start = Some(i);
            }
        } else {
            if let Some(s) = piece_start.take() {
                pieces.push((s, i, separator));
            }
            separator = Some(c);
        }
    }
    if let Some(s) = piece_start {
        pieces.push((s, word.len(), separator));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::super::test_util::assert_words;
    use super::*;
    use crate::text::Mode;

    /// Asserts the pieces of `text`, by the path `for_each_piece` takes and by UAX #29 alike.
    fn assert_pieces(text: &str, expected: &[&str]) {
        let mut got = Vec::new();
        for_each_piece(text, |s, e| got.push(&text[s..e]));
        assert_eq!(got, expected, "pieces of {text:?}");
        let uax = pieces_by(text, false).unwrap();
        let uax: Vec<&str> = uax.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(uax, expected, "UAX #29 pieces of {text:?}");
    }

    #[test]
    fn missing_space_after_full_stop_does_not_hide_a_name() {
        assert_words(
            "level.Nguyen Xuan",
            Mode::Folded,
            &[("level", "level"), ("nguyen", "Nguyen"), ("xuan", "Xuan")],
        );
        assert_pieces("level.Nguyen Xuan", &["level", "Nguyen", "Xuan"]);
    }

    #[test]
    fn possessives_match_the_bare_name() {
        assert_words("Vietnam’s", Mode::Folded, &[("vietnam", "Vietnam")]);
        assert_words(
            "Putin's role",
            Mode::Folded,
            &[("putin", "Putin"), ("role", "role")],
        );
        assert_words(
            "d'Estaing",
            Mode::Folded,
            &[("d", "d"), ("estaing", "Estaing")],
        );
        // An "s" that UAX #29 joins to what follows is no possessive.
        assert_pieces("Putin's.Next", &["Putin", "s", "Next"]);
        assert_pieces("Putin's_x", &["Putin", "s", "x"]);
    }

    #[test]
    fn other_scripts_take_uax29_with_the_same_cuts() {
        assert_pieces("東京 Trần's", &["東", "京", "Trần"]);
    }
}
