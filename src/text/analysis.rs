//! The analysis each field gets: words normalised in a [`Mode`], and the one pass that makes the
//! folded, exact and compound tokens of a passage together.

use std::borrow::Cow;

use tantivy::tokenizer::Token;

use super::compound::{makes_compound, Placed};
use super::fold::{fold, fold_into};
use super::phrase::Positions;
use super::segment::for_each_piece;
use super::vietnamese::{exact, exact_into};

/// A normalised word longer than this (in bytes) is not indexed: no one types it, and tantivy
/// refuses terms above 64 KiB.
pub const MAX_TOKEN_BYTES: usize = 100;

/// How a word is normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Accent-insensitive: lower case ASCII where deunicode can fold.
    Folded,
    /// Accent-sensitive: lower case NFC, tone placement made canonical.
    Exact,
}

/// One word of a text: its byte range in the original and its normalised form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of the first byte of the word in the original text.
    pub start: usize,
    /// Byte offset just past the word in the original text.
    pub end: usize,
    /// The normalised form (what is indexed and searched).
    pub text: String,
}

/// Every word of `text`, normalised in `mode`. Words that normalise to nothing, or to more than
/// [`MAX_TOKEN_BYTES`], are left out.
pub fn words(text: &str, mode: Mode) -> Vec<Word> {
    let mut out = Vec::new();
    for_each_piece(text, |start, end| {
        let norm = normalize(&text[start..end], mode);
        if is_indexed(&norm) {
            out.push(Word {
                start,
                end,
                text: norm.into_owned(),
            });
        }
    });
    out
}

/// True if a normalised word is indexed: not empty, and not over [`MAX_TOKEN_BYTES`].
fn is_indexed(norm: &str) -> bool {
    !norm.is_empty() && norm.len() <= MAX_TOKEN_BYTES
}

/// Normalises one word piece in `mode`.
pub fn normalize(piece: &str, mode: Mode) -> Cow<'_, str> {
    let mut buf = String::new();
    if normalize_into(piece, mode, &mut buf) {
        Cow::Owned(buf)
    } else {
        Cow::Borrowed(piece)
    }
}

/// Writes `piece` normalised in `mode` into `buf` (cleared first) and returns true, or returns
/// false when the piece is its own form (ASCII without capitals). ASCII is lower-cased in both
/// modes; anything else is folded ([`fold`]) or given its exact form ([`exact`]).
fn normalize_into(piece: &str, mode: Mode, buf: &mut String) -> bool {
    buf.clear();
    if piece.is_ascii() {
        if !piece.bytes().any(|b| b.is_ascii_uppercase()) {
            return false;
        }
        buf.push_str(piece);
        buf.make_ascii_lowercase();
        return true;
    }
    buf.reserve(piece.len());
    match mode {
        Mode::Folded => fold_into(piece, buf),
        Mode::Exact => exact_into(piece, buf),
    }
    true
}

/// `piece` normalised in `mode`: the piece itself, or its form written in `buf`.
fn normalize_in<'a>(piece: &'a str, mode: Mode, buf: &'a mut String) -> &'a str {
    if normalize_into(piece, mode, buf) {
        buf
    } else {
        piece
    }
}

/// True if the word carries something that folding takes away (a diacritic, đ, a non-Latin
/// script): its exact and folded forms differ.
pub fn has_diacritics(piece: &str) -> bool {
    !piece.is_ascii() && fold(piece) != exact(piece)
}

/// A list of tokens whose buffers are kept from one text to the next, so that analysing a
/// passage allocates nothing once the list has grown to its size.
#[derive(Clone, Debug, Default)]
pub struct TokenList {
    all: Vec<Token>,
    len: usize,
}

impl TokenList {
    /// The tokens, in order.
    pub fn as_slice(&self) -> &[Token] {
        &self.all[..self.len]
    }

    /// The tokens, in order, to hand to tantivy.
    pub(super) fn as_mut_slice(&mut self) -> &mut [Token] {
        &mut self.all[..self.len]
    }

    fn clear(&mut self) {
        self.len = 0;
    }

    /// Appends a token whose text is `first` followed by `second`.
    fn push(&mut self, start: usize, end: usize, position: usize, first: &str, second: &str) {
        if self.len == self.all.len() {
            self.all.push(Token::default());
        }
        let t = &mut self.all[self.len];
        t.offset_from = start;
        t.offset_to = end;
        t.position = position;
        t.position_length = 1;
        t.text.clear();
        t.text.push_str(first);
        t.text.push_str(second);
        self.len += 1;
    }
}

/// The tokens of one text for the three indexed fields, made in one pass over its words: the
/// same tokens as [`words`] with [`positions`](super::positions) in each mode, and as
/// [`compounds`](super::compounds) (numbered 0, 1, 2… as they are indexed without positions).
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Folded words, with their phrase positions.
    pub folded: TokenList,
    /// Exact words, with their phrase positions.
    pub exact: TokenList,
    /// Compounds.
    pub compounds: TokenList,
    fold_buf: String,
    exact_buf: String,
}

impl Analysis {
    /// Analyses `text`, replacing what the lists held.
    pub fn run(&mut self, text: &str) {
        self.folded.clear();
        self.exact.clear();
        self.compounds.clear();
        let mut fold_buf = std::mem::take(&mut self.fold_buf);
        let mut exact_buf = std::mem::take(&mut self.exact_buf);
        let (mut folded_at, mut exact_at) = (Positions::default(), Positions::default());
        for_each_piece(text, |start, end| {
            let piece = &text[start..end];
            let exact = normalize_in(piece, Mode::Exact, &mut exact_buf);
            if is_indexed(exact) {
                let pos = exact_at.of(text, start, end);
                self.exact.push(start, end, pos, exact, "");
            }
            let folded = normalize_in(piece, Mode::Folded, &mut fold_buf);
            if is_indexed(folded) {
                if let Some(prev) = self.folded.as_slice().last() {
                    let a = Placed {
                        start: prev.offset_from,
                        end: prev.offset_to,
                        folded: &prev.text,
                    };
                    if makes_compound(text, a, Placed { start, end, folded }) {
                        let n = self.compounds.len;
                        self.compounds
                            .push(prev.offset_from, end, n, &prev.text, folded);
                    }
                }
                let pos = folded_at.of(text, start, end);
                self.folded.push(start, end, pos, folded, "");
            }
        });
        self.fold_buf = fold_buf;
        self.exact_buf = exact_buf;
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::assert_words;
    use super::*;

    #[test]
    fn offsets_point_at_the_original_spelling() {
        assert_words(
            "Trần Đức Lương",
            Mode::Folded,
            &[("tran", "Trần"), ("duc", "Đức"), ("luong", "Lương")],
        );
        let text = "x Trần";
        let w = &words(text, Mode::Folded)[1];
        assert_eq!((w.start, w.end), (2, text.len()));
    }

    #[test]
    fn diacritics_are_detected() {
        assert!(has_diacritics("Trần"));
        assert!(has_diacritics("Путин"));
        assert!(!has_diacritics("Putin"));
    }

    #[test]
    fn a_form_too_long_to_index_is_left_out_of_its_field_only() {
        // 100 bytes folded ("dd…d"), 200 bytes exact.
        let long = "đ".repeat(MAX_TOKEN_BYTES);
        let text = format!("Ha {long} Noi");
        assert_words(&text, Mode::Exact, &[("ha", "Ha"), ("noi", "Noi")]);
        assert_eq!(words(&text, Mode::Folded).len(), 3);
        let mut a = Analysis::default();
        a.run(&text);
        assert_eq!(a.exact.as_slice().len(), 2);
        assert_eq!(a.folded.as_slice().len(), 3);
    }
}
