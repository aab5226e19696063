//! PPTX: the slides that `ppt/presentation.xml` lists, in the order of the show, through the
//! package's relationships, each with its notes; the fonts of runs from the run, the paragraph,
//! the list style, the slide master's text styles and the theme.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use super::fonts::Runs as _;
use super::{attr, read_part, text_of, Budget, Deck, Zip, PPTX};
use crate::extract::encoding::Enc;
use crate::extract::{fonts, office, Extracted, Format, Options, Skip};

/// Extracts a PPTX file: the slides that `ppt/presentation.xml` lists, each with its notes.
pub(in crate::extract) fn extract_pptx(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
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
pub(super) fn resolve(part: &str, target: &str) -> String {
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
