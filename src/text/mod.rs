//! Words with their original byte offsets, and the two spellings tracuu indexes them under.
//!
//! A word is a UAX #29 word (unicode-segmentation), cut again at any character inside it that is
//! neither a letter, a digit nor a combining mark ("level.Nguyen" -> "level", "Nguyen";
//! "d'Estaing" -> "d", "Estaing"). A possessive "'s" / "’s" is dropped, so "Putin's" is the token
//! "putin" covering only "Putin". Each piece is then normalised in one of two ways:
//!
//! - [`Mode::Folded`]: NFC, lower case, then folded to ASCII with deunicode one character at a time
//!   ("Trần Đức Lương" -> "tran duc luong", "Путин" -> "putin"). What deunicode gives that is not a
//!   letter or digit is dropped; a character it cannot fold is kept, lower-cased.
//! - [`Mode::Exact`]: lower case NFC with diacritics kept, and a Vietnamese tone mark moved onto the
//!   last vowel, so old and new tone placement agree (hoà = hòa, thuỷ = thủy, qúy = quý).
//!
//! Offsets always point into the original text, on char boundaries, so highlights show the
//! original spelling. The tantivy adapters at the bottom register these as tokenizers.

use std::borrow::Cow;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Bumped whenever a change here changes the tokens of some text; an index built with another
/// version must be rebuilt.
pub const TOKENIZER_VERSION: u32 = 3;

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
        if &text[start..end] == "s" || &text[start..end] == "S" {
            // Possessive: an apostrophe right before, a letter (marks aside) before that, and
            // nothing after that UAX #29 would join to the "s".
            let mut before = text[..start].chars().rev();
            let apostrophe = matches!(before.next(), Some('\'') | Some('\u{2019}'));
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
            if apostrophe && letter_before && !joined_after {
                continue;
            }
        }
        f(start, end);
    }
}

/// The pieces of any text, through UAX #29 words.
fn uax29_pieces(text: &str, mut f: impl FnMut(usize, usize)) {
    for (word_start, word) in text.unicode_word_indices() {
        // Most words are plain ASCII letters and digits: one piece, nothing to cut.
        if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
            f(word_start, word_start + word.len());
            continue;
        }
        let mut pieces: Vec<(usize, usize, Option<char>)> = Vec::new();
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
        let n = pieces.len();
        for (k, &(s, e, sep)) in pieces.iter().enumerate() {
            let possessive = k + 1 == n
                && k > 0
                && matches!(sep, Some('\'') | Some('\u{2019}'))
                && word[s..e].eq_ignore_ascii_case("s");
            if !possessive {
                f(word_start + s, word_start + e);
            }
        }
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

/// Every word of `text`, normalised in `mode`. Words that normalise to nothing, or to more than
/// [`MAX_TOKEN_BYTES`], are left out.
pub fn words(text: &str, mode: Mode) -> Vec<Word> {
    let mut out = Vec::new();
    for_each_piece(text, |start, end| {
        let norm = normalize(&text[start..end], mode);
        if !norm.is_empty() && norm.len() <= MAX_TOKEN_BYTES {
            out.push(Word {
                start,
                end,
                text: norm.into_owned(),
            });
        }
    });
    out
}

/// Normalises one word piece in `mode`.
pub fn normalize(piece: &str, mode: Mode) -> Cow<'_, str> {
    if piece.is_ascii() {
        return if piece.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(piece.to_ascii_lowercase())
        } else {
            Cow::Borrowed(piece)
        };
    }
    Cow::Owned(match mode {
        Mode::Folded => fold(piece),
        Mode::Exact => exact(piece),
    })
}

/// Accent-insensitive form: NFC, then deunicode per character, lower-cased, letters and digits only.
pub fn fold(piece: &str) -> String {
    let mut out = String::with_capacity(piece.len());
    fold_into(piece, &mut out);
    out
}

/// The five Vietnamese tone marks as combining characters (huyền, sắc, ngã, hỏi, nặng).
const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Accent-sensitive form: lower case NFC, with a single tone mark moved onto the last vowel.
pub fn exact(piece: &str) -> String {
    let decomposed: Vec<char> = piece.nfd().flat_map(char::to_lowercase).collect();
    let tones: Vec<char> = decomposed
        .iter()
        .copied()
        .filter(|c| TONE_MARKS.contains(c))
        .collect();
    if tones.len() != 1 {
        return decomposed.into_iter().nfc().collect();
    }
    let mut base: Vec<char> = decomposed
        .into_iter()
        .filter(|c| !TONE_MARKS.contains(c))
        .collect();
    let Some(last_vowel) = base.iter().rposition(|&c| is_vowel(c)) else {
        return piece.nfc().flat_map(char::to_lowercase).collect();
    };
    // The tone goes after the vowel and the marks that shape it (breve, circumflex, horn).
    let mut at = last_vowel + 1;
    while at < base.len() && is_combining_mark(base[at]) {
        at += 1;
    }
    base.insert(at, tones[0]);
    base.into_iter().nfc().collect()
}

/// True if the word carries something that folding takes away (a diacritic, đ, a non-Latin
/// script): its exact and folded forms differ.
pub fn has_diacritics(piece: &str) -> bool {
    !piece.is_ascii() && fold(piece) != exact(piece)
}

// ---------------------------------------------------------------------------------------------
// Positions: a phrase never runs across clause punctuation.

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

/// The token position of each of `words` (words of `text`, in order): one apart, two apart
/// across clause punctuation (see [`breaks_phrase`]), so that "Hà Đông, Thành phố" never
/// matches the phrase "dong thanh". Queries compute their phrase positions the same way.
pub fn positions(text: &str, words: &[Word]) -> Vec<usize> {
    let mut out = Vec::with_capacity(words.len());
    let mut pos = 0;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            pos += 1;
            let prev_end = words[i - 1].end;
            if prev_end <= w.start && breaks_phrase(&text[prev_end..w.start]) {
                pos += 1;
            }
        }
        out.push(pos);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Compound names: "Hà Nội" is also indexed as "hanoi", "Su-30MK2" also as "su30mk2".

/// English words that look like Vietnamese syllables but must never be joined into a compound.
const NO_JOIN: &[&str] = &[
    "a", "an", "and", "as", "at", "be", "but", "by", "can", "do", "go", "he", "i", "in", "is",
    "it", "me", "no", "not", "of", "on", "or", "so", "the", "to", "up", "us", "we", "that", "then",
    "than", "this", "thus", "them", "they", "these", "those", "there", "mean", "man", "men", "may",
];

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

/// True if two adjacent folded words may be joined into one compound ("ha" + "noi").
pub fn joinable(a: &str, b: &str) -> bool {
    is_syllable(a) && is_syllable(b) && !NO_JOIN.contains(&a) && !NO_JOIN.contains(&b)
}

/// The compounds of a text: each pair of adjacent words that is either joined by a hyphen
/// ("Su-30MK2") or two capitalised Vietnamese syllables separated by white space ("Hà Nội",
/// "Sài Gòn"), as one folded token spanning both words.
pub fn compounds(text: &str) -> Vec<Word> {
    let words = words(text, Mode::Folded);
    let mut out = Vec::new();
    for pair in words.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let gap = &text[a.end..b.start];
        let hyphen = matches!(gap, "-" | "\u{2010}" | "\u{2011}");
        let capital = |w: &Word| {
            text[w.start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        };
        let name = !gap.is_empty()
            && gap.chars().all(char::is_whitespace)
            && gap.chars().filter(|&c| c == '\n').count() <= 2
            && capital(a)
            && capital(b)
            && joinable(&a.text, &b.text);
        if hyphen || name {
            let text = format!("{}{}", a.text, b.text);
            if text.len() <= MAX_TOKEN_BYTES {
                out.push(Word {
                    start: a.start,
                    end: b.end,
                    text,
                });
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// One pass: the folded, exact and compound tokens of a text together.

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
/// same tokens as [`words`] with [`positions`] in each mode, and as [`compounds`] (numbered 0, 1,
/// 2… as they are indexed without positions).
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Folded words, with their phrase positions.
    pub folded: TokenList,
    /// Exact words, with their phrase positions.
    pub exact: TokenList,
    /// Compounds.
    pub compounds: TokenList,
    fold_buf: String,
}

/// Positions one mode's words as [`positions`] does, a word at a time.
#[derive(Default)]
struct Positions {
    next: usize,
    prev_end: Option<usize>,
}

impl Positions {
    fn of(&mut self, text: &str, start: usize, end: usize) -> usize {
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

impl Analysis {
    /// Analyses `text`, replacing what the lists held.
    pub fn run(&mut self, text: &str) {
        self.folded.clear();
        self.exact.clear();
        self.compounds.clear();
        let mut fold_buf = std::mem::take(&mut self.fold_buf);
        let (mut folded_at, mut exact_at) = (Positions::default(), Positions::default());
        let keep = |norm: &str| !norm.is_empty() && norm.len() <= MAX_TOKEN_BYTES;
        for_each_piece(text, |start, end| {
            let piece = &text[start..end];
            fold_buf.clear();
            let exact_form;
            let (folded, exact): (&str, &str) = if piece.is_ascii() {
                // Both forms are the piece in lower case.
                if piece.bytes().any(|b| b.is_ascii_uppercase()) {
                    fold_buf.push_str(piece);
                    fold_buf.make_ascii_lowercase();
                    (&fold_buf, &fold_buf)
                } else {
                    (piece, piece)
                }
            } else {
                fold_into(piece, &mut fold_buf);
                exact_form = exact(piece);
                (&fold_buf, &exact_form)
            };
            if keep(exact) {
                let pos = exact_at.of(text, start, end);
                self.exact.push(start, end, pos, exact, "");
            }
            if keep(folded) {
                if let Some(prev) = self.folded.as_slice().last() {
                    if is_compound(text, prev, start, folded)
                        && prev.text.len() + folded.len() <= MAX_TOKEN_BYTES
                    {
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
    }
}

/// True if the folded word `prev` and the next folded word (`start`, normalised to `folded`)
/// make a compound, as [`compounds`] decides.
fn is_compound(text: &str, prev: &Token, start: usize, folded: &str) -> bool {
    let gap = &text[prev.offset_to..start];
    if matches!(gap, "-" | "\u{2010}" | "\u{2011}") {
        return true;
    }
    let capital = |at: usize| text[at..].chars().next().is_some_and(char::is_uppercase);
    !gap.is_empty()
        && gap.chars().all(char::is_whitespace)
        && gap.chars().filter(|&c| c == '\n').count() <= 2
        && capital(prev.offset_from)
        && capital(start)
        && joinable(&prev.text, folded)
}

/// [`fold`] into `out` (appended).
fn fold_into(piece: &str, out: &mut String) {
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

// ---------------------------------------------------------------------------------------------
// tantivy adapters.

/// What a [`TracuuTokenizer`] emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// Every word in the given mode.
    Words(Mode),
    /// Only compounds (see [`compounds`]).
    Compounds,
}

/// A tantivy tokenizer over [`words`] or [`compounds`].
///
/// The three are made in one [`Analysis`]: the folded tokenizer, which tantivy runs first on a
/// passage (the body field comes before the exact and compound fields), analyses the whole text
/// and leaves the exact and compound tokens with the thread; the other two take them when they
/// are given the same text, and analyse it themselves otherwise.
#[derive(Clone, Debug)]
pub struct TracuuTokenizer {
    emit: Emit,
    analysis: Analysis,
}

/// The exact and compound tokens of the text the folded tokenizer last analysed on this thread.
#[derive(Default)]
struct Memo {
    text: String,
    exact: Option<TokenList>,
    compounds: Option<TokenList>,
}

thread_local! {
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
}

impl TracuuTokenizer {
    /// A tokenizer that emits `emit`.
    pub fn new(emit: Emit) -> Self {
        TracuuTokenizer {
            emit,
            analysis: Analysis::default(),
        }
    }

    /// The tokens of `text`, from the memo when the folded tokenizer left them for this text.
    fn tokens(&mut self, text: &str) -> &mut TokenList {
        let a = &mut self.analysis;
        match self.emit {
            Emit::Words(Mode::Folded) => {
                a.run(text);
                MEMO.with_borrow_mut(|memo| {
                    memo.text.clear();
                    memo.text.push_str(text);
                    // Hand the lists over, taking back the ones handed over last time.
                    let mut exact = memo.exact.take().unwrap_or_default();
                    let mut compounds = memo.compounds.take().unwrap_or_default();
                    std::mem::swap(&mut exact, &mut a.exact);
                    std::mem::swap(&mut compounds, &mut a.compounds);
                    memo.exact = Some(exact);
                    memo.compounds = Some(compounds);
                });
                &mut a.folded
            }
            Emit::Words(Mode::Exact) => from_memo(a, text, |m| &mut m.exact, |a| &mut a.exact),
            Emit::Compounds => from_memo(a, text, |m| &mut m.compounds, |a| &mut a.compounds),
        }
    }
}

/// The list `list` of `a` for `text`: the one the memo holds for `held`, if the memo is about
/// `text`, else analysed here.
fn from_memo<'a>(
    a: &'a mut Analysis,
    text: &str,
    held: fn(&mut Memo) -> &mut Option<TokenList>,
    list: fn(&mut Analysis) -> &mut TokenList,
) -> &'a mut TokenList {
    let taken =
        MEMO.with_borrow_mut(|memo| (memo.text == text).then(|| held(memo).take()).flatten());
    match taken {
        Some(tokens) => *list(a) = tokens,
        None => a.run(text),
    }
    list(a)
}

/// The tokens of one text, handed out one at a time.
pub struct TracuuTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for TracuuTokenizer {
    type TokenStream<'a> = TracuuTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let list = self.tokens(text);
        TracuuTokenStream {
            tokens: &mut list.all[..list.len],
            next: 0,
        }
    }
}

impl TokenStream for TracuuTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts the words of `text` in `mode` as (normalised, original) pairs.
    fn assert_words(text: &str, mode: Mode, expected: &[(&str, &str)]) {
        let got: Vec<(String, &str)> = words(text, mode)
            .into_iter()
            .map(|w| (w.text, &text[w.start..w.end]))
            .collect();
        let want: Vec<(String, &str)> = expected.iter().map(|&(n, o)| (n.to_string(), o)).collect();
        assert_eq!(got, want, "words of {text:?} in {mode:?}");
    }

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

    #[test]
    fn missing_space_after_full_stop_does_not_hide_a_name() {
        assert_words(
            "level.Nguyen Xuan",
            Mode::Folded,
            &[("level", "level"), ("nguyen", "Nguyen"), ("xuan", "Xuan")],
        );
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
    }

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
        assert!(is_syllable("nguyen") && !is_syllable("ngh"));
    }

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
    fn diacritics_are_detected() {
        assert!(has_diacritics("Trần"));
        assert!(has_diacritics("Путин"));
        assert!(!has_diacritics("Putin"));
    }

    #[test]
    fn tantivy_stream_keeps_positions_and_offsets() {
        let mut tok = TracuuTokenizer::new(Emit::Words(Mode::Folded));
        let text = "Lê Duẩn, 1964";
        let mut stream = tok.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((t.position, t.text.clone(), t.offset_from, t.offset_to));
        }
        assert_eq!(
            seen,
            [
                (0, "le".to_string(), 0, 3),
                (1, "duan".to_string(), 4, 10),
                (3, "1964".to_string(), 12, 16)
            ]
        );
    }

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
