//! Compounds: two adjacent words also indexed as one, "Hà Nội" as "hanoi", "Su-30MK2" as
//! "su30mk2".

use super::analysis::MAX_TOKEN_BYTES;
use super::vietnamese::is_syllable;
use super::{words, Mode, Word};

/// English words that look like Vietnamese syllables but must never be joined into a compound.
const NO_JOIN: &[&str] = &[
    "a", "an", "and", "as", "at", "be", "but", "by", "can", "do", "go", "he", "i", "in", "is",
    "it", "me", "no", "not", "of", "on", "or", "so", "the", "to", "up", "us", "we", "that", "then",
    "than", "this", "thus", "them", "they", "these", "those", "there", "mean", "man", "men", "may",
];

/// True if two adjacent folded words may be joined into one compound ("ha" + "noi").
pub fn joinable(a: &str, b: &str) -> bool {
    is_syllable(a) && is_syllable(b) && !NO_JOIN.contains(&a) && !NO_JOIN.contains(&b)
}

/// True if the text between two words is a hyphen alone ("Su-30MK2"), which joins any two words.
pub fn is_hyphen(gap: &str) -> bool {
    matches!(gap, "-" | "\u{2010}" | "\u{2011}")
}

/// A folded word where it stands in its text.
#[derive(Clone, Copy, Debug)]
pub(super) struct Placed<'a> {
    /// Byte offset of the word in the text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// The folded form.
    pub folded: &'a str,
}

impl<'a> From<&'a Word> for Placed<'a> {
    fn from(w: &'a Word) -> Self {
        Placed {
            start: w.start,
            end: w.end,
            folded: &w.text,
        }
    }
}

/// True if the folded words `a` and `b`, next to each other in `text`, make a compound: either
/// joined by a hyphen, or two capitalised Vietnamese syllables apart by white space of at most
/// two line breaks ("Hà Nội", "Sài Gòn"); and the two together not too long to index. The one
/// rule for every path that makes compounds.
pub(super) fn makes_compound(text: &str, a: Placed, b: Placed) -> bool {
    if a.folded.len() + b.folded.len() > MAX_TOKEN_BYTES {
        return false;
    }
    let gap = &text[a.end..b.start];
    if is_hyphen(gap) {
        return true;
    }
    let capital = |at: usize| text[at..].chars().next().is_some_and(char::is_uppercase);
    !gap.is_empty()
        && gap.chars().all(char::is_whitespace)
        && gap.chars().filter(|&c| c == '\n').count() <= 2
        && capital(a.start)
        && capital(b.start)
        && joinable(a.folded, b.folded)
}

/// The compounds of a text: each pair of adjacent folded words that makes one (joined by a
/// hyphen, or a capitalised Vietnamese name: see `makes_compound`), as one folded token spanning
/// both words.
pub fn compounds(text: &str) -> Vec<Word> {
    words(text, Mode::Folded)
        .windows(2)
        .filter(|pair| makes_compound(text, (&pair[0]).into(), (&pair[1]).into()))
        .map(|pair| Word {
            start: pair[0].start,
            end: pair[1].end,
            text: format!("{}{}", pair[0].text, pair[1].text),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_util::assert_words;
    use super::*;

    #[test]
    fn hyphenated_models_split_into_parts_and_join_as_compounds() {
        assert_words(
            "Su-30MK2",
            Mode::Folded,
            &[("su", "Su"), ("30mk2", "30MK2")],
        );
        let c = compounds("the Su-30MK2 and IL-28");
        let texts: Vec<&str> = c.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["su30mk2", "il28"]);
        assert_eq!(&"the Su-30MK2"[c[0].start..c[0].end], "Su-30MK2");
    }

    #[test]
    fn vietnamese_names_join_but_english_words_do_not() {
        let text = "from Hà Nội to Sài Gòn in Việt Nam. In To the Soviet Union";
        let texts: Vec<String> = compounds(text).into_iter().map(|w| w.text).collect();
        assert_eq!(texts, ["hanoi", "saigon", "vietnam"]);
        assert!(!joinable("in", "to"));
    }

    #[test]
    fn a_compound_too_long_to_index_is_not_made() {
        let long = "a".repeat(MAX_TOKEN_BYTES / 2 + 1);
        assert!(compounds(&format!("{long}-{long}")).is_empty());
        assert_eq!(compounds(&format!("{long}-x")).len(), 1);
    }
}
