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
//! - PDF, DOCX, ODT, EPUB and compressed files are containers: a byte of the file means nothing to
//!   a reader, so their offsets are offsets into the extracted text ([`Offsets::Extracted`], the
//!   map is the identity over the text) and [`Extracted::parts`] says where each page, chapter or
//!   paragraph starts.
//! - A container never yields more than [`Options::max_extract`] bytes of text (a zip or
//!   decompression bomb is skipped), and PDF and spreadsheet extraction runs on a worker thread
//!   with a time budget and a panic wall ([`guard`]).

mod archive;
mod compressed;
mod doc;
pub mod encoding;
mod epub;
mod fonts;
mod guard;
mod html;
mod mail;
mod map;
mod markdown;
mod media;
mod office;
mod pdf;
mod rtf;
mod sheets;
mod slides;
mod tables;
mod text;

use std::path::Path;

pub use map::OffsetMap;
#[doc(hidden)]
pub use pdf::assemble as assemble_pdf;

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
    /// What `map` leads to: bytes of the file, or (for containers) the extracted text itself.
    pub offsets: Offsets,
    /// Where each page, chapter or paragraph starts, sorted by `start` (empty for text, HTML and
    /// Markdown). A passage never crosses a part's start.
    pub parts: Vec<Part>,
    /// The files inside this one that are documents of their own (the members of an archive,
    /// the attachments of a mail), each read by its own format; empty for other formats. Their
    /// sources are this file's followed by `!/` and [`Member::name`].
    pub members: Vec<Member>,
}

/// A document inside another (an archive member, a mail attachment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// Its name inside the container (`folder/file.docx`; for an attachment of the third
    /// message of an mbox, `3/file.docx`). Never empty, never starts with `/`.
    pub name: String,
    /// Its extracted text, or why it cannot be read (a warning, never the end of a run).
    pub content: Result<Extracted, Skip>,
    /// Its bytes, kept only when its offsets count them and its text is not them (a text file
    /// in a legacy encoding, HTML, Markdown), so that lines are counted in the member file.
    pub bytes: Option<Vec<u8>>,
}

impl Member {
    /// The member `name` whose bytes are `bytes`, extracted by its own format with `options`
    /// (whose [`Options::nesting`] is the container's): by extension, then content, else as text.
    pub(crate) fn read(name: String, bytes: Vec<u8>, options: &Options) -> Member {
        let name = name.replace('\0', "\u{FFFD}");
        let inner = Options {
            nesting: options.nesting + 1,
            ..options.clone()
        };
        if inner.nesting > MAX_NESTING {
            return Member {
                name,
                content: Err(Skip::TooDeep { limit: MAX_NESTING }),
                bytes: None,
            };
        }
        match extract_owned(Path::new(&name), bytes, &inner) {
            Ok((x, bytes)) => {
                let keep = x.offsets == Offsets::File && !x.map.is_identity();
                Member {
                    name,
                    content: Ok(x),
                    bytes: bytes.filter(|_| keep),
                }
            }
            Err(skip) => Member {
                name,
                // A binary member (a program in a zip) is counted, as images are, not warned of.
                content: Err(match skip {
                    Skip::Binary => Skip::NotText("a binary file"),
                    other => other,
                }),
                bytes: None,
            },
        }
    }

    /// How much text it and its own members hold, in bytes (for the limit of the whole nesting).
    pub(crate) fn text_len(&self) -> usize {
        self.content.as_ref().map_or(0, Extracted::text_len)
    }
}

impl Extracted {
    /// How much text it and its members hold, in bytes.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len() + self.members.iter().map(Member::text_len).sum::<usize>()
    }
}

/// The separator between a container's source and a member's name (`archive.zip!/a/b.docx`), as
/// in Java's jar URLs and Recoll.
pub const MEMBER_SEPARATOR: &str = "!/";

/// How deep containers may nest (a `.docx` in a `.zip` in a mail in an mbox is 3): a member
/// deeper than this is skipped with one line.
pub const MAX_NESTING: u32 = 6;

/// What the offsets of a file's hits count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Offsets {
    /// Bytes of the file (text, HTML, Markdown, in any encoding).
    File,
    /// Bytes of the extracted text (PDF, DOCX, ODT, EPUB, compressed files).
    Extracted,
}

impl Offsets {
    /// The name used in JSON (`file`, `extracted`).
    pub fn name(self) -> &'static str {
        match self {
            Offsets::File => "file",
            Offsets::Extracted => "extracted",
        }
    }
}

/// A located range of the extracted text: it starts at `start` and runs to the next part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Text offset where the part starts.
    pub start: usize,
    /// Where in the document the part is.
    pub place: Place,
}

/// A place in a document that a reader can open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A PDF page, 1-based.
    Page(u32),
    /// An EPUB chapter: its path inside the book.
    Chapter(String),
    /// A DOCX/ODT/DOC/RTF paragraph, 1-based (headings, list items and table cells count).
    Paragraph(u32),
    /// A spreadsheet row: the sheet's name and the 1-based row number, as the spreadsheet shows
    /// them (`Sheet1!12`).
    Row { sheet: String, row: u32 },
    /// A slide of a presentation, 1-based.
    Slide(u32),
    /// A message of an mbox file (1-based), or 1 for an `.eml` file.
    Message(u32),
}

impl std::fmt::Display for Place {
    /// How hits and `show` name the place: `page 3`, `chapter OEBPS/ch1.xhtml`, `paragraph 7`,
    /// `Sheet1!12`, `slide 4`, `message 2`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Page(n) => write!(f, "page {n}"),
            Place::Chapter(path) => write!(f, "chapter {path}"),
            Place::Paragraph(n) => write!(f, "paragraph {n}"),
            Place::Row { sheet, row } => write!(f, "{sheet}!{row}"),
            Place::Slide(n) => write!(f, "slide {n}"),
            Place::Message(n) => write!(f, "message {n}"),
        }
    }
}

/// The format a file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Html,
    Markdown,
    Pdf,
    Docx,
    Odt,
    Epub,
    Doc,
    Rtf,
    Xlsx,
    Xls,
    Xlsb,
    Ods,
    Pptx,
    Odp,
    Eml,
    Mbox,
    Zip,
    Tar,
}

impl Format {
    /// Every format, in the order of the enum.
    pub const ALL: [Format; 19] = [
        Format::Text,
        Format::Html,
        Format::Markdown,
        Format::Pdf,
        Format::Docx,
        Format::Odt,
        Format::Epub,
        Format::Doc,
        Format::Rtf,
        Format::Xlsx,
        Format::Xls,
        Format::Xlsb,
        Format::Ods,
        Format::Pptx,
        Format::Odp,
        Format::Eml,
        Format::Mbox,
        Format::Zip,
        Format::Tar,
    ];

    /// The format whose [`Format::name`] is `name`, if any.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The lower-case name used in JSON (`text`, `html`, `markdown`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Epub => "epub",
            Format::Doc => "doc",
            Format::Rtf => "rtf",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Xlsb => "xlsb",
            Format::Ods => "ods",
            Format::Pptx => "pptx",
            Format::Odp => "odp",
            Format::Eml => "eml",
            Format::Mbox => "mbox",
            Format::Zip => "zip",
            Format::Tar => "tar",
        }
    }
}

/// How to extract.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// An encoding to use for every file that is not valid UTF-8 (from `--encoding NAME`), in
    /// place of detection. Valid UTF-8 and files with a BOM are never read otherwise.
    pub encoding: Option<String>,
    /// The most text a container (PDF, DOCX, ODT, EPUB, compressed file) may yield, in bytes;
    /// `None` for [`DEFAULT_MAX_EXTRACT`]. Past it the file is skipped. Inside an archive or a
    /// mail, what the members before have used is taken off it: the limit holds for the whole
    /// nesting.
    pub max_extract: Option<usize>,
    /// How many containers this file is inside (0 for a file of the corpus).
    pub nesting: u32,
}

/// The default [`Options::max_extract`]: 256 MiB.
pub const DEFAULT_MAX_EXTRACT: usize = 256 << 20;

impl Options {
    /// [`Options::max_extract`], or its default.
    pub fn max_extract(&self) -> usize {
        self.max_extract.unwrap_or(DEFAULT_MAX_EXTRACT)
    }
}

/// Why a file cannot be extracted. The message is one line that says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Skip {
    #[error("binary file (it contains NUL bytes)")]
    Binary,
    /// An image, sound, video or archive, known by its first bytes: never text, and nothing to
    /// warn about (the indexer counts these).
    #[error("{0}, not text")]
    NotText(&'static str),
    #[error(
        "not UTF-8, and the encoding is not clear (it could be {}); pass --encoding NAME to choose one",
        candidates.join(", ")
    )]
    UndecidedEncoding { candidates: Vec<&'static str> },
    #[error("unknown encoding {0:?}; known encodings: {known}", known = encoding::KNOWN.join(", "))]
    UnknownEncoding(String),
    #[error("more than {} MiB of text (a zip or decompression bomb?); raise --max-extract to index it", limit >> 20)]
    TooLarge { limit: usize },
    #[error("encrypted {0}; decrypt it to index it")]
    Encrypted(&'static str),
    #[error("inside more than {limit} nested archives or mails; unpack it to index it")]
    TooDeep { limit: u32 },
    #[error("{0} is a program that draws pages, not text; convert it to PDF or text to index it")]
    Program(&'static str),
    #[error("corrupt {format}: {reason}")]
    Corrupt {
        format: &'static str,
        reason: String,
    },
    #[error("the {format} extractor took longer than {seconds} s; skipped")]
    Timeout { format: &'static str, seconds: u64 },
}

impl Skip {
    /// A corrupt file of `format`, the reason on one line.
    pub(crate) fn corrupt(format: &'static str, reason: impl std::fmt::Display) -> Skip {
        let reason = reason.to_string().replace('\n', " ");
        Skip::Corrupt { format, reason }
    }
}

/// One format: the extensions it claims, an optional content sniffer, and the extractor.
struct Extractor {
    extensions: &'static [&'static str],
    sniff: Option<fn(&[u8]) -> bool>,
    /// The file's path (compressed files dispatch on the inner name), bytes and options.
    extract: fn(&Path, &[u8], &Options) -> Result<Extracted, Skip>,
}

/// Every format but plain text, in sniffing order. A new format is one line here.
const EXTRACTORS: &[Extractor] = &[
    Extractor {
        extensions: &["html", "htm", "xhtml", "xht"],
        sniff: Some(html::sniff),
        extract: |_, bytes, options| html::extract(bytes, options),
    },
    Extractor {
        extensions: &["md", "markdown", "mdown", "mkd"],
        sniff: None,
        extract: |_, bytes, options| markdown::extract(bytes, options),
    },
    Extractor {
        extensions: &["pdf"],
        sniff: Some(pdf::sniff),
        extract: |_, bytes, options| pdf::extract(bytes, options),
    },
    Extractor {
        extensions: &["docx"],
        sniff: None,
        extract: |_, bytes, options| office::extract_docx(bytes, options),
    },
    Extractor {
        extensions: &["odt"],
        sniff: None,
        extract: |_, bytes, options| office::extract_odt(bytes, options),
    },
    Extractor {
        extensions: &["epub"],
        sniff: None,
        extract: |_, bytes, options| epub::extract(bytes, options),
    },
    Extractor {
        extensions: &["doc", "dot"],
        sniff: None,
        extract: |_, bytes, options| doc::extract(bytes, options),
    },
    Extractor {
        extensions: &["rtf"],
        sniff: Some(rtf::sniff),
        extract: |_, bytes, options| rtf::extract(bytes, options),
    },
    Extractor {
        extensions: &["xlsx", "xlsm", "xlsb", "xls", "xla", "ods"],
        sniff: None,
        extract: |path, bytes, options| sheets::extract(&extension(path), bytes, options),
    },
    Extractor {
        extensions: &["pptx", "pptm"],
        sniff: None,
        extract: |_, bytes, options| slides::extract_pptx(bytes, options),
    },
    Extractor {
        extensions: &["odp"],
        sniff: None,
        extract: |_, bytes, options| slides::extract_odp(bytes, options),
    },
    Extractor {
        extensions: &["eml"],
        sniff: None,
        extract: |_, bytes, options| mail::extract_eml(bytes, options),
    },
    Extractor {
        extensions: &["mbox", "mbx"],
        sniff: Some(mail::sniff_mbox),
        extract: |_, bytes, options| mail::extract_mbox(bytes, options),
    },
    Extractor {
        extensions: &["zip"],
        sniff: None,
        extract: |_, bytes, options| archive::extract_zip(bytes, options),
    },
    Extractor {
        extensions: &["tar"],
        sniff: None,
        extract: |_, bytes, options| archive::extract_tar(bytes, options),
    },
    // PostScript is printable ASCII, so it would pass for text, and every drawing operator
    // would become a passage (2.4 million for valgrind's manual in /usr/share/doc).
    Extractor {
        extensions: &["ps", "eps"],
        sniff: Some(|bytes| {
            [&b"%!PS-Adobe"[..], b"%!PS\n", b"%!PS\r"]
                .iter()
                .any(|m| bytes.starts_with(m))
        }),
        extract: |_, _, _| Err(Skip::Program("PostScript")),
    },
    Extractor {
        extensions: compressed::EXTENSIONS,
        sniff: Some(compressed::sniff),
        extract: compressed::extract,
    },
    // Images, sound, video and archives we do not read, by content only (whatever the name).
    Extractor {
        extensions: &[],
        sniff: Some(|bytes| media::kind(bytes).is_some()),
        extract: |_, bytes, _| Err(Skip::NotText(media::kind(bytes).unwrap_or("binary"))),
    },
];

/// Extracts the text of a file: by extension first, then by content, else as plain text.
pub fn extract(path: &Path, bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    match choose(path, bytes) {
        Some(x) => (x.extract)(path, bytes, options),
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
                    offsets: Offsets::File,
                    parts: Vec::new(),
                    members: Vec::new(),
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

/// The text of a container: the map is the identity over it, offsets count its bytes.
fn contained(text: String, format: Format, breaks: Vec<usize>, parts: Vec<Part>) -> Extracted {
    Extracted {
        map: OffsetMap::identity(text.len()),
        text,
        format,
        encoding: "utf-8",
        title: None,
        breaks,
        offsets: Offsets::Extracted,
        parts,
        members: Vec::new(),
    }
}

/// Text that grows up to a limit: a container's extractors append to it, and stop with
/// [`Skip::TooLarge`] past [`Options::max_extract`].
pub(crate) struct Limited {
    text: String,
    limit: usize,
}

impl Limited {
    fn new(options: &Options) -> Self {
        Limited {
            text: String::new(),
            limit: options.max_extract(),
        }
    }

    fn push_str(&mut self, s: &str) -> Result<(), Skip> {
        if self.text.len() + s.len() > self.limit {
            return Err(Skip::TooLarge { limit: self.limit });
        }
        self.text.push_str(s);
        Ok(())
    }

    fn len(&self) -> usize {
        self.text.len()
    }
}

/// The extension of `path`, lower case (empty if it has none).
fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// The extractor of a file, by extension then content; `None` for plain text.
fn choose(path: &Path, bytes: &[u8]) -> Option<&'static Extractor> {
    let ext = extension(path);
    let by_ext = Some(ext.as_str())
        .filter(|e| !e.is_empty())
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
