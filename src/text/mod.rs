//! Words with their original byte offsets, and the forms tracuu indexes them under.
//!
//! A text goes through these steps, one file each, and every path (indexing, queries, the
//! per-field functions) calls the same function for each rule:
//!
//! - `segment`: where the words are. A UAX #29 word cut at anything inside it that is not a
//!   letter, digit or mark ("level.Nguyen" -> "level", "Nguyen"); a possessive "'s" dropped.
//! - `fold` ([`Mode::Folded`]): NFC, lower case, folded to ASCII with deunicode a character at a
//!   time ("Trần Đức Lương" -> "tran duc luong", "Путин" -> "putin").
//! - `vietnamese` ([`Mode::Exact`]): lower case NFC with diacritics kept and a tone mark moved onto
//!   the last vowel (hoà = hòa, thuỷ = thủy); the shape of a syllable.
//! - `keys`: a word typed in Telex or VNI keys as the syllable it spells ("Traanf" -> "Trần"),
//!   for queries.
//! - `phrase`: token positions, two apart across clause punctuation.
//! - `compound`: adjacent words also indexed as one ("Hà Nội" -> "hanoi", "Su-30MK2" ->
//!   "su30mk2").
//! - `analysis`: the words of a text in a mode, and the one pass that makes the tokens of the
//!   three indexed fields together.
//! - `tokenizer`: the tantivy `Tokenizer` adapter over that pass.
//!
//! Offsets always point into the original text, on char boundaries, so highlights show the
//! original spelling.

mod analysis;
mod compound;
mod fold;
mod keys;
mod phrase;
mod segment;
mod tokenizer;
mod vietnamese;

pub use analysis::{
    has_diacritics, normalize, words, Analysis, Mode, TokenList, Word, MAX_TOKEN_BYTES,
};
pub use compound::{compounds, is_hyphen, joinable};
pub use fold::fold;
pub use keys::from_keys;
pub use phrase::{breaks_phrase, positions};
pub use segment::{for_each_piece, pieces_by};
pub use tokenizer::{Emit, TracuuTokenStream, TracuuTokenizer};
pub use vietnamese::{exact, is_syllable};

/// Bumped whenever a change here changes the tokens of some text; an index built with another
/// version must be rebuilt.
pub const TOKENIZER_VERSION: u32 = 3;

/// Assertions shared by the tests of this module's files.
#[cfg(test)]
mod test_util {
    use super::{words, Mode};

    /// Asserts the words of `text` in `mode` as (normalised, original) pairs.
    pub fn assert_words(text: &str, mode: Mode, expected: &[(&str, &str)]) {
        let got: Vec<(String, &str)> = words(text, mode)
            .into_iter()
            .map(|w| (w.text, &text[w.start..w.end]))
            .collect();
        let want: Vec<(String, &str)> = expected.iter().map(|&(n, o)| (n.to_string(), o)).collect();
        assert_eq!(got, want, "words of {text:?} in {mode:?}");
    }

    /// Asserts one tantivy token, as tantivy's own `assert_token` does.
    pub fn assert_token(
        token: &tantivy::tokenizer::Token,
        position: usize,
        text: &str,
        from: usize,
        to: usize,
    ) {
        assert_eq!(
            (
                token.position,
                token.text.as_str(),
                token.offset_from,
                token.offset_to
            ),
            (position, text, from, to),
            "token {token:?}"
        );
    }
}
