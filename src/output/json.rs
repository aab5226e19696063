//! The JSON wire types: every object tracuu prints as JSON (hits, files, counts, list), apart
//! from the domain types they are made from, with field order and names as docs/json.md gives
//! them.

use std::path::Path;

use serde::Serialize;

use crate::extract::Place;
use crate::freshness::status::{State, Status};
use crate::search::{Explain, FileMatch, Hit};

/// The JSON wire type of one hit. Field order and names are the stable schema of docs/json.md.
#[derive(Serialize)]
pub struct JsonHit<'a> {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score (see [`Hit::score`]).
    pub score: f32,
    /// Path relative to the corpus root.
    pub source: &'a str,
    /// A path that opens the file (lossy if the name is not UTF-8).
    pub path: String,
    /// The exact bytes of `path`, base64, only when the name is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<String>,
    /// Byte offset of the passage in the file.
    pub start: usize,
    /// Byte offset just past the passage.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in characters.
    pub column: usize,
    /// The passage text as extracted (for plain UTF-8 text, the file's bytes `[start, end)`).
    pub text: &'a str,
    /// Absolute byte ranges of the matched words in the file.
    pub highlights: &'a [[usize; 2]],
    /// The passage has the query's diacritic words in their exact spelling.
    pub exact: bool,
    /// The format the file was read as: `text`, `html` or `markdown`.
    pub format: &'a str,
    /// The encoding of the file's bytes.
    pub encoding: &'a str,
    /// The document's title, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    /// What `start`, `end` and `highlights` count: `file` or `extracted` (the extracted text
    /// of a PDF, DOCX, ODT, EPUB or compressed file).
    pub offsets: &'a str,
    /// The PDF page (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// The EPUB chapter: its path inside the book.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chapter: Option<&'a str>,
    /// The DOCX/ODT/DOC/RTF paragraph (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u64>,
    /// The spreadsheet sheet's name (with `row`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<&'a str>,
    /// The spreadsheet row (1-based, as the spreadsheet numbers it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// The slide of a presentation (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slide: Option<u64>,
    /// The message of an mbox (1-based; 1 for an `.eml` file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<u64>,
    /// Any of the above as the human output prints it: `page 3`, `chapter OEBPS/c.xhtml`,
    /// `paragraph 7`, `Sheet1!12`, `slide 4`, `message 2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The query as parsed and folded.
    pub query: &'a str,
    /// The words of the query, as typed, that the passage lacks: only when no passage holds
    /// every word (see [`Hit::missing`]).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub missing: &'a [String],
    /// Where the score came from (with `--explain` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<&'a Explain>,
}

impl<'a> JsonHit<'a> {
    /// The wire form of `hit`.
    pub fn new(hit: &'a Hit, query: &'a str) -> Self {
        JsonHit {
            rank: hit.rank,
            score: hit.score,
            source: &hit.source,
            path: hit.path.display().to_string(),
            path_bytes: path_bytes(&hit.path),
            start: hit.start,
            end: hit.end,
            line: hit.line,
            column: hit.column,
            text: &hit.text,
            highlights: &hit.highlights,
            exact: hit.exact,
            format: hit.format.name(),
            encoding: &hit.encoding,
            title: hit.title.as_deref(),
            offsets: hit.offsets.name(),
            page: match hit.place {
                Some(Place::Page(n)) => Some(u64::from(n)),
                _ => None,
            },
            chapter: match &hit.place {
                Some(Place::Chapter(path)) => Some(path),
                _ => None,
            },
            paragraph: match hit.place {
                Some(Place::Paragraph(n)) => Some(u64::from(n)),
                _ => None,
            },
            sheet: match &hit.place {
                Some(Place::Row { sheet, .. }) => Some(sheet),
                _ => None,
            },
            row: match hit.place {
                Some(Place::Row { row, .. }) => Some(u64::from(row)),
                _ => None,
            },
            slide: match hit.place {
                Some(Place::Slide(n)) => Some(u64::from(n)),
                _ => None,
            },
            message: match hit.place {
                Some(Place::Message(n)) => Some(u64::from(n)),
                _ => None,
            },
            place: hit.place.as_ref().map(Place::to_string),
            query,
            missing: &hit.missing,
            explain: hit.explain.as_ref(),
        }
    }
}

/// The JSON wire type of one file of `--files --json`.
#[derive(Serialize)]
pub struct JsonFile<'a> {
    /// Path relative to the corpus root.
    pub source: &'a str,
    /// A path that opens the file (lossy if the name is not UTF-8).
    pub path: String,
    /// The exact bytes of `path`, base64, only when the name is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<String>,
    /// How many of its passages match.
    pub passages: usize,
}

/// The bytes of a path that is not valid UTF-8, in base64, so that JSON can name it exactly.
pub fn path_bytes(path: &Path) -> Option<String> {
    use base64::Engine as _;
    use std::os::unix::ffi::OsStrExt;
    if path.to_str().is_some() {
        return None;
    }
    Some(base64::engine::general_purpose::STANDARD.encode(path.as_os_str().as_bytes()))
}

impl<'a> JsonFile<'a> {
    /// The wire form of `file`.
    pub fn new(file: &'a FileMatch) -> Self {
        JsonFile {
            source: &file.source,
            path: file.path.display().to_string(),
            path_bytes: path_bytes(&file.path),
            passages: file.passages,
        }
    }
}

/// The wire form of a count: `{"count": N, "query": "…"}`.
#[derive(Serialize)]
pub struct JsonCount<'a> {
    /// How many passages match.
    pub count: usize,
    /// The query as parsed and folded.
    pub query: &'a str,
}

/// The wire form of one line of `tracuu list --json`.
#[derive(Serialize)]
pub struct JsonCorpus<'a> {
    /// The corpus root (empty when the index does not say).
    pub path: &'a Path,
    /// The index folder.
    pub index: &'a Path,
    /// Files indexed.
    pub files: usize,
    /// Passages indexed.
    pub passages: u64,
    /// Bytes the index takes on disk.
    pub bytes: u64,
    /// When the index was last committed, in seconds since the Unix epoch.
    pub updated: Option<u64>,
    /// `fresh`, `stale`, `missing`, `broken` or `unfinished`.
    pub state: &'static str,
    /// Files added since the last update.
    pub added: usize,
    /// Files changed since the last update.
    pub changed: usize,
    /// Indexed files gone since the last update.
    pub removed: usize,
    /// The process id of a `tracuu index --watch` keeping it fresh, if one runs.
    pub watcher: Option<u32>,
}

impl<'a> JsonCorpus<'a> {
    /// The wire form of `status`.
    pub fn new(status: &'a Status) -> Self {
        JsonCorpus {
            path: &status.path,
            index: &status.index,
            files: status.files,
            passages: status.passages,
            bytes: status.bytes,
            updated: status.updated,
            state: match status.state {
                State::Fresh => "fresh",
                State::Stale => "stale",
                State::Missing => "missing",
                State::Broken => "broken",
                State::Unfinished => "unfinished",
            },
            added: status.added,
            changed: status.changed,
            removed: status.removed,
            watcher: status.watcher,
        }
    }
}
