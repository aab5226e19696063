//! HTML and XHTML: the text a reader sees, entities decoded, each piece mapped to its source.
//!
//! The lexer is html5gum (WHATWG tokenizer, spans, naive state switching so `<script>` and
//! `<style>` are raw text). A thin forwarding emitter notes, for each run of characters the
//! tokenizer emits, the reader position where it ends: a run equal to its source maps linearly, a
//! decoded entity (`&#7871;`, `&amp;`, `&not` without `;`) maps as a whole to its source bytes.
//! Kept out: tags, attributes, comments, doctype, `<script>`, `<style>`, `<template>`,
//! `<noscript>`, `<iframe>`, and `<head>` apart from `<title>`, which becomes the title and not
//! text. Block elements and `<br>` add a `\n` mapped to the tag (see the module doc of `extract`).
//!
//! Also kept out: the page's furniture, the same on every page of a site, which would otherwise
//! match every page and repeat its title: `<nav>`, the page's own `<header>` (unless it holds a
//! heading: then it holds the page's title), `<footer>` and `<aside>` (not an article's or the
//! main content's), elements whose `role` says navigation, banner, content info, complementary
//! or search, DocBook's `navheader` and `navfooter`, and tables of contents (`class="toc"`). A
//! page whose furniture never closes is read whole.

use std::cell::RefCell;
use std::convert::Infallible;
use std::ops::Range;
use std::rc::Rc;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, Tokenizer};

use super::map::{MapBuilder, OffsetMap};
use super::{encoding, Extracted, Format, Options, Skip};

/// Elements that end a sentence where they open or close.
const BLOCKS: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"body",
    b"br",
    b"caption",
    b"center",
    b"dd",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"dt",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hgroup",
    b"hr",
    b"html",
    b"legend",
    b"li",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"option",
    b"p",
    b"pre",
    b"section",
    b"summary",
    b"table",
    b"tbody",
    b"td",
    b"tfoot",
    b"th",
    b"thead",
    b"tr",
    b"ul",
];

/// Elements whose content is never shown.
const HIDDEN: &[&[u8]] = &[
    b"script",
    b"style",
    b"template",
    b"noscript",
    b"iframe",
    b"noembed",
    b"noframes",
    b"object",
];

/// Page furniture by name (see the module doc). `<nav>` anywhere; the others only outside
/// [`CONTENT`].
const FURNITURE: &[&[u8]] = &[b"nav", b"header", b"footer", b"aside"];

/// Elements that have no end tag: never furniture that would wait for one.
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr",
];

/// Elements whose header, footer and asides are their own content.
const CONTENT: &[&[u8]] = &[b"article", b"main"];

/// `role` values of page furniture.
const FURNITURE_ROLES: &[&[u8]] = &[
    b"navigation",
    b"banner",
    b"contentinfo",
    b"complementary",
    b"search",
];

/// `class` names of page furniture: DocBook's navigation bars, and tables of contents (links
/// to the sections that hold the same words: a TOC would otherwise rank first for them).
const FURNITURE_CLASSES: &[&[u8]] = &[b"navheader", b"navfooter", b"toc"];

/// True if the bytes start like an HTML document (after a BOM and white space).
pub(super) fn sniff(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let head = &b[start..b.len().min(start + 64)];
    let lower = head.to_ascii_lowercase();
    ["<!doctype html", "<html", "<?xml"]
        .iter()
        .any(|p| lower.starts_with(p.as_bytes()))
        && (!lower.starts_with(b"<?xml") || contains_ci(&b[..b.len().min(1024)], b"<html"))
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The charset an HTML document declares in its first 1024 bytes (`<meta charset=…>` or
/// `content="text/html; charset=…"`, or an XML declaration's `encoding=`).
pub(super) fn declared_charset(bytes: &[u8]) -> Option<&str> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower = head.to_ascii_lowercase();
    let at = ["charset=", "encoding="].iter().find_map(|key| {
        lower
            .windows(key.len())
            .position(|w| w == key.as_bytes())
            .map(|i| i + key.len())
    })?;
    let rest = &head[at..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|c| {
            matches!(c, b'"' | b'\'' | b';' | b'>' | b'/' | b'?') || c.is_ascii_whitespace()
        })
        .unwrap_or(rest.len());
    std::str::from_utf8(&rest[..end])
        .ok()
        .filter(|s| !s.is_empty())
}

/// Extracts an HTML file.
pub(super) fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let decoded = encoding::decode(bytes, options.encoding.as_deref(), declared_charset(bytes))?;
    let visible = visible_text(&decoded.text);
    Ok(Extracted {
        text: visible.text,
        map: visible.map.then(&decoded.map),
        format: Format::Html,
        encoding: decoded.encoding,
        title: visible.title,
        breaks: visible.breaks,
        offsets: super::Offsets::File,
        parts: Vec::new(),
        members: Vec::new(),
    })
}

/// The visible text of an HTML document or fragment; the map leads to offsets in `source`.
#[derive(Debug, Default)]
pub(super) struct Visible {
    pub text: String,
    pub map: OffsetMap,
    pub title: Option<String>,
    pub breaks: Vec<usize>,
}

/// What the tokenizer reported, in source order.
enum Event {
    /// A run of characters, decoded, ending at this reader position.
    Chars { end: usize, text: String },
    /// A start tag named so, over these bytes (its `>` comes with a later `Close`).
    Open { name: Vec<u8>, start: usize },
    /// An attribute of the last start tag that says it is page furniture (`role`, `class`).
    Furniture,
    /// The `>` of the last start tag, ending here; `/>` if `self_closing`.
    Close { end: usize, self_closing: bool },
    /// An end tag over these bytes.
    End { name: Vec<u8>, span: Range<usize> },
    /// Anything else that is no text (comment, doctype), ending here.
    Other { end: usize },
}

type Log = Rc<RefCell<Vec<Event>>>;

/// Forwards everything to html5gum's callback emitter, and notes each run of characters with the
/// reader position at which it is emitted.
struct Recorder<F: FnMut(CallbackEvent<'_>, Span<usize>) -> Option<Infallible>> {
    position: usize,
    log: Log,
    inner: CallbackEmitter<F, Infallible, usize>,
    /// The first bytes of a character that the tokenizer split between two runs (it does so
    /// after a character reference: `&nbsp;Đ`), held until the run that completes it.
    pending: Vec<u8>,
}

impl<F: FnMut(CallbackEvent<'_>, Span<usize>) -> Option<Infallible>> ForwardingEmitter
    for Recorder<F>
{
    type Token = Infallible;

    fn inner(&mut self) -> &mut impl Emitter<Token = Infallible> {
        &mut self.inner
    }

    fn emit_string(&mut self, s: &[u8]) {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(s);
        // The source is UTF-8: an incomplete character at the end is completed by the next run.
        if let Err(e) = std::str::from_utf8(&bytes) {
            if e.error_len().is_none() {
                self.pending = bytes.split_off(e.valid_up_to());
            }
        }
        self.log.borrow_mut().push(Event::Chars {
            end: self.position.saturating_sub(self.pending.len()),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
        self.inner.emit_string(s);
    }

    fn move_position(&mut self, offset: isize) {
        self.position = self.position.saturating_add_signed(offset);
        self.inner.move_position(offset);
    }
}

/// Runs the tokenizer over `source` and returns its events in order.
fn events(source: &str) -> Vec<Event> {
    let log: Log = Rc::default();
    let sink = Rc::clone(&log);
    let mut attribute = Vec::new();
    let mut callbacks = CallbackEmitter::new(
        move |event: CallbackEvent<'_>, span: Span<usize>| -> Option<Infallible> {
            let e = match event {
                CallbackEvent::OpenStartTag { name } => Event::Open {
                    name: name.to_ascii_lowercase(),
                    start: span.start,
                },
                CallbackEvent::AttributeName { name } => {
                    attribute = name.to_ascii_lowercase();
                    return None;
                }
                CallbackEvent::AttributeValue { value } => {
                    let value = value.to_ascii_lowercase();
                    let mut words = value.split(|b| b.is_ascii_whitespace());
                    let furniture = match attribute.as_slice() {
                        b"role" => words.any(|w| FURNITURE_ROLES.contains(&w)),
                        b"class" => words.any(|w| FURNITURE_CLASSES.contains(&w)),
                        _ => false,
                    };
                    if !furniture {
                        return None;
                    }
                    Event::Furniture
                }
                CallbackEvent::CloseStartTag { self_closing } => Event::Close {
                    end: span.end,
                    self_closing,
                },
                CallbackEvent::EndTag { name } => Event::End {
                    name: name.to_ascii_lowercase(),
                    span: span.start..span.end,
                },
                CallbackEvent::Comment { .. } | CallbackEvent::Doctype { .. } => {
                    Event::Other { end: span.end }
                }
                _ => return None,
            };
            sink.borrow_mut().push(e);
            None
        },
    );
    callbacks.naively_switch_states(true);
    let recorder = Recorder {
        position: 0,
        log: Rc::clone(&log),
        inner: callbacks,
        pending: Vec::new(),
    };
    // The callbacks return no tokens: driving the iterator runs the tokenizer to the end.
    Tokenizer::new_with_emitter(source, recorder).for_each(drop);
    log.take()
}

/// Where the text goes while walking the events.
#[derive(Default)]
struct Walk {
    text: String,
    map: MapBuilder,
    breaks: Vec<usize>,
    title: Option<String>,
    in_title: bool,
    in_head: bool,
    /// The hidden element we are inside, if any.
    hidden: Option<Vec<u8>>,
    /// Keep page furniture out (see the module doc).
    skip_furniture: bool,
    /// The page furniture we are inside, if any: its element name, and how many elements of
    /// that name are open inside it (itself included).
    furniture: Option<(Vec<u8>, usize)>,
    /// How many [`CONTENT`] elements are open.
    content: usize,
    /// End of the last thing seen: where the next run of characters starts.
    mark: usize,
    /// The last start tag's name and first byte, until its `>`.
    open: Option<(Vec<u8>, usize)>,
}

impl Walk {
    fn chars(&mut self, source: &str, end: usize, text: &str) {
        let end = end.clamp(self.mark, source.len());
        let start = self.mark;
        self.mark = end;
        if self.hidden.is_some() || self.furniture.is_some() {
            return;
        }
        if self.in_title {
            self.title.get_or_insert_with(String::new).push_str(text);
            return;
        }
        if self.in_head || text.is_empty() {
            return;
        }
        let raw = source.as_bytes().get(start..end).unwrap_or_default();
        self.text.push_str(text);
        if raw == text.as_bytes() {
            self.map.linear(text.len(), start, 1);
        } else if raw.ends_with(text.as_bytes()) && !raw.starts_with(b"&") {
            // "\r\n" read as "\n", and the like: the text is the tail of its source.
            self.map.linear(text.len(), end - text.len(), 1);
        } else {
            self.map.atomic(text.len(), start..end);
        }
    }

    fn block_break(&mut self, tag: Range<usize>) {
        if self.hidden.is_some()
            || self.furniture.is_some()
            || self.in_head
            || self.in_title
            || self.text.is_empty()
        {
            return;
        }
        if self.breaks.last() == Some(&(self.text.len() - 1)) {
            return;
        }
        self.breaks.push(self.text.len());
        self.text.push('\n');
        self.map.atomic(1, tag);
    }

    /// A start tag; `marked` if an attribute says it is page furniture, `closed` if it ended
    /// with `/>` (no end tag follows), `titled` if it is a `<header>` that holds a heading.
    fn start_tag(
        &mut self,
        name: &[u8],
        tag: Range<usize>,
        marked: bool,
        closed: bool,
        titled: bool,
    ) {
        if self.hidden.is_some() {
            return;
        }
        if let Some((furniture, open)) = &mut self.furniture {
            if furniture.as_slice() == name && !closed {
                *open += 1;
            }
            return;
        }
        let furniture =
            marked || name == b"nav" || (self.content == 0 && FURNITURE.contains(&name) && !titled);
        if self.skip_furniture && furniture && !closed && !self.in_head && !VOID.contains(&name) {
            self.block_break(tag);
            self.furniture = Some((name.to_vec(), 1));
            return;
        }
        if CONTENT.contains(&name) && !closed {
            self.content += 1;
        }
        match name {
            b"head" => self.in_head = true,
            b"body" => self.in_head = false,
            b"title" if self.title.is_none() => self.in_title = true,
            _ if HIDDEN.contains(&name) => self.hidden = Some(name.to_vec()),
            _ => {}
        }
        if BLOCKS.contains(&name) {
            self.block_break(tag);
        }
    }

    fn end_tag(&mut self, name: &[u8], tag: Range<usize>) {
        if let Some(hidden) = &self.hidden {
            if hidden.as_slice() == name {
                self.hidden = None;
            }
            return;
        }
        if let Some((furniture, open)) = &mut self.furniture {
            if furniture.as_slice() == name {
                *open -= 1;
                if *open == 0 {
                    self.furniture = None;
                    self.block_break(tag);
                }
            }
            return;
        }
        if CONTENT.contains(&name) {
            self.content = self.content.saturating_sub(1);
        }
        match name {
            b"head" => self.in_head = false,
            b"title" => self.in_title = false,
            _ => {}
        }
        if BLOCKS.contains(&name) {
            self.block_break(tag);
        }
    }
}

/// The visible text of `source` (see the module doc).
pub(super) fn visible_text(source: &str) -> Visible {
    let events = events(source);
    let skipping = walk(source, &events, true);
    // Furniture that never closed (a fragment, a broken page) would hide the rest: read it whole.
    if skipping.furniture.is_some() {
        return walk_to_visible(walk(source, &events, false));
    }
    walk_to_visible(skipping)
}

/// Walks the events, keeping page furniture out if `skip_furniture`.
fn walk(source: &str, events: &[Event], skip_furniture: bool) -> Walk {
    let mut w = Walk {
        skip_furniture,
        ..Walk::default()
    };
    let mut marked = false;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Chars { end, text } => w.chars(source, *end, text),
            Event::Open { name, start } => {
                w.open = Some((name.clone(), (*start).min(source.len())));
                marked = false;
            }
            Event::Furniture => marked = true,
            Event::Close { end, self_closing } => {
                let end = (*end).min(source.len());
                if let Some((name, start)) = w.open.take() {
                    // A page's header that holds a heading holds its title: content.
                    let titled = name == b"header" && holds_heading(&events[i + 1..]);
                    w.start_tag(&name, start.min(end)..end, marked, *self_closing, titled);
                }
                w.mark = w.mark.max(end);
            }
            Event::End { name, span } => {
                let end = span.end.min(source.len());
                w.end_tag(name, span.start.min(end)..end);
                w.mark = w.mark.max(end);
            }
            Event::Other { end } => w.mark = w.mark.max((*end).min(source.len())),
        }
    }
    w
}

/// True if the element whose start tag precedes `events` holds an `<h1>`…`<h6>` before it ends.
fn holds_heading(events: &[Event]) -> bool {
    let mut open = 1usize;
    for event in events {
        match event {
            Event::Open { name, .. } if name == b"header" => open += 1,
            Event::Open { name, .. }
                if matches!(
                    name.as_slice(),
                    b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6"
                ) =>
            {
                return true
            }
            Event::End { name, .. } if name == b"header" => {
                open -= 1;
                if open == 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    false
}

fn walk_to_visible(w: Walk) -> Visible {
    let title = w
        .title
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    Visible {
        text: w.text,
        map: w.map.finish(),
        title,
        breaks: w.breaks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_right_after_an_entity_stays_whole() {
        let source = "<p>Trần&nbsp;Đức&amp;Lương</p>";
        let visible = visible_text(source);
        assert_eq!(visible.text, "Trần\u{a0}Đức&Lương\n");
        let d = visible.text.find('Đ').unwrap();
        let start = visible.map.file_start(d);
        assert!(source.is_char_boundary(start), "{start}");
        assert!(source[start..].starts_with("Đức") || source[..start].ends_with("&nbsp;"));
    }
}
