//! DOCX (Office Open XML) and ODT (OpenDocument text): the body text of the zip's main XML part,
//! one paragraph per paragraph. Every paragraph (headings, list items and table cells are
//! paragraphs in both formats) ends a sentence and is a [`Place::Paragraph`], numbered from 1
//! among the paragraphs that hold text.

use std::io::Cursor;

use quick_xml::events::Event;

use super::{contained, Extracted, Format, Limited, Options, Part, Place, Skip};

/// An Office or EPUB zip, opened; encrypted and damaged archives are named as such.
pub(super) fn open_zip<'a>(
    bytes: &'a [u8],
    format: &'static str,
) -> Result<zip::ZipArchive<Cursor<&'a [u8]>>, Skip> {
    // An encrypted Office document is an OLE compound file holding the encrypted package.
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(Skip::Encrypted(format));
    }
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Skip::corrupt(format, e))
}

/// The bytes of the entry `name`, at most `limit` of them; `None` if there is no such entry.
pub(super) fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: usize,
    format: &'static str,
) -> Result<Option<Vec<u8>>, Skip> {
    let Some(i) = archive.index_for_name(name) else {
        return Ok(None);
    };
    let encrypted = archive
        .by_index_raw(i)
        .map_err(|e| Skip::corrupt(format, e))?
        .encrypted();
    if encrypted {
        return Err(Skip::Encrypted(format));
    }
    let entry = archive.by_index(i).map_err(|e| Skip::corrupt(format, e))?;
    let mut out = Vec::new();
    match super::compressed::read_limited(entry, limit, &mut out) {
        Ok(()) => Ok(Some(out)),
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => Err(Skip::TooLarge { limit }),
        Err(e) => Err(Skip::corrupt(format, format!("{name}: {e}"))),
    }
}

/// Extracts a DOCX file (`word/document.xml`).
pub(super) fn extract_docx(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let xml = main_part(bytes, "word/document.xml", "DOCX document", options)?;
    let text = paragraphs(&xml, Dialect::Docx, options)?;
    Ok(text.finish(Format::Docx))
}

/// Extracts an ODT file (`content.xml`).
pub(super) fn extract_odt(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let xml = main_part(bytes, "content.xml", "ODT document", options)?;
    let text = paragraphs(&xml, Dialect::Odt, options)?;
    Ok(text.finish(Format::Odt))
}

fn main_part(
    bytes: &[u8],
    name: &str,
    format: &'static str,
    options: &Options,
) -> Result<Vec<u8>, Skip> {
    let mut archive = open_zip(bytes, format)?;
    // The XML is several times the text it holds; the text limit applies to the text.
    let limit = options.max_extract().saturating_mul(4);
    read_entry(&mut archive, name, limit, format)?
        .ok_or_else(|| Skip::corrupt(format, format!("no {name} in the archive")))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Docx,
    Odt,
}

/// The text being built: paragraphs, their breaks and their numbers.
struct Paragraphs {
    text: Limited,
    breaks: Vec<usize>,
    parts: Vec<Part>,
    /// Where the open paragraph starts, if it has text.
    open: Option<usize>,
}

impl Paragraphs {
    fn push(&mut self, s: &str) -> Result<(), Skip> {
        if s.is_empty() {
            return Ok(());
        }
        if self.open.is_none() {
            let start = self.text.len();
            self.open = Some(start);
            let n = self.parts.len() as u32 + 1;
            self.parts.push(Part {
                start,
                place: Place::Paragraph(n),
            });
        }
        self.text.push_str(s)
    }

    /// Ends the open paragraph, if it has text: a `\n` that is a sentence break.
    fn end(&mut self) -> Result<(), Skip> {
        if self.open.take().is_some() {
            self.breaks.push(self.text.len());
            self.text.push_str("\n")?;
        }
        Ok(())
    }

    fn finish(self, format: Format) -> Extracted {
        contained(self.text.text, format, self.breaks, self.parts)
    }
}

/// Walks the XML: paragraphs (`w:p`; `text:p`, `text:h`) and the text inside them.
fn paragraphs(xml: &[u8], dialect: Dialect, options: &Options) -> Result<Paragraphs, Skip> {
    let format = match dialect {
        Dialect::Docx => "DOCX document",
        Dialect::Odt => "ODT document",
    };
    let mut out = Paragraphs {
        text: Limited::new(options),
        breaks: Vec::new(),
        parts: Vec::new(),
        open: None,
    };
    let mut reader = quick_xml::Reader::from_reader(xml);
    // DOCX text is only inside `w:t`; ODT text is any text inside a paragraph.
    let mut in_text = 0usize;
    let mut in_para = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Skip::corrupt(format, e))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => match (dialect, e.name().as_ref()) {
                (Dialect::Docx, b"w:p") | (Dialect::Odt, b"text:p" | b"text:h") => {
                    out.end()?;
                    in_para += 1;
                }
                (Dialect::Docx, b"w:t") => in_text += 1,
                _ => {}
            },
            Event::End(e) => match (dialect, e.name().as_ref()) {
                (Dialect::Docx, b"w:p") | (Dialect::Odt, b"text:p" | b"text:h") => {
                    out.end()?;
                    in_para = in_para.saturating_sub(1);
                }
                (Dialect::Docx, b"w:t") => in_text = in_text.saturating_sub(1),
                _ => {}
            },
            Event::Empty(e) => match (dialect, e.name().as_ref()) {
                (Dialect::Docx, b"w:tab") | (Dialect::Odt, b"text:tab") => out.push("\t")?,
                (Dialect::Docx, b"w:br" | b"w:cr") | (Dialect::Odt, b"text:line-break") => {
                    out.push("\n")?
                }
                (Dialect::Docx, b"w:noBreakHyphen") => out.push("-")?,
                (Dialect::Odt, b"text:s") => {
                    let n = e
                        .try_get_attribute("text:c")
                        .ok()
                        .flatten()
                        .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse::<usize>().ok())
                        .unwrap_or(1)
                        .min(64);
                    out.push(&" ".repeat(n))?
                }
                _ => {}
            },
            Event::Text(t) if in_text > 0 || (dialect == Dialect::Odt && in_para > 0) => {
                let s = t.decode().map_err(|e| Skip::corrupt(format, e))?;
                out.push(&s)?;
            }
            Event::CData(t) if in_text > 0 || (dialect == Dialect::Odt && in_para > 0) => {
                out.push(&String::from_utf8_lossy(&t))?;
            }
            Event::GeneralRef(r) if in_text > 0 || (dialect == Dialect::Odt && in_para > 0) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c.encode_utf8(&mut [0; 4]))?;
                } else {
                    let name = r.decode().map_err(|e| Skip::corrupt(format, e))?;
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        out.push(s)?;
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }
    out.end()?;
    Ok(out)
}

/// Reads a zip entry's bytes whole (for small package files: the EPUB container and OPF).
pub(super) fn read_small(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    format: &'static str,
) -> Result<Option<Vec<u8>>, Skip> {
    read_entry(archive, name, 16 << 20, format)
}
