//! ODP: each `draw:page` of `content.xml` a slide, its notes included, the fonts of its spans
//! followed through the styles; an encrypted package is named as such.

use quick_xml::events::Event;

use super::fonts::Runs as _;
use super::{attr, contains, read_part, text_of, Budget, Deck, ODP};
use crate::extract::office::{self, Dialect, Fonts};
use crate::extract::{Extracted, Format, Options, Skip};

/// Extracts an ODP file: each `draw:page` of `content.xml`, its notes included.
pub(in crate::extract) fn extract_odp(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
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
