//! `tracuu show SOURCE START END`: a span of an indexed file, read the way the indexer read it,
//! so that every printed offset can be checked and read in context. For a plain UTF-8 text file
//! the span is the file's own bytes; for a container (PDF, DOCX, ODT, EPUB, compressed) a span of
//! the extracted text; for HTML, Markdown and legacy encodings the extracted text whose source is
//! the file bytes `START..END`.

use std::path::Path;

use crate::error::{Error, Result};
use crate::extract::{self, Offsets};
use crate::filelist::FileList;
use crate::index::{self, TracuuIndex};

/// What to show.
#[derive(Clone, Debug)]
pub struct ShowRequest<'a> {
    /// The file: a hit's `source` (relative to the corpus root) or its `path`.
    pub source: &'a str,
    /// Start offset, as a hit's `start`.
    pub start: usize,
    /// End offset, as a hit's `end`.
    pub end: usize,
    /// Characters to add before and after the span.
    pub context: usize,
}

/// The bytes of the span (with its context) of `request.source` in the index at `index_dir`.
pub fn show(index_dir: &Path, request: &ShowRequest) -> Result<Vec<u8>> {
    let idx = TracuuIndex::open(index_dir)?;
    let manifest = &idx.manifest;
    let list = idx.file_list()?;
    let key = indexed_file(&list, &manifest.corpus, request.source).ok_or_else(|| {
        Error::Usage(format!(
            "{} is not an indexed file of {}; give a hit's source (relative to {}) or its path",
            request.source,
            index_dir.display(),
            manifest.corpus.display()
        ))
    })?;
    let path = manifest.corpus.join(index::decode_source(key));
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let options = extract::Options {
        encoding: manifest.encoding.clone(),
        max_extract: None,
    };
    let (x, rest) = extract::extract_owned(&path, bytes, &options)
        .map_err(|e| Error::Usage(format!("{} cannot be read: {e}", path.display())))?;
    let (s, e) = (request.start, request.end);
    let out_of_bounds = |len: usize| {
        Error::Usage(format!(
            "{s}..{e} is not a range of {} (its {} are 0..{len})",
            request.source,
            if x.offsets == Offsets::Extracted {
                "extracted text offsets"
            } else {
                "byte offsets"
            }
        ))
    };
    if rest.is_none() {
        // Plain UTF-8 text: the file's own bytes.
        let text = &x.text;
        if s > e || e > text.len() {
            return Err(out_of_bounds(text.len()));
        }
        let (from, to) = widen(text, s, e, request.context);
        return Ok(text.as_bytes()[from..to].to_vec());
    }
    let (ts, te) = match x.offsets {
        Offsets::Extracted => (s, e),
        Offsets::File => {
            let file_len = x.map.file_end(x.text.len());
            if s > e || e > file_len {
                return Err(out_of_bounds(file_len));
            }
            (x.map.text_offset(s), x.map.text_offset(e))
        }
    };
    let text = &x.text;
    if ts > te || te > text.len() || !text.is_char_boundary(ts) || !text.is_char_boundary(te) {
        return Err(out_of_bounds(text.len()));
    }
    let (from, to) = widen(text, ts, te, request.context);
    Ok(text.as_bytes()[from..to].to_vec())
}

/// The key in `list` of the file `source` names: a hit's `source` (relative to the corpus
/// root), or a path to the file (a hit's `path`: relative to the working folder, or absolute).
fn indexed_file<'a>(list: &'a FileList, corpus: &Path, source: &str) -> Option<&'a String> {
    let named = |name: &str| {
        list.files
            .keys()
            .find(|k| k.as_str() == name || index::display_source(k) == name)
    };
    named(source).or_else(|| {
        let file = std::fs::canonicalize(source).ok()?;
        let root = std::fs::canonicalize(corpus).ok()?;
        let key = index::encode_source(file.strip_prefix(&root).ok()?);
        list.files.get_key_value(&key).map(|(k, _)| k)
    })
}

/// `s..e` widened by `n` characters on each side (on character boundaries where it can be).
fn widen(text: &str, s: usize, e: usize, n: usize) -> (usize, usize) {
    if n == 0 {
        return (s, e);
    }
    let mut from = s;
    for _ in 0..n {
        match text[..from].char_indices().next_back() {
            Some((i, _)) => from = i,
            None => break,
        }
    }
    let mut to = e;
    for _ in 0..n {
        match text[to..].chars().next() {
            Some(c) => to += c.len_utf8(),
            None => break,
        }
    }
    (from, to)
}
