//! Markdown: the text as a reader sees it, without link and image targets or HTML tags.
//!
//! pulldown-cmark parses the (decoded) source and gives each event its source range. Text and
//! code spans map linearly to where they are written (an escape `\*` maps to its `*`, a code
//! span to its content inside the backticks); an entity maps as a whole to its bytes. Link and
//! image targets never appear as events, so they are never text; image alt text is kept. Runs of
//! inline or block HTML go through the HTML extractor, so their tags are dropped and their visible
//! text kept. Blocks (paragraphs, headings, list items, quotes, code blocks, table cells) end with
//! a `\n` recorded in `breaks`. The title is the first level-1 heading; it stays in the text.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options as Md, Parser, Tag, TagEnd};

use super::map::MapBuilder;
use super::{encoding, html, Extracted, Format, Options, Skip};

/// Extracts a Markdown file.
pub(super) fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let decoded = encoding::decode(bytes, options.encoding.as_deref(), None)?;
    let source = decoded.text.as_str();
    let mut out = Out::default();
    let mut html_run: Option<Range<usize>> = None;
    let mut heading: Option<String> = None;
    let mut title: Option<String> = None;

    let opts = Md::ENABLE_TABLES
        | Md::ENABLE_FOOTNOTES
        | Md::ENABLE_STRIKETHROUGH
        | Md::ENABLE_TASKLISTS
        | Md::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut in_metadata = false;
    for (event, range) in Parser::new_ext(source, opts).into_offset_iter() {
        let range = range.start.min(source.len())..range.end.min(source.len());
        if let Event::Html(_) | Event::InlineHtml(_) = event {
            html_run = Some(match html_run {
                Some(r) if r.end == range.start => r.start..range.end,
                Some(r) => {
                    out.html(source, r);
                    range
                }
                None => range,
            });
            continue;
        }
        if let Some(r) = html_run.take() {
            out.html(source, r);
        }
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            _ if in_metadata => {}
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
                out.piece(source, &t, range);
            }
            Event::SoftBreak | Event::HardBreak => out.piece(source, "\n", range),
            Event::Start(Tag::Heading { level, .. })
                if level == HeadingLevel::H1 && title.is_none() =>
            {
                heading = Some(String::new());
            }
            Event::End(end) => {
                if let TagEnd::Heading(_) = end {
                    if let Some(h) = heading.take() {
                        let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
                        title = Some(h).filter(|h| !h.is_empty());
                    }
                }
                if matches!(
                    end,
                    TagEnd::Paragraph
                        | TagEnd::Heading(_)
                        | TagEnd::BlockQuote(_)
                        | TagEnd::CodeBlock
                        | TagEnd::Item
                        | TagEnd::TableHead
                        | TagEnd::TableRow
                        | TagEnd::TableCell
                        | TagEnd::FootnoteDefinition
                ) {
                    out.block_break(range.end);
                }
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) | Event::Rule => {}
            _ => {}
        }
    }
    if let Some(r) = html_run.take() {
        out.html(source, r);
    }
    Ok(Extracted {
        text: out.text,
        map: out.map.finish().then(&decoded.map),
        format: Format::Markdown,
        encoding: decoded.encoding,
        title,
        breaks: out.breaks,
        offsets: super::Offsets::File,
        parts: Vec::new(),
        members: Vec::new(),
    })
}

#[derive(Default)]
struct Out {
    text: String,
    map: MapBuilder,
    breaks: Vec<usize>,
}

impl Out {
    /// Text `t` that the parser read from `source[range]`.
    fn piece(&mut self, source: &str, t: &str, range: Range<usize>) {
        if t.is_empty() {
            return;
        }
        let raw = &source[range.clone()];
        self.text.push_str(t);
        if raw == t {
            self.map.linear(t.len(), range.start, 1);
        } else if let Some(i) = raw.find(t).filter(|_| !raw.starts_with('&')) {
            self.map.linear(t.len(), range.start + i, 1);
        } else {
            self.map.atomic(t.len(), range);
        }
    }

    /// HTML inside the Markdown: its visible text.
    fn html(&mut self, source: &str, range: Range<usize>) {
        let visible = html::visible_text(&source[range.clone()]);
        if visible.text.is_empty() {
            return;
        }
        let base = self.text.len();
        self.breaks.extend(visible.breaks.iter().map(|b| b + base));
        self.text.push_str(&visible.text);
        self.map.append(&visible.map, range.start);
    }

    /// The end of a block, at source offset `at`.
    fn block_break(&mut self, at: usize) {
        if self.text.is_empty()
            || self.text.ends_with('\n') && self.breaks.last() == Some(&(self.text.len() - 1))
        {
            return;
        }
        self.breaks.push(self.text.len());
        self.text.push('\n');
        self.map.atomic(1, at..at);
    }
}
