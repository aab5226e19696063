//! PDF: the text of each page in the order the content stream draws it, through `pdf-extract`
//! (glyphs to Unicode via the fonts' ToUnicode maps and encodings; [`PageText`] lays the glyphs
//! out as text). Each page starts a [`Place::Page`] and ends a sentence. Ligatures are expanded,
//! soft hyphens dropped, a word hyphenated across a line (`-` at the end of a line, lower-case
//! letters on both sides) joined unless the document spells it with the hyphen elsewhere, and
//! superscripts and footnote numbers made words of their own.
//!
//! PDF parsers panic and loop on hostile input: extraction runs behind [`super::guard`] (a worker
//! thread, `catch_unwind`, a time budget).

use std::collections::HashSet;

use super::encoding::Enc;
use super::{contained, fonts, Extracted, Format, Limited, Options, Part, Place, Skip};

const NAME: &str = "PDF";

pub(super) fn sniff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Extracts a PDF on a worker thread, within the time budget, behind a panic wall.
pub(super) fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    super::guard::run(NAME, bytes, options, pages)
}

/// The text of every page, each page a part.
fn pages(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let doc = pdf_extract::Document::load_mem(bytes).map_err(|e| {
        let reason = e.to_string();
        let lower = reason.to_lowercase();
        if ["encrypt", "decrypt", "password"]
            .iter()
            .any(|w| lower.contains(w))
        {
            Skip::Encrypted(NAME)
        } else {
            Skip::corrupt(NAME, reason)
        }
    })?;
    // A PDF with an empty user password (only its owner's rights protected) was decrypted on
    // load and is read; one that still needs a password is skipped.
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err(Skip::Encrypted(NAME));
    }
    let page_ids = doc.get_pages();
    let count = page_ids.len() as u32;
    // Every page is drawn first: the whole document's words decide which line-end hyphens
    // are a word's own (see `repair`). The raw text is held to the same limit as the result.
    let limit = options.max_extract();
    let mut raws = Vec::new();
    let mut size = 0;
    let mut failed = 0;
    for n in 1..=count {
        let mut raw = String::new();
        let drawn = {
            let mut output = PageText::new(&mut raw);
            pdf_extract::output_doc_page(&doc, &mut output, n)
        };
        if drawn.is_err() {
            failed += 1;
            continue;
        }
        if let Some(&id) = page_ids.get(&n) {
            if let Some((enc, every)) = legacy_fonts(&doc, id) {
                raw = fonts::decode_words(&raw, enc, every);
            }
        }
        size += raw.len();
        if size > limit {
            return Err(Skip::TooLarge { limit });
        }
        raws.push((n, raw));
    }
    let words = vocabulary(raws.iter().map(|(_, raw)| raw.as_str()));
    let mut text = Limited::new(options);
    let mut breaks = Vec::new();
    let mut parts = Vec::new();
    for (n, raw) in raws {
        let page = repair(raw.trim_matches(|c: char| c.is_whitespace()), &words);
        if page.is_empty() {
            continue;
        }
        parts.push(Part {
            start: text.len(),
            place: Place::Page(n),
        });
        text.push_str(&page)?;
        breaks.push(text.len());
        text.push_str("\n")?;
    }
    if failed == count && count > 0 {
        return Err(Skip::corrupt(NAME, "no page could be read"));
    }
    Ok(contained(text.text, Format::Pdf, breaks, parts))
}

/// The Vietnamese legacy encoding of a page's text, if a font of the page is a TCVN3 or VNI font
/// (by its `BaseFont` name, a subset's `ABCDEF+` prefix aside), and whether every font of the
/// page is (glyphs are not told apart by font: a page that mixes fonts is decoded word by word).
fn legacy_fonts(doc: &pdf_extract::Document, page: pdf_extract::ObjectId) -> Option<(Enc, bool)> {
    let page_fonts = doc.get_page_fonts(page).ok()?;
    let mut legacy = None;
    let mut all = true;
    for font in page_fonts.values() {
        let name = font
            .get(b"BaseFont")
            .and_then(|n| n.as_name())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let name = match name.split_once('+') {
            Some((tag, rest)) if tag.len() == 6 => rest.to_string(),
            _ => name,
        };
        match fonts::encoding_of(&name) {
            Some(enc) if legacy.is_none() || legacy == Some(enc) => legacy = Some(enc),
            _ => all = false,
        }
    }
    legacy.map(|enc| (enc, all))
}

/// The text of one page as `pdf_extract::PlainTextOutput` writes it (a line break where the
/// baseline moves down by more than a line, a space where a glyph starts past the end of the
/// last one), and also a space where the text goes in or out of a superscript or subscript: a
/// footnote's number is drawn raised and small right against its first word ("³Ngoài"), and
/// without the space the two read as one word ("3ngoai") that no query finds.
struct PageText<'a> {
    out: &'a mut String,
    /// The page's height: PDF's y grows upwards, this output's downwards.
    height: f64,
    /// Where the last glyph ended, its baseline and its size, in page space.
    last_end: f64,
    last_y: f64,
    last_size: f64,
    /// The next glyph starts a text-showing operator (Tj, TJ, ', ").
    first_char: bool,
    /// Nothing was written on this page yet.
    empty: bool,
}

impl<'a> PageText<'a> {
    fn new(out: &'a mut String) -> Self {
        PageText {
            out,
            height: 0.0,
            last_end: 100_000.0,
            last_y: 0.0,
            last_size: 0.0,
            first_char: false,
            empty: true,
        }
    }
}

/// True when a glyph of `size` on baseline `y` and the last one (`last_size`, `last_y`) are on
/// one line but one of them is a superscript or subscript of the other: clearly smaller (under
/// 80 %) and its baseline shifted by more than a seventh of the larger size.
fn script_shift(last_size: f64, last_y: f64, size: f64, y: f64) -> bool {
    let (small, large) = if size < last_size {
        (size, last_size)
    } else {
        (last_size, size)
    };
    let shift = (y - last_y).abs();
    small > 0.0 && small < 0.8 * large && shift > large / 7.0 && shift < large
}

impl pdf_extract::OutputDev for PageText<'_> {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.height = media_box.ury - media_box.lly;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        // The glyph's origin and its size in page space (the side of the square with the area of
        // the transformed font-size square, as PlainTextOutput measures it).
        let (x, y) = (trm.m31, self.height - trm.m32);
        let sx = font_size * trm.m11 + font_size * trm.m21;
        let sy = font_size * trm.m12 + font_size * trm.m22;
        let size = (sx * sy).abs().sqrt();
        if !self.empty {
            let mut gap = false;
            if self.first_char {
                // A blank line where the baseline drops by more than a line and a half (a new
                // paragraph), a line break where it moves back left and down.
                let dy = (y - self.last_y).abs();
                if dy > size * 1.5 {
                    self.out.push('\n');
                    gap = true;
                }
                if x < self.last_end && dy > size * 0.5 {
                    self.out.push('\n');
                    gap = true;
                }
                if x > self.last_end + size * 0.1 {
                    self.out.push(' ');
                    gap = true;
                }
            }
            if !gap && script_shift(self.last_size, self.last_y, size, y) {
                self.out.push(' ');
            }
        }
        self.out.push_str(char);
        self.empty = false;
        self.first_char = false;
        self.last_y = y;
        self.last_size = size;
        self.last_end = x + width * size;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.first_char = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// How many characters of a footnote number start `rest`, if one does: one to three digits
/// (plain or superscript) right against a capitalised word of letters, where a footnote starts
/// (at a line start: "3Ngoài ra…", "1⁴Độ dài…") or where its mark follows a sentence (after
/// ". ", "! ", "? " or ": "). This book's LaTeX sets both flush against the text, on the same
/// baseline and at the same size, so the glyphs do not tell them apart; without the space
/// "3Ngoài" is one word ("3ngoai") that no query finds. A digit anywhere else in the word
/// ("11Apr29") keeps it whole. `before` is the text before `rest`. 0 if there is none.
fn footnote_number(before: &[char], rest: &[char]) -> usize {
    let starts = matches!(before, [] | [.., '\n'] | [.., '.' | '!' | '?' | ':', ' ']);
    let digit = |c: &char| c.is_ascii_digit() || "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(*c);
    let n = rest.iter().take_while(|c| digit(c)).count();
    if !starts || !(1..=3).contains(&n) {
        return 0;
    }
    let word: Vec<char> = rest[n..]
        .iter()
        .copied()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let letters = word
        .iter()
        .take_while(|c| c.is_alphabetic() || unicode_normalization::char::is_combining_mark(**c))
        .count();
    let tail_ok = word[letters..].iter().all(|c| !c.is_alphanumeric());
    if word.len() >= 2 && word[0].is_uppercase() && word[1].is_lowercase() && tail_ok {
        n
    } else {
        0
    }
}

/// Every word of the document as it stands on one line, lower case: runs of letters, digits and
/// inner hyphens ("dpkg-buildpackage"), a word cut by a line-end hyphen left out.
fn vocabulary<'a>(pages: impl Iterator<Item = &'a str>) -> HashSet<String> {
    let mut words = HashSet::new();
    for page in pages {
        for line in page.lines() {
            let line = line.trim_end();
            let tokens: Vec<&str> = line.split_whitespace().collect();
            for (k, token) in tokens.iter().enumerate() {
                if k + 1 == tokens.len() && token.ends_with('-') {
                    continue;
                }
                let word = token.trim_matches(|c: char| !c.is_alphanumeric());
                if !word.is_empty() {
                    words.insert(word.to_lowercase());
                }
            }
        }
    }
    words
}

/// True when the hyphen between `before` (the text up to a line-end `-`) and `after` (the text
/// after its line break) belongs to the word: the document spells the word with that hyphen
/// elsewhere ("dpkg-buildpackage") and never without it. LaTeX breaks a compound at its own
/// hyphen and adds none, so only the rest of the document can tell "dpkg-\nbuildpackage" from
/// "infor-\nmation".
fn own_hyphen(before: &[char], after: &[char], words: &HashSet<String>) -> bool {
    let left: String = before
        .iter()
        .rev()
        .take_while(|c| !c.is_whitespace())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let right: String = after.iter().take_while(|c| !c.is_whitespace()).collect();
    let trim = |s: &str| {
        s.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let (left, right) = (trim(&left), trim(&right));
    let joined = format!("{left}{right}");
    let hyphenated = format!("{left}-{right}");
    words.contains(&hyphenated) && !words.contains(&joined)
}

/// Ligatures expanded, soft hyphens dropped, words hyphenated at a line end joined, a footnote's
/// number parted from its first word, and the text in NFC (Vietnamese letters drawn as a base
/// glyph and a combining mark become one).
fn repair(page: &str, words: &HashSet<String>) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(page.len());
    let chars: Vec<char> = page.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if i == 0 || !chars[i - 1].is_alphanumeric() {
            let digits = footnote_number(&chars[..i], &chars[i..]);
            if digits > 0 {
                out.extend(&chars[i..i + digits]);
                out.push(' ');
                i += digits;
                continue;
            }
        }
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00AD}' => {
                // A soft hyphen: at a line end it joins the word; elsewhere it is invisible.
                if chars.get(i + 1) == Some(&'\n') {
                    i += 1;
                }
            }
            '-' if chars.get(i + 1) == Some(&'\n')
                && i > 0
                && chars[i - 1].is_lowercase()
                && chars.get(i + 2).is_some_and(|c| c.is_lowercase())
                && !own_hyphen(&chars[..i], &chars[i + 2..], words) =>
            {
                i += 1;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if unicode_normalization::is_nfc_quick(out.chars()) == unicode_normalization::IsNormalized::Yes
    {
        out
    } else {
        out.nfc().collect()
    }
}

/// A PDF file made of `objects` (numbered from 1; the first is the catalog) and its
/// cross-reference table: for tests that write small PDFs of their own.
#[doc(hidden)]
pub fn assemble(objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::{pages, repair};
    use crate::extract::{Options, Place};

    /// A PDF of one page per content stream, in Helvetica (one of the 14 standard fonts: no
    /// font program, WinAnsi codes), A4.
    fn pdf(contents: &[&str]) -> Vec<u8> {
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                (0..contents.len())
                    .map(|i| format!("{} 0 R", 4 + 2 * i))
                    .collect::<Vec<_>>()
                    .join(" "),
                contents.len()
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_string(),
        ];
        for (i, content) in contents.iter().enumerate() {
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            ));
            objects.push(format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len() + 1
            ));
        }
        super::assemble(&objects)
    }

    #[test]
    fn pages_in_vietnamese_legacy_fonts_are_decoded() {
        // Font 3 is Helvetica; font 4 a subset of .VnTime (TCVN3 bytes), as Word writes it.
        let name = r"(Tr\307n \247\370c L\255\254ng)";
        let objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [5 0 R 7 0 R] /Count 2 >>".to_string(),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_string(),
            "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+.VnTime \
             /Encoding /WinAnsiEncoding >>"
                .to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F2 4 0 R >> >> /Contents 6 0 R >>"
                .to_string(),
            stream(&format!("BT /F2 10 Tf 72 760 Td {name} Tj ET")),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents 8 0 R >>"
                .to_string(),
            stream(&format!(
                r"BT /F1 10 Tf 72 760 Td (Caf\351 cr\350me, ) Tj /F2 10 Tf {name} Tj ET"
            )),
        ];
        let x = pages(&super::assemble(&objects), &Options::default()).unwrap();
        assert_eq!(x.text, "Trần Đức Lương\nCafé crème, Trần Đức Lương\n");
    }

    fn stream(content: &str) -> String {
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        )
    }

    /// Lines of text at 10 pt, 12 pt apart, from the top of the page.
    fn lines(lines: &[&str]) -> String {
        let shown: Vec<String> = lines.iter().map(|l| format!("({l}) Tj T*")).collect();
        format!("BT /F1 10 Tf 12 TL 72 760 Td {} ET", shown.join(" "))
    }

    fn text(contents: &[&str]) -> String {
        pages(&pdf(contents), &Options::default()).unwrap().text
    }

    #[test]
    fn ligatures_soft_hyphens_and_line_end_hyphens_are_repaired() {
        let none = HashSet::new();
        assert_eq!(repair("\u{FB01}le e\u{FB00}ect", &none), "file effect");
        assert_eq!(repair("ngu\u{00AD}\nồn", &none), "nguồn");
        assert_eq!(
            repair("pack-\nage Debian-\nBased", &none),
            "package Debian-\nBased"
        );
        assert_eq!(repair("Vie\u{0323}\u{0302}t", &none), "Việt");
    }

    #[test]
    fn footnote_numbers_are_parted_from_their_first_word() {
        let none = HashSet::new();
        assert_eq!(repair("3Ngoài ra còn có", &none), "3 Ngoài ra còn có");
        assert_eq!(repair("gói.\n1⁴Độ dài", &none), "gói.\n1⁴ Độ dài");
        assert_eq!(repair("(0-9). 13Tốt nhất", &none), "(0-9). 13 Tốt nhất");
        // Not a footnote: inside a sentence, a version, a word with more digits, lower case.
        for kept in [
            "như 11Apr29 thì",
            "11Apr29",
            "3Com2",
            "3ngoài",
            "1234Abc",
            "x. 2D",
        ] {
            assert_eq!(repair(kept, &none), kept);
        }
    }

    #[test]
    fn pages_are_parts_and_footnotes_read_as_words() {
        let extracted = pages(
            &pdf(&[
                &lines(&["Trang mot."]),
                &lines(&["Body text.", "3Footnote text here."]),
            ]),
            &Options::default(),
        )
        .unwrap();
        assert_eq!(
            extracted.text,
            "Trang mot.\nBody text.\n3 Footnote text here.\n"
        );
        let places: Vec<Place> = extracted.parts.iter().map(|p| p.place.clone()).collect();
        assert_eq!(places, [Place::Page(1), Place::Page(2)]);
        assert_eq!(extracted.parts[1].start, "Trang mot.\n".len());
    }

    #[test]
    fn superscripts_and_subscripts_are_words_of_their_own() {
        // "note", then a raised 6 pt "2", then "Next" back on the baseline, each drawn right
        // where the last one ended; then "H", a lowered "2", "O".
        let raised =
            "BT /F1 10 Tf 72 700 Td (note) Tj /F1 6 Tf 4 Ts (2) Tj /F1 10 Tf 0 Ts (Next) Tj ET";
        let lowered =
            "BT /F1 10 Tf 72 700 Td (H) Tj /F1 6 Tf -3 Ts (2) Tj /F1 10 Tf 0 Ts (O) Tj ET";
        assert_eq!(text(&[raised]), "note 2 Next\n");
        assert_eq!(text(&[lowered]), "H 2 O\n");
        // The same size on the same baseline stays one word.
        let plain = "BT /F1 10 Tf 72 700 Td (note) Tj (2) Tj (Next) Tj ET";
        assert_eq!(text(&[plain]), "note2Next\n");
    }

    #[test]
    fn a_line_end_hyphen_is_kept_where_the_document_spells_the_word_with_it() {
        let page = lines(&[
            "Run dpkg-buildpackage first.",
            "Then run dpkg-",
            "buildpackage again for more infor-",
            "mation.",
        ]);
        assert_eq!(
            text(&[&page]),
            "Run dpkg-buildpackage first.\nThen run dpkg-\nbuildpackage again for more information.\n"
        );
    }
}
