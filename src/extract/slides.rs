//! Presentations (`.pptx`, `.odp`): the text of each slide in the order of the show, its shapes'
//! paragraphs in document order (table cells included), then its speaker notes. Every paragraph
//! ends a sentence; every slide that holds text starts a [`Place::Slide`] numbered by its
//! position in the show (slides without text are counted too). Runs set in a Vietnamese legacy
//! font are decoded with [`fonts::decode`]; the offsets are those of the extracted text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use quick_xml::events::{BytesStart, Event};

use super::encoding::Enc;
use super::office::{self, Capped, Dialect, Fonts};
use super::{contained, fonts, Extracted, Format, Limited, Options, Part, Place, Skip};

/// The format names of skips.
const PPTX: &str = "PPTX presentation";
const ODP: &str = "ODP presentation";

type Zip<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// Extracts a PPTX file: the slides that `ppt/presentation.xml` lists, each with its notes.
pub(super) fn extract_pptx(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    const MAIN: &str = "ppt/presentation.xml";
    let mut archive = office::open_zip(bytes, PPTX)?;
    let Some(main) = office::read_small(&mut archive, MAIN, PPTX)? else {
        return Err(Skip::corrupt(PPTX, format!("no {MAIN} in the archive")));
    };
    let rels = relationships(&mut archive, MAIN)?;
    let theme = rels
        .values()
        .find(|r| r.kind.ends_with("/theme"))
        .map(|r| Theme::read(&mut archive, &r.target))
        .transpose()?
        .unwrap_or_default();
    let mut deck = Deck::new(options);
    let mut budget = Budget::new(options);
    let mut masters = Masters::default();
    let no_styles = TextStyles::default();
    for (i, id) in slide_ids(&main).iter().enumerate() {
        deck.slide(u32::try_from(i + 1).unwrap_or(u32::MAX))?;
        let Some(slide) = rels.get(id) else {
            continue;
        };
        let slide_rels = relationships(&mut archive, &slide.target)?;
        let styles = masters.of(&mut archive, &slide_rels, &theme)?;
        let mut shapes = Shapes::new(&theme, styles);
        read_part(&mut archive, &slide.target, PPTX, &mut budget, |e| {
            shapes.event(&e, &mut deck)
        })?;
        let notes = slide_rels
            .values()
            .find(|r| r.kind.ends_with("/notesSlide"));
        if let Some(notes) = notes {
            let mut shapes = Shapes::new(&theme, &no_styles);
            read_part(&mut archive, &notes.target, PPTX, &mut budget, |e| {
                shapes.event(&e, &mut deck)
            })?;
        }
    }
    deck.end()?;
    Ok(deck.finish(Format::Pptx))
}

/// Extracts an ODP file: each `draw:page` of `content.xml`, its notes included.
pub(super) fn extract_odp(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let mut archive = office::open_zip(bytes, ODP)?;
    // ODF encrypts the entries' bytes, not the zip: the manifest says so.
    let manifest = office::read_small(&mut archive, "META-INF/manifest.xml", ODP)?;
    if manifest.is_some_and(|m| contains(&m, b"encryption-data")) {
        return Err(Skip::Encrypted(ODP));
    }
    let mut fonts = Fonts::new(office::styles(&mut archive, Dialect::Odt, options)?);
    let mut deck = Deck::new(options);
    let mut budget = Budget::new(options);
    let mut pages = Pages::default();
    let found = read_part(&mut archive, "content.xml", ODP, &mut budget, |e| {
        fonts.event(Dialect::Odt, &e);
        pages.event(&e, &mut deck, &fonts)
    })?;
    if !found {
        return Err(Skip::corrupt(ODP, "no content.xml in the archive"));
    }
    deck.end()?;
    Ok(deck.finish(Format::Odp))
}

/// Whether `needle` occurs in `hay`.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The text being built: slides, their paragraphs, breaks and parts.
struct Deck {
    text: Limited,
    breaks: Vec<usize>,
    parts: Vec<Part>,
    /// The slide being read (1-based), and whether its part has started.
    slide: u32,
    started: bool,
    /// Whether the open paragraph holds text.
    open: bool,
    /// Text set in a legacy font, and its encoding, held until the font changes: a VNI letter
    /// and its tone mark are decoded together even when two runs split them.
    pending: String,
    pending_enc: Option<Enc>,
}

/// The most text held in [`Deck::pending`] before it is decoded.
const MAX_PENDING: usize = 1 << 16;

impl Deck {
    fn new(options: &Options) -> Self {
        Deck {
            text: Limited::new(options),
            breaks: Vec::new(),
            parts: Vec::new(),
            slide: 0,
            started: false,
            open: false,
            pending: String::new(),
            pending_enc: None,
        }
    }

    /// Starts slide `n`: its first text starts a part.
    fn slide(&mut self, n: u32) -> Result<(), Skip> {
        self.end()?;
        self.slide = n;
        self.started = false;
        Ok(())
    }

    /// Text in the legacy encoding `enc` (if any) of its font.
    fn push_in(&mut self, s: &str, enc: Option<Enc>) -> Result<(), Skip> {
        let Some(enc) = enc else {
            return self.push(s);
        };
        if self.pending_enc != Some(enc) {
            self.flush()?;
            self.pending_enc = Some(enc);
        }
        self.pending.push_str(s);
        if self.pending.len() > MAX_PENDING {
            self.flush()?;
        }
        Ok(())
    }

    /// The held text of a legacy font, decoded.
    fn flush(&mut self) -> Result<(), Skip> {
        if let (Some(enc), false) = (self.pending_enc, self.pending.is_empty()) {
            let decoded = fonts::decode(&std::mem::take(&mut self.pending), enc);
            self.push_plain(&decoded)?;
        }
        Ok(())
    }

    fn push(&mut self, s: &str) -> Result<(), Skip> {
        self.flush()?;
        self.push_plain(s)
    }

    /// Text for the open paragraph: white space before its first letter is left out, so
    /// that a paragraph of white space alone (an empty title) is no text.
    fn push_plain(&mut self, s: &str) -> Result<(), Skip> {
        let s = if self.open { s } else { s.trim_start() };
        if s.is_empty() {
            return Ok(());
        }
        if !self.started {
            self.started = true;
            self.parts.push(Part {
                start: self.text.len(),
                place: Place::Slide(self.slide),
            });
        }
        self.open = true;
        self.text.push_str(s)
    }

    /// Ends the open paragraph, if it has text: a `\n` that is a sentence break.
    fn end(&mut self) -> Result<(), Skip> {
        self.flush()?;
        if std::mem::take(&mut self.open) {
            self.breaks.push(self.text.len());
            self.text.push_str("\n")?;
        }
        Ok(())
    }

    fn finish(self, format: Format) -> Extracted {
        contained(self.text.text, format, self.breaks, self.parts)
    }
}

/// How much XML may still be read, for all the parts of a file together: 8 bytes per byte of
/// allowed text, so that markup without text (a bomb of empty paragraphs) is bounded too.
struct Budget {
    left: u64,
    /// The longest run of bytes without a `<` (see [`Capped`]).
    max_run: u64,
    limit: usize,
}

impl Budget {
    fn new(options: &Options) -> Self {
        Budget {
            left: (options.max_extract() as u64).saturating_mul(8),
            max_run: options.max_extract() as u64,
            limit: options.max_extract(),
        }
    }
}

/// Reads the zip entry `name` through the budget, as it is inflated, handing each XML event
/// to `each`; `false` if there is no such entry.
fn read_part(
    archive: &mut Zip,
    name: &str,
    format: &'static str,
    budget: &mut Budget,
    each: impl FnMut(Event) -> Result<(), Skip>,
) -> Result<bool, Skip> {
    let Some(entry) = office::open_entry(archive, name, format)? else {
        return Ok(false);
    };
    let capped = Capped {
        inner: entry,
        left: budget.left,
        run: 0,
        max_run: budget.max_run,
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(capped));
    let result = events(&mut reader, name, format, budget.limit, each);
    budget.left = reader.into_inner().into_inner().left;
    result.map(|()| true)
}

/// Hands every event of `reader` to `each`, up to the end of the XML.
fn events<R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    name: &str,
    format: &'static str,
    limit: usize,
    mut each: impl FnMut(Event) -> Result<(), Skip>,
) -> Result<(), Skip> {
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => return Ok(()),
            Ok(event) => each(event)?,
            Err(quick_xml::Error::Io(io)) if io.kind() == std::io::ErrorKind::FileTooLarge => {
                return Err(Skip::TooLarge { limit })
            }
            Err(e) => return Err(Skip::corrupt(format, format!("{name}: {e}"))),
        }
        buf.clear();
    }
}

/// The characters of a text, CDATA or character reference event; `None` for other events.
fn text_of<'e>(event: &'e Event, format: &'static str) -> Result<Option<Cow<'e, str>>, Skip> {
    Ok(match event {
        Event::Text(t) => Some(t.decode().map_err(|e| Skip::corrupt(format, e))?),
        Event::CData(t) => Some(String::from_utf8_lossy(t)),
        Event::GeneralRef(r) => match r.resolve_char_ref() {
            Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
            _ => {
                let name = r.decode().map_err(|e| Skip::corrupt(format, e))?;
                quick_xml::escape::resolve_predefined_entity(&name).map(Cow::Borrowed)
            }
        },
        _ => None,
    })
}

/// The value of the attribute named `name` (with its prefix), unescaped.
fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    a.unescape_value().ok().map(|v| v.into_owned())
}

/// A relationship of an OOXML part: its type and its target's path inside the package.
struct Relationship {
    kind: String,
    target: String,
}

/// The relationships of the part `part` (from `dir/_rels/name.rels`), by id; external targets
/// are left out. A missing or damaged relationship part has none.
fn relationships(archive: &mut Zip, part: &str) -> Result<HashMap<String, Relationship>, Skip> {
    let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
    let name = match dir {
        "" => format!("_rels/{file}.rels"),
        dir => format!("{dir}/_rels/{file}.rels"),
    };
    let mut out = HashMap::new();
    let Some(xml) = office::read_small(archive, &name, PPTX)? else {
        return Ok(out);
    };
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"Relationship" => {
                let external = attr(&e, b"TargetMode").is_some_and(|m| m == "External");
                if let (Some(id), Some(target), false) =
                    (attr(&e, b"Id"), attr(&e, b"Target"), external)
                {
                    let kind = attr(&e, b"Type").unwrap_or_default();
                    let target = resolve(part, &target);
                    out.insert(id, Relationship { kind, target });
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The package path of `target`, relative to the folder of the part `part` (or absolute).
fn resolve(part: &str, target: &str) -> String {
    let mut path: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        path.extend(part.split('/'));
        path.pop();
    }
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                path.pop();
            }
            s => path.push(s),
        }
    }
    path.join("/")
}

/// The relationship ids of the slides, in the order of the show (`p:sldIdLst/p:sldId r:id`).
fn slide_ids(presentation: &[u8]) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_reader(presentation);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut in_list = false;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"sldIdLst" => in_list = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == b"sldIdLst" => in_list = false,
            Ok(Event::Start(e) | Event::Empty(e))
                if in_list && e.local_name().as_ref() == b"sldId" =>
            {
                // `r:id`: the prefixed `id` (the plain `id` is the slide's number).
                let id = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.prefix().is_some() && a.key.local_name().as_ref() == b"id");
                let id = id.and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()));
                out.push(id.unwrap_or_default());
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// The theme's Latin fonts, which `+mn-lt` (minor, body) and `+mj-lt` (major, headings) name.
#[derive(Default)]
struct Theme {
    minor: Option<String>,
    major: Option<String>,
}

impl Theme {
    /// The theme part `name`; a missing or damaged one names no fonts.
    fn read(archive: &mut Zip, name: &str) -> Result<Theme, Skip> {
        let mut theme = Theme::default();
        let Some(xml) = office::read_small(archive, name, PPTX)? else {
            return Ok(theme);
        };
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        let mut major = None;
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => match e.local_name().as_ref() {
                    b"majorFont" => major = Some(true),
                    b"minorFont" => major = Some(false),
                    _ => {}
                },
                Ok(Event::End(e))
                    if matches!(e.local_name().as_ref(), b"majorFont" | b"minorFont") =>
                {
                    major = None
                }
                Ok(Event::Empty(e)) if e.local_name().as_ref() == b"latin" => match major {
                    Some(true) => theme.major = attr(&e, b"typeface"),
                    Some(false) => theme.minor = attr(&e, b"typeface"),
                    None => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        Ok(theme)
    }

    /// The legacy encoding of the font `typeface` names (a theme font through the theme).
    fn encoding(&self, typeface: &str) -> Option<Enc> {
        let font = match typeface {
            "+mn-lt" => self.minor.as_deref()?,
            "+mj-lt" => self.major.as_deref()?,
            font => font,
        };
        fonts::encoding_of(font)
    }
}

/// The shapes of a PPTX slide or notes slide: paragraphs (`a:p`), runs' text (`a:t`), line
/// breaks, and the font of each run, as the XML goes by.
struct Shapes<'t> {
    theme: &'t Theme,
    /// The master's text styles, and which of them the shape being read takes.
    styles: &'t TextStyles,
    kind: usize,
    /// Depth inside `mc:Fallback` (the same content again, for older readers).
    fallback: usize,
    /// Depth of `p:sp` shapes, and the depth of the one being left out, if any: the slide
    /// number and date placeholders (a number or a date on every slide and notes page, which
    /// ODP keeps in its master pages and so never shows as a page's text).
    shapes: usize,
    skipped: Option<usize>,
    /// The encodings of the text body's list style, by level (`None`: the level sets no
    /// font; `Some(None)`: not a legacy font).
    levels: [Option<Option<Enc>>; 9],
    /// Inside `a:lstStyle`, the level being read.
    list: bool,
    level: Option<usize>,
    /// The open paragraph's level, its `a:pPr/a:defRPr` font, and the run's `a:rPr` font.
    para_level: usize,
    para_font: Option<Option<Enc>>,
    run_font: Option<Option<Enc>>,
    /// Inside `a:pPr`, `a:defRPr`, `a:rPr`, `a:t`.
    in_ppr: bool,
    in_defrpr: bool,
    in_rpr: bool,
    in_t: usize,
}

impl<'t> Shapes<'t> {
    fn new(theme: &'t Theme, styles: &'t TextStyles) -> Self {
        Shapes {
            theme,
            styles,
            kind: OTHER,
            fallback: 0,
            shapes: 0,
            skipped: None,
            levels: [None; 9],
            list: false,
            level: None,
            para_level: 0,
            para_font: None,
            run_font: None,
            in_ppr: false,
            in_defrpr: false,
            in_rpr: false,
            in_t: 0,
        }
    }

    /// Follows one event of the slide's XML, adding its text to `deck`.
    fn event(&mut self, event: &Event, deck: &mut Deck) -> Result<(), Skip> {
        match event {
            Event::Start(e) => self.start(e, false, deck)?,
            Event::Empty(e) => self.start(e, true, deck)?,
            Event::End(e) => self.end(e.local_name().as_ref(), deck)?,
            _ if self.in_t > 0 && self.fallback == 0 && self.skipped.is_none() => {
                if let Some(text) = text_of(event, PPTX)? {
                    deck.push_in(&text, self.encoding())?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A start (or empty, `empty`) tag.
    fn start(&mut self, e: &BytesStart, empty: bool, deck: &mut Deck) -> Result<(), Skip> {
        let name = e.local_name();
        match name.as_ref() {
            b"Fallback" if !empty => self.fallback += 1,
            b"sp" if !empty => {
                self.shapes += 1;
                self.kind = OTHER;
            }
            b"graphicFrame" => self.kind = OTHER,
            b"ph" if self.shapes > 0 => self.placeholder(e),
            b"txBody" => self.levels = [None; 9],
            b"lstStyle" if !empty => self.list = true,
            b"p" if !empty && !self.list => {
                deck.end()?;
                self.para_level = 0;
                self.para_font = None;
            }
            b"pPr" if !self.list => {
                self.para_level = attr(e, b"lvl")
                    .and_then(|l| l.parse::<usize>().ok())
                    .unwrap_or(0)
                    .min(8);
                self.in_ppr = !empty;
            }
            b"defRPr" => self.in_defrpr = !empty,
            b"r" | b"fld" if !empty => self.run_font = None,
            b"rPr" => self.in_rpr = !empty,
            b"t" if !empty => self.in_t += 1,
            b"br" if self.fallback == 0 && self.skipped.is_none() => deck.push("\n")?,
            b"latin" => self.latin(e),
            level if self.list && list_level(level).is_some() => self.level = list_level(level),
            _ => {}
        }
        Ok(())
    }

    /// An end tag.
    fn end(&mut self, name: &[u8], deck: &mut Deck) -> Result<(), Skip> {
        match name {
            b"Fallback" => self.fallback = self.fallback.saturating_sub(1),
            b"sp" => {
                if self.skipped == Some(self.shapes) {
                    self.skipped = None;
                }
                self.shapes = self.shapes.saturating_sub(1);
            }
            b"lstStyle" => {
                self.list = false;
                self.level = None;
            }
            b"p" if !self.list => deck.end()?,
            b"pPr" => self.in_ppr = false,
            b"defRPr" => self.in_defrpr = false,
            b"rPr" => self.in_rpr = false,
            b"t" => self.in_t = self.in_t.saturating_sub(1),
            _ => {}
        }
        Ok(())
    }

    /// A shape's placeholder: which master style it takes; a slide number or date is left out.
    fn placeholder(&mut self, e: &BytesStart) {
        let kind = attr(e, b"type");
        self.kind = match kind.as_deref() {
            Some("title" | "ctrTitle") => TITLE,
            _ => BODY,
        };
        if self.skipped.is_none() && matches!(kind.as_deref(), Some("sldNum" | "dt")) {
            self.skipped = Some(self.shapes);
        }
    }

    /// An `a:latin` font: the run's, the paragraph's default, or a list level's default.
    fn latin(&mut self, e: &BytesStart) {
        let Some(typeface) = attr(e, b"typeface") else {
            return;
        };
        let enc = Some(self.theme.encoding(&typeface));
        if self.in_rpr {
            self.run_font = enc;
        } else if self.in_defrpr && self.list {
            if let Some(slot) = self.level.and_then(|l| self.levels.get_mut(l)) {
                *slot = enc;
            }
        } else if self.in_defrpr && self.in_ppr {
            self.para_font = enc;
        }
    }

    /// The legacy encoding of the text being read: the run's font, else the paragraph's
    /// default, else the list style's for the paragraph's level, else the master's.
    fn encoding(&self) -> Option<Enc> {
        self.run_font
            .or(self.para_font)
            .or(self.levels[self.para_level])
            .or(self.styles.0[self.kind][self.para_level])
            .flatten()
    }
}

/// The master's text styles a shape takes: titles, other placeholders, other shapes.
const TITLE: usize = 0;
const BODY: usize = 1;
const OTHER: usize = 2;

/// A slide master's text styles (`p:txStyles`: `p:titleStyle`, `p:bodyStyle`, `p:otherStyle`):
/// the encoding of each one's font by level, as [`Shapes::levels`].
#[derive(Default)]
struct TextStyles([[Option<Option<Enc>>; 9]; 3]);

/// The text styles of the slide masters, each read once.
#[derive(Default)]
struct Masters(HashMap<String, TextStyles>);

impl Masters {
    /// The text styles of the master of a slide whose relationships are `rels` (through its
    /// layout); none if it has no layout or master, or they cannot be read.
    fn of(
        &mut self,
        archive: &mut Zip,
        rels: &HashMap<String, Relationship>,
        theme: &Theme,
    ) -> Result<&TextStyles, Skip> {
        let layout = rels.values().find(|r| r.kind.ends_with("/slideLayout"));
        let master = match layout {
            Some(layout) => relationships(archive, &layout.target)?
                .into_values()
                .find(|r| r.kind.ends_with("/slideMaster"))
                .map(|r| r.target),
            None => None,
        };
        let name = master.unwrap_or_default();
        if !self.0.contains_key(&name) {
            let styles = match office::read_small(archive, &name, PPTX)? {
                Some(xml) if !name.is_empty() => TextStyles::read(&xml, theme),
                _ => TextStyles::default(),
            };
            self.0.insert(name.clone(), styles);
        }
        Ok(&self.0[&name])
    }
}

impl TextStyles {
    /// The text styles of a slide master's XML; a damaged one is read as far as it goes.
    fn read(xml: &[u8], theme: &Theme) -> TextStyles {
        let mut out = TextStyles::default();
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut buf = Vec::new();
        let (mut kind, mut level, mut in_defrpr) = (None, None, false);
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => match e.local_name().as_ref() {
                    b"titleStyle" => kind = Some(TITLE),
                    b"bodyStyle" => kind = Some(BODY),
                    b"otherStyle" => kind = Some(OTHER),
                    b"defRPr" => in_defrpr = true,
                    name => level = list_level(name).or(level),
                },
                Ok(Event::End(e)) => match e.local_name().as_ref() {
                    b"titleStyle" | b"bodyStyle" | b"otherStyle" => kind = None,
                    b"defRPr" => in_defrpr = false,
                    name if list_level(name).is_some() => level = None,
                    _ => {}
                },
                Ok(Event::Empty(e)) if in_defrpr && e.local_name().as_ref() == b"latin" => {
                    if let (Some(k), Some(l), Some(typeface)) = (kind, level, attr(&e, b"typeface"))
                    {
                        out.0[k][l] = Some(theme.encoding(&typeface));
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        out
    }
}

/// The 0-based level of a list style's `a:lvlNpPr` (N from 1 to 9).
fn list_level(name: &[u8]) -> Option<usize> {
    match name {
        [b'l', b'v', b'l', n @ b'1'..=b'9', b'p', b'P', b'r'] => Some(usize::from(n - b'1')),
        _ => None,
    }
}

/// The pages of an ODP's `content.xml`: each `draw:page` a slide, its paragraphs (`text:p`,
/// `text:h`) in frames, tables and notes, with spaces, tabs and line breaks.
#[derive(Default)]
struct Pages {
    page: u32,
    /// Depth inside paragraphs.
    in_para: usize,
}

impl Pages {
    /// Follows one event of `content.xml`; `fonts` has followed it already.
    fn event(&mut self, event: &Event, deck: &mut Deck, fonts: &Fonts) -> Result<(), Skip> {
        match event {
            Event::Start(e) => match e.name().as_ref() {
                b"draw:page" => self.next_page(deck)?,
                b"text:p" | b"text:h" => {
                    deck.end()?;
                    self.in_para += 1;
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"draw:page" => deck.end()?,
                b"text:p" | b"text:h" => {
                    deck.end()?;
                    self.in_para = self.in_para.saturating_sub(1);
                }
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                b"draw:page" => self.next_page(deck)?,
                _ if self.in_para == 0 => {}
                b"text:tab" => deck.push("\t")?,
                b"text:line-break" => deck.push("\n")?,
                b"text:s" => {
                    let n = attr(e, b"text:c")
                        .and_then(|c| c.parse::<usize>().ok())
                        .unwrap_or(1)
                        .min(64);
                    deck.push(&" ".repeat(n))?
                }
                _ => {}
            },
            _ if self.in_para > 0 => {
                if let Some(text) = text_of(event, ODP)? {
                    deck.push_in(&text, fonts.current(Dialect::Odt))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn next_page(&mut self, deck: &mut Deck) -> Result<(), Skip> {
        self.page = self.page.saturating_add(1);
        self.in_para = 0;
        deck.slide(self.page)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const NAME: &str = "Trần Đức Lương";

    fn fixture(name: &str) -> &'static [u8] {
        match name {
            "slides.pptx" => include_bytes!("../../tests/data/office/slides.pptx"),
            "slides-vntime.pptx" => include_bytes!("../../tests/data/office/slides-vntime.pptx"),
            "slides-vni.pptx" => include_bytes!("../../tests/data/office/slides-vni.pptx"),
            "slides.odp" => include_bytes!("../../tests/data/office/slides.odp"),
            "slides-vntime.odp" => include_bytes!("../../tests/data/office/slides-vntime.odp"),
            "slides-vni.odp" => include_bytes!("../../tests/data/office/slides-vni.odp"),
            _ => unreachable!("{name}"),
        }
    }

    fn extract(name: &str, bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
        if name.ends_with(".pptx") {
            extract_pptx(bytes, options)
        } else {
            extract_odp(bytes, options)
        }
    }

    /// The slide whose part holds text offset `at`.
    fn slide_at(x: &Extracted, at: usize) -> Place {
        let part = x.parts.iter().rev().find(|p| p.start <= at).unwrap();
        part.place.clone()
    }

    #[test]
    fn every_deck_reads_three_slides_in_order_with_the_name_on_slide_2() {
        for name in [
            "slides.pptx",
            "slides-vntime.pptx",
            "slides-vni.pptx",
            "slides.odp",
            "slides-vntime.odp",
            "slides-vni.odp",
        ] {
            let x = extract(name, fixture(name), &Options::default()).unwrap();
            let places: Vec<_> = x.parts.iter().map(|p| p.place.clone()).collect();
            assert_eq!(
                places,
                [Place::Slide(1), Place::Slide(2), Place::Slide(3)],
                "{name}"
            );
            let first = "Báo cáo tổng kết công tác năm 2024\n";
            assert!(x.text.starts_with(first), "{name}: {}", x.text);
            let line = format!("Ông {NAME}, Chủ tịch Ủy ban nhân dân xã\n");
            let at = x
                .text
                .find(&line)
                .unwrap_or_else(|| panic!("{name}: {}", x.text));
            assert_eq!(slide_at(&x, at), Place::Slide(2), "{name}");
            // Table cells are paragraphs of their own; the notes come after the slide's text.
            let cells = x.text.find("Hạng mục\nKế hoạch (triệu đồng)\n").unwrap();
            let notes = x.text.find("khánh thành").unwrap();
            assert!(cells < notes, "{name}");
            assert_eq!(slide_at(&x, notes), Place::Slide(3), "{name}");
            // Every paragraph ends with a break.
            let newlines: Vec<usize> = x.text.match_indices('\n').map(|(i, _)| i).collect();
            assert_eq!(x.breaks, newlines, "{name}");
            assert!(x.text.ends_with("trước Tết.\n"), "{name}");
            assert_eq!(
                x.format,
                if name.ends_with("pptx") {
                    Format::Pptx
                } else {
                    Format::Odp
                }
            );
            assert_eq!(x.offsets, super::super::Offsets::Extracted);
        }
    }

    #[test]
    fn a_truncated_deck_is_one_line_of_corrupt() {
        for name in ["slides.pptx", "slides.odp"] {
            let bytes = fixture(name);
            for len in [0, 10, bytes.len() / 2, bytes.len() - 30] {
                let skip = extract(name, &bytes[..len], &Options::default()).unwrap_err();
                assert!(matches!(skip, Skip::Corrupt { .. }), "{name} {len}: {skip}");
                assert!(!skip.to_string().contains('\n'));
            }
        }
    }

    #[test]
    fn the_text_limit_holds() {
        let options = Options {
            max_extract: Some(100),
            ..Options::default()
        };
        for name in ["slides.pptx", "slides.odp"] {
            let skip = extract(name, fixture(name), &options).unwrap_err();
            assert_eq!(skip, Skip::TooLarge { limit: 100 }, "{name}");
        }
    }

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in files {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    /// A PPTX of slides given as their `p:spTree` content (the third slide missing from the
    /// package), the second with notes, and a theme whose minor font is `.VnTime`.
    fn pptx(slides: &[&str], notes: &str) -> Vec<u8> {
        let ids: String = (0..=slides.len())
            .map(|i| format!("<p:sldId id=\"{}\" r:id=\"rId{i}\"/>", 256 + i))
            .collect();
        let main = format!("<p:presentation><p:sldIdLst>{ids}</p:sldIdLst></p:presentation>");
        let mut rels: String = (0..=slides.len())
            .map(|i| {
                format!(
                    "<Relationship Id=\"rId{i}\" Type=\"http://x/relationships/slide\" \
                     Target=\"slides/slide{i}.xml\"/>"
                )
            })
            .collect();
        rels.push_str(
            "<Relationship Id=\"rT\" Type=\"http://x/relationships/theme\" \
             Target=\"/ppt/theme/theme1.xml\"/>",
        );
        let theme = "<a:theme><a:themeElements><a:fontScheme><a:majorFont><a:latin \
            typeface=\"Arial\"/></a:majorFont><a:minorFont><a:latin typeface=\".VnTime\"/>\
            </a:minorFont></a:fontScheme></a:themeElements></a:theme>";
        let tree = |t: &str| format!("<p:sld><p:cSld><p:spTree>{t}</p:spTree></p:cSld></p:sld>");
        let layout_rel = "<Relationship Id=\"rL\" Type=\"http://x/relationships/slideLayout\" \
            Target=\"../slideLayouts/l.xml\"/>";
        let notes_rel = "<Relationship Id=\"rN\" Type=\"http://x/relationships/notesSlide\" \
            Target=\"../notesSlides/n.xml\"/>";
        let master_rel = "<Relationships><Relationship Id=\"rM\" \
            Type=\"http://x/relationships/slideMaster\" Target=\"../slideMasters/m.xml\"/>\
            </Relationships>";
        let style = |name: &str, font: &str| {
            format!(
                "<p:{name}><a:lvl1pPr><a:defRPr><a:latin typeface=\"{font}\"/></a:defRPr>\
                 </a:lvl1pPr></p:{name}>"
            )
        };
        let master = format!(
            "<p:sldMaster><p:txStyles>{}{}<p:otherStyle/></p:txStyles></p:sldMaster>",
            style("titleStyle", "+mj-lt"),
            style("bodyStyle", "+mn-lt")
        );
        let mut files: Vec<(String, Vec<u8>)> = vec![
            ("ppt/presentation.xml".into(), main.into_bytes()),
            (
                "ppt/_rels/presentation.xml.rels".into(),
                format!("<Relationships>{rels}</Relationships>").into_bytes(),
            ),
            ("ppt/theme/theme1.xml".into(), theme.as_bytes().to_vec()),
            ("ppt/notesSlides/n.xml".into(), tree(notes).into_bytes()),
            (
                "ppt/slideLayouts/_rels/l.xml.rels".into(),
                master_rel.into(),
            ),
            ("ppt/slideMasters/m.xml".into(), master.into_bytes()),
        ];
        for (i, s) in slides.iter().enumerate() {
            files.push((format!("ppt/slides/slide{i}.xml"), tree(s).into_bytes()));
            let notes = if i == 1 { notes_rel } else { "" };
            let rels = format!("<Relationships>{layout_rel}{notes}</Relationships>");
            files.push((format!("ppt/slides/_rels/slide{i}.xml.rels"), rels.into()));
        }
        let files: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        zip_of(&files)
    }

    /// A shape of one text body.
    fn sp(body: &str) -> String {
        format!("<p:sp><p:txBody><a:bodyPr/>{body}</p:txBody></p:sp>")
    }

    fn run(font: Option<&str>, t: &str) -> String {
        let latin = font.map_or(String::new(), |f| format!("<a:latin typeface=\"{f}\"/>"));
        format!("<a:r><a:rPr lang=\"vi-VN\">{latin}</a:rPr><a:t>{t}</a:t></a:r>")
    }

    #[test]
    fn pptx_fonts_come_from_the_run_the_paragraph_the_list_style_or_the_theme() {
        let tcvn3 = "§øc";
        let lst = "<a:lstStyle><a:lvl2pPr><a:defRPr><a:latin typeface=\".VnArial\"/>\
            </a:defRPr></a:lvl2pPr></a:lstStyle>";
        let para_default = "<a:pPr><a:defRPr><a:latin typeface=\".VnTime\"/></a:defRPr></a:pPr>";
        let slide = [
            sp(&format!("<a:p>{}</a:p>", run(Some(".VnTime"), tcvn3))),
            // a:cs and a:ea are not the Latin font.
            sp(&format!(
                "<a:p><a:r><a:rPr><a:latin typeface=\"Arial\"/><a:cs typeface=\".VnTime\"/>\
                 </a:rPr><a:t>{tcvn3}</a:t></a:r></a:p>"
            )),
            sp(&format!("<a:p>{para_default}{}</a:p>", run(None, tcvn3))),
            sp(&format!(
                "{lst}<a:p><a:pPr lvl=\"1\"/>{}</a:p><a:p>{}</a:p>",
                run(None, tcvn3),
                run(None, tcvn3)
            )),
            sp(&format!("<a:p>{}</a:p>", run(Some("+mn-lt"), tcvn3))),
            sp(&format!("<a:p>{}</a:p>", run(Some("+mj-lt"), tcvn3))),
        ]
        .concat();
        let x = extract_pptx(&pptx(&[&slide], ""), &Options::default()).unwrap();
        assert_eq!(x.text, "Đức\n§øc\nĐức\nĐức\n§øc\nĐức\n§øc\n");
    }

    #[test]
    fn pptx_placeholders_take_the_masters_title_or_body_font() {
        let ph = |ph: &str, p: &str| {
            format!(
                "<p:sp><p:nvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:txBody>{p}</p:txBody></p:sp>"
            )
        };
        let p = format!("<a:p>{}</a:p>", run(None, "§øc"));
        let p2 = format!("<a:p><a:pPr lvl=\"1\"/>{}</a:p>", run(None, "§øc"));
        let slide = [
            ph("<p:ph type=\"title\"/>", &p),
            ph("<p:ph idx=\"1\"/>", &format!("{p}{p2}")),
            ph("", &p),
        ]
        .concat();
        let x = extract_pptx(&pptx(&[&slide], ""), &Options::default()).unwrap();
        assert_eq!(x.text, "§øc\nĐức\n§øc\n§øc\n");
    }

    #[test]
    fn pptx_numbers_slides_in_the_show_and_reads_notes_without_slide_numbers_or_dates() {
        // Slide 1 has no text; slide 2 has a table, a line break and notes; slide 3 is missing.
        let table = "<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr>\
            <a:tc><a:txBody><a:p><a:r><a:t>Ô một</a:t></a:r></a:p></a:txBody></a:tc>\
            <a:tc><a:txBody><a:p><a:r><a:t>Ô hai</a:t></a:r></a:p></a:txBody></a:tc>\
            </a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>";
        let text = sp(
            "<a:p><a:r><a:t>Dòng một</a:t></a:r><a:br/><a:r><a:t>dòng hai</a:t></a:r>\
            <a:fld type=\"slidenum\"><a:t>2</a:t></a:fld></a:p>",
        );
        let number = "<p:sp><p:nvSpPr><p:nvPr><p:ph type=\"sldNum\" idx=\"5\"/></p:nvPr>\
            </p:nvSpPr><p:txBody><a:p><a:fld type=\"slidenum\"><a:t>2</a:t></a:fld></a:p>\
            </p:txBody></p:sp>";
        let slide = format!("{text}{table}{}", number.replace("sldNum", "dt"));
        let notes = format!("{}{number}", sp("<a:p><a:r><a:t>Ghi chú</a:t></a:r></a:p>"));
        let x = extract_pptx(&pptx(&["<p:sp/>", &slide], &notes), &Options::default()).unwrap();
        assert_eq!(x.text, "Dòng một\ndòng hai2\nÔ một\nÔ hai\nGhi chú\n");
        assert_eq!(
            x.parts,
            [Part {
                start: 0,
                place: Place::Slide(2)
            }]
        );
        assert_eq!(x.breaks, [22, 31, 38, 47]);
    }

    #[test]
    fn pptx_reads_markup_compatibility_content_once_and_vni_letters_across_runs() {
        let choice = "<mc:AlternateContent><mc:Choice Requires=\"p14\">{}</mc:Choice>\
            <mc:Fallback>{}</mc:Fallback></mc:AlternateContent>";
        let shape = sp("<a:p><a:r><a:t>Một lần</a:t></a:r></a:p>");
        let twice = choice.replacen("{}", &shape, 1).replacen("{}", &shape, 1);
        // "Traàn": the tone byte of "ầ" in a run of its own.
        let vni = sp(&format!(
            "<a:p>{}{}</a:p>",
            run(Some("VNI-Times"), "Tra"),
            run(Some("VNI-Times"), "àn")
        ));
        let x = extract_pptx(&pptx(&[&(twice + &vni)], ""), &Options::default()).unwrap();
        assert_eq!(x.text, "Một lần\nTrần\n");
    }

    #[test]
    fn markup_without_text_is_bounded() {
        let empty = "<a:p></a:p>".repeat(20_000);
        let bytes = pptx(&[&sp(&empty)], "");
        let options = Options {
            max_extract: Some(1000),
            ..Options::default()
        };
        assert_eq!(
            extract_pptx(&bytes, &options).unwrap_err(),
            Skip::TooLarge { limit: 1000 }
        );
        let content = format!(
            "<office:document-content><office:body><office:presentation><draw:page>{}\
             </draw:page></office:presentation></office:body></office:document-content>",
            "<text:p/>".repeat(20_000)
        );
        let odp = zip_of(&[("content.xml", content.as_bytes())]);
        assert_eq!(
            extract_odp(&odp, &options).unwrap_err(),
            Skip::TooLarge { limit: 1000 }
        );
        assert!(extract_odp(&odp, &Options::default())
            .unwrap()
            .text
            .is_empty());
    }

    #[test]
    fn odp_counts_empty_pages_and_reads_spaces_tabs_and_legacy_spans() {
        let styles = "<office:document-styles><office:font-face-decls><style:font-face \
            style:name=\"V\" svg:font-family=\"&apos;VNI-Times&apos;\"/></office:font-face-decls>\
            </office:document-styles>";
        let content = "<office:document-content><office:automatic-styles>\
            <style:style style:name=\"T1\" style:family=\"text\">\
            <style:text-properties style:font-name=\"V\"/></style:style>\
            </office:automatic-styles><office:body><office:presentation>\
            <draw:page draw:name=\"a\"/><draw:page><draw:frame><draw:text-box><text:p>\
            <text:s text:c=\"3\"/><text:tab/></text:p></draw:text-box></draw:frame><draw:frame><draw:text-box>\
            <text:p>Ông<text:s text:c=\"2\"/><text:span text:style-name=\"T1\">Tra</text:span>\
            <text:span text:style-name=\"T1\">àn</text:span><text:tab/>x<text:line-break/>y</text:p>\
            </draw:text-box></draw:frame></draw:page><draw:page><svg:title>no</svg:title>\
            <presentation:notes><draw:frame><draw:text-box><text:h>Ghi &amp; chú</text:h>\
            </draw:text-box></draw:frame></presentation:notes></draw:page>\
            </office:presentation></office:body></office:document-content>";
        let odp = zip_of(&[
            ("styles.xml", styles.as_bytes()),
            ("content.xml", content.as_bytes()),
        ]);
        let x = extract_odp(&odp, &Options::default()).unwrap();
        assert_eq!(x.text, "Ông  Trần\tx\ny\nGhi & chú\n");
        let places: Vec<_> = x.parts.iter().map(|p| (p.start, p.place.clone())).collect();
        assert_eq!(places, [(0, Place::Slide(2)), (17, Place::Slide(3))]);
        assert_eq!(x.breaks, [16, 27]);
    }

    #[test]
    fn an_encrypted_odp_is_named() {
        let manifest =
            "<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\">\
            <manifest:encryption-data/></manifest:file-entry></manifest:manifest>";
        let odp = zip_of(&[
            ("META-INF/manifest.xml", manifest.as_bytes()),
            ("content.xml", b"\x01\x02garbage"),
        ]);
        assert_eq!(
            extract_odp(&odp, &Options::default()).unwrap_err(),
            Skip::Encrypted(ODP)
        );
    }

    #[test]
    fn relationship_targets_resolve_against_their_part() {
        assert_eq!(
            resolve("ppt/presentation.xml", "slides/slide1.xml"),
            "ppt/slides/slide1.xml"
        );
        assert_eq!(
            resolve("ppt/slides/slide1.xml", "../notesSlides/notesSlide1.xml"),
            "ppt/notesSlides/notesSlide1.xml"
        );
        assert_eq!(resolve("ppt/slides/slide1.xml", "/ppt/x.xml"), "ppt/x.xml");
        assert_eq!(resolve("a.xml", "../../b.xml"), "b.xml");
    }
}
