//! DOCX (Office Open XML) and ODT (OpenDocument text): the body text of the zip's main XML part,
//! one paragraph per paragraph. Every paragraph (headings, list items and table cells are
//! paragraphs in both formats) ends a sentence and is a [`Place::Paragraph`], numbered from 1
//! among the paragraphs that hold text. Text whose font (the run's or span's own, else its
//! style's or the document's default) is a Vietnamese legacy font is decoded with
//! [`fonts::decode`]; the offsets are those of the extracted (decoded) text.

use std::collections::HashMap;
use std::io::Cursor;

use quick_xml::events::{BytesStart, Event};

use super::encoding::Enc;
use super::fonts::Runs as _;
use super::{contained, fonts, Extracted, Format, Limited, Options, Part, Place, Skip};

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
pub(super) fn open_entry<'a, 'b>(
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
    let styles = styles(&mut archive, dialect, options)?;
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
    let mut fonts = Fonts::new(styles);
    let text = paragraphs(
        std::io::BufReader::new(capped),
        dialect,
        &mut fonts,
        options,
    )?;
    Ok(text.finish(match dialect {
        Dialect::Docx => Format::Docx,
        Dialect::Odt => Format::Odt,
    }))
}

/// The styles of the archive's style part (`word/styles.xml`, `styles.xml`), for their fonts.
/// A style part that is missing, damaged or past the limit is left out: the text is read as
/// if no style set a font.
pub(super) fn styles(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    dialect: Dialect,
    options: &Options,
) -> Result<Styles, Skip> {
    let name = match dialect {
        Dialect::Docx => "word/styles.xml",
        Dialect::Odt => "styles.xml",
    };
    let mut styles = Styles::default();
    let limit = options.max_extract().min(16 << 20);
    match read_entry(archive, name, limit, dialect.name()) {
        Ok(Some(xml)) => styles.read(&xml, dialect),
        Err(Skip::Encrypted(format)) => return Err(Skip::Encrypted(format)),
        Ok(None) | Err(_) => {}
    }
    Ok(styles)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
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
    /// Text set in a legacy font, held until the font changes.
    held: fonts::Held,
}

impl fonts::Runs for Paragraphs {
    fn held(&mut self) -> &mut fonts::Held {
        &mut self.held
    }

    fn push_plain(&mut self, s: &str) -> Result<(), Skip> {
        self.write_plain(s)
    }
}

impl Paragraphs {
    fn write_plain(&mut self, s: &str) -> Result<(), Skip> {
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
        self.flush()?;
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
    fonts: &mut Fonts,
    options: &Options,
) -> Result<Paragraphs, Skip> {
    let format = dialect.name();
    let mut out = Paragraphs {
        text: Limited::new(options),
        breaks: Vec::new(),
        parts: Vec::new(),
        open: None,
        held: fonts::Held::default(),
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
        fonts.event(dialect, &event);
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
                // Byte 0xAD, a soft hyphen to Word, is "ư" in a TCVN3 font.
                (Dialect::Docx, b"w:softHyphen") => {
                    if let Some(enc) = fonts.current(dialect) {
                        out.push_in("\u{AD}", Some(enc))?
                    }
                }
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
                out.push_in(&s, fonts.current(dialect))?;
            }
            Event::CData(t) if in_text > 0 || (dialect == Dialect::Odt && in_para > 0) => {
                out.push_in(&String::from_utf8_lossy(&t), fonts.current(dialect))?;
            }
            Event::GeneralRef(r) if in_text > 0 || (dialect == Dialect::Odt && in_para > 0) => {
                let enc = fonts.current(dialect);
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push_in(c.encode_utf8(&mut [0; 4]), enc)?;
                } else {
                    let name = r.decode().map_err(|e| Skip::corrupt(format, e))?;
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        out.push_in(s, enc)?;
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

/// The fonts that styles set: DOCX's `word/styles.xml`; ODT's font faces and styles, of
/// `styles.xml` and of `content.xml`'s automatic styles. Only fonts matter here: a run, span or
/// paragraph set in a Vietnamese legacy font is decoded with [`fonts::decode`].
#[derive(Default)]
pub(super) struct Styles {
    /// The document defaults' font (DOCX), the default paragraph style's (ODT).
    default: Option<String>,
    /// DOCX: the id of the default paragraph style.
    default_para: Option<String>,
    styles: HashMap<String, Style>,
    /// ODT: font face name → its family.
    faces: HashMap<String, String>,
    /// Whether any style, default or face names a legacy font: if none does, no style is looked up.
    legacy: bool,
    /// The style being read, between its start and end tags.
    open: Option<(Option<String>, Style)>,
    /// Depth inside DOCX `w:pPr` and `w:rPrChange`, whose fonts are not the style's.
    ignored: usize,
}

/// The most styles (and font faces) kept: markup made of styles alone is bounded too.
const MAX_STYLES: usize = 100_000;

#[derive(Default)]
struct Style {
    /// The font the style sets ("" for a theme font), if it sets one.
    font: Option<String>,
    parent: Option<String>,
}

impl Styles {
    /// The font of style `name` or of the styles it is based on.
    fn font_of(&self, name: &str) -> Option<&str> {
        let mut name = name;
        for _ in 0..16 {
            let style = self.styles.get(name)?;
            if let Some(font) = &style.font {
                return Some(font);
            }
            name = style.parent.as_deref()?;
        }
        None
    }

    /// The legacy encoding of a font (an ODT font face name is first taken to its family).
    fn encoding(&self, font: &str) -> Option<Enc> {
        fonts::encoding_of(self.faces.get(font).map_or(font, String::as_str))
    }

    fn note_font(&mut self, font: &str) {
        self.legacy |= self.encoding(font).is_some() || fonts::encoding_of(font).is_some();
    }

    /// A start (or empty, `empty`) tag of a style part: DOCX `styles.xml`, ODT style elements.
    fn start(&mut self, dialect: Dialect, e: &BytesStart, empty: bool) {
        match (dialect, e.name().as_ref()) {
            (Dialect::Docx, b"w:docDefaults") if !empty => {
                self.open = Some((None, Style::default()));
            }
            (Dialect::Docx, b"w:style") if !empty => {
                let id = attr(e, b"w:styleId");
                let default =
                    attr(e, b"w:default").is_some_and(|v| matches!(&*v, "1" | "true" | "on"));
                if default && attr(e, b"w:type").as_deref() == Some("paragraph") {
                    self.default_para.clone_from(&id);
                }
                self.open = Some((Some(id.unwrap_or_default()), Style::default()));
            }
            (Dialect::Docx, b"w:pPr" | b"w:rPrChange" | b"w:tblStylePr") if !empty => {
                self.ignored += 1
            }
            (Dialect::Docx, b"w:basedOn") => {
                if let Some((_, style)) = &mut self.open {
                    style.parent = attr(e, b"w:val");
                }
            }
            (Dialect::Docx, b"w:rFonts") if self.ignored == 0 => {
                if let (Some((_, style)), Some(font)) = (&mut self.open, run_font(e)) {
                    style.font = Some(font);
                }
            }
            (Dialect::Odt, b"style:font-face") => {
                if let (Some(name), Some(family)) =
                    (attr(e, b"style:name"), attr(e, b"svg:font-family"))
                {
                    let family = family_name(&family);
                    self.legacy |= fonts::encoding_of(&family).is_some();
                    if self.faces.len() < MAX_STYLES {
                        self.faces.insert(name, family);
                    }
                }
            }
            (Dialect::Odt, b"style:style") => {
                let style = Style {
                    font: None,
                    parent: attr(e, b"style:parent-style-name"),
                };
                self.open = Some((Some(attr(e, b"style:name").unwrap_or_default()), style));
                if empty {
                    self.close();
                }
            }
            (Dialect::Odt, b"style:default-style") if !empty => {
                let paragraph = attr(e, b"style:family").as_deref() == Some("paragraph");
                self.open = paragraph.then(|| (None, Style::default()));
            }
            (Dialect::Odt, b"style:text-properties") => {
                let font = attr(e, b"style:font-name")
                    .or_else(|| attr(e, b"fo:font-family").map(|f| family_name(&f)));
                if let (Some((_, style)), Some(font)) = (&mut self.open, font) {
                    style.font = Some(font);
                }
            }
            _ => {}
        }
    }

    /// An end tag of a style part.
    fn end(&mut self, dialect: Dialect, name: &[u8]) {
        match (dialect, name) {
            (Dialect::Docx, b"w:pPr" | b"w:rPrChange" | b"w:tblStylePr") => {
                self.ignored = self.ignored.saturating_sub(1)
            }
            (Dialect::Docx, b"w:docDefaults" | b"w:style")
            | (Dialect::Odt, b"style:style" | b"style:default-style") => self.close(),
            _ => {}
        }
    }

    /// Files the style being read: a named style, or the defaults.
    fn close(&mut self) {
        let Some((name, style)) = self.open.take() else {
            return;
        };
        if let Some(font) = &style.font {
            self.note_font(&font.clone());
        }
        match name {
            Some(name) => {
                if self.styles.len() < MAX_STYLES {
                    self.styles.insert(name, style);
                }
            }
            None => {
                if style.font.is_some() {
                    self.default = style.font;
                }
            }
        }
    }

    /// Reads a whole style part (`word/styles.xml`, ODT `styles.xml`); a damaged part is read
    /// as far as it goes.
    fn read(&mut self, xml: &[u8], dialect: Dialect) {
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => self.start(dialect, &e, false),
                Ok(Event::Empty(e)) => self.start(dialect, &e, true),
                Ok(Event::End(e)) => self.end(dialect, e.name().as_ref()),
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        self.open = None;
        self.ignored = 0;
    }
}

/// The value of the attribute named `name` (with its prefix), unescaped.
pub(super) fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    a.unescape_value().ok().map(|v| v.into_owned())
}

/// A font family as ODT writes it: the first of a list, without its quotes.
pub(super) fn family_name(family: &str) -> String {
    let first = family.split(',').next().unwrap_or_default();
    first.trim().trim_matches(['\'', '"']).trim().to_string()
}

/// The font a DOCX `w:rFonts` sets for Latin text: `w:ascii`, else `w:hAnsi`, else `w:cs`; a
/// theme font (which wins over the name beside it) as "". `None` if it sets none.
fn run_font(e: &BytesStart) -> Option<String> {
    let slots: [(&[u8], &[u8]); 3] = [
        (b"w:asciiTheme", b"w:ascii"),
        (b"w:hAnsiTheme", b"w:hAnsi"),
        (b"w:cstheme", b"w:cs"),
    ];
    for (theme, name) in slots {
        if attr(e, theme).is_some() {
            return Some(String::new());
        }
        if let Some(font) = attr(e, name) {
            return Some(font);
        }
    }
    None
}

/// The font of the text being read: the styles, and the paragraph's, span's or run's own.
pub(super) struct Fonts {
    styles: Styles,
    /// DOCX: the paragraph's style, the run's style and the run's own font.
    para_style: Option<String>,
    run_style: Option<String>,
    /// The legacy encoding of the run's own font, if it names one (`Some(None)`: not legacy).
    run_font: Option<Option<Enc>>,
    /// DOCX: depth inside `w:r`, and inside `w:pPr` or `w:rPrChange` (fonts not of the run).
    in_run: usize,
    ignored: usize,
    /// ODT: the encoding of each open paragraph and span (`None`: not a legacy font), and how
    /// many more are open past the cap of the stack.
    stack: Vec<Option<Enc>>,
    deeper: usize,
}

/// How deep ODT spans are followed; deeper ones take the font of the one at the cap.
const MAX_SPAN_DEPTH: usize = 256;

impl Fonts {
    pub(super) fn new(styles: Styles) -> Self {
        Fonts {
            styles,
            para_style: None,
            run_style: None,
            run_font: None,
            in_run: 0,
            ignored: 0,
            stack: Vec::new(),
            deeper: 0,
        }
    }

    /// Follows an event of the main part.
    pub(super) fn event(&mut self, dialect: Dialect, event: &Event) {
        match event {
            Event::Start(e) => self.start(dialect, e, false),
            Event::Empty(e) => self.start(dialect, e, true),
            Event::End(e) => self.end(dialect, e.name().as_ref()),
            _ => {}
        }
    }

    /// A start (or empty) tag of the main part.
    fn start(&mut self, dialect: Dialect, e: &BytesStart, empty: bool) {
        match (dialect, e.name().as_ref()) {
            (Dialect::Docx, b"w:p") if !empty => self.para_style = None,
            (Dialect::Docx, b"w:r") if !empty => {
                self.in_run += 1;
                self.run_style = None;
                self.run_font = None;
            }
            (Dialect::Docx, b"w:pPr" | b"w:rPrChange") if !empty => self.ignored += 1,
            (Dialect::Docx, b"w:pStyle") => self.para_style = attr(e, b"w:val"),
            (Dialect::Docx, b"w:rStyle") if self.in_run > 0 => self.run_style = attr(e, b"w:val"),
            (Dialect::Docx, b"w:rFonts") if self.in_run > 0 && self.ignored == 0 => {
                self.run_font = run_font(e).map(|font| fonts::encoding_of(&font));
            }
            (Dialect::Odt, b"text:p" | b"text:h" | b"text:span") if !empty => {
                let enc = self.odt_enc(e);
                if self.stack.len() < MAX_SPAN_DEPTH {
                    self.stack.push(enc);
                } else {
                    self.deeper += 1;
                }
            }
            (Dialect::Odt, name) if name.starts_with(b"style:") => {
                self.styles.start(dialect, e, empty)
            }
            _ => {}
        }
    }

    /// An end tag of the main part.
    fn end(&mut self, dialect: Dialect, name: &[u8]) {
        match (dialect, name) {
            (Dialect::Docx, b"w:r") => self.in_run = self.in_run.saturating_sub(1),
            (Dialect::Docx, b"w:pPr" | b"w:rPrChange") => {
                self.ignored = self.ignored.saturating_sub(1)
            }
            (Dialect::Odt, b"text:p" | b"text:h" | b"text:span") => {
                if self.deeper > 0 {
                    self.deeper -= 1;
                } else {
                    self.stack.pop();
                }
            }
            (Dialect::Odt, name) if name.starts_with(b"style:") => self.styles.end(dialect, name),
            _ => {}
        }
    }

    /// The encoding of an ODT paragraph or span opened by `e`: its style's font, else (a
    /// paragraph) the default style's, else (a span) its paragraph's or outer span's.
    fn odt_enc(&self, e: &BytesStart) -> Option<Enc> {
        let outer = self.stack.last().copied().flatten();
        if !self.styles.legacy {
            return None;
        }
        let own =
            attr(e, b"text:style-name").and_then(|s| self.styles.font_of(&s).map(str::to_string));
        match own {
            Some(font) => self.styles.encoding(&font),
            None if e.name().as_ref() == b"text:span" => outer,
            None => self
                .styles
                .default
                .as_deref()
                .and_then(|f| self.styles.encoding(f)),
        }
    }

    /// The legacy encoding of the text being read, if its font is a legacy font.
    pub(super) fn current(&self, dialect: Dialect) -> Option<Enc> {
        match dialect {
            Dialect::Odt => self.stack.last().copied().flatten(),
            Dialect::Docx => {
                if let Some(enc) = self.run_font {
                    return enc;
                }
                if !self.styles.legacy {
                    return None;
                }
                let styles = &self.styles;
                let para = self
                    .para_style
                    .as_deref()
                    .or(styles.default_para.as_deref());
                let font = self
                    .run_style
                    .as_deref()
                    .and_then(|s| styles.font_of(s))
                    .or_else(|| para.and_then(|s| styles.font_of(s)))
                    .or(styles.default.as_deref())?;
                fonts::encoding_of(font)
            }
        }
    }
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
pub(super) struct Capped<R> {
    pub(super) inner: R,
    pub(super) left: u64,
    /// Bytes since the last `<`.
    pub(super) run: u64,
    pub(super) max_run: u64,
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
    use super::{paragraphs, Dialect, Fonts, Styles};
    use crate::extract::Options;

    fn text_of(xml: &str, dialect: Dialect, styles: &str) -> String {
        let mut read = Styles::default();
        read.read(styles.as_bytes(), dialect);
        let mut fonts = Fonts::new(read);
        let out = paragraphs(xml.as_bytes(), dialect, &mut fonts, &Options::default()).unwrap();
        out.text.text
    }

    #[test]
    fn a_vni_letter_split_across_runs_is_decoded_whole() {
        let run = |t: &str| {
            format!("<w:r><w:rPr><w:rFonts w:ascii=\"VNI-Times\"/></w:rPr><w:t>{t}</w:t></w:r>")
        };
        // "Traàn": the tone byte of "ầ" is in a run of its own.
        let xml = format!("<w:p>{}{}</w:p>", run("Tra"), run("àn"));
        assert_eq!(text_of(&xml, Dialect::Docx, ""), "Trần\n");
    }

    #[test]
    fn docx_paragraph_mark_fonts_and_theme_fonts_are_not_the_runs() {
        let styles = "<w:styles><w:docDefaults><w:rPrDefault><w:rPr>\
            <w:rFonts w:ascii=\".VnTime\"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>";
        // The paragraph mark's font is not the run's; the run has the defaults' .VnTime.
        let mark = "<w:p><w:pPr><w:rPr><w:rFonts w:ascii=\"Arial\"/></w:rPr></w:pPr>\
            <w:r><w:t>§øc</w:t></w:r></w:p>";
        assert_eq!(text_of(mark, Dialect::Docx, styles), "Đức\n");
        // A theme font wins over the name beside it and over the defaults.
        let theme = "<w:p><w:r><w:rPr><w:rFonts w:asciiTheme=\"minorHAnsi\" \
            w:ascii=\".VnTime\"/></w:rPr><w:t>§øc</w:t></w:r></w:p>";
        assert_eq!(text_of(theme, Dialect::Docx, styles), "§øc\n");
    }

    #[test]
    fn odt_spans_inherit_and_default_styles_apply() {
        let styles = "<office:font-face-decls><style:font-face style:name=\"V\" \
            svg:font-family=\"&apos;.VnTime&apos;\"/></office:font-face-decls>\
            <style:default-style style:family=\"paragraph\">\
            <style:text-properties style:font-name=\"V\"/></style:default-style>\
            <style:style style:name=\"R\" style:family=\"text\">\
            <style:text-properties fo:font-family=\"Arial\"/></style:style>";
        let xml = "<text:p>§øc <text:span>§øc</text:span> \
            <text:span text:style-name=\"R\">§øc</text:span></text:p>";
        assert_eq!(text_of(xml, Dialect::Odt, styles), "Đức Đức §øc\n");
    }

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
