//! File bytes -> UTF-8 text plus an offset map: BOMs, UTF-16, and the legacy single-byte
//! encodings of Western and Vietnamese text, detected from the content when not forced.
//!
//! Order of decisions (see [`decode`]): a BOM (UTF-8, UTF-16LE/BE) wins; then NUL bytes in the
//! first 8 KiB mean a binary file; then valid UTF-8 is UTF-8, always (a forced encoding never
//! turns valid UTF-8 into mojibake; it applies to the files that are not UTF-8); then the forced
//! encoding, then a charset the document declares (HTML `<meta charset>`), then detection.
//!
//! Detection decodes the bytes with every candidate (windows-1252, windows-1258, VISCII, TCVN3,
//! VNI, and chardetng's guess when it is another single-byte encoding) and judges each reading
//! first as Vietnamese: the right Vietnamese decoding makes every word with a diacritic a
//! Vietnamese syllable, a wrong one makes words no syllable holds (`Nôòi`, `thń`, `Nguyeãn`,
//! `h°ng`). A reading whose words are syllables (at least [`VI_MIN_SYLLABLES`], at most one
//! word in five not) and that beats every other reading as Vietnamese by [`VI_MARGIN`] wins,
//! short files included. Else a score of how much the words look like Vietnamese syllables or
//! like words of a Western language decides, with a margin; there a Vietnamese encoding must
//! show [`MIN_SYLLABLES`] syllables, windows-1252 loses to a Vietnamese reading that is all
//! syllables, and chardetng's guess of an encoding the README does not list competes only when
//! no reading has more syllables than other words (Cyrillic, Greek). Undecided, the file is
//! skipped naming the plausible candidates. Candidates that decode to the same text as one
//! before them are its aliases (French in windows-1258 reads as in windows-1252: 1252 wins).

use std::collections::HashMap;
use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::map::{MapBuilder, OffsetMap};
use super::tables;
use super::Skip;

/// How far NUL bytes are looked for.
pub(crate) const SNIFF_LEN: usize = 8192;
/// A Vietnamese legacy encoding is chosen only with at least this many syllables with diacritics.
const MIN_SYLLABLES: usize = 3;
/// Detection reads at most this much of a file (then the whole file is decoded once).
const DETECT_LEN: usize = 256 * 1024;
/// A reading whose words are Vietnamese syllables wins outright with at least this many...
const VI_MIN_SYLLABLES: usize = 2;
/// ...when its syllables less its other words exceed every other reading's by this much (one
/// word that is a syllable in it and not in the other counts 2).
const VI_MARGIN: i64 = 2;
/// The best score must beat the next one by this much.
const MARGIN: f64 = 0.1;
/// And be at least this good.
const MIN_SCORE: f64 = 0.5;

/// The names [`Options::encoding`](super::Options) accepts (and aliases, see [`lookup`]).
pub const KNOWN: &[&str] = &[
    "utf-8",
    "utf-16le",
    "utf-16be",
    "windows-1252",
    "windows-1258",
    "viscii",
    "tcvn3",
    "vni",
];

/// An encoding this module can decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Enc {
    Utf8,
    Utf16Le,
    Utf16Be,
    Viscii,
    Tcvn3,
    Vni,
    /// A single-byte encoding of encoding_rs (windows-1252, windows-1258, windows-1251, …).
    Single(&'static encoding_rs::Encoding),
}

impl Enc {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16Le => "utf-16le",
            Enc::Utf16Be => "utf-16be",
            Enc::Viscii => "viscii",
            Enc::Tcvn3 => "tcvn3",
            Enc::Vni => "vni",
            Enc::Single(e) => e.name(),
        }
    }

    /// True for the encodings made for Vietnamese, which must prove it (see the module doc).
    fn is_vietnamese(self) -> bool {
        matches!(self, Enc::Viscii | Enc::Tcvn3 | Enc::Vni)
            || self == Enc::Single(encoding_rs::WINDOWS_1258)
    }
}

/// The encoding a name or label stands for: ours, then any WHATWG label of a single-byte
/// encoding or UTF-8/UTF-16 (`latin1`, `cp1252`, `iso-8859-1` are all windows-1252, as browsers
/// read them).
pub(crate) fn lookup(name: &str) -> Option<Enc> {
    let n = name.trim().to_ascii_lowercase();
    match n.as_str() {
        "viscii" | "viscii1.1-1" | "csviscii" => return Some(Enc::Viscii),
        "tcvn3" | "tcvn" | "tcvn-5712" | "tcvn5712-1" | "tcvn5712-1:1993" | "abc" => {
            return Some(Enc::Tcvn3)
        }
        "vni" | "vni-windows" | "vni-win" => return Some(Enc::Vni),
        "cp1258" => return Some(Enc::Single(encoding_rs::WINDOWS_1258)),
        _ => {}
    }
    let e = encoding_rs::Encoding::for_label(n.as_bytes())?;
    if e == encoding_rs::UTF_8 {
        Some(Enc::Utf8)
    } else if e == encoding_rs::UTF_16LE {
        Some(Enc::Utf16Le)
    } else if e == encoding_rs::UTF_16BE {
        Some(Enc::Utf16Be)
    } else if e.is_single_byte() {
        Some(Enc::Single(e))
    } else {
        None
    }
}

/// Text decoded from a file, with the map back to it.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub map: OffsetMap,
    pub encoding: &'static str,
}

/// Decodes a file (see the module doc for the order of decisions). `declared` is a charset the
/// document names for itself, if any.
pub(crate) fn decode(
    bytes: &[u8],
    forced: Option<&str>,
    declared: Option<&str>,
) -> Result<Decoded, Skip> {
    let forced = match forced {
        Some(name) => Some(lookup(name).ok_or_else(|| Skip::UnknownEncoding(name.to_string()))?),
        None => None,
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(decode_utf8(rest, 3));
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Ok(decode_utf16(bytes, 2, Enc::Utf16Le));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Ok(decode_utf16(bytes, 2, Enc::Utf16Be));
    }
    if let Some(e @ (Enc::Utf16Le | Enc::Utf16Be)) = forced {
        return Ok(decode_utf16(bytes, 0, e));
    }
    if bytes[..bytes.len().min(SNIFF_LEN)].contains(&0) {
        return Err(Skip::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            map: OffsetMap::identity(text.len()),
            encoding: "utf-8",
        });
    }
    if let Some(e) = forced.or_else(|| declared.and_then(lookup).filter(|e| *e != Enc::Utf8)) {
        return Ok(decode_with(bytes, e));
    }
    detect(bytes)
}

/// Decodes `bytes` in `enc` (never fails: undecodable bytes become U+FFFD).
pub(crate) fn decode_with(bytes: &[u8], enc: Enc) -> Decoded {
    match enc {
        Enc::Utf8 => decode_utf8(bytes, 0),
        Enc::Utf16Le | Enc::Utf16Be => decode_utf16(bytes, 0, enc),
        Enc::Vni => decode_vni(bytes),
        Enc::Viscii => decode_table(bytes, &table_of(&tables::VISCII), enc.name()),
        Enc::Tcvn3 => decode_table(bytes, &table_of(&tables::TCVN3), enc.name()),
        Enc::Single(e) => decode_table(bytes, &encoding_rs_table(e), e.name()),
    }
}

/// UTF-8 starting at file byte `base` (after a BOM); invalid bytes become U+FFFD.
fn decode_utf8(bytes: &[u8], base: usize) -> Decoded {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let mut b = MapBuilder::default();
        b.linear(text.len(), base, 1);
        return Decoded {
            text: text.to_string(),
            map: b.finish(),
            encoding: "utf-8",
        };
    }
    let mut text = String::with_capacity(bytes.len());
    let mut b = MapBuilder::default();
    let mut at = base;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        b.linear(valid.len(), at, 1);
        at += valid.len();
        let invalid = chunk.invalid().len();
        if invalid > 0 {
            text.push(char::REPLACEMENT_CHARACTER);
            b.atomic(char::REPLACEMENT_CHARACTER.len_utf8(), at..at + invalid);
            at += invalid;
        }
    }
    Decoded {
        text,
        map: b.finish(),
        encoding: "utf-8",
    }
}

/// UTF-16 from byte `start` (after a BOM). ASCII maps 1 text byte to 2 file bytes (a linear run
/// of scale 2); other characters map as a whole to their code units.
fn decode_utf16(bytes: &[u8], start: usize, enc: Enc) -> Decoded {
    let body = &bytes[start..];
    let units = body.chunks_exact(2).map(|p| match enc {
        Enc::Utf16Be => u16::from_be_bytes([p[0], p[1]]),
        _ => u16::from_le_bytes([p[0], p[1]]),
    });
    let mut text = String::with_capacity(body.len() / 2);
    let mut b = MapBuilder::default();
    let mut at = start;
    for r in char::decode_utf16(units) {
        let (c, n) = match r {
            Ok(c) => (c, 2 * c.len_utf16()),
            Err(_) => (char::REPLACEMENT_CHARACTER, 2),
        };
        text.push(c);
        if c.is_ascii() {
            b.linear(1, at, 2);
        } else {
            b.atomic(c.len_utf8(), at..at + n);
        }
        at += n;
    }
    if at < bytes.len() {
        text.push(char::REPLACEMENT_CHARACTER);
        b.atomic(char::REPLACEMENT_CHARACTER.len_utf8(), at..bytes.len());
    }
    Decoded {
        text,
        map: b.finish(),
        encoding: enc.name(),
    }
}

fn table_of(t: &[u16; 256]) -> [char; 256] {
    std::array::from_fn(|i| char::from_u32(u32::from(t[i])).unwrap_or(char::REPLACEMENT_CHARACTER))
}

/// The 256 characters of a single-byte encoding of encoding_rs (U+FFFD where a byte means none).
fn encoding_rs_table(e: &'static encoding_rs::Encoding) -> [char; 256] {
    std::array::from_fn(|i| {
        let byte = [i as u8];
        let (text, _) = e.decode_without_bom_handling(&byte);
        text.chars().next().unwrap_or(char::REPLACEMENT_CHARACTER)
    })
}

/// Accumulates decoded characters: ASCII as linear runs, anything else as a cluster (a letter and
/// the combining marks after it) that is NFC-composed and mapped as a whole to its bytes.
struct Clusters {
    text: String,
    map: MapBuilder,
    cluster: String,
    cluster_bytes: Range<usize>,
}

impl Clusters {
    fn new(capacity: usize) -> Self {
        Clusters {
            text: String::with_capacity(capacity),
            map: MapBuilder::default(),
            cluster: String::new(),
            cluster_bytes: 0..0,
        }
    }

    /// The next character, from file bytes `bytes`.
    fn push(&mut self, c: char, bytes: Range<usize>) {
        if is_combining_mark(c) && !self.cluster.is_empty() {
            self.cluster.push(c);
            self.cluster_bytes.end = bytes.end;
            return;
        }
        self.flush();
        self.cluster.push(c);
        self.cluster_bytes = bytes;
    }

    fn flush(&mut self) {
        let mut chars = self.cluster.chars();
        match (chars.next(), chars.next()) {
            (None, _) => return,
            (Some(c), None) if c.is_ascii() && self.cluster_bytes.len() == 1 => {
                self.text.push(c);
                self.map.linear(1, self.cluster_bytes.start, 1);
            }
            (Some(_), None) => {
                self.text.push_str(&self.cluster);
                self.map
                    .atomic(self.cluster.len(), self.cluster_bytes.clone());
            }
            _ => {
                let before = self.text.len();
                self.text.extend(self.cluster.nfc());
                self.map
                    .atomic(self.text.len() - before, self.cluster_bytes.clone());
            }
        }
        self.cluster.clear();
    }

    fn finish(mut self, encoding: &'static str) -> Decoded {
        self.flush();
        Decoded {
            text: self.text,
            map: self.map.finish(),
            encoding,
        }
    }
}

/// A single-byte encoding through its table; combining tone marks (windows-1258, TCVN3) are
/// composed with their letter.
fn decode_table(bytes: &[u8], table: &[char; 256], encoding: &'static str) -> Decoded {
    let mut out = Clusters::new(bytes.len() + bytes.len() / 4);
    for (i, &byte) in bytes.iter().enumerate() {
        out.push(table[usize::from(byte)], i..i + 1);
    }
    out.finish(encoding)
}

/// Lookup tables for VNI: letters of two bytes by their bytes, letters of one byte by theirs.
struct VniTables {
    pairs: HashMap<[u8; 2], char>,
    singles: [Option<char>; 256],
}

fn vni_tables() -> &'static VniTables {
    static T: std::sync::OnceLock<VniTables> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut pairs = HashMap::new();
        let mut singles = [None; 256];
        for &(c, bytes) in tables::VNI.iter() {
            match *bytes {
                [a] => singles[usize::from(a)] = Some(c),
                [a, b] => {
                    pairs.insert([a, b], c);
                }
                _ => {}
            }
        }
        VniTables { pairs, singles }
    })
}

/// VNI: a letter is its base byte and at most one accent byte; bytes that form no VNI letter
/// read as windows-1252 (the code page VNI fonts are drawn over).
fn decode_vni(bytes: &[u8]) -> Decoded {
    let t = vni_tables();
    let fallback = encoding_rs_table(encoding_rs::WINDOWS_1252);
    let mut out = Clusters::new(bytes.len() + bytes.len() / 4);
    let mut i = 0;
    while i < bytes.len() {
        if let Some(&c) = bytes.get(i..i + 2).and_then(|p| t.pairs.get(&[p[0], p[1]])) {
            out.push(c, i..i + 2);
            i += 2;
            continue;
        }
        let byte = bytes[i];
        let c = t.singles[usize::from(byte)].unwrap_or(fallback[usize::from(byte)]);
        out.push(c, i..i + 1);
        i += 1;
    }
    out.finish("vni")
}

/// Detects the encoding of bytes that are not UTF-8 (see the module doc).
fn detect(bytes: &[u8]) -> Result<Decoded, Skip> {
    let sample = &bytes[..bytes.len().min(DETECT_LEN)];
    let mut readings = readings(sample);
    match choose(&readings) {
        Ok(i) if sample.len() == bytes.len() => Ok(readings.swap_remove(i).decoded),
        Ok(i) => Ok(decode_with(bytes, readings[i].enc)),
        Err(candidates) => Err(Skip::UndecidedEncoding { candidates }),
    }
}

/// One candidate decoding of the sample and how it reads.
struct Reading {
    enc: Enc,
    /// Later candidates that decode to the same text.
    aliases: Vec<Enc>,
    score: Score,
    vi: Vi,
    decoded: Decoded,
}

impl Reading {
    /// An encoding the README lists (chardetng's guess of another one is not).
    fn listed(&self) -> bool {
        self.enc.is_vietnamese() || self.enc == Enc::Single(encoding_rs::WINDOWS_1252)
    }
}

/// The sample decoded with every candidate, in order; a candidate that reads the same as one
/// before it is its alias (French in windows-1258 reads as in windows-1252: 1252 is used).
fn readings(sample: &[u8]) -> Vec<Reading> {
    let mut candidates = vec![
        Enc::Single(encoding_rs::WINDOWS_1252),
        Enc::Single(encoding_rs::WINDOWS_1258),
        Enc::Viscii,
        Enc::Tcvn3,
        Enc::Vni,
    ];
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess.is_single_byte() && !candidates.contains(&Enc::Single(guess)) {
        candidates.push(Enc::Single(guess));
    }
    let mut words = Words::default();
    let mut out: Vec<Reading> = Vec::new();
    for enc in candidates {
        let decoded = decode_with(sample, enc);
        if let Some(same) = out.iter_mut().find(|r| r.decoded.text == decoded.text) {
            same.aliases.push(enc);
            continue;
        }
        out.push(Reading {
            enc,
            aliases: Vec::new(),
            score: score(&decoded.text, &mut words),
            vi: vietnamese(&decoded.text, &mut words),
            decoded,
        });
    }
    out
}

/// The reading to use, or the names of the plausible ones (the best first).
///
/// Vietnamese first: a reading whose words are Vietnamese syllables and that beats every
/// other reading by [`VI_MARGIN`] wins ([`clearly_vietnamese`]). Else the plausibility
/// [`Score`] decides, with a margin, among the readings allowed to compete: a Vietnamese
/// encoding with [`MIN_SYLLABLES`] that also leads as Vietnamese; windows-1252 unless a
/// Vietnamese reading is all syllables and at least as good as Vietnamese (a short Vietnamese
/// file is skipped rather than read as `Nguyeãn`); chardetng's guess only when no Vietnamese
/// reading has more syllables than other words (Cyrillic, Greek, …).
fn choose(readings: &[Reading]) -> Result<usize, Vec<&'static str>> {
    if let Some(i) = clearly_vietnamese(readings) {
        return Ok(i);
    }
    let not_vietnamese = readings
        .iter()
        .filter(|r| r.enc.is_vietnamese())
        .all(|r| r.vi.net() <= 0);
    let may_win = |r: &Reading| {
        if r.enc.is_vietnamese() {
            let s = &r.score;
            s.syllables >= MIN_SYLLABLES && s.syllable_share >= 0.5 && leads(r, readings)
        } else {
            (r.listed() || not_vietnamese)
                && !readings.iter().any(|v| {
                    v.enc.is_vietnamese()
                        && v.vi.syllables > 0
                        && v.vi.others == 0
                        && v.vi.net() >= r.vi.net()
                })
        }
    };
    let mut ranked: Vec<(usize, f64)> = (0..readings.len())
        .filter(|&i| may_win(&readings[i]))
        .map(|i| (i, readings[i].score.value))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let best = ranked.first().map_or(f64::NEG_INFINITY, |r| r.1);
    let second = ranked.get(1).map_or(f64::NEG_INFINITY, |r| r.1);
    if best >= MIN_SCORE && best - second >= MARGIN {
        return Ok(ranked[0].0);
    }
    Err(plausible(readings, not_vietnamese))
}

/// The reading whose words are Vietnamese syllables, clearly ahead of every other as
/// Vietnamese, if there is one.
fn clearly_vietnamese(readings: &[Reading]) -> Option<usize> {
    let best = (0..readings.len()).max_by_key(|&i| readings[i].vi.net())?;
    let r = &readings[best];
    let vi = r.vi;
    (r.listed()
        && vi.syllables >= VI_MIN_SYLLABLES
        && vi.others * 4 <= vi.syllables
        && leads(r, readings))
    .then_some(best)
}

/// True if `r` reads as Vietnamese by [`VI_MARGIN`] better than every other reading.
fn leads(r: &Reading, readings: &[Reading]) -> bool {
    readings
        .iter()
        .filter(|o| o.enc != r.enc)
        .all(|o| r.vi.net() - o.vi.net() >= VI_MARGIN)
}

/// The encodings an undecided file could be in, for the warning: readings with more syllables
/// than other words, the best first, then plausible ones of other languages (all of them when
/// fewer than two are), each followed by the Vietnamese encodings that read the same.
fn plausible(readings: &[Reading], not_vietnamese: bool) -> Vec<&'static str> {
    let mut order: Vec<&Reading> = readings
        .iter()
        .filter(|r| r.listed() || not_vietnamese)
        .collect();
    order.sort_by(|a, b| {
        let key = |r: &Reading| (r.vi.net() > 0, r.vi.net().max(0));
        key(b)
            .cmp(&key(a))
            .then(b.score.value.total_cmp(&a.score.value))
    });
    let named = order
        .iter()
        .filter(|r| r.vi.net() > 0 || r.score.value >= MIN_SCORE)
        .count();
    let named = if named >= 2 { named } else { order.len() };
    order
        .iter()
        .take(named)
        .flat_map(|r| {
            let same = r.aliases.iter().filter(|e| e.is_vietnamese());
            std::iter::once(r.enc).chain(same.copied())
        })
        .map(Enc::name)
        .collect()
}

/// What words were judged to be, remembered: a text repeats its words, and detection reads the
/// sample once per candidate.
#[derive(Default)]
struct Words {
    scores: HashMap<String, f64>,
    syllables: HashMap<String, bool>,
}

impl Words {
    /// [`word_score`], remembered.
    fn score(&mut self, word: &str) -> f64 {
        if let Some(&v) = self.scores.get(word) {
            return v;
        }
        let v = word_score(word);
        self.scores.insert(word.to_string(), v);
        v
    }

    /// True for a Vietnamese syllable in a plausible case, remembered.
    fn syllable(&mut self, word: &str) -> bool {
        if let Some(&v) = self.syllables.get(word) {
            return v;
        }
        let v = plausible_case(word) && is_vietnamese_syllable(word);
        self.syllables.insert(word.to_string(), v);
        v
    }
}

/// How a reading does as Vietnamese: its words with a non-ASCII character, syllables or not.
#[derive(Clone, Copy, Debug, Default)]
struct Vi {
    /// Vietnamese syllables with diacritics, in a plausible case.
    syllables: usize,
    /// Other words: not syllables, with a symbol, a control character or U+FFFD inside.
    others: usize,
}

impl Vi {
    /// Syllables less other words: how much better a reading is than another, as Vietnamese.
    fn net(self) -> i64 {
        self.syllables as i64 - self.others as i64
    }
}

/// Punctuation that separates words in Vietnamese text besides ASCII's (the characters of
/// windows-1258 and VNI between 0x80 and 0x9F).
const PUNCTUATION: [char; 11] = ['‘', '’', '“', '”', '«', '»', '–', '—', '…', '·', '•'];

/// Judges the words of `text` as Vietnamese: a word is what lies between spaces and
/// punctuation, so a symbol of a wrong decoding (`h°ng`, `Nguy\u{AD}n`) stays in its word and
/// makes it no syllable. A lone symbol (`©`) counts for nothing, two or more (`®«`) as a word
/// that is no syllable.
fn vietnamese(text: &str, words: &mut Words) -> Vi {
    let mut vi = Vi::default();
    let split = |c: char| {
        c.is_whitespace()
            || c.is_ascii_punctuation()
            || c.is_ascii_control()
            || PUNCTUATION.contains(&c)
    };
    for word in text.split(split) {
        if word.is_ascii() {
            continue;
        }
        let broken = |c: char| c.is_control() || c == char::REPLACEMENT_CHARACTER;
        if !word.chars().any(char::is_alphabetic) && !word.chars().any(broken) {
            if word.chars().count() > 1 {
                vi.others += 1;
            }
        } else if words.syllable(word) {
            vi.syllables += 1;
        } else {
            vi.others += 1;
        }
    }
    vi
}

/// How plausible a decoding reads.
#[derive(Clone, Copy, Debug, Default)]
struct Score {
    /// Weighted mean over the non-ASCII words and symbols, from -1 (garbage) to 1.
    value: f64,
    /// Distinct-or-not count of words that are Vietnamese syllables with diacritics.
    syllables: usize,
    /// Their share of the non-ASCII words.
    syllable_share: f64,
}

/// Scores decoded text: each word with a non-ASCII letter counts 1 if it is a Vietnamese
/// syllable, 0.6 if it reads like a word of a Western (or Cyrillic, Greek) language, 0 else (a
/// one-letter word counts half); control characters and U+FFFD count -1, a symbol inside a word
/// -1, other non-ASCII symbols 0.3 (typographic quotes, ©, °) with a small weight.
fn score(text: &str, memo: &mut Words) -> Score {
    let (mut sum, mut weight) = (0.0f64, 0.0f64);
    let (mut words, mut syllables) = (0usize, 0usize);
    let chars: Vec<char> = text.chars().collect();
    let is_word_char = |c: char| c.is_alphanumeric() || is_combining_mark(c);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_word_char(c) {
            let start = i;
            while i < chars.len() && is_word_char(chars[i]) {
                i += 1;
            }
            let word = &chars[start..i];
            if word.iter().all(char::is_ascii) {
                continue;
            }
            let w = if word.len() == 1 { 0.5 } else { 1.0 };
            let s: String = word.iter().collect();
            let v = memo.score(&s);
            words += 1;
            if v >= 1.0 {
                syllables += 1;
            }
            sum += w * v;
            weight += w;
            continue;
        }
        i += 1;
        if c.is_ascii() {
            continue;
        }
        if c.is_control() || c == char::REPLACEMENT_CHARACTER {
            sum -= 1.0;
            weight += 1.0;
        } else {
            let inside = i >= 2
                && is_word_char(chars[i - 2])
                && chars.get(i).is_some_and(|&n| is_word_char(n));
            if inside && !matches!(c, '’' | '\u{AD}' | '·' | '–' | '‑') {
                sum -= 1.0;
                weight += 1.0;
            } else {
                sum += 0.3 * 0.3;
                weight += 0.3;
            }
        }
    }
    Score {
        value: if weight > 0.0 { sum / weight } else { 0.0 },
        syllables,
        syllable_share: if words > 0 {
            syllables as f64 / words as f64
        } else {
            0.0
        },
    }
}

/// 1 for a Vietnamese syllable, 0.6 for a plausible word of another language, 0 for neither.
fn word_score(word: &str) -> f64 {
    if !plausible_case(word) {
        return 0.0;
    }
    if is_vietnamese_syllable(word) {
        return 1.0;
    }
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let ascii = letters.iter().filter(|c| c.is_ascii()).count();
    let latin = letters.iter().all(|&c| {
        c.is_ascii_alphabetic() || (('\u{C0}'..='\u{24F}').contains(&c) && c != '×' && c != '÷')
    });
    if latin {
        // Western words carry a few accented letters among plain ones ("sociétés", "où").
        return if ascii * 2 >= letters.len() || letters.len() <= 2 {
            0.6
        } else {
            0.0
        };
    }
    let script = |c: char| match c {
        '\u{370}'..='\u{3FF}' => 1,
        '\u{400}'..='\u{52F}' => 2,
        _ => 0,
    };
    let first = letters.first().map_or(0, |&c| script(c));
    if first != 0 && letters.iter().all(|&c| script(c) == first) {
        0.6
    } else {
        0.0
    }
}

/// Lower case, Capitalised or UPPER CASE (combining marks and digits aside).
fn plausible_case(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return false;
    };
    let rest: Vec<char> = letters.collect();
    let all_lower = rest.iter().all(|c| !c.is_uppercase());
    let all_upper = rest.iter().all(|c| !c.is_lowercase());
    all_lower || (first.is_uppercase() && all_upper)
}

/// True if `word` is one Vietnamese syllable written with at least one diacritic: an initial
/// consonant, a vowel group, a final consonant, and at most one tone mark.
pub(crate) fn is_vietnamese_syllable(word: &str) -> bool {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    const INITIALS: [&str; 28] = [
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
        "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
    ];
    const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    const NUCLEI: [&str; 48] = [
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu",
        "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "ua", "uâ", "uê",
        "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "oai", "oay", "uây", "uôi",
        "ươi", "ươu",
    ];
    const MORE_NUCLEI: [&str; 5] = ["uya", "uyê", "yêu", "oeo", "uyu"];
    let lower = word.to_lowercase();
    let mut tones = 0;
    let decomposed: String = lower
        .nfd()
        .filter(|c| {
            let tone = TONES.contains(c);
            tones += usize::from(tone);
            !tone
        })
        .collect();
    let base: String = decomposed.nfc().collect();
    if tones > 1 || (tones == 0 && base.is_ascii()) || base.chars().count() > 7 {
        return false;
    }
    INITIALS.iter().any(|initial| {
        let Some(rest) = base.strip_prefix(initial) else {
            return false;
        };
        FINALS.iter().any(|fin| {
            rest.strip_suffix(fin)
                .is_some_and(|n| NUCLEI.contains(&n) || MORE_NUCLEI.contains(&n))
        })
    })
}

// Windows-1258 the way Vietnamese text was typed in it, for tests: shared with the integration
// tests, which cannot see this crate's test modules.
#[cfg(test)]
#[path = "../../tests/it/util/legacy.rs"]
mod legacy;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every precomposed Vietnamese letter, lower and upper case (67 each).
    pub(crate) fn alphabet() -> Vec<char> {
        let mut out = Vec::new();
        for base in ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"] {
            for tone in ["", "\u{301}", "\u{300}", "\u{309}", "\u{303}", "\u{323}"] {
                let s: String = format!("{base}{tone}").nfc().collect();
                let c = s.chars().next().unwrap();
                if !c.is_ascii() {
                    out.push(c);
                }
            }
        }
        out.push('đ');
        let upper: Vec<char> = out.iter().flat_map(|c| c.to_uppercase()).collect();
        out.extend(upper);
        out
    }

    /// Encodes NFC text in one of our table encodings (test helper; panics on an unmappable char).
    pub(crate) fn encode(text: &str, enc: Enc) -> Vec<u8> {
        let mut out = Vec::new();
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c as u8);
                continue;
            }
            let found = match enc {
                Enc::Vni => tables::VNI
                    .iter()
                    .find(|(v, _)| *v == c)
                    .map(|(_, b)| b.to_vec()),
                Enc::Viscii | Enc::Tcvn3 => {
                    let t = if enc == Enc::Viscii {
                        &tables::VISCII
                    } else {
                        &tables::TCVN3
                    };
                    t.iter()
                        .position(|&u| u32::from(u) == c as u32)
                        .map(|b| vec![b as u8])
                }
                _ => None,
            };
            out.extend(found.unwrap_or_else(|| panic!("{c} not in {}", enc.name())));
        }
        out
    }

    pub(crate) use super::legacy::encode_1258;

    /// Realistic short Vietnamese phrases (2–4 words: places, people, everyday phrases).
    const PHRASES: [&str; 30] = [
        "thủ đô Hà Nội",
        "Hà Nội",
        "Đà Nẵng",
        "Nguyễn Du",
        "thành phố Huế",
        "hồ Gươm",
        "sông Hồng",
        "Trần Hưng Đạo",
        "Lê Lợi",
        "phố cổ Hội An",
        "vịnh Hạ Long",
        "Cần Thơ",
        "sông Cửu Long",
        "Nguyễn Trãi",
        "Hồ Chí Minh",
        "cảm ơn bạn",
        "xin chào",
        "chúc mừng năm mới",
        "Tết Nguyên Đán",
        "phở bò tái",
        "bánh mì thịt",
        "cà phê sữa đá",
        "Văn Miếu",
        "Quốc Tử Giám",
        "đường Lê Duẩn",
        "Trường Đại học",
        "chợ Bến Thành",
        "Phan Bội Châu",
        "Võ Nguyên Giáp",
        "Điện Biên Phủ",
    ];

    /// Realistic Vietnamese sentences of 10–25 words.
    const SENTENCES: [&str; 10] = [
        "Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam từ năm 1976.",
        "Nguyễn Du là tác giả của Truyện Kiều, một kiệt tác của văn học Việt Nam.",
        "Mỗi sáng, người dân đi bộ quanh hồ Hoàn Kiếm và uống cà phê trên vỉa hè.",
        "Đà Nẵng có những bãi biển đẹp, cầu Rồng và núi Ngũ Hành Sơn nổi tiếng.",
        "Trong kỳ nghỉ Tết Nguyên Đán, các gia đình sum họp và cùng nhau gói bánh chưng.",
        "Đồng bằng sông Cửu Long là vựa lúa lớn nhất của cả nước.",
        "Học sinh được nghỉ hè từ đầu tháng sáu đến cuối tháng tám hằng năm.",
        "Chính phủ đã thông qua kế hoạch phát triển đường sắt tốc độ cao Bắc Nam.",
        "Bà tôi thường kể chuyện cổ tích về Thánh Gióng và Sơn Tinh Thủy Tinh.",
        "Thành phố Hồ Chí Minh là trung tâm kinh tế lớn nhất của miền Nam.",
    ];

    /// `text` as a file in each of the four legacy Vietnamese encodings.
    fn in_legacy_encodings(text: &str) -> [(&'static str, Vec<u8>); 4] {
        [
            ("viscii", encode(text, Enc::Viscii)),
            ("windows-1258", encode_1258(text)),
            ("tcvn3", encode(text, Enc::Tcvn3)),
            ("vni", encode(text, Enc::Vni)),
        ]
    }

    /// How detection did on a set of files: right, skipped, and the failures described.
    #[derive(Debug, Default)]
    struct Tally {
        right: usize,
        skipped: usize,
        /// Read as another text.
        wrong: Vec<String>,
        /// Skipped with a warning that does not name the file's encoding.
        unnamed: Vec<String>,
    }

    impl std::fmt::Display for Tally {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(
                f,
                "{} right, {} skipped ({} without their encoding named), {} wrong",
                self.right,
                self.skipped,
                self.unnamed.len(),
                self.wrong.len()
            )
        }
    }

    /// Detects every text, one line with a newline, in each legacy encoding, unforced.
    fn detect_all(texts: &[String]) -> Tally {
        let mut tally = Tally::default();
        for text in texts {
            let line = format!("{text}\n");
            for (name, bytes) in in_legacy_encodings(&line) {
                match decode(&bytes, None, None) {
                    Ok(d) if d.text == line => tally.right += 1,
                    Ok(d) => tally.wrong.push(format!(
                        "{name} {text:?} read as {} {:?}",
                        d.encoding,
                        d.text.trim_end()
                    )),
                    Err(Skip::UndecidedEncoding { candidates }) => {
                        tally.skipped += 1;
                        if !candidates.contains(&name) {
                            tally
                                .unnamed
                                .push(format!("{name} {text:?}: {candidates:?}"));
                        }
                    }
                    Err(e) => panic!("{name} {text:?}: {e}"),
                }
            }
        }
        tally
    }

    #[test]
    fn short_legacy_files_are_read_right_or_skipped_never_garbage() {
        let tokens = ["abc", "doc", "Hanoi", "ref", "vn"];
        let lines: Vec<String> = PHRASES
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{p} {}{}", tokens[i % tokens.len()], 17 * i + 3))
            .collect();
        let t = detect_all(&lines);
        println!("120 one-line files: {t}");
        assert!(t.wrong.is_empty(), "{t}: {:#?}", t.wrong);
        assert!(t.unnamed.is_empty(), "{t}: {:#?}", t.unnamed);
        assert!(t.right >= 60, "{t}");

        let sentences: Vec<String> = SENTENCES.iter().map(|s| s.to_string()).collect();
        let t = detect_all(&sentences);
        println!("40 sentence files: {t}");
        assert_eq!(t.right, 40, "{t}: {t:#?}");
    }

    /// Short Western phrases with accents, for windows-1252 files.
    const WESTERN: &str = "café crème|Hanoï|déjà vu|où est la gare|Noël|la société générale|\
        crème brûlée|garçon|forêt|hôtel de ville|à bientôt|très bien|el niño|año nuevo|mañana|\
        ¿qué tal?|José García|canción|corazón|Perú|Grüße|Straße|München|Bräu|schön|Käse|Übung|\
        São Paulo|coração|não|mãe|perché|città|più|smørrebrød|Malmö|Århus|Reykjavík|naïve|façade";

    #[test]
    fn short_western_files_are_windows_1252_or_skipped_never_garbage() {
        let (mut right, mut skipped) = (0, 0);
        for (i, phrase) in WESTERN.split('|').enumerate() {
            let line = format!("{phrase} ref{i}\n");
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&line);
            match decode(&bytes, None, None) {
                Ok(d) => {
                    assert_eq!(
                        (d.text.as_str(), d.encoding),
                        (line.as_str(), "windows-1252")
                    );
                    right += 1;
                }
                Err(Skip::UndecidedEncoding { candidates }) => {
                    assert!(
                        candidates.contains(&"windows-1252"),
                        "{line}: {candidates:?}"
                    );
                    skipped += 1;
                }
                Err(e) => panic!("{line}: {e}"),
            }
        }
        println!("short western files: {right} right, {skipped} skipped");
        assert!(right >= 35, "{right} right, {skipped} skipped");
    }

    #[test]
    fn viscii_tcvn3_and_vni_round_trip_all_134_letters() {
        let letters = alphabet();
        assert_eq!(letters.len(), 134);
        for enc in [Enc::Viscii, Enc::Vni, Enc::Tcvn3] {
            for &c in &letters {
                let bytes = encode(&c.to_string(), enc);
                let d = decode_with(&bytes, enc);
                assert_eq!(d.text, c.to_string(), "{} {:x?}", enc.name(), bytes);
                assert_eq!(d.map.file_range(0..d.text.len()), 0..bytes.len());
            }
            let all: String = letters.iter().collect();
            assert_eq!(decode_with(&encode(&all, enc), enc).text, all);
        }
    }

    #[test]
    fn tables_are_published_values_at_known_points() {
        // Spot checks against RFC 1456 (VISCII) and TCVN 5712 (VN1/VN3).
        assert_eq!(tables::VISCII[0x02], 0x1EB2); // Ẳ
        assert_eq!(tables::VISCII[0xE0], 0x00E0); // à
        assert_eq!(tables::VISCII[0xF0], 0x0111); // đ
        assert_eq!(tables::VISCII[0xD0], 0x0110); // Đ
        assert_eq!(tables::TCVN3[0xAE], 0x0111); // đ
        assert_eq!(tables::TCVN3[0xA7], 0x0110); // Đ
        assert_eq!(tables::TCVN3[0xB5], 0x00E0); // à
        assert_eq!(tables::TCVN3[0xD5], 0x1EBF); // ế
        for b in 0..0x80usize {
            if ![0x02, 0x05, 0x06, 0x14, 0x19, 0x1E].contains(&b) {
                assert_eq!(usize::from(tables::VISCII[b]), b);
            }
        }
        let vni = |c: char| tables::VNI.iter().find(|v| v.0 == c).unwrap().1;
        assert_eq!(vni('ế'), b"e\xE1");
        assert_eq!(vni('Ữ'), b"\xD6\xD5");
        assert_eq!(vni('đ'), b"\xF1");
        assert_eq!(vni('ỵ'), b"\xEE");
    }

    #[test]
    fn windows_1258_round_trips_every_letter_to_nfc_with_offsets_per_byte_run() {
        for c in alphabet() {
            let bytes = encode_1258(&c.to_string());
            let d = decode_with(&bytes, Enc::Single(encoding_rs::WINDOWS_1258));
            assert_eq!(d.text, c.to_string());
            assert_eq!(d.map.file_range(0..d.text.len()), 0..bytes.len());
        }
    }

    #[test]
    fn syllables() {
        for w in [
            "Tiếng", "Việt", "Nguyễn", "quốc", "Trần", "Đức", "Lương", "người", "khuỷu", "gì",
        ] {
            assert!(is_vietnamese_syllable(w), "{w}");
        }
        for w in [
            "sociétés",
            "Tieáng",
            "tiêìng",
            "xếy",
            "ñaø",
            "Vieät",
            "trang",
        ] {
            assert!(!is_vietnamese_syllable(w), "{w}");
        }
    }

    #[test]
    fn unknown_forced_encoding_lists_the_known_ones() {
        let e = decode(b"abc\xff", Some("klingon"), None).unwrap_err();
        assert_eq!(e, Skip::UnknownEncoding("klingon".into()));
        assert!(e.to_string().contains("vni"), "{e}");
        let d = decode(b"caf\xe9", Some("latin1"), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("café", "windows-1252"));
    }

    #[test]
    fn utf16_without_bom_only_when_forced_and_nul_means_binary() {
        assert_eq!(decode(b"a\0b\0", None, None).unwrap_err(), Skip::Binary);
        let d = decode(b"a\0b\0", Some("utf-16le"), None).unwrap();
        assert_eq!(d.text, "ab");
        assert_eq!(d.map.file_range(1..2), 2..4);
    }
}
