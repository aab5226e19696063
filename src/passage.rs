//! Text -> passages: byte ranges of a few whole sentences each. Pure; knows nothing of tantivy.
//!
//! Sentences come from UAX #29 run on a copy of the text in which every line break is a space of
//! the same byte length, so hard-wrapped text (seed 001: PDF text with a blank line after every
//! line) still gives real sentences and every offset stays valid. Sentences are then packed into
//! passages of [`MIN_WORDS`] to [`MAX_WORDS`] words; a sentence longer than that is cut between
//! words. Where a file is written one paragraph per line, a passage also ends at a paragraph
//! break once it is long enough. A list of short one-line records (a gazetteer, CSV-like rows)
//! gets one passage per record, and extracted documents end sentences at their block breaks.

use unicode_segmentation::UnicodeSegmentation;

/// Bumped whenever a change here or in text extraction changes the passages of some file (2:
/// blank lines in hard-wrapped text, HTML page furniture left out, PostScript skipped): the next
/// `tracuu index` of an index cut otherwise indexes every file again (searches meanwhile read it
/// as it is).
pub const VERSION: u32 = 2;

/// A passage stops growing at a sentence end once it has this many words, if the next sentence
/// starts a paragraph or would take it past [`MAX_WORDS`].
pub const MIN_WORDS: usize = 40;
/// No passage has more words than this (unless one word is all there is).
pub const MAX_WORDS: usize = 150;
/// A sentence longer than [`MAX_WORDS`] is cut into pieces of this many words.
const CHUNK_WORDS: usize = 100;

/// A passage: the bytes `[start, end)` of the file, which begin and end on a word or punctuation,
/// never on white space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Passage {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}

/// Splits `text` into passages, in order, not overlapping. Everything between passages is white
/// space, so no word is ever lost.
pub fn split(text: &str) -> Vec<Passage> {
    split_with_breaks(text, &[])
}

/// Like [`split_with_breaks`], but no passage crosses an offset in `parts` (sorted starts of the
/// pages, chapters or paragraphs of a document): each part is split on its own.
pub fn split_in_parts(text: &str, breaks: &[usize], parts: &[usize]) -> Vec<Passage> {
    Splitter::default().in_parts(text, breaks, parts)
}

/// Like [`split`], but a sentence also ends at every offset in `breaks` (sorted text offsets
/// where a block of a document ends: a heading, a paragraph, a list item), and a passage that is
/// long enough ends at a break rather than at a line break. With no breaks this is [`split`].
pub fn split_with_breaks(text: &str, breaks: &[usize]) -> Vec<Passage> {
    Splitter::default().with_breaks(text, breaks)
}

/// [`split_in_parts`] with text cut for the threads every `chunk` bytes rather than every
/// [`CHUNK_BYTES`], so that tests can hold the parallel split equal to a sequential one
/// (`chunk` = `usize::MAX`) on short texts.
#[doc(hidden)]
pub fn split_in_chunks(
    text: &str,
    breaks: &[usize],
    parts: &[usize],
    chunk: usize,
) -> Vec<Passage> {
    Splitter {
        chunk: chunk.max(1),
    }
    .in_parts(text, breaks, parts)
}

/// A text longer than this is split by several threads, each taking about this many bytes.
pub const CHUNK_BYTES: usize = 4 << 20;

/// How a split is shared among threads.
#[derive(Clone, Copy)]
struct Splitter {
    /// Bytes of text per thread's piece of work.
    chunk: usize,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter { chunk: CHUNK_BYTES }
    }
}

impl Splitter {
    fn in_parts(self, text: &str, breaks: &[usize], parts: &[usize]) -> Vec<Passage> {
        if parts.is_empty() {
            return self.with_breaks(text, breaks);
        }
        let mut out = Vec::new();
        let mut bounds: Vec<usize> = parts.iter().copied().filter(|&p| p < text.len()).collect();
        if bounds.first() != Some(&0) {
            bounds.insert(0, 0);
        }
        bounds.push(text.len());
        for w in bounds.windows(2) {
            if w[0] < w[1] {
                self.range(text, w[0], w[1], Paragraphs::Breaks(breaks), &mut out);
            }
        }
        out
    }

    fn with_breaks(self, text: &str, breaks: &[usize]) -> Vec<Passage> {
        let mut out = Vec::new();
        if !breaks.is_empty() {
            self.range(text, 0, text.len(), Paragraphs::Breaks(breaks), &mut out);
            return out;
        }
        if is_record_list(text) {
            // One record per line: a passage never glues two records together. Lines are
            // independent, so threads take runs of lines.
            let lines = line_runs(text, self.chunk);
            let runs = parallel(lines.len(), |k| {
                let mut out = Vec::new();
                let (from, to) = lines[k];
                let mut offset = from;
                for line in text[from..to].split_inclusive('\n') {
                    let end = offset + line.len();
                    self.range(text, offset, end, Paragraphs::None, &mut out);
                    offset = end;
                }
                out
            });
            return runs.into_iter().flatten().collect();
        }
        if !is_hard_wrapped(text) {
            self.range(text, 0, text.len(), Paragraphs::Lines, &mut out);
        } else if is_double_spaced(text) {
            self.range(text, 0, text.len(), Paragraphs::None, &mut out);
        } else {
            // Blank lines set paragraphs, headings and list items apart: each ends a sentence
            // (a heading has no full stop), and a passage long enough ends there.
            let blanks = blank_lines(text);
            self.range(text, 0, text.len(), Paragraphs::Breaks(&blanks), &mut out);
        }
        out
    }

    /// Splits `text[from..to]` into passages of whole sentences, appended to `out`.
    fn range(
        self,
        text: &str,
        from: usize,
        to: usize,
        paragraphs: Paragraphs,
        out: &mut Vec<Passage>,
    ) {
        let breaks = match paragraphs {
            Paragraphs::Breaks(b) => b,
            _ => &[],
        };
        let sentences = self.sentences(text, from, to, breaks);
        pack(text, sentences, paragraphs, out);
    }

    /// The sentences of `text[from..to]` (UAX #29, run on a copy with line breaks made spaces),
    /// each cut again at the block breaks inside it and trimmed, with their word counts.
    ///
    /// A long text is cut into pieces that threads segment at once. A piece starts and ends
    /// right after four ASCII letters. UAX #29's sentence state after four letters is the same
    /// whatever came before (they fill its whole look-back), so a run started four bytes before
    /// the piece makes every decision inside it as a run from the start of the text would; and
    /// its look-ahead (rule SB8) stops at a letter, so it never needs to read past the piece.
    /// Each piece gives the sentence starts inside it ([`sentence_starts`], which segments only
    /// around the characters that can end a sentence); a sentence runs to the next start.
    fn sentences(
        self,
        text: &str,
        from: usize,
        to: usize,
        breaks: &[usize],
    ) -> Vec<(Passage, usize)> {
        let flat = flatten_line_breaks(&text[from..to]);
        let bytes = flat.as_bytes();
        let mut cuts = vec![0];
        let mut at = self.chunk;
        while at < bytes.len() {
            let mut run = 0;
            let found = bytes[at - LEAD.min(at)..].iter().position(|b| {
                run = if b.is_ascii_alphabetic() { run + 1 } else { 0 };
                run >= LEAD
            });
            match found.map(|i| at - LEAD.min(at) + i + 1) {
                Some(c) if c < bytes.len() && c > *cuts.last().unwrap_or(&0) => {
                    cuts.push(c);
                    at = c.saturating_add(self.chunk);
                }
                _ => break,
            }
        }
        cuts.push(bytes.len());
        let starts: Vec<usize> = parallel(cuts.len() - 1, |k| {
            let (lo, hi) = (cuts[k], cuts[k + 1]);
            sentence_starts(&flat, lo, hi)
        })
        .concat();
        // Then trim and count the words of each sentence, a run of sentences per thread.
        let per_thread = starts.len().div_ceil(cuts.len() - 1).max(1);
        let sentence_runs: Vec<&[usize]> = starts.chunks(per_thread).collect();
        let pieces = parallel(sentence_runs.len(), |k| {
            let mut out = Vec::new();
            let run = sentence_runs[k];
            let next_start = sentence_runs.get(k + 1).map_or(flat.len(), |r| r[0]);
            for (i, &start) in run.iter().enumerate() {
                let end = run.get(i + 1).copied().unwrap_or(next_start);
                let (start, end) = (from + start, from + end);
                // The sentence, cut again at the block breaks inside it.
                let first = breaks.partition_point(|&b| b <= start);
                let inner = breaks[first..].iter().take_while(|&&b| b < end);
                let starts = std::iter::once(start).chain(inner.clone().copied());
                for (s, e) in starts.zip(inner.copied().chain(std::iter::once(end))) {
                    if let Some(range) = trim(text, s, e) {
                        out.push((range, word_count(&text[range.start..range.end])));
                    }
                }
            }
            out
        });
        pieces.into_iter().flatten().collect()
    }
}

/// `f(0)`, …, `f(n - 1)` in order, computed by up to as many threads as there are cores when
/// there is more than one.
fn parallel<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    // Asked once: the standard library reads the cgroup's CPU quota files on every call, which
    // showed in profiles of folders of many small files (one call per file).
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |t| t.get()));
    let threads = cores.min(n);
    if threads <= 1 {
        return (0..n).map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if k >= n {
                            return done;
                        }
                        done.push((k, f(k)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a split thread panicked"))
            .collect()
    });
    results.sort_unstable_by_key(|(k, _)| *k);
    results.into_iter().map(|(_, t)| t).collect()
}

/// `text` cut into runs of whole lines of about `chunk` bytes each, as (start, end).
fn line_runs(text: &str, chunk: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let want = (start + chunk).min(text.len());
        let end = match text.as_bytes()[want..].iter().position(|&b| b == b'\n') {
            Some(i) => want + i + 1,
            None => text.len(),
        };
        runs.push((start, end));
        start = end;
    }
    runs
}

/// What ends a paragraph (a passage long enough ends there).
#[derive(Clone, Copy)]
enum Paragraphs<'a> {
    /// Nothing: line breaks are only wrapping (and so are the blank lines of double-spaced
    /// text).
    None,
    /// A line break.
    Lines,
    /// The block breaks of a document, which also end sentences.
    Breaks(&'a [usize]),
}

/// Packs sentences (trimmed, with their word counts) into passages, appended to `out`.
fn pack(
    text: &str,
    sentences: Vec<(Passage, usize)>,
    paragraphs: Paragraphs,
    out: &mut Vec<Passage>,
) {
    let mut current: Option<(Passage, usize)> = None;
    for (range, words) in sentences {
        if words > MAX_WORDS {
            out.extend(current.take().map(|(p, _)| p));
            out.extend(chunk(text, range));
            continue;
        }
        if let Some((p, n)) = current {
            let paragraph_break = match paragraphs {
                Paragraphs::None => false,
                Paragraphs::Lines => text[p.end..range.start].contains('\n'),
                Paragraphs::Breaks(b) => {
                    let i = b.partition_point(|&x| x < p.end);
                    b.get(i).is_some_and(|&x| x < range.start)
                }
            };
            if n + words > MAX_WORDS || (n >= MIN_WORDS && paragraph_break) {
                out.push(p);
                current = None;
            }
        }
        current = Some(match current {
            Some((p, n)) => (
                Passage {
                    start: p.start,
                    end: range.end,
                },
                n + words,
            ),
            None => (range, words),
        });
    }
    out.extend(current.map(|(p, _)| p));
}

/// Words as the tokenizer cuts them.
fn word_count(text: &str) -> usize {
    let mut n = 0;
    crate::text::for_each_piece(text, |_, _| n += 1);
    n
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// How many ASCII letters reset UAX #29's sentence state (see [`Splitter::sentences`]).
const LEAD: usize = 4;

/// The sentence starts (UAX #29) of `flat` in `lo..hi`, as a run over all of `flat` finds them,
/// where `lo` is 0 or right after four ASCII letters, and `hi` is the end of `flat` or right
/// after four ASCII letters.
///
/// A sentence starts only after a terminator (`.`, `!`, `?` and their kin in other scripts:
/// rule SB11) or a paragraph separator (SB4), and `flat` has no separators (they are spaces).
/// So the segmenter runs only on windows around such characters: from the last point after four
/// ASCII letters before one to the first after it, started four bytes early, as the pieces of
/// [`Splitter::sentences`] are, for the same reason. Text between windows holds no start. On
/// the 100 MB benchmark corpus the windows are about 13% of the text (a model of them in Python,
/// on 40 of its files); UAX #29 sentence segmentation of all of it was a sixth of the indexing
/// CPU.
pub fn sentence_starts(flat: &str, lo: usize, hi: usize) -> Vec<usize> {
    let bytes = flat.as_bytes();
    let mut starts = if lo == 0 && hi > 0 { vec![0] } else { vec![] };
    let mut at = lo;
    while let Some(i) = next_terminator(flat, at, hi) {
        // The window: from the last cut at or before the terminator (the piece's start if none)
        // to the first cut after it (the piece's end if none).
        let a = (at.max(LEAD)..=i)
            .rev()
            .find(|&c| bytes[c - LEAD..c].iter().all(u8::is_ascii_alphabetic))
            .unwrap_or(at);
        let mut run = 0;
        let b = bytes[i..hi]
            .iter()
            .position(|b| {
                run = if b.is_ascii_alphabetic() { run + 1 } else { 0 };
                run >= LEAD
            })
            .map_or(hi, |p| i + p + 1);
        let run_start = if a == 0 { 0 } else { a - LEAD };
        starts.extend(
            flat[run_start..b]
                .split_sentence_bound_indices()
                .map(|(offset, _)| run_start + offset)
                // `a` is 0 (a start already in) or right after four letters (never a start).
                .filter(|&start| start > a),
        );
        at = b;
    }
    starts
}

/// The first character in `flat[from..to]` that may end a sentence: an ASCII `.`, `!` or `?`,
/// or any character beyond ASCII that is neither a letter nor a combining accent (a superset of
/// UAX #29's ATerm and STerm, to be safe).
fn next_terminator(flat: &str, from: usize, to: usize) -> Option<usize> {
    let bytes = flat.as_bytes();
    let mut i = from;
    while i < to {
        let b = bytes[i];
        if b < 0x80 {
            if matches!(b, b'.' | b'!' | b'?') {
                return Some(i);
            }
            i += 1;
            continue;
        }
        let c = flat[i..]
            .chars()
            .next()
            .expect("i is on a character boundary");
        if !(c.is_alphabetic() || ('\u{300}'..='\u{36F}').contains(&c)) {
            return Some(i);
        }
        i += c.len_utf8();
    }
    None
}

/// A copy of `text` with every line break replaced by spaces of the same byte length (CR, LF,
/// VT, FF, NEL, LS, PS).
fn flatten_line_breaks(text: &str) -> String {
    let mut flat = text.as_bytes().to_vec();
    let mut i = 0;
    while i < flat.len() {
        match flat[i] {
            b'\n' | b'\r' | 0x0B | 0x0C => flat[i] = b' ',
            0xC2 if flat.get(i + 1) == Some(&0x85) => {
                flat[i..i + 2].fill(b' ');
                i += 1;
            }
            0xE2 if flat.get(i + 1) == Some(&0x80)
                && matches!(flat.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                flat[i..i + 3].fill(b' ');
                i += 2;
            }
            _ => {}
        }
        i += 1;
    }
    String::from_utf8(flat).expect("whole characters replaced by ASCII spaces")
}

/// True if most lines are short, as in text wrapped at a fixed width (a line break then says
/// nothing about paragraphs).
fn is_hard_wrapped(text: &str) -> bool {
    let (short, long) = text.lines().map(str::trim).filter(|l| !l.is_empty()).fold(
        (0usize, 0usize),
        |(s, l), line| {
            if line.len() < 120 {
                (s + 1, l)
            } else {
                (s, l + 1)
            }
        },
    );
    short > long
}

/// True if most lines of text are followed by a blank line (seed 001: PDF text with a blank
/// line after almost every line), so that a blank line says nothing of paragraphs.
fn is_double_spaced(text: &str) -> bool {
    let mut lines = text.lines().map(|l| l.trim().is_empty()).peekable();
    let (mut written, mut then_blank) = (0usize, 0usize);
    while let Some(blank) = lines.next() {
        if !blank {
            written += 1;
            if lines.peek() == Some(&true) {
                then_blank += 1;
            }
        }
    }
    then_blank * 5 >= written * 3
}

/// Where the blank lines of `text` begin (the line break that ends the line before each run of
/// blank lines), in order: the block breaks of hard-wrapped text whose paragraphs, headings and
/// list items are set apart by blank lines, as plain-text manuals, licences and e-books are.
fn blank_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line_end = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            if let Some(end) = line_end.take() {
                out.push(end);
            }
        } else if line.ends_with('\n') {
            line_end = Some(offset + line.trim_end().len());
        }
        offset += line.len();
    }
    out
}

/// True if the text is a list of short one-line records (a gazetteer, a list of names, CSV-like
/// rows): most lines are short, as in hard-wrapped text, but a line almost never runs on into
/// the next, as wrapped prose does (no sentence end, and the next line starts in lower case).
fn is_record_list(text: &str) -> bool {
    if !is_hard_wrapped(text) {
        return false;
    }
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(mut prev) = lines.next() else {
        return false;
    };
    let (mut boundaries, mut run_on) = (0usize, 0usize);
    for line in lines {
        boundaries += 1;
        let ends_clause = prev
            .trim_end_matches(['"', '\'', ')', ']', '\u{201D}', '\u{2019}', '*'])
            .ends_with(['.', '!', '?', ';', ':', '\u{2026}']);
        if !ends_clause && line.chars().next().is_some_and(char::is_lowercase) {
            run_on += 1;
        }
        prev = line;
    }
    boundaries >= 3 && run_on * 10 <= boundaries
}

/// `[start, end)` without leading and trailing white space, or `None` if nothing is left.
fn trim(text: &str, start: usize, end: usize) -> Option<Passage> {
    let slice = &text[start..end];
    let trimmed_start = slice.len() - slice.trim_start().len();
    let trimmed_end = slice.trim_end().len();
    (trimmed_end > trimmed_start).then_some(Passage {
        start: start + trimmed_start,
        end: start + trimmed_end,
    })
}

/// Cuts a sentence that is too long into pieces of [`CHUNK_WORDS`] words, between words. Each piece
/// runs to just before the next piece's first word.
fn chunk(text: &str, range: Passage) -> Vec<Passage> {
    let slice = &text[range.start..range.end];
    let cuts: Vec<usize> = slice
        .unicode_word_indices()
        .map(|(i, _)| range.start + i)
        .enumerate()
        .filter(|(k, _)| k % CHUNK_WORDS == 0 && *k > 0)
        .map(|(_, i)| i)
        .collect();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = range.start;
    for cut in cuts.into_iter().chain(std::iter::once(range.end)) {
        out.extend(trim(text, start, cut));
        start = cut;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text).iter().map(|p| &text[p.start..p.end]).collect()
    }

    #[test]
    fn short_text_is_one_passage_without_surrounding_space() {
        assert_eq!(texts("  One. Two.\n"), ["One. Two."]);
        assert!(split("   \n\n ").is_empty());
        assert!(split("").is_empty());
    }

    #[test]
    fn hard_wrapped_lines_still_make_sentences() {
        let text = "The first sentence runs \n\nacross lines. The second \n\none too.\n";
        assert_eq!(
            texts(text),
            ["The first sentence runs \n\nacross lines. The second \n\none too."]
        );
    }

    #[test]
    fn passages_respect_the_word_limits() {
        let sentence = format!("Word {}. ", "word ".repeat(29).trim_end());
        let text = sentence.repeat(20);
        let passages = split(&text);
        assert!(passages.len() > 1);
        for p in &passages {
            let n = text[p.start..p.end].unicode_words().count();
            assert!((MIN_WORDS..=MAX_WORDS).contains(&n), "{n} words");
        }
    }

    #[test]
    fn an_endless_sentence_is_cut_between_words() {
        let text = "älpha ".repeat(1000);
        let passages = split(&text);
        assert_eq!(passages.len(), 10);
        for p in &passages {
            assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
            assert_eq!(text[p.start..p.end].unicode_words().count(), CHUNK_WORDS);
        }
    }

    #[test]
    fn paragraph_lines_end_a_passage_once_it_is_long_enough() {
        let para = format!("Word {}.", "word ".repeat(59).trim_end());
        let long_line = format!("{para} {para}");
        let text = format!("{long_line}\n{long_line}\n");
        assert!(!is_hard_wrapped(&text));
        let passages = texts(&text);
        assert_eq!(passages, [long_line.as_str(), long_line.as_str()]);
    }

    /// `words` words wrapped at about 60 bytes: sentences of 10 words, the last ending the
    /// paragraph.
    fn wrapped_paragraph(first: &str, words: usize) -> String {
        let mut text = String::new();
        let mut line = 0;
        for i in 0..words {
            let word = if i == 0 { first } else { "word" };
            let end = if i % 10 == 9 || i == words - 1 {
                "."
            } else {
                ""
            };
            if line + word.len() > 60 {
                text.push('\n');
                line = 0;
            } else if i > 0 {
                text.push(' ');
                line += 1;
            }
            text.push_str(word);
            text.push_str(end);
            line += word.len() + end.len();
        }
        text
    }

    #[test]
    fn blank_lines_end_passages_of_hard_wrapped_text_once_long_enough() {
        // Paragraphs of 50, 20 and 50 words: the first ends a passage; the second is too short
        // to stand alone, so the third joins it.
        let (a, b, c) = (
            wrapped_paragraph("Alpha", 50),
            wrapped_paragraph("Beta", 20),
            wrapped_paragraph("Gamma", 50),
        );
        let text = format!("{a}\n\n  {b}\n\n{c}\n");
        assert!(is_hard_wrapped(&text) && !is_double_spaced(&text));
        let passages = texts(&text);
        assert_eq!(passages[0], a);
        assert!(
            passages[1].starts_with("Beta") && passages[1].ends_with(&c),
            "{passages:?}"
        );
        assert_eq!(passages.len(), 2);
        // Without blank lines the same words pack across the paragraphs.
        let joined = format!("{a}\n{b}\n{c}\n");
        assert!(texts(&joined)[0].len() > a.len());
    }

    #[test]
    fn blank_lines_end_items_and_headings_that_have_no_full_stop() {
        // List items of 45 words with no full stop, and a heading: each blank line ends a
        // sentence, so a passage long enough ends there and the heading starts the next.
        let item = |first: &str| wrapped_paragraph(first, 45).replace('.', "");
        let (a, b) = (item("* Alpha"), item("* Beta"));
        let text = format!("{a}\n\nHeading\n\n{b}\n");
        assert!(is_hard_wrapped(&text) && !is_double_spaced(&text));
        let passages = texts(&text);
        assert_eq!(passages.len(), 2, "{passages:?}");
        assert_eq!(passages[0], a);
        assert!(passages[1].starts_with("Heading\n\n* Beta"), "{passages:?}");
        assert_eq!(blank_lines("a\n \n\nb\nc\n\n"), [1, 8]);
    }

    #[test]
    fn blank_lines_of_double_spaced_text_are_only_wrapping() {
        // Seed 001's shape: a blank line after every line.
        let a = wrapped_paragraph("Alpha", 50).replace('\n', "\n\n");
        let text = format!(
            "{a}\n\n{}\n",
            wrapped_paragraph("Beta", 50).replace('\n', "\n\n")
        );
        assert!(is_hard_wrapped(&text) && is_double_spaced(&text));
        assert!(texts(&text)[0].len() > a.len());
    }

    #[test]
    fn a_list_of_one_line_records_gives_one_passage_per_record() {
        let text = "Phường Phúc Xá thuộc Quận Ba Đình, Thành phố Hà Nội, mã 00001.\n\
                    Phường Trúc Bạch thuộc Quận Ba Đình, Thành phố Hà Nội, mã 00004.\r\n\
                    \n\
                    Xã Ngọc Thanh thuộc Thành phố Phúc Yên, Tỉnh Vĩnh Phúc, mã 08980.\n\
                    1,Hòa An,Huyện Phú Hòa\n";
        assert_eq!(
            texts(text),
            [
                "Phường Phúc Xá thuộc Quận Ba Đình, Thành phố Hà Nội, mã 00001.",
                "Phường Trúc Bạch thuộc Quận Ba Đình, Thành phố Hà Nội, mã 00004.",
                "Xã Ngọc Thanh thuộc Thành phố Phúc Yên, Tỉnh Vĩnh Phúc, mã 08980.",
                "1,Hòa An,Huyện Phú Hòa",
            ]
        );
    }

    #[test]
    fn wrapped_prose_is_not_a_record_list() {
        let text = "The first sentence runs on\nacross lines and then it\nends here. Another one\n\
                    starts and goes on for a\nwhile before it ends.\n";
        assert!(!is_record_list(text));
        assert_eq!(texts(text).len(), 1);
    }

    #[test]
    fn breaks_end_sentences_and_long_passages() {
        let text = "Giới thiệu\nTiếng Việt là ngôn ngữ.\nMục khác";
        let breaks = [text.find('\n').unwrap(), text.rfind('\n').unwrap()];
        let parts: Vec<&str> = split_with_breaks(text, &breaks)
            .iter()
            .map(|p| &text[p.start..p.end])
            .collect();
        // Short blocks still pack into one passage; the sentence cut is what keeps phrases apart.
        assert_eq!(parts, [text]);
        let para = format!("Word {}.", "word ".repeat(59).trim_end());
        let text = format!("Title\n{para}\n{para}");
        let breaks: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        let parts = split_with_breaks(&text, &breaks);
        assert_eq!(parts.len(), 2);
        assert_eq!(&text[parts[1].start..parts[1].end], para);
        assert_eq!(split_with_breaks(&text, &[]), split(&text));
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nĐức x";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, text.find('x').unwrap()), (2, 5));
    }
}
