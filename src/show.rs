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
    /// The file: a hit's `source` (relative to the corpus root) or its `path` (relative to the
    /// working folder, or absolute), optionally followed by `:LINE:COLUMN:` as the human output
    /// prints it.
    pub source: &'a Path,
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
    let mut found = None;
    for name in candidates(request.source) {
        if let Some(key) = indexed_file(&list, &manifest.corpus, name)? {
            found = Some(key);
            break;
        }
    }
    let shown = request.source.display();
    let key = found.ok_or_else(|| {
        Error::Usage(format!(
            "{shown} is not an indexed file of {}; give a hit's source (relative to {}) or its path",
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
            index::display_source(key),
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

/// What `source` may name: itself, then without the `:LINE:COLUMN:` (or `:LINE:`) that the
/// human output prints after a path.
pub fn candidates(source: &Path) -> Vec<&Path> {
    let mut out = vec![source];
    if let Some(text) = source.to_str() {
        let mut rest = text.strip_suffix(':').unwrap_or(text);
        for _ in 0..2 {
            match rest.rsplit_once(':') {
                Some((head, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                    rest = head;
                    if !rest.is_empty() {
                        out.push(Path::new(rest));
                    }
                }
                _ => break,
            }
        }
    }
    out
}

/// The key in `list` of the file `source` names: a path to the file (relative to the working
/// folder, or absolute) inside the corpus, or a hit's `source` (relative to the corpus root).
/// When the two readings name different indexed files, neither is guessed.
fn indexed_file<'a>(
    list: &'a FileList,
    corpus: &Path,
    source: &Path,
) -> Result<Option<&'a String>> {
    let key_of = |rel: &Path| {
        let key = index::encode_source(rel);
        list.files.get_key_value(&key).map(|(k, _)| k)
    };
    // As a path: by name first (a symbolic link inside the corpus is indexed under its own
    // name), then resolved on disk.
    let absolute = crate::corpora::absolute(source);
    let by_path = absolute
        .strip_prefix(corpus)
        .ok()
        .and_then(key_of)
        .or_else(|| {
            let file = std::fs::canonicalize(&absolute).ok()?;
            let root = std::fs::canonicalize(corpus).ok()?;
            key_of(file.strip_prefix(&root).ok()?)
        });
    let name = source.to_string_lossy();
    let by_name = key_of(source).or_else(|| {
        list.files
            .keys()
            .find(|k| k.as_str() == name || index::display_source(k) == name)
    });
    match (by_path, by_name) {
        (Some(a), Some(b)) if a != b => Err(Error::Usage(format!(
            "{name} names two indexed files: {} (as a path from here) and {} (relative to {}); give the path search printed, or show from another folder",
            index::display_source(a),
            index::display_source(b),
            corpus.display()
        ))),
        (Some(a), _) => Ok(Some(a)),
        (None, b) => Ok(b),
    }
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
