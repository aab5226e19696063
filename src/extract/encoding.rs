//! File bytes -> UTF-8 text plus an offset map: BOMs, UTF-16, and the legacy single-byte
//! encodings of Western and Vietnamese text, detected from the content when not forced.
//!
//! Order of decisions (see [`decode`]): a BOM (UTF-8, UTF-16LE/BE) wins; then NUL bytes in the
//! first 8 KiB mean a binary file; then valid UTF-8 is UTF-8, always (a forced encoding never
//! turns valid UTF-8 into mojibake; it applies to the files that are not UTF-8); then the forced
//! encoding, then a charset the document declares (HTML `<meta charset>`), then detection.
//!
//! Detection decodes the bytes with every candidate (windows-1252, windows-1258, VISCII, TCVN3,
//! VNI, and chardetng's guess when it is another single-byte encoding) and scores how much the
//! words look like Vietnamese syllables, or like words of a Western language. A Vietnamese
//! encoding must show at least [`MIN_SYLLABLES`] real Vietnamese syllables that carry diacritics
//! and have most of its non-ASCII words be syllables; the winner needs a clear margin, else the
//! file is skipped naming the candidates. Candidates that decode to the same text as one listed
//! before them are dropped (French in windows-1258 reads the same as in windows-1252: 1252 wins).

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
    pairs: std::collections::HashMap<[u8; 2], char>,
    singles: [Option<char>; 256],
}

fn vni_tables() -> &'static VniTables {
    static T: std::sync::OnceLock<VniTables> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut pairs = std::collections::HashMap::new();
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
    let mut candidates = vec![
        Enc::Single(encoding_rs::WINDOWS_1252),
        Enc::Single(encoding_rs::WINDOWS_1258),
        Enc::Viscii,
        Enc::Tcvn3,
        Enc::Vni,
    ];
    let sample = &bytes[..bytes.len().min(DETECT_LEN)];
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess.is_single_byte() && !candidates.contains(&Enc::Single(guess)) {
        candidates.push(Enc::Single(guess));
    }

    let mut scored: Vec<(Enc, Score, Decoded)> = Vec::new();
    for enc in candidates {
        let decoded = decode_with(sample, enc);
        if scored.iter().any(|(_, _, d)| d.text == decoded.text) {
            continue;
        }
        let score = score(&decoded.text);
        scored.push((enc, score, decoded));
    }
    let qualified = |(enc, s, _): &(Enc, Score, Decoded)| {
        !enc.is_vietnamese() || (s.syllables >= MIN_SYLLABLES && s.syllable_share >= 0.5)
    };
    let mut ranked: Vec<&(Enc, Score, Decoded)> = scored.iter().filter(|c| qualified(c)).collect();
    ranked.sort_by(|a, b| b.1.value.total_cmp(&a.1.value));
    let best = ranked.first().map_or(f64::NEG_INFINITY, |c| c.1.value);
    let second = ranked.get(1).map_or(f64::NEG_INFINITY, |c| c.1.value);
    if best >= MIN_SCORE && best - second >= MARGIN {
        let winner = ranked[0].0;
        if sample.len() == bytes.len() {
            let index = scored.iter().position(|c| c.0 == winner).unwrap_or(0);
            return Ok(scored.swap_remove(index).2);
        }
        return Ok(decode_with(bytes, winner));
    }
    // Undecided: name what it could be, the best first.
    let mut all: Vec<&(Enc, Score, Decoded)> = if ranked.len() >= 2 && best >= MIN_SCORE {
        ranked
            .into_iter()
            .filter(|c| best - c.1.value < MARGIN)
            .collect()
    } else {
        scored.iter().collect()
    };
    all.sort_by(|a, b| b.1.value.total_cmp(&a.1.value));
    Err(Skip::UndecidedEncoding {
        candidates: all.iter().map(|c| c.0.name()).collect(),
    })
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
fn score(text: &str) -> Score {
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
            let v = word_score(&s);
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

    /// Windows-1258 the way Vietnamese text was typed in it: letters with ă â ê ô ơ ư đ
    /// precomposed, the tone as a combining mark (NFD, then the non-tone marks recomposed).
    pub(crate) fn encode_1258(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for c in text.chars() {
            let d: String = c.to_string().nfd().collect();
            let (tones, rest): (String, String) = d
                .chars()
                .partition(|c| "\u{300}\u{301}\u{303}\u{309}\u{323}".contains(*c));
            let s: String = rest.nfc().chain(tones.chars()).collect();
            let (bytes, _, bad) = encoding_rs::WINDOWS_1258.encode(&s);
            assert!(!bad, "{c} not in windows-1258");
            out.extend_from_slice(&bytes);
        }
        out
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
