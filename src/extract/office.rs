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
    let Some(entry) = open_entry(archive, name, format)? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    match super::compressed::read_limited(entry, limit, &mut out) {
        Ok(()) => Ok(Some(out)),
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => Err(Skip::TooLarge { limit }),
        Err(e) => Err(Skip::corrupt(format, format!("{name}: {e}"))),
    }
}

/// The entry `name` of the archive, ready to inflate; `None` if there is none. An encrypted
/// entry is skipped as such.
fn open_entry<'a, 'b>(
    archive: &'a mut zip::ZipArchive<Cursor<&'b [u8]>>,
    name: &str,
    format: &'static str,
) -> Result<Option<zip::read::ZipFile<'a, Cursor<&'b [u8]>>>, Skip> {
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
    archive
        .by_index(i)
        .map(Some)
        .map_err(|e| Skip::corrupt(format, e))
}

/// Extracts a DOCX file (`word/document.xml`).
pub(super) fn extract_docx(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    main_part(bytes, "word/document.xml", Dialect::Docx, options)
}

/// Extracts an ODT file (`content.xml`).
pub(super) fn extract_odt(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    main_part(bytes, "content.xml", Dialect::Odt, options)
}

/// The paragraphs of the archive's main XML part, parsed as it is inflated: the XML is never
/// held whole, and the text stops at the limit.
fn main_part(
    bytes: &[u8],
    name: &str,
    dialect: Dialect,
    options: &Options,
) -> Result<Extracted, Skip> {
    let format = dialect.name();
    let mut archive = open_zip(bytes, format)?;
    let Some(entry) = open_entry(&mut archive, name, format)? else {
        return Err(Skip::corrupt(format, format!("no {name} in the archive")));
    };
    // Markup without text (a bomb of empty paragraphs) is bounded too: at most 8 bytes of XML
    // per byte of allowed text.
    let capped = Capped {
        inner: entry,
        left: (options.max_extract() as u64).saturating_mul(8),
        run: 0,
        max_run: options.max_extract() as u64,
    };
    let text = paragraphs(std::io::BufReader::new(capped), dialect, options)?;
    Ok(text.finish(match dialect {
        Dialect::Docx => Format::Docx,
        Dialect::Odt => Format::Odt,
    }))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Docx,
    Odt,
}

impl Dialect {
    fn name(self) -> &'static str {
        match self {
            Dialect::Docx => "DOCX document",
            Dialect::Odt => "ODT document",
        }
    }
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
fn paragraphs(
    xml: impl std::io::BufRead,
    dialect: Dialect,
    options: &Options,
) -> Result<Paragraphs, Skip> {
    let format = dialect.name();
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
        let event = reader.read_event_into(&mut buf).map_err(|e| match e {
            quick_xml::Error::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge => {
                Skip::TooLarge {
                    limit: options.max_extract(),
                }
            }
            e => Skip::corrupt(format, e),
        })?;
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

/// Reads a zip entry's bytes whole (small package files: the EPUB container and package file).
pub(super) fn read_small(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    format: &'static str,
) -> Result<Option<Vec<u8>>, Skip> {
    read_entry(archive, name, 16 << 20, format)
}

/// A reader that fails with `FileTooLarge` once more than `left` bytes were asked of it, or
/// once more than `max_run` bytes come without a `<`: the XML parser holds a text node whole
/// before it hands it over, so one giant text node (a bomb of a single letter) would otherwise
/// fill memory up to `left` rather than to the text limit.
struct Capped<R> {
    inner: R,
    left: u64,
    /// Bytes since the last `<`.
    run: u64,
    max_run: u64,
}

impl<R: std::io::Read> std::io::Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::ErrorKind::FileTooLarge.into()),
            };
        }
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..n])?;
        self.left -= read as u64;
        let got = &buf[..read];
        self.run = match got.iter().rposition(|&b| b == b'<') {
            Some(i) => (read - 1 - i) as u64,
            None => self.run + read as u64,
        };
        if self.run > self.max_run {
            return Err(std::io::ErrorKind::FileTooLarge.into());
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::Capped;

    fn read(xml: &[u8], left: u64, max_run: u64) -> std::io::Result<usize> {
        let mut capped = Capped {
            inner: xml,
            left,
            run: 0,
            max_run,
        };
        let mut out = Vec::new();
        // Small reads, as a buffered parser makes them.
        let mut buf = [0u8; 64];
        loop {
            match capped.read(&mut buf)? {
                0 => return Ok(out.len()),
                n => out.extend_from_slice(&buf[..n]),
            }
        }
    }

    #[test]
    fn capped_stops_at_its_size_and_at_a_long_run_without_markup() {
        let tags = "<w:t>abc</w:t>".repeat(100);
        assert_eq!(read(tags.as_bytes(), 10_000, 100).unwrap(), tags.len());
        let too_long = read(tags.as_bytes(), 1_000, 100).unwrap_err();
        assert_eq!(too_long.kind(), std::io::ErrorKind::FileTooLarge);
        // One text node of 1000 letters: within the size, past the run.
        let node = format!("<w:t>{}</w:t>", "0".repeat(1000));
        assert!(read(node.as_bytes(), 10_000, 2_000).is_ok());
        let run = read(node.as_bytes(), 10_000, 500).unwrap_err();
        assert_eq!(run.kind(), std::io::ErrorKind::FileTooLarge);
    }
}
