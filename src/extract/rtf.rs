//! RTF: the text a reader sees, one paragraph per `\par` (and `\sect`, `\page`, `\cell`,
//! `\row`), each a [`Place::Paragraph`] numbered from 1 among the paragraphs that hold text.
//!
//! A small reader of its own (no crate reads code pages and font tables the way this needs):
//! groups, control words and symbols; destinations that are not text skipped (`\*\…`,
//! `\fonttbl` (read for the font names), `\colortbl`, `\stylesheet`, `\info` (whose `\title` is
//! the title), `\pict`, `\object`, field instructions, …); `\uN` with its `\ucN` fallback
//! skipped; `\'xx` bytes in the code page of the document (`\ansicpgN`, default windows-1252)
//! or of the run's font (`\fcharsetN`). A run set in a Vietnamese legacy font (`.VnTime`,
//! `VNI-Times`, see [`fonts`](super::fonts)) is decoded from that font's encoding. Control words
//! never reach the text. A file that does not start with `{\rtf`, or whose groups are not
//! closed (truncated), is skipped as corrupt.

use std::collections::HashMap;

use encoding_rs::Encoding;
use unicode_normalization::UnicodeNormalization;

use super::encoding::Enc;
use super::{contained, fonts, Extracted, Format, Limited, Options, Part, Place, Skip};

const FORMAT: &str = "RTF document";
/// Groups nested deeper than this make the file corrupt (Word nests a few dozen).
const MAX_DEPTH: usize = 4096;
/// The longest title kept, in bytes.
const MAX_TITLE: usize = 4096;

/// Destinations whose text is not the document's.
const SKIPPED: &[&str] = &[
    "colortbl",
    "stylesheet",
    "pict",
    "object",
    "objdata",
    "fldinst",
    "nonshppict",
    "listtable",
    "listoverridetable",
    "revtbl",
    "rsidtbl",
    "filetbl",
    "generator",
    "xmlnstbl",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "pgdsctbl",
    "template",
];

/// True for the bytes of an RTF file.
pub(super) fn sniff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"{\\rtf")
}

/// Extracts an RTF file.
pub(super) fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    if !sniff(bytes) {
        return Err(Skip::corrupt(FORMAT, "it does not start with {\\rtf"));
    }
    let mut reader = Reader::new(bytes, options);
    reader.run()?;
    let title = reader.title.trim().to_string();
    let out = reader.out;
    let mut x = contained(out.text.text, Format::Rtf, out.breaks, out.parts);
    x.title = (!title.is_empty()).then(|| title.nfc().collect());
    Ok(x)
}

/// What the text of a group is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dest {
    /// The document's text.
    Text,
    /// Not text (a picture, a table of styles, an ignorable destination).
    Skip,
    /// The font table: font numbers and names.
    Fonts,
    /// `\info`: metadata, not text.
    Info,
    /// `\title` inside `\info`.
    Title,
}

/// The state a group inherits and restores.
#[derive(Clone, Copy, Debug)]
struct Group {
    dest: Dest,
    /// The font (`\fN`) of the text.
    font: Option<i32>,
    /// Bytes of fallback after each `\uN` (`\ucN`).
    uc: usize,
    /// Inside `\upr{ANSI}{\*\ud{Unicode}}`: the destination that the `\ud` group reads as;
    /// the ANSI version beside it is skipped.
    upr: Option<Dest>,
}

/// A font table entry.
#[derive(Default)]
struct Font {
    /// The Vietnamese legacy encoding its name stands for, if any.
    legacy: Option<Enc>,
    /// The code page of its `\fcharsetN`, when it is not the document's.
    codepage: Option<&'static Encoding>,
}

/// The paragraphs built so far.
struct Out {
    text: Limited,
    breaks: Vec<usize>,
    parts: Vec<Part>,
}

/// One token of RTF.
enum Token<'a> {
    Open,
    Close,
    /// A control word and its parameter.
    Word(&'a str, Option<i32>),
    /// A control symbol (`\~`, `\*`, `\{`, …), but `\'xx`.
    Symbol(u8),
    /// `\'xx` or a text byte.
    Byte(u8),
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    stack: Vec<Group>,
    cur: Group,
    /// The document's code page (`\ansicpgN`).
    codepage: &'static Encoding,
    fonts: HashMap<i32, Font>,
    /// The default font (`\deffN`), for text without a `\fN`.
    deff: Option<i32>,
    /// The entry of the font table being read, and its name's bytes so far.
    entry: Option<(i32, Vec<u8>)>,
    /// Text bytes not decoded yet, and the code page they are in.
    pending: Vec<u8>,
    pending_cp: &'static Encoding,
    /// Decoded text of the current font, and that font's legacy encoding.
    run: String,
    run_legacy: Option<Enc>,
    /// The open paragraph.
    para: String,
    /// Fallback bytes still to skip after a `\uN`.
    fallback: usize,
    /// A high surrogate from `\uN`, waiting for its low half.
    high: Option<u16>,
    title: String,
    title_bytes: Vec<u8>,
    limit: usize,
    out: Out,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], options: &Options) -> Self {
        Reader {
            bytes,
            pos: 0,
            stack: Vec::new(),
            cur: Group {
                dest: Dest::Text,
                font: None,
                uc: 1,
                upr: None,
            },
            codepage: encoding_rs::WINDOWS_1252,
            fonts: HashMap::new(),
            deff: None,
            entry: None,
            pending: Vec::new(),
            pending_cp: encoding_rs::WINDOWS_1252,
            run: String::new(),
            run_legacy: None,
            para: String::new(),
            fallback: 0,
            high: None,
            title: String::new(),
            title_bytes: Vec::new(),
            limit: options.max_extract(),
            out: Out {
                text: Limited::new(options),
                breaks: Vec::new(),
                parts: Vec::new(),
            },
        }
    }

    /// Reads the whole document: from its opening `{` to the `}` that closes it.
    fn run(&mut self) -> Result<(), Skip> {
        let mut opened = false;
        while let Some(token) = self.next_token() {
            match token {
                Token::Open => {
                    if opened {
                        self.open()?;
                    }
                    opened = true;
                }
                Token::Close => {
                    if !self.close()? {
                        return self.end_paragraph();
                    }
                }
                Token::Word(word, param) => self.word(word, param)?,
                Token::Symbol(s) => self.symbol(s)?,
                Token::Byte(b) => self.byte(b)?,
            }
        }
        Err(Skip::corrupt(
            FORMAT,
            format!(
                "truncated: {} groups left open at the end",
                self.stack.len() + 1
            ),
        ))
    }

    /// The next token, `None` at the end of the bytes.
    fn next_token(&mut self) -> Option<Token<'a>> {
        let bytes = self.bytes;
        loop {
            let b = *bytes.get(self.pos)?;
            self.pos += 1;
            match b {
                b'{' => return Some(Token::Open),
                b'}' => return Some(Token::Close),
                b'\r' | b'\n' | 0 => continue,
                b'\\' => return self.control(),
                _ => return Some(Token::Byte(b)),
            }
        }
    }

    /// A control word or symbol, after its `\`.
    fn control(&mut self) -> Option<Token<'a>> {
        let bytes = self.bytes;
        let start = self.pos;
        let first = *bytes.get(start)?;
        if !first.is_ascii_alphabetic() {
            self.pos += 1;
            if first == b'\'' {
                let hex = bytes.get(self.pos..self.pos + 2)?;
                self.pos += 2;
                let hex = std::str::from_utf8(hex).ok();
                return match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => Some(Token::Byte(b)),
                    None => Some(Token::Symbol(b'\'')),
                };
            }
            // `\` before a line break is `\par`.
            if first == b'\n' || first == b'\r' {
                return Some(Token::Word("par", None));
            }
            return Some(Token::Symbol(first));
        }
        let mut end = start;
        while end < bytes.len() && end - start < 32 && bytes[end].is_ascii_alphabetic() {
            end += 1;
        }
        let word = std::str::from_utf8(&bytes[start..end]).unwrap_or("");
        let mut digits = end;
        if bytes.get(digits) == Some(&b'-') {
            digits += 1;
        }
        let number_start = digits;
        while digits < bytes.len() && digits - number_start < 10 && bytes[digits].is_ascii_digit() {
            digits += 1;
        }
        let param = if digits > number_start {
            std::str::from_utf8(&bytes[end..digits])
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .map(|n| n.clamp(i32::MIN.into(), i32::MAX.into()) as i32)
        } else {
            digits = end;
            None
        };
        self.pos = digits;
        if bytes.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
        Some(Token::Word(word, param))
    }

    fn open(&mut self) -> Result<(), Skip> {
        self.flush_bytes()?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(Skip::corrupt(
                FORMAT,
                format!("groups nested deeper than {MAX_DEPTH}"),
            ));
        }
        self.stack.push(self.cur);
        self.fallback = 0;
        Ok(())
    }

    /// Closes a group; false when it was the document's outermost one.
    fn close(&mut self) -> Result<bool, Skip> {
        self.flush_bytes()?;
        self.fallback = 0;
        let Some(outer) = self.stack.pop() else {
            return Ok(false);
        };
        if self.cur.dest == Dest::Fonts && outer.dest != Dest::Fonts {
            self.end_font_entry();
        }
        if self.cur.dest == Dest::Title && outer.dest != Dest::Title {
            self.flush_title();
        }
        self.cur = outer;
        Ok(true)
    }

    /// A control word: a destination, a break, a character, or a state change.
    fn word(&mut self, word: &str, param: Option<i32>) -> Result<(), Skip> {
        match (word, self.cur.upr) {
            ("ud", Some(dest)) => {
                self.cur = Group {
                    dest,
                    upr: None,
                    ..self.cur
                };
                return Ok(());
            }
            ("upr", _) if self.cur.dest != Dest::Skip => {
                self.cur.upr = Some(self.cur.dest);
                self.cur.dest = Dest::Skip;
                return Ok(());
            }
            _ => {}
        }
        if self.cur.dest == Dest::Skip {
            return self.skip_binary(word, param);
        }
        if self.fallback > 0 && word != "bin" {
            self.fallback -= 1;
            return Ok(());
        }
        match word {
            "u" => return self.unicode(param.unwrap_or(0)),
            "uc" => self.cur.uc = param.unwrap_or(1).clamp(0, 16) as usize,
            "bin" => return self.skip_binary(word, param),
            _ => {}
        }
        match self.cur.dest {
            Dest::Fonts => self.font_word(word, param),
            Dest::Info | Dest::Title => {
                if word == "title" {
                    self.cur.dest = Dest::Title;
                }
            }
            Dest::Text => return self.text_word(word, param),
            Dest::Skip => {}
        }
        Ok(())
    }

    /// `\binN`: N bytes of binary data, never text.
    fn skip_binary(&mut self, word: &str, param: Option<i32>) -> Result<(), Skip> {
        if word == "bin" {
            let n = usize::try_from(param.unwrap_or(0)).unwrap_or(0);
            self.pos = self.pos.saturating_add(n).min(self.bytes.len());
        }
        Ok(())
    }

    /// A control word in the font table.
    fn font_word(&mut self, word: &str, param: Option<i32>) {
        match (word, param) {
            ("f", Some(n)) => {
                self.end_font_entry();
                self.entry = Some((n, Vec::new()));
                self.fonts.entry(n).or_default();
            }
            ("fcharset", Some(n)) => {
                if let Some((f, _)) = &self.entry {
                    let cp = charset_codepage(n);
                    self.fonts.entry(*f).or_default().codepage = cp;
                }
            }
            _ => {}
        }
    }

    /// The name of the font table entry being read, once it is complete.
    fn end_font_entry(&mut self) {
        if let Some((n, name)) = self.entry.take() {
            let name = String::from_utf8_lossy(&name);
            if !name.trim().is_empty() {
                self.fonts.entry(n).or_default().legacy = fonts::encoding_of(&name);
            }
        }
    }

    /// A control word in the text.
    fn text_word(&mut self, word: &str, param: Option<i32>) -> Result<(), Skip> {
        let s = match word {
            "par" | "sect" | "page" | "cell" | "nestcell" | "row" | "nestrow" => {
                return self.end_paragraph()
            }
            "fonttbl" => {
                self.cur.dest = Dest::Fonts;
                return Ok(());
            }
            "info" => {
                self.cur.dest = Dest::Info;
                return Ok(());
            }
            "deff" => {
                self.deff = param;
                return Ok(());
            }
            "ansicpg" => {
                if let Some(cp) = param.and_then(codepage) {
                    self.codepage = cp;
                }
                return Ok(());
            }
            "mac" => {
                self.codepage = encoding_rs::MACINTOSH;
                return Ok(());
            }
            "f" => {
                self.flush_bytes()?;
                self.cur.font = param;
                return Ok(());
            }
            "plain" => {
                self.flush_bytes()?;
                self.cur.font = None;
                return Ok(());
            }
            "line" => "\n",
            "tab" => "\t",
            "emdash" => "\u{2014}",
            "endash" => "\u{2013}",
            "bullet" => "\u{2022}",
            "lquote" => "\u{2018}",
            "rquote" => "\u{2019}",
            "ldblquote" => "\u{201C}",
            "rdblquote" => "\u{201D}",
            "emspace" | "enspace" | "qmspace" => " ",
            w if SKIPPED.contains(&w) => {
                self.cur.dest = Dest::Skip;
                return Ok(());
            }
            _ => return Ok(()),
        };
        self.flush_bytes()?;
        self.emit(s)
    }

    /// A control symbol.
    fn symbol(&mut self, s: u8) -> Result<(), Skip> {
        if s == b'*' {
            // An ignorable destination: none of them is text.
            self.cur.dest = Dest::Skip;
            self.fallback = 0;
            return Ok(());
        }
        if self.cur.dest == Dest::Skip {
            return Ok(());
        }
        if self.fallback > 0 {
            self.fallback -= 1;
            return Ok(());
        }
        match s {
            b'\\' | b'{' | b'}' => self.byte(s),
            b'~' => self.char('\u{A0}'),
            b'_' => self.char('-'),
            b'\t' => self.char('\t'),
            _ => Ok(()),
        }
    }

    /// A text byte or `\'xx`.
    fn byte(&mut self, b: u8) -> Result<(), Skip> {
        if self.fallback > 0 {
            self.fallback -= 1;
            return Ok(());
        }
        match self.cur.dest {
            Dest::Text => {
                let cp = self.byte_codepage();
                if cp != self.pending_cp {
                    self.flush_bytes()?;
                    self.pending_cp = cp;
                }
                self.pending.push(b);
                if self.pending.len() >= 4096 {
                    self.flush_bytes()?;
                }
            }
            Dest::Fonts => match (&mut self.entry, b) {
                (Some(_), b';') => self.end_font_entry(),
                (Some((_, name)), _) if name.len() < 256 => name.push(b),
                _ => {}
            },
            Dest::Title if self.title.len() + self.title_bytes.len() < MAX_TITLE => {
                self.title_bytes.push(b)
            }
            _ => {}
        }
        Ok(())
    }

    /// `\uN`: one UTF-16 unit, then its fallback skipped.
    fn unicode(&mut self, n: i32) -> Result<(), Skip> {
        self.fallback = self.cur.uc;
        let unit = (n.rem_euclid(65536)) as u16;
        let c = match (self.high.take(), unit) {
            (_, 0xD800..=0xDBFF) => {
                self.high = Some(unit);
                return Ok(());
            }
            (Some(high), 0xDC00..=0xDFFF) => char::decode_utf16([high, unit])
                .next()
                .and_then(Result::ok)
                .unwrap_or('\u{FFFD}'),
            (_, 0xDC00..=0xDFFF) => '\u{FFFD}',
            (_, unit) => char::from_u32(unit.into()).unwrap_or('\u{FFFD}'),
        };
        self.char(c)
    }

    /// One character of text (or of the title).
    fn char(&mut self, c: char) -> Result<(), Skip> {
        match self.cur.dest {
            Dest::Text => {
                self.flush_bytes()?;
                self.emit(c.encode_utf8(&mut [0; 4]))
            }
            Dest::Title if self.title.len() < MAX_TITLE => {
                self.flush_title();
                self.title.push(c);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The code page of a text byte here: the font's, else the document's. A legacy Vietnamese
    /// font's bytes are read as windows-1252 first (as the font's own program stored them).
    fn byte_codepage(&self) -> &'static Encoding {
        match self.font() {
            Some(f) if f.legacy.is_some() => encoding_rs::WINDOWS_1252,
            Some(Font {
                codepage: Some(cp), ..
            }) => cp,
            _ => self.codepage,
        }
    }

    /// The legacy encoding of the current font, if it is a Vietnamese legacy font.
    fn legacy(&self) -> Option<Enc> {
        self.font()?.legacy
    }

    /// The font of the text here: its `\fN`, else the default font.
    fn font(&self) -> Option<&Font> {
        self.fonts.get(&self.cur.font.or(self.deff)?)
    }

    /// Decodes the pending bytes into the run.
    fn flush_bytes(&mut self) -> Result<(), Skip> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let text = decode(&self.pending, self.pending_cp);
        self.pending.clear();
        self.emit(&text)
    }

    /// Appends decoded text to the run of the current font.
    fn emit(&mut self, s: &str) -> Result<(), Skip> {
        let legacy = self.legacy();
        if legacy != self.run_legacy {
            self.flush_run();
            self.run_legacy = legacy;
        }
        let size = self.out.text.len() + self.para.len() + self.run.len() + s.len();
        if size > self.limit {
            return Err(Skip::TooLarge { limit: self.limit });
        }
        self.run.push_str(s);
        Ok(())
    }

    /// The run, decoded from its legacy font if it has one, appended to the paragraph.
    fn flush_run(&mut self) {
        let run = std::mem::take(&mut self.run);
        match self.run_legacy {
            Some(enc) => self.para.push_str(&fonts::decode(&run, enc)),
            None => self.para.push_str(&run),
        }
    }

    /// The title's pending bytes, decoded in the document's code page.
    fn flush_title(&mut self) {
        if !self.title_bytes.is_empty() {
            let text = decode(&self.title_bytes, self.codepage);
            self.title.push_str(&text);
            self.title_bytes.clear();
        }
    }

    /// Ends the open paragraph: if it has text, a part, its text (NFC) and a break.
    fn end_paragraph(&mut self) -> Result<(), Skip> {
        self.flush_bytes()?;
        self.flush_run();
        let para = std::mem::take(&mut self.para);
        if para.trim().is_empty() {
            return Ok(());
        }
        let para: String = para.nfc().collect();
        let out = &mut self.out;
        let start = out.text.len();
        out.parts.push(Part {
            start,
            place: Place::Paragraph(out.parts.len() as u32 + 1),
        });
        out.text.push_str(&para)?;
        out.breaks.push(out.text.len());
        out.text.push_str("\n")
    }
}

/// Bytes in a code page. The same characters as [`decode_with`](super::encoding::decode_with) gives for
/// `Enc::Single(cp)` (its tables are encoding_rs's; the paragraph is NFC-composed later), without
/// the offset map and the table it builds on each call: an RTF file decodes many short runs.
fn decode(bytes: &[u8], cp: &'static Encoding) -> String {
    match std::str::from_utf8(bytes) {
        Ok(ascii) if bytes.is_ascii() => ascii.to_string(),
        _ => cp.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// The encoding of a Windows code page number (`\ansicpgN`).
fn codepage(n: i32) -> Option<&'static Encoding> {
    let label = match n {
        874 | 1250..=1258 => format!("windows-{n}"),
        932 => "shift_jis".into(),
        936 => "gbk".into(),
        949 => "euc-kr".into(),
        950 => "big5".into(),
        866 => "ibm866".into(),
        10000 => "macintosh".into(),
        20866 => "koi8-r".into(),
        28592..=28605 => format!("iso-8859-{}", n - 28590),
        65001 => "utf-8".into(),
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// The code page of a font's `\fcharsetN`; `None` for the document's own (ANSI, default,
/// symbol, and charsets without one).
fn charset_codepage(n: i32) -> Option<&'static Encoding> {
    let cp = match n {
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return None,
    };
    codepage(cp)
}

#[cfg(test)]
mod tests {
    use super::super::encoding;
    use super::*;

    fn read(rtf: &str) -> Result<Extracted, Skip> {
        extract(rtf.as_bytes(), &Options::default())
    }

    fn text(rtf: &str) -> String {
        read(rtf).unwrap().text
    }

    /// `text` in `enc`, each byte past ASCII written as `\'xx`.
    fn escaped(text: &str, enc: Enc) -> String {
        encoding::tests::encode(text, enc)
            .iter()
            .map(|&b| match b {
                b'\\' | b'{' | b'}' => format!("\\{}", b as char),
                0x20..=0x7E => (b as char).to_string(),
                _ => format!("\\'{b:02x}"),
            })
            .collect()
    }

    const NAME: &str = "Trần Đức Lương";

    #[test]
    fn unicode_escapes_skip_their_fallback() {
        let rtf = r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0 Tr\u7847?n \u272?\u7913?c L\u432?\u417?ng\par}";
        assert_eq!(text(rtf), "Trần Đức Lương\n");
        // Two bytes of fallback, and a character outside the BMP as two halves.
        let rtf = r"{\rtf1\uc2 Tr\u7847\'e1\'bbn \u-10179\'3f\'3f\u-8704\'3f\'3f.}";
        assert_eq!(text(rtf), "Trần 😀.\n");
        let rtf = r"{\rtf1 a{\uc0\u273 b}\u273?c}";
        assert_eq!(text(rtf), "ađbđc\n");
    }

    #[test]
    fn bytes_are_read_in_the_documents_code_page() {
        // Decomposed, as Windows-1258 keyboards typed it: â + grave, ư + acute.
        let name = r"Tr\'e2\'ccn \'d0\'fd\'ecc L\'fd\'f5ng";
        let rtf = format!(r"{{\rtf1\ansi\ansicpg1258\deff0{{\fonttbl{{\f0 Times;}}}}{name}\par}}");
        assert_eq!(text(&rtf), "Trần Đức Lương\n");
        let rtf = r"{\rtf1\ansi\ansicpg1251 \'cc\'ee\'f1\'ea\'e2\'e0\par}";
        assert_eq!(text(rtf), "Москва\n");
        // Windows-1252 by default; a font's charset wins over the document's code page.
        let rtf = r"{\rtf1\ansi{\fonttbl{\f1\fcharset204 Arial;}}Caf\'e9 {\f1 \'cc\'e8\'f0}}";
        assert_eq!(text(rtf), "Café Мир\n");
    }

    #[test]
    fn runs_in_vietnamese_legacy_fonts_are_decoded() {
        for (font, enc) in [(".VnTime", Enc::Tcvn3), ("VNI-Times", Enc::Vni)] {
            let name = escaped(NAME, enc);
            let rtf = format!(
                r"{{\rtf1\ansi\deff0{{\fonttbl{{\f0\froman Times New Roman;}}{{\f1\fnil\fcharset0 {font};}}}}
\pard Anh {{\f1 {name}}} \f1 {name}\f0  k\'fd.\par}}"
            );
            assert_eq!(text(&rtf), format!("Anh {NAME} {NAME} ký.\n"), "{font}");
        }
    }

    #[test]
    fn control_words_and_skipped_destinations_are_not_text() {
        let rtf = r#"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}}
{\colortbl;\red255\green0\blue0;}{\stylesheet{\s0 Normal;}}{\*\generator Riched20;}
{\info{\title Th\u432?\'20g\u7917?i}{\author Ai \u273?\'f3}}
{\*\pnseclvl1\pnucrm{\pntxta .}}{\pict\wmetafile8 0a0b0c}{\object{\*\objdata 0102}}
{\field{\*\fldinst HYPERLINK "x"}{\fldrslt link}} \bin3 {}ab c\par
\pard\plain\f0\fs24 One \{two\} \\three\tab four\line five\par
\par  \par
{\trowd\cellx100\cellx200 A\cell B\cell\row}\sect Six\emdash seven}"#;
        let x = read(rtf).unwrap();
        assert_eq!(
            x.text,
            "link b c\nOne {two} \\three\tfour\nfive\nA\nB\nSix\u{2014}seven\n"
        );
        assert_eq!(x.title.as_deref(), Some("Thư gửi"));
        // LibreOffice's title: an ANSI version, and the Unicode one in `\ud`.
        let rtf = r"{\rtf1{\info{\upr{\title Th\'3f}{\*\ud{\title Th\u432\'3f}}}}{\upr{A\'3f}{\*\ud{A\u7841\'3f}}}\par}";
        let y = read(rtf).unwrap();
        assert_eq!((y.title.as_deref(), y.text.as_str()), (Some("Thư"), "Aạ\n"));
        assert_eq!(
            (x.format, x.offsets),
            (Format::Rtf, super::super::Offsets::Extracted)
        );
        let places: Vec<_> = x.parts.iter().map(|p| (p.start, p.place.clone())).collect();
        assert_eq!(
            places,
            [
                (0, Place::Paragraph(1)),
                (9, Place::Paragraph(2)),
                (36, Place::Paragraph(3)),
                (38, Place::Paragraph(4)),
                (40, Place::Paragraph(5)),
            ]
        );
        assert_eq!(x.breaks, [8, 35, 37, 39, 51]);
    }

    #[test]
    fn truncated_garbage_and_bombs_are_skipped() {
        let corrupt = |r: Result<Extracted, Skip>| matches!(r, Err(Skip::Corrupt { .. }));
        assert!(corrupt(read(r"{\rtf1\ansi Tr\u7847?n \par")));
        assert!(corrupt(read(r"{\rtf1 {\b bold}")));
        assert!(corrupt(read(r"{\rtf1 a\")));
        assert!(corrupt(read("plain text, not RTF")));
        assert!(corrupt(read(&format!(r"{{\rtf1 {}}}", "{".repeat(10_000)))));
        // Garbage after the header is read without a panic.
        let mut junk = b"{\\rtf1 ".to_vec();
        junk.extend((0..=255u8).cycle().take(5000).map(|b| b.wrapping_mul(37)));
        let _ = extract(&junk, &Options::default());
        let small = Options {
            max_extract: Some(100),
            ..Options::default()
        };
        let big = format!(r"{{\rtf1 {}}}", "word ".repeat(100));
        let r = extract(big.as_bytes(), &small);
        assert_eq!(r.unwrap_err(), Skip::TooLarge { limit: 100 });
    }
}
