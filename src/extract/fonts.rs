//! Vietnamese legacy fonts inside documents: text set in a TCVN3 (ABC) font such as `.VnTime`, or
//! a VNI font such as `VNI-Times`, holds Latin-1 / Windows-1252 characters that only that font
//! draws as Vietnamese ("TrÇn §øc L­¬ng" is "Trần Đức Lương" in `.VnTime`). Extractors that know
//! the font of a run (DOCX, ODT, RTF, DOC, spreadsheets, slides) ask [`encoding_of`] and decode the
//! run with [`decode`]; PDF knows only a page's fonts and uses [`decode_words`] when they mix.
//!
//! Recognised, case-insensitively, after trimming spaces:
//! - TCVN3: every name that starts with `.Vn` (`.VnTime`, `.VnTimeH`, `.VnArial`, `.VnArialH`,
//!   `.VnCentury Schoolbook`, …; the `H` fonts are the upper-case sets of the same encoding), and
//!   the common families without the dot, as some converters write them ([`UNDOTTED`]:
//!   `VnTime`, `VnArial`, …).
//! - VNI: every name that starts with `VNI-` or `VNI ` (`VNI-Times`, `VNI-Helve`, `VNI-Top`, …).

use unicode_normalization::UnicodeNormalization;

use super::encoding::{self, Enc};
use super::Skip;

/// TCVN3 families recognised without their leading dot (lower case).
const UNDOTTED: &[&str] = &[
    "vntime",
    "vnarial",
    "vncentury",
    "vncourier",
    "vnhelvet",
    "vnavant",
    "vnbook",
    "vnbodoni",
    "vnclarendon",
    "vnlucida",
    "vnuniverse",
];

/// The legacy encoding that the font named `font` draws, if it is a Vietnamese legacy font.
pub(crate) fn encoding_of(font: &str) -> Option<Enc> {
    let name = font.trim().to_ascii_lowercase();
    let tcvn3 = name.starts_with(".vn") || UNDOTTED.iter().any(|f| name.starts_with(f));
    if tcvn3 {
        return Some(Enc::Tcvn3);
    }
    if name.starts_with("vni-") || name.starts_with("vni ") {
        return Some(Enc::Vni);
    }
    None
}

/// Text set in a legacy font, held until the font changes, so that a VNI letter and its tone
/// mark are decoded together even when two runs of the document split them.
#[derive(Debug, Default)]
pub(crate) struct Held {
    text: String,
    enc: Option<Enc>,
}

/// The most text [`Held`] holds before it is decoded.
const MAX_HELD: usize = 1 << 16;

impl Held {
    /// Holds `s`, set in a font of `enc`; returns the text to write before anything else comes:
    /// what was held in another encoding, decoded (and all of it past [`MAX_HELD`]).
    pub(crate) fn hold(&mut self, s: &str, enc: Enc) -> Option<String> {
        let mut out = None;
        if self.enc != Some(enc) {
            out = self.take();
            self.enc = Some(enc);
        }
        self.text.push_str(s);
        if self.text.len() > MAX_HELD {
            let rest = self.take().unwrap_or_default();
            out = Some(out.unwrap_or_default() + &rest);
        }
        out
    }

    /// What is held, decoded, if anything.
    pub(crate) fn take(&mut self) -> Option<String> {
        let enc = self.enc?;
        (!self.text.is_empty()).then(|| decode(&std::mem::take(&mut self.text), enc))
    }
}

/// Text written run by run, some runs set in a legacy font (DOCX and ODT paragraphs, slides):
/// the runs of one legacy font are held and decoded together ([`Held`]), the rest written as
/// they are.
pub(crate) trait Runs {
    /// Where the runs of a legacy font wait.
    fn held(&mut self) -> &mut Held;

    /// Writes text that is Unicode already.
    fn push_plain(&mut self, s: &str) -> Result<(), Skip>;

    /// A run in the legacy encoding `enc` of its font, if any.
    fn push_in(&mut self, s: &str, enc: Option<Enc>) -> Result<(), Skip> {
        let Some(enc) = enc else {
            return self.push(s);
        };
        match self.held().hold(s, enc) {
            Some(decoded) => self.push_plain(&decoded),
            None => Ok(()),
        }
    }

    /// Writes the held text of a legacy font, decoded.
    fn flush(&mut self) -> Result<(), Skip> {
        match self.held().take() {
            Some(decoded) => self.push_plain(&decoded),
            None => Ok(()),
        }
    }

    /// A run in a Unicode font.
    fn push(&mut self, s: &str) -> Result<(), Skip> {
        self.flush()?;
        self.push_plain(s)
    }
}

/// `text` as set in a font of the legacy encoding `enc`, decoded to Unicode (NFC): each
/// character is taken back to the byte a Windows-1252 document stores for it, then that byte is
/// read in `enc`. Characters that no Windows-1252 byte holds are kept as they are.
pub(crate) fn decode(text: &str, enc: Enc) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match byte_of(c) {
            Some(b) => bytes.push(b),
            None => {
                out.push_str(&encoding::decode_with(&bytes, enc).text);
                bytes.clear();
                out.push(c);
            }
        }
    }
    out.push_str(&encoding::decode_with(&bytes, enc).text);
    out.nfc().collect()
}

/// `text` in which some words are set in a font of the legacy encoding `enc` and others not
/// (a PDF page that uses `.VnTime` and Times New Roman, where the font of each glyph is not
/// known): each word with a letter and a character beyond ASCII is decoded when its decoding is
/// Vietnamese (every letter run a syllable) and the word as it stands is not.
///
/// With `every` set (every font of the page is a legacy font), every word is decoded, and only
/// the hyphen question below is decided by what is Vietnamese. Either way a `-` inside a word
/// may be TCVN3's `ư` (byte 0xAD, which PDF's WinAnsiEncoding names "hyphen"): it is read as
/// `ư` when that makes the word Vietnamese and the hyphen does not (`L-¬ng` is "Lương",
/// `M¸t-xc¬-va` stays "Mát-xcơ-va").
pub(crate) fn decode_words(text: &str, enc: Enc, every: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        let letters = word.chars().any(char::is_alphabetic);
        if every || (letters && !word.is_ascii() && !vietnamese(word)) {
            let mut decoded = decode(word, enc);
            if word.contains('-') && !vietnamese(&decoded) {
                let with_u = decode(&word.replace('-', "\u{AD}"), enc);
                if vietnamese(&with_u) {
                    decoded = with_u;
                }
            }
            if every || vietnamese(&decoded) {
                out.push_str(&decoded);
            } else {
                out.push_str(word);
            }
        } else {
            out.push_str(word);
        }
        let space = after.len() - after.trim_start().len();
        out.push_str(&after[..space]);
        rest = &after[space..];
    }
    out
}

/// True if every run of letters in `word` is a Vietnamese syllable (and it has one).
fn vietnamese(word: &str) -> bool {
    let mut runs = word
        .split(|c: char| !c.is_alphabetic() && !is_mark(c))
        .filter(|r| !r.is_empty())
        .peekable();
    runs.peek().is_some() && runs.all(encoding::is_vietnamese_syllable)
}

/// A combining mark (a tone or vowel mark written apart from its letter).
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// The Windows-1252 byte of `c`, if it has one (ASCII and Latin-1 as themselves).
fn byte_of(c: char) -> Option<u8> {
    if let Ok(b) = u8::try_from(u32::from(c)) {
        if !(0x80..0xA0).contains(&b) {
            return Some(b);
        }
    }
    let mut buf = [0; 4];
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    match (bad, bytes.as_ref()) {
        (false, [b]) => Some(*b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_are_known_by_their_family() {
        for tcvn3 in [
            ".VnTime",
            ".VnTimeH",
            ".VnArial",
            " .vnCentury Schoolbook",
            "VnTime",
        ] {
            assert_eq!(encoding_of(tcvn3), Some(Enc::Tcvn3), "{tcvn3}");
        }
        for vni in ["VNI-Times", "VNI-Helve", "vni-top"] {
            assert_eq!(encoding_of(vni), Some(Enc::Vni), "{vni}");
        }
        for other in [
            "Times New Roman",
            "Arial",
            "Vni",
            "Verdana",
            "VnExpress",
            "",
        ] {
            assert_eq!(encoding_of(other), None, "{other}");
        }
    }

    #[test]
    fn runs_in_legacy_fonts_read_as_vietnamese() {
        let tcvn3 = encoding::tests::encode("Trần Đức Lương", Enc::Tcvn3);
        let as_typed: String = tcvn3.iter().map(|&b| windows_1252_char(b)).collect();
        assert_eq!(decode(&as_typed, Enc::Tcvn3), "Trần Đức Lương");
        let vni = encoding::tests::encode("Nguyễn Ái Quốc", Enc::Vni);
        let as_typed: String = vni.iter().map(|&b| windows_1252_char(b)).collect();
        assert_eq!(decode(&as_typed, Enc::Vni), "Nguyễn Ái Quốc");
    }

    #[test]
    fn only_the_words_a_legacy_font_set_are_decoded_when_fonts_are_mixed() {
        let tcvn3 = encoding::tests::encode("Trần Đức Lương", Enc::Tcvn3);
        let as_typed: String = tcvn3.iter().map(|&b| windows_1252_char(b)).collect();
        let mixed = format!("Chủ tịch {as_typed} (1997–2006), café crème 1.5 €");
        assert_eq!(
            decode_words(&mixed, Enc::Tcvn3, false),
            "Chủ tịch Trần Đức Lương (1997–2006), café crème 1.5 €"
        );
        // A PDF's WinAnsi "hyphen" for TCVN3's ư, and a real hyphen.
        assert_eq!(
            decode_words("L-\u{AC}ng M\u{B8}t-xc\u{AC}-va", Enc::Tcvn3, true),
            "Lương Mát-xcơ-va"
        );
    }

    /// The character a Windows-1252 document stores for byte `b`.
    fn windows_1252_char(b: u8) -> char {
        let byte = [b];
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
        text.chars().next().unwrap()
    }
}
