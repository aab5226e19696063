//! Presentations (`.pptx`, `.odp`): the text of each slide in the order of the show, its shapes'
//! paragraphs in document order (table cells included), then its speaker notes. Every paragraph
//! ends a sentence; every slide that holds text starts a [`Place::Slide`] numbered by its
//! position in the show (slides without text are counted too). Runs set in a Vietnamese legacy
//! font are decoded with [`fonts::decode`]; the offsets are those of the extracted text.
//!
//! Each format has its file: [`pptx`] (the package's relationships, the theme and masters'
//! fonts, the shapes of slides and notes) and [`odp`] (the pages of `content.xml`). This one
//! holds what both share: the [`Deck`] of paragraphs, the XML [`Budget`] and the reading of parts.

mod odp;
mod pptx;

use std::borrow::Cow;
use std::io::{BufRead, BufReader};

use quick_xml::events::{BytesStart, Event};

use super::fonts::Runs as _;
use super::office::{self, Capped};
use super::{contained, fonts, Extracted, Format, Limited, Options, Part, Place, Skip};

pub(super) use odp::extract_odp;
pub(super) use pptx::extract_pptx;

/// The format names of skips.
const PPTX: &str = "PPTX presentation";
const ODP: &str = "ODP presentation";

type Zip<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

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
    /// Text set in a legacy font, held until the font changes.
    held: fonts::Held,
}

impl fonts::Runs for Deck {
    fn held(&mut self) -> &mut fonts::Held {
        &mut self.held
    }

    fn push_plain(&mut self, s: &str) -> Result<(), Skip> {
        self.write_plain(s)
    }
}

impl Deck {
    fn new(options: &Options) -> Self {
        Deck {
            text: Limited::new(options),
            breaks: Vec::new(),
            parts: Vec::new(),
            slide: 0,
            started: false,
            open: false,
            held: fonts::Held::default(),
        }
    }

    /// Starts slide `n`: its first text starts a part.
    fn slide(&mut self, n: u32) -> Result<(), Skip> {
        self.end()?;
        self.slide = n;
        self.started = false;
        Ok(())
    }

    /// Text for the open paragraph: white space before its first letter is left out, so
    /// that a paragraph of white space alone (an empty title) is no text.
    fn write_plain(&mut self, s: &str) -> Result<(), Skip> {
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

#[cfg(test)]
mod tests;
