//! Token positions: one apart, two apart across clause punctuation, so that a phrase never runs
//! across it ("Hà Đông, Thành phố" does not match "dong thanh").

use super::Word;

/// True if the text between two words ends a clause or a field (`,` `;` `.` `:` `(` `)` `!`
/// `?`, brackets, an ellipsis, a tab or `|` between fields, and their full-width forms), so that
/// a phrase must not match across it. Line breaks and hyphens do not.
pub fn breaks_phrase(gap: &str) -> bool {
    gap.chars().any(|c| {
        matches!(
            c,
            ',' | ';'
                | '.'
                | ':'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '!'
                | '?'
                | '\t'
                | '|'
                | '\u{2026}'
                | '\u{3001}'
                | '\u{3002}'
                | '\u{FF01}'
                | '\u{FF08}'
                | '\u{FF09}'
                | '\u{FF0C}'
                | '\u{FF0E}'
                | '\u{FF1A}'
                | '\u{FF1B}'
                | '\u{FF1F}'
        )
    })
}

/// The positions of the words of one text, given a word at a time, in order: the one rule that
/// numbers tokens, for indexing and for queries alike.
#[derive(Default)]
pub struct Positions {
    next: usize,
    prev_end: Option<usize>,
}

impl Positions {
    /// The position of the word at `start..end` of `text`, the one after the word given last.
    pub fn of(&mut self, text: &str, start: usize, end: usize) -> usize {
        let pos = match self.prev_end {
            None => 0,
            Some(prev) if prev <= start && breaks_phrase(&text[prev..start]) => self.next + 1,
            Some(_) => self.next,
        };
        self.next = pos + 1;
        self.prev_end = Some(end);
        pos
    }
}

/// The token position of each of `words` (words of `text`, in order), as `Positions` numbers
/// them. Queries compute their phrase positions this way.
pub fn positions(text: &str, words: &[Word]) -> Vec<usize> {
    let mut at = Positions::default();
    words.iter().map(|w| at.of(text, w.start, w.end)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{words, Mode};

    #[test]
    fn clause_punctuation_leaves_a_gap_in_positions_but_line_breaks_and_hyphens_do_not() {
        let at = |text: &str| positions(text, &words(text, Mode::Folded));
        assert_eq!(at("Hà Đông, Thành phố"), [0, 1, 3, 4]);
        assert_eq!(at("Hà Đông\nThành phố"), [0, 1, 2, 3]);
        assert_eq!(at("Yak-130 trainer"), [0, 1, 2]);
        assert_eq!(at("end. Next (aside) x; y: z"), [0, 2, 4, 6, 8, 10]);
        assert_eq!(at("a\tb | c"), [0, 2, 4]);
        assert!(!breaks_phrase(" \n\n ") && !breaks_phrase("-") && !breaks_phrase("'"));
    }
}
