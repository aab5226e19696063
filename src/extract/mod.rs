//! File bytes -> extracted text + a map back to file offsets + metadata (format, encoding,
//! title, sentence breaks). Pure: knows nothing of tantivy or the terminal.
//!
//! [`extract`] picks an extractor by extension first, then by content ([`EXTRACTORS`]: one line
//! per format), and falls back to plain text. Text formats first decode the bytes
//! ([`encoding`]: BOMs, UTF-16, legacy Western and Vietnamese encodings), then strip their markup
//! ([`html`], [`markdown`]); the two offset maps are composed so that [`Extracted::map`] always
//! leads from the text to the bytes of the original file.
//!
//! Choices, documented once:
//! - The HTML `<title>` is metadata ([`Extracted::title`]), not part of `text`. The Markdown
//!   title is the text of the first level-1 heading, which stays in `text` (a reader sees it).
//! - A block boundary (HTML block elements and `<br>`, Markdown blocks) adds one `\n` to the text
//!   and records its offset in [`Extracted::breaks`]. In HTML the `\n` maps to the bytes of the tag
//!   that caused it; in Markdown to an empty range where the block ends. White space runs stay as
//!   in the source (the passage splitter collapses them).

pub mod encoding;
mod html;
mod map;
mod markdown;
mod tables;
mod text;

use std::path::Path;

pub use map::OffsetMap;

/// Extracted text and what is known about where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// What passages and tokens work on: UTF-8, markup removed, entities decoded.
    pub text: String,
    /// Text byte offset -> file byte offset.
    pub map: OffsetMap,
    /// The format the file was read as.
    pub format: Format,
    /// The encoding the bytes were decoded from (a name from [`encoding::KNOWN`], or another
    /// single-byte WHATWG encoding name such as `windows-1251`).
    pub encoding: &'static str,
    /// The document's title, if it has one (HTML `<title>`, Markdown first `#` heading).
    pub title: Option<String>,
    /// Sorted text offsets of the `\n` that ends a block (heading, paragraph, list item, table
    /// cell, `<br>`, …): a sentence must end there.
    pub breaks: Vec<usize>,
}

/// The format a file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Html,
    Markdown,
}

impl Format {
    /// The lower-case name used in JSON (`text`, `html`, `markdown`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Markdown => "markdown",
        }
    }
}

/// How to extract.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// An encoding to use for every file that is not valid UTF-8 (from `--encoding NAME`), in
    /// place of detection. Valid UTF-8 and files with a BOM are never read otherwise.
    pub encoding: Option<String>,
}

/// Why a file cannot be extracted. The message is one line that says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Skip {
    #[error("binary file (it contains NUL bytes)")]
    Binary,
    #[error(
        "not UTF-8, and the encoding is not clear (it could be {}); pass --encoding NAME to choose one",
        candidates.join(", ")
    )]
    UndecidedEncoding { candidates: Vec<&'static str> },
    #[error("unknown encoding {0:?}; known encodings: {known}", known = encoding::KNOWN.join(", "))]
    UnknownEncoding(String),
}

/// One format: the extensions it claims, an optional content sniffer, and the extractor.
struct Extractor {
    extensions: &'static [&'static str],
    sniff: Option<fn(&[u8]) -> bool>,
    extract: fn(&[u8], &Options) -> Result<Extracted, Skip>,
}

/// Every format but plain text, in sniffing order. A new format is one line here.
const EXTRACTORS: &[Extractor] = &[
    Extractor {
        extensions: &["html", "htm", "xhtml", "xht"],
        sniff: Some(html::sniff),
        extract: html::extract,
    },
    Extractor {
        extensions: &["md", "markdown", "mdown", "mkd"],
        sniff: None,
        extract: markdown::extract,
    },
];

/// Extracts the text of a file: by extension first, then by content, else as plain text.
pub fn extract(path: &Path, bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    match choose(path, bytes) {
        Some(x) => (x.extract)(bytes, options),
        None => text::extract(bytes, options),
    }
}

/// Like [`extract`], but takes the bytes, so that a plain UTF-8 text file (the common case)
/// becomes its text without a copy. The bytes come back when they were not used up.
pub fn extract_owned(
    path: &Path,
    bytes: Vec<u8>,
    options: &Options,
) -> Result<(Extracted, Option<Vec<u8>>), Skip> {
    let bom = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
        .iter()
        .any(|b| bytes.starts_with(b));
    let plain = !bom
        && !bytes[..bytes.len().min(encoding::SNIFF_LEN)].contains(&0)
        && choose(path, &bytes).is_none();
    let bytes = if plain {
        match String::from_utf8(bytes) {
            Ok(text) => {
                let extracted = Extracted {
                    map: OffsetMap::identity(text.len()),
                    text,
                    format: Format::Text,
                    encoding: "utf-8",
                    title: None,
                    breaks: Vec::new(),
                };
                return Ok((extracted, None));
            }
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    extract(path, &bytes, options).map(|x| (x, Some(bytes)))
}

/// The extractor of a file, by extension then content; `None` for plain text.
fn choose(path: &Path, bytes: &[u8]) -> Option<&'static Extractor> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let by_ext = ext
        .as_deref()
        .and_then(|ext| EXTRACTORS.iter().find(|x| x.extensions.contains(&ext)));
    let chosen = by_ext.or_else(|| {
        EXTRACTORS
            .iter()
            .find(|x| x.sniff.is_some_and(|sniff| sniff(bytes)))
    });
    chosen
}

#[cfg(test)]
mod tests;
