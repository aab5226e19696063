//! Old Word documents (`.doc`, Word 97–2003): an OLE compound file ([`cfb`]) whose
//! `WordDocument` stream starts with the FIB, which says where the piece table (the CLX) lies in
//! the `0Table` or `1Table` stream. The piece table lists the runs of text, each either 8-bit
//! (Windows-1252) or UTF-16LE, in document order ([MS-DOC] 2.4.1, "Retrieving Text").
//!
//! The text is every story of the piece table (body, then footnotes, headers, comments, text
//! boxes, as Word stores them). A paragraph mark `\r`, a table cell or row mark `\x07` and a page
//! or section break `\x0C` end a paragraph: a sentence break and a [`Place::Paragraph`], numbered
//! from 1 among the paragraphs that hold text, as in DOCX. A field keeps its result and drops its
//! instructions (`\x13 HYPERLINK "…" \x14 result \x15`); other control characters (pictures,
//! footnote marks, drawn objects) are dropped.
//!
//! Runs set in a Vietnamese legacy font ([`fonts`]: `.VnTime`, `VNI-Times`, …) are decoded:
//! the font of a run is its `sprmCRgFtc0` in the character property pages, else the style
//! sheet's default font, named by the font table ([`FontRuns`]). Fonts given only by a
//! paragraph or character style are not followed. Broken font tables are ignored, not fatal.
//!
//! A `.doc` that is not a compound file (Word's "Web page" and RTF files are often so named) is
//! read by its content when another format knows it, else skipped as corrupt. The compound file
//! reader runs behind a panic wall.

use std::io::{Cursor, Read};
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

mod styles;

use super::encoding::Enc;
use super::{contained, fonts, Extracted, Format, Limited, Options, Part, Place, Skip};

const NAME: &str = "Word document";

/// The first bytes of an OLE compound file.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The most nested fields followed; deeper ones are read as their outermost open field.
const MAX_FIELD_DEPTH: usize = 64;

/// Extracts a `.doc` file.
pub(super) fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    if !bytes.starts_with(OLE_MAGIC) {
        // Not a compound file: by its content, if another format claims it, else as text (a
        // Graphviz `.dot` file, a `.doc` that is plain text).
        return match super::choose(Path::new(""), bytes) {
            Some(x) => (x.extract)(Path::new(""), bytes, options),
            None => super::text::extract(bytes, options),
        };
    }
    catch_unwind(AssertUnwindSafe(|| read(bytes, options)))
        .unwrap_or_else(|_| Err(Skip::corrupt(NAME, "the compound file reader failed on it")))
}

/// The text of a Word 97–2003 compound file.
fn read(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let Opened {
        word,
        pieces,
        fonts,
    } = open(bytes)?;
    let mut out = Paragraphs::new(options);
    let mut fields = Fields::default();
    for piece in pieces {
        let raw = piece.raw(&word)?;
        let width = if piece.compressed { 1 } else { 2 };
        for (range, enc) in fonts.split(piece.offset, raw.len(), width) {
            let text = piece.decode(&raw[range]);
            let text = match enc {
                Some(enc) => legacy(&text, enc),
                None => text,
            };
            for c in text.chars() {
                out.char(c, &mut fields)?;
            }
        }
    }
    out.end()?;
    Ok(contained(out.text.text, Format::Doc, out.breaks, out.parts))
}

/// `text` set in a legacy Vietnamese font, decoded; control characters (paragraph and cell
/// marks, fields) are Word's own, never the font's. Byte 0xAD (`ư` in TCVN3) is Windows-1252's
/// soft hyphen, which Word and LibreOffice store as their optional hyphen (0x1F): taken back.
fn legacy(text: &str, enc: Enc) -> String {
    let text = text.replace('\x1F', "\u{AD}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find(|c: char| c < ' ') {
        out.push_str(&fonts::decode(&rest[..i], enc));
        out.push_str(&rest[i..i + 1]);
        rest = &rest[i + 1..];
    }
    out.push_str(&fonts::decode(rest, enc));
    out
}

/// A compound file opened: the `WordDocument` stream, the pieces of its text, and where its
/// legacy fonts are.
struct Opened {
    word: Vec<u8>,
    pieces: Vec<Piece>,
    fonts: FontRuns,
}

/// The `WordDocument` stream and the pieces of its text.
fn open(bytes: &[u8]) -> Result<Opened, Skip> {
    let mut file =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| Skip::corrupt(NAME, e))?;
    let word = stream(&mut file, "/WordDocument", bytes.len())?;
    let fib = Fib::parse(&word)?;
    let table = stream(&mut file, fib.table, bytes.len())?;
    let clx = usize::try_from(fib.fc_clx)
        .ok()
        .zip(usize::try_from(fib.lcb_clx).ok())
        .and_then(|(fc, lcb)| table.get(fc..fc.checked_add(lcb)?))
        .ok_or_else(|| Skip::corrupt(NAME, "the piece table lies outside its stream"))?;
    let pieces = pieces(clx)?;
    // Fonts are a help, never a reason to skip the file.
    let fonts = FontRuns::read(&word, &table, &fib).unwrap_or_default();
    Ok(Opened {
        word,
        pieces,
        fonts,
    })
}

/// The whole stream `path` of the compound file (never more than the file's size).
fn stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    path: &str,
    limit: usize,
) -> Result<Vec<u8>, Skip> {
    let s = file
        .open_stream(path)
        .map_err(|e| Skip::corrupt(NAME, format!("{}: {e}", path.trim_start_matches('/'))))?;
    let mut out = Vec::new();
    s.take(limit as u64)
        .read_to_end(&mut out)
        .map_err(|e| Skip::corrupt(NAME, format!("{}: {e}", path.trim_start_matches('/'))))?;
    Ok(out)
}

/// What is read of the File Information Block.
#[derive(Debug, PartialEq, Eq)]
struct Fib {
    /// The table stream: `/0Table` or `/1Table`.
    table: &'static str,
    fc_clx: u32,
    lcb_clx: u32,
    /// The style sheet, the character property pages and the font table (fc, lcb), where the
    /// FIB has them.
    stshf: Option<(u32, u32)>,
    bte_chpx: Option<(u32, u32)>,
    bte_papx: Option<(u32, u32)>,
    sttbf_ffn: Option<(u32, u32)>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl Fib {
    /// The FIB at the start of the `WordDocument` stream.
    fn parse(word: &[u8]) -> Result<Fib, Skip> {
        let short = || Skip::corrupt(NAME, "the file information block is cut short");
        let ident = u16_at(word, 0).ok_or_else(short)?;
        if ident != 0xA5EC {
            return Err(Skip::corrupt(NAME, "no Word file information block"));
        }
        let n_fib = u16_at(word, 2).ok_or_else(short)?;
        if n_fib < 0x00C1 {
            return Err(Skip::corrupt(
                NAME,
                "a Word 6 or 95 file, which is not read; save it as .docx to index it",
            ));
        }
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        if flags & 0x0100 != 0 {
            return Err(Skip::Encrypted(NAME));
        }
        let table = if flags & 0x0200 != 0 {
            "/1Table"
        } else {
            "/0Table"
        };
        // FibBase (32 bytes), csw and FibRgW97, cslw and FibRgLw97, cbRgFcLcb and the blob.
        let csw = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let at_cslw = 34 + csw * 2;
        let cslw = usize::from(u16_at(word, at_cslw).ok_or_else(short)?);
        let at_cb = at_cslw + 2 + cslw * 4;
        let cb_rg_fc_lcb = usize::from(u16_at(word, at_cb).ok_or_else(short)?);
        // fcClx is the 34th pair of FibRgFcLcb97.
        const CLX: usize = 33;
        if cb_rg_fc_lcb <= CLX {
            return Err(short());
        }
        let pair = |i: usize| {
            let at = at_cb + 2 + i * 8;
            Some((u32_at(word, at)?, u32_at(word, at + 4)?))
        };
        let (fc_clx, lcb_clx) = pair(CLX).ok_or_else(short)?;
        Ok(Fib {
            table,
            fc_clx,
            lcb_clx,
            stshf: pair(1),
            bte_chpx: pair(12),
            bte_papx: pair(13),
            sttbf_ffn: pair(15),
        })
    }
}

/// One run of text of the piece table.
#[derive(Debug, PartialEq, Eq)]
struct Piece {
    /// Characters in the run.
    chars: usize,
    /// Byte offset of the run in the `WordDocument` stream.
    offset: usize,
    /// 8-bit Windows-1252 text, else UTF-16LE.
    compressed: bool,
}

impl Piece {
    /// The run's bytes in the `WordDocument` stream.
    fn raw<'a>(&self, word: &'a [u8]) -> Result<&'a [u8], Skip> {
        let len = if self.compressed {
            Some(self.chars)
        } else {
            self.chars.checked_mul(2)
        };
        len.and_then(|len| word.get(self.offset..self.offset.checked_add(len)?))
            .ok_or_else(|| Skip::corrupt(NAME, "a run of text lies outside the document"))
    }

    /// The run's text, decoded.
    #[cfg(test)]
    fn text(&self, word: &[u8]) -> Result<String, Skip> {
        Ok(self.decode(self.raw(word)?))
    }

    /// Bytes of the run, decoded.
    fn decode(&self, raw: &[u8]) -> String {
        if self.compressed {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(raw);
            return text.into_owned();
        }
        let units = raw
            .chunks_exact(2)
            .map(|u| u16::from_le_bytes([u[0], u[1]]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    }
}

/// The pieces of the CLX: its property runs (`Prc`, 0x01) skipped, then the `Pcdt` (0x02).
fn pieces(clx: &[u8]) -> Result<Vec<Piece>, Skip> {
    let bad = |why: &str| Skip::corrupt(NAME, format!("piece table: {why}"));
    let mut at = 0;
    while clx.get(at) == Some(&0x01) {
        let cb = u16_at(clx, at + 1).ok_or_else(|| bad("cut short"))?;
        at += 3 + usize::from(cb);
    }
    if clx.get(at) != Some(&0x02) {
        return Err(bad("no piece descriptors"));
    }
    let lcb = u32_at(clx, at + 1).ok_or_else(|| bad("cut short"))? as usize;
    let plc = clx
        .get(at + 5..)
        .and_then(|rest| rest.get(..lcb))
        .ok_or_else(|| bad("cut short"))?;
    // n + 1 character positions, then n descriptors of 8 bytes.
    if lcb < 4 || !(lcb - 4).is_multiple_of(12) {
        return Err(bad("odd size"));
    }
    let n = (lcb - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(start), Some(end)) = (u32_at(plc, i * 4), u32_at(plc, i * 4 + 4)) else {
            return Err(bad("cut short"));
        };
        let fc = u32_at(plc, (n + 1) * 4 + i * 8 + 2).ok_or_else(|| bad("cut short"))?;
        if end < start {
            return Err(bad("positions out of order"));
        }
        let compressed = fc & 0x4000_0000 != 0;
        let fc = (fc & 0x3FFF_FFFF) as usize;
        out.push(Piece {
            chars: (end - start) as usize,
            offset: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(out)
}

/// The open fields: for each, whether its instructions are still being read.
#[derive(Default)]
struct Fields {
    open: Vec<bool>,
    /// Fields opened past [`MAX_FIELD_DEPTH`], not followed.
    deeper: usize,
}

impl Fields {
    /// Whether text here is shown: inside no field's instructions.
    fn shown(&self) -> bool {
        !self.open.iter().any(|&instructions| instructions)
    }
}

/// The text being built: paragraphs, their breaks and their numbers.
struct Paragraphs {
    text: Limited,
    breaks: Vec<usize>,
    parts: Vec<Part>,
    /// Whether the open paragraph has text.
    open: bool,
}

impl Paragraphs {
    fn new(options: &Options) -> Self {
        Paragraphs {
            text: Limited::new(options),
            breaks: Vec::new(),
            parts: Vec::new(),
            open: false,
        }
    }

    /// One character of the document, control characters read as Word means them.
    fn char(&mut self, c: char, fields: &mut Fields) -> Result<(), Skip> {
        match c {
            '\x13' if fields.open.len() < MAX_FIELD_DEPTH => fields.open.push(true),
            '\x13' => fields.deeper += 1,
            '\x14' if fields.deeper == 0 => {
                if let Some(top) = fields.open.last_mut() {
                    *top = false;
                }
            }
            '\x15' if fields.deeper > 0 => fields.deeper -= 1,
            '\x15' => {
                fields.open.pop();
            }
            _ if !fields.shown() => {}
            '\r' | '\x07' | '\x0C' => self.end()?,
            '\x0B' => self.push("\n")?,
            '\t' => self.push("\t")?,
            // Non-breaking hyphen; the optional hyphen (0x1F) is dropped with the rest.
            '\x1E' => self.push("-")?,
            c if c.is_control() => {}
            c => self.push(c.encode_utf8(&mut [0; 4]))?,
        }
        Ok(())
    }

    fn push(&mut self, s: &str) -> Result<(), Skip> {
        if !self.open {
            self.open = true;
            let n = self.parts.len() as u32 + 1;
            self.parts.push(Part {
                start: self.text.len(),
                place: Place::Paragraph(n),
            });
        }
        self.text.push_str(s)
    }

    /// Ends the open paragraph, if it has text: a `\n` that is a sentence break.
    fn end(&mut self) -> Result<(), Skip> {
        if std::mem::take(&mut self.open) {
            self.breaks.push(self.text.len());
            self.text.push_str("\n")?;
        }
        Ok(())
    }
}

/// Where the text is set in a legacy Vietnamese font: sorted, disjoint ranges of
/// `WordDocument` stream offsets (as the character property pages count them) and the
/// encoding their font draws. Read from the font table (`SttbfFfn`), each run's
/// `sprmCRgFtc0`, else its paragraph's style's font ([`styles`]), else the default font of the
/// style sheet; character styles are not followed.
#[derive(Default)]
struct FontRuns {
    runs: Vec<(usize, usize, Enc)>,
}

/// The sprm that sets a run's (ASCII) font: an index into the font table.
const SPRM_C_RG_FTC0: u16 = 0x4A4F;

impl FontRuns {
    /// The legacy-font runs of a document; `None` where its tables are broken.
    fn read(word: &[u8], table: &[u8], fib: &Fib) -> Option<FontRuns> {
        let slice = |(fc, lcb): (u32, u32)| {
            let (fc, lcb) = (fc as usize, lcb as usize);
            table.get(fc..fc.checked_add(lcb)?)
        };
        let names = font_names(slice(fib.sttbf_ffn?)?)?;
        let encs: Vec<Option<Enc>> = names.iter().map(|n| fonts::encoding_of(n)).collect();
        if encs.iter().all(Option::is_none) {
            return Some(FontRuns::default());
        }
        let stsh = fib.stshf.and_then(slice).unwrap_or_default();
        // Stshi: cbStshi, then Stshif whose ftcAsci is at 12.
        let default = u16_at(stsh, 2 + 12);
        let style_fonts = styles::style_fonts(stsh);
        let paragraphs = fib
            .bte_papx
            .and_then(slice)
            .map(|bte| styles::paragraph_styles(word, bte))
            .unwrap_or_default();
        let enc_of =
            |ftc: Option<u16>| ftc.and_then(|f| encs.get(usize::from(f)).copied().flatten());
        let style_enc = |istd: u16| {
            let font = style_fonts.get(usize::from(istd)).copied().flatten();
            enc_of(font.or(default))
        };
        let bte = slice(fib.bte_chpx?)?;
        let n = bte.len().checked_sub(4)? / 8;
        let mut runs = Vec::new();
        for k in 0..n {
            let pn = u32_at(bte, (n + 1) * 4 + k * 4)? & 0x003F_FFFF;
            let page = word.get(pn as usize * 512..)?.get(..512)?;
            for (start, end, ftc) in chpx_runs(page) {
                if ftc.is_some() {
                    runs.extend(enc_of(ftc).map(|enc| (start, end, enc)));
                    continue;
                }
                // No font of its own: each paragraph's style's, else the document's default.
                let mut at = start;
                let first = paragraphs.partition_point(|p| p.1 <= start);
                for &(s, e, istd) in paragraphs[first..].iter().take_while(|p| p.0 < end) {
                    if s > at {
                        runs.extend(enc_of(default).map(|enc| (at, s, enc)));
                    }
                    let (s, e) = (s.max(at), e.min(end));
                    runs.extend(style_enc(istd).map(|enc| (s, e, enc)));
                    at = e;
                }
                if at < end {
                    runs.extend(enc_of(default).map(|enc| (at, end, enc)));
                }
            }
        }
        runs.sort_by_key(|r| r.0);
        Some(FontRuns { runs })
    }

    /// The bytes `offset..offset + len` of the stream cut where a legacy font starts or ends,
    /// on character boundaries (`width` bytes a character): ranges relative to `offset`, each
    /// with the encoding of its font, if it is a legacy one.
    fn split(&self, offset: usize, len: usize, width: usize) -> Vec<(Range<usize>, Option<Enc>)> {
        let end = offset + len;
        let mut out = Vec::new();
        let mut at = offset;
        let first = self.runs.partition_point(|r| r.1 <= offset);
        for &(s, e, enc) in &self.runs[first..] {
            if at >= end || s >= end {
                break;
            }
            let align = |x: usize| offset + (x.clamp(offset, end) - offset) / width * width;
            let (s, e) = (align(s.max(at)), align(e));
            if s > at {
                out.push((at - offset..s - offset, None));
            }
            if e > s {
                out.push((s - offset..e - offset, Some(enc)));
                at = e;
            }
        }
        if at < end || out.is_empty() {
            out.push((at - offset..len, None));
        }
        out
    }
}

/// The runs of one character property page (`ChpxFkp`): stream offsets and the font each
/// run sets, if it sets one.
fn chpx_runs(page: &[u8]) -> Vec<(usize, usize, Option<u16>)> {
    let crun = usize::from(page[511]);
    let mut out = Vec::new();
    for i in 0..crun {
        let (Some(start), Some(end)) = (u32_at(page, i * 4), u32_at(page, i * 4 + 4)) else {
            break;
        };
        let b = page.get((crun + 1) * 4 + i).copied().unwrap_or(0);
        let ftc = match usize::from(b) * 2 {
            0 => None,
            at => page
                .get(at)
                .and_then(|&cb| page.get(at + 1..at + 1 + usize::from(cb)))
                .and_then(font_sprm),
        };
        out.push((start as usize, end as usize, ftc));
    }
    out
}

/// The operand of `sprmCRgFtc0` in a list of sprms, if it is there.
fn font_sprm(mut grpprl: &[u8]) -> Option<u16> {
    let mut found = None;
    while let Some(sprm) = u16_at(grpprl, 0) {
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ if sprm == 0xD608 => usize::from(u16_at(grpprl, 2)?) + 1,
            _ => usize::from(*grpprl.get(2)?) + 1,
        };
        if sprm == SPRM_C_RG_FTC0 {
            found = u16_at(grpprl, 2);
        }
        grpprl = grpprl.get(2 + size..)?;
    }
    found
}

/// The names in the font table (`SttbfFfn`): each an `FFN` whose name starts at 39.
fn font_names(sttb: &[u8]) -> Option<Vec<String>> {
    let count = u16_at(sttb, 0)?;
    if count == 0xFFFF {
        return None;
    }
    let mut at = 4;
    let mut out = Vec::new();
    for _ in 0..count {
        let cch = usize::from(*sttb.get(at)?);
        let ffn = sttb.get(at + 1..at + 1 + cch)?;
        let units = ffn
            .get(39..)
            .unwrap_or_default()
            .chunks_exact(2)
            .map(|u| u16::from_le_bytes([u[0], u[1]]))
            .take_while(|&u| u != 0);
        out.push(char::decode_utf16(units).filter_map(Result::ok).collect());
        at += 1 + cch;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_chars(s: &str) -> (String, Vec<usize>, Vec<Part>) {
        let mut out = Paragraphs::new(&Options::default());
        let mut fields = Fields::default();
        for c in s.chars() {
            out.char(c, &mut fields).unwrap();
        }
        out.end().unwrap();
        (out.text.text, out.breaks, out.parts)
    }

    #[test]
    fn paragraphs_cells_and_fields_read_as_word_shows_them() {
        let (text, breaks, parts) = read_chars(
            "Kính gửi\r\r\x13 HYPERLINK \"http://x\" \x14Trần \x13PAGE\x141\x15Đức\x15 Lương\x01\r\
             ô một\x07ô hai\x07\x07dòng\x0Bmới\x0C",
        );
        assert_eq!(text, "Kính gửi\nTrần 1Đức Lương\nô một\nô hai\ndòng\nmới\n");
        assert_eq!(parts.len(), 5);
        assert_eq!(parts[1].place, Place::Paragraph(2));
        assert_eq!(&text[parts[1].start..parts[2].start], "Trần 1Đức Lương\n");
        assert_eq!(breaks.len(), 5);
        assert!(breaks.iter().all(|&b| &text[b..b + 1] == "\n"));
        // A field without a separator shows nothing; an unbalanced end does not panic.
        assert_eq!(read_chars("a\x13 PAGE \x15b\x15\x15c").0, "abc\n");
    }

    #[test]
    fn deep_fields_do_not_grow_without_bound() {
        let s = format!("x{}y{}z", "\x13".repeat(1000), "\x15".repeat(1000));
        assert_eq!(read_chars(&s).0, "xz\n");
    }

    /// A CLX of one `Prc` and a `Pcdt` over `pieces` (start CP, end CP, fc).
    fn clx(pieces: &[(u32, u32, u32)]) -> Vec<u8> {
        let mut out = vec![0x01, 2, 0, 0xAA, 0xBB];
        let mut plc = Vec::new();
        for p in pieces {
            plc.extend(p.0.to_le_bytes());
        }
        plc.extend(pieces.last().map_or(0, |p| p.1).to_le_bytes());
        for p in pieces {
            plc.extend([0, 0]);
            plc.extend(p.2.to_le_bytes());
            plc.extend([0, 0]);
        }
        out.push(0x02);
        out.extend((plc.len() as u32).to_le_bytes());
        out.extend(plc);
        out
    }

    #[test]
    fn pieces_are_8_bit_or_utf16_by_bit_30() {
        let mut word = b"Ch\xE0o\0\0\0\0".to_vec();
        for u in "Trần".encode_utf16() {
            word.extend(u.to_le_bytes());
        }
        let pieces = pieces(&clx(&[(0, 4, 0x4000_0000), (4, 8, 8)])).unwrap();
        assert_eq!(pieces.len(), 2);
        assert!(pieces[0].compressed && !pieces[1].compressed);
        assert_eq!(pieces[0].text(&word).unwrap(), "Chào");
        assert_eq!(pieces[1].text(&word).unwrap(), "Trần");
        // A run past the stream is an error, not a panic.
        let far = pieces_of(&[(0, 9, 0x4000_0000 | 0x3FFF_FFF0)]);
        assert!(far[0].text(&word).is_err());
    }

    fn pieces_of(p: &[(u32, u32, u32)]) -> Vec<Piece> {
        pieces(&clx(p)).unwrap()
    }

    #[test]
    fn broken_piece_tables_and_fibs_are_errors() {
        assert!(pieces(&[]).is_err());
        assert!(pieces(&[0x01, 0xFF, 0xFF]).is_err());
        assert!(pieces(&[0x02, 100, 0, 0, 0, 1, 2]).is_err());
        assert!(pieces(&clx(&[(5, 1, 0)])).is_err());
        let full = clx(&[(0, 4, 0)]);
        for cut in 0..full.len() {
            assert!(pieces(&full[..cut]).is_err(), "{cut}");
        }
        assert!(Fib::parse(&[]).is_err());
        assert!(Fib::parse(&[0xEC, 0xA5, 0xC1, 0x00]).is_err());
        let mut encrypted = vec![0u8; 1000];
        encrypted[..4].copy_from_slice(&[0xEC, 0xA5, 0xC1, 0x00]);
        encrypted[0x0A] = 0x00;
        encrypted[0x0B] = 0x01;
        assert_eq!(Fib::parse(&encrypted), Err(Skip::Encrypted(NAME)));
    }

    #[test]
    fn libreoffice_fixtures_hold_utf16_and_8_bit_pieces() {
        let pieces = open(include_bytes!("../../tests/data/office/thu.doc"))
            .unwrap()
            .pieces;
        assert!(pieces.iter().any(|p| !p.compressed), "{pieces:?}");
        let pieces = open(include_bytes!("../../tests/data/office/thu-8bit.doc"))
            .unwrap()
            .pieces;
        assert!(pieces.iter().all(|p| p.compressed), "{pieces:?}");
        let x = extract(
            include_bytes!("../../tests/data/office/thu-8bit.doc"),
            &Options::default(),
        )
        .unwrap();
        assert!(
            x.text.ends_with("eight bit pieces: café crème.\n"),
            "{:?}",
            x.text
        );
    }

    #[test]
    fn legacy_font_runs_cut_pieces_on_character_boundaries() {
        let fonts = FontRuns {
            runs: vec![(10, 20, Enc::Tcvn3), (20, 21, Enc::Vni), (40, 50, Enc::Vni)],
        };
        // An 8-bit piece over 0..30: plain, TCVN3, VNI, plain.
        assert_eq!(
            fonts.split(0, 30, 1),
            [
                (0..10, None),
                (10..20, Some(Enc::Tcvn3)),
                (20..21, Some(Enc::Vni)),
                (21..30, None)
            ]
        );
        // A UTF-16 piece from 11: the odd cuts fall back to a character's start (19, 21).
        assert_eq!(
            fonts.split(11, 20, 2),
            [
                (0..8, Some(Enc::Tcvn3)),
                (8..10, Some(Enc::Vni)),
                (10..20, None)
            ]
        );
        assert_eq!(fonts.split(100, 4, 2), [(0..4, None)]);
        assert_eq!(FontRuns::default().split(5, 0, 1), [(0..0, None)]);
    }

    #[test]
    fn legacy_text_keeps_word_control_characters() {
        assert_eq!(
            legacy("Tr\u{C7}n\r\u{A7}\u{F8}c L\x1F\u{AC}ng\x07", Enc::Tcvn3),
            "Trần\rĐức Lương\x07"
        );
    }

    #[test]
    fn font_sprms_and_names_are_read_and_bounded() {
        // A 1-byte sprm, the font sprm, a variable one.
        let grpprl = [0x35, 0x08, 1, 0x4F, 0x4A, 3, 0, 0x55, 0xC6, 2, 9, 9];
        assert_eq!(font_sprm(&grpprl), Some(3));
        assert_eq!(font_sprm(&grpprl[..4]), None);
        assert_eq!(font_sprm(&[0x4F, 0x4A, 3]), None);
        let mut ffn = vec![0u8; 39];
        ffn.extend(".VnTime\0".encode_utf16().flat_map(u16::to_le_bytes));
        let mut sttb = vec![2, 0, 0, 0, ffn.len() as u8];
        sttb.extend(&ffn);
        assert_eq!(font_names(&sttb), None, "two names, one given");
        sttb[0] = 1;
        assert_eq!(font_names(&sttb), Some(vec![".VnTime".to_string()]));
        let mut page = [0u8; 512];
        page[511] = 255;
        assert!(chpx_runs(&page).len() <= 255);
    }

    #[test]
    fn garbage_never_panics() {
        let mut bytes = OLE_MAGIC.to_vec();
        bytes.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        assert!(extract(&bytes, &Options::default()).is_err());
        assert!(extract(b"\x00\x01garbage", &Options::default()).is_err());
    }
}
