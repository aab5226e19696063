//! `tracuu show SOURCE START END`: a span of an indexed file, read the way the indexer read it,
//! so that every printed offset can be checked and read in context. For a plain UTF-8 text file
//! the span is the file's own bytes; for a container (PDF, DOCX, ODT, EPUB, compressed) a span of
//! the extracted text; for HTML, Markdown and legacy encodings the extracted text whose source is
//! the file bytes `START..END`.

use std::path::Path;

use crate::error::{Error, Result};
use crate::extract::{self, Offsets};
use crate::store::filelist::FileList;
use crate::store::{self, TracuuIndex};

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
    // The file, then the ways to read a member inside it (a location after the name is cut off
    // by the later candidates, so each way is tried until one names a member).
    let mut found: Option<(&String, Vec<String>)> = None;
    for name in candidates(request.source) {
        for (file, member) in member_splits(name) {
            let Some(key) = indexed_file(&list, &manifest.corpus, file)? else {
                continue;
            };
            match (&mut found, member) {
                (None, member) => found = Some((key, member.into_iter().collect())),
                (Some((k, members)), Some(member)) if *k == key && !members.is_empty() => {
                    members.push(member)
                }
                _ => {}
            }
        }
    }
    let shown = request.source.display();
    let (key, members) = found.ok_or_else(|| {
        Error::Usage(format!(
            "{shown} is not an indexed file of {}; give a hit's source (relative to {}) or its path",
            index_dir.display(),
            manifest.corpus.display()
        ))
    })?;
    let path = store::source::in_corpus(&manifest.corpus, key);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let (x, _) =
        extract::extract_owned(&path, bytes, &manifest.extract_options()).map_err(|e| {
            Error::Unreadable {
                path: path.clone(),
                reason: e.to_string(),
            }
        })?;
    let mut name = store::display_source(key);
    let x = match members.last() {
        None => &x,
        Some(last) => {
            let mut result = Err(Missing::NoSuchMember);
            let mut inner = last;
            for member in &members {
                result = member_of(&x, member);
                inner = member;
                if !matches!(result, Err(Missing::NoSuchMember)) {
                    break;
                }
            }
            if matches!(result, Err(Missing::NoSuchMember)) {
                inner = last;
            }
            name = format!("{name}{}{inner}", extract::MEMBER_SEPARATOR);
            result.map_err(|why| match why {
                Missing::NoSuchMember => Error::Usage(format!(
                    "{} holds no member {inner}; give a source as search printed it",
                    store::display_source(key)
                )),
                Missing::Unreadable(reason) => Error::Unreadable {
                    path: store::source::decode(&name),
                    reason,
                },
            })?
        }
    };
    let (s, e) = (request.start, request.end);
    let (text, map) = (&x.text, &x.map);
    let unit = match x.offsets {
        Offsets::Extracted => "extracted text offsets",
        Offsets::File => "byte offsets",
    };
    // The request counts bytes of the file (`map` leads there from the text; the identity for
    // plain UTF-8 text) or, for a container, of the extracted text.
    let (len, ts, te) = match x.offsets {
        Offsets::Extracted => (text.len(), s, e),
        Offsets::File => (
            map.file_end(text.len()),
            map.text_offset(s),
            map.text_offset(e),
        ),
    };
    if s > e || e > len || ts > te || te > text.len() {
        return Err(Error::Usage(format!(
            "{s}..{e} is not a range of {name} (its {unit} are 0..{len})"
        )));
    }
    if !text.is_char_boundary(ts) || !text.is_char_boundary(te) {
        let (a, b) = (floor_boundary(text, ts), ceil_boundary(text, te));
        let (a, b) = match x.offsets {
            Offsets::Extracted => (a, b),
            Offsets::File => (map.file_start(a), map.file_end(b)),
        };
        return Err(Error::Usage(format!(
            "{s}..{e} splits a character of {name} ({unit}); the nearest range that does not is {a}..{b}"
        )));
    }
    let (from, to) = widen(text, ts, te, request.context);
    Ok(text.as_bytes()[from..to].to_vec())
}

/// Why a member cannot be shown.
enum Missing {
    NoSuchMember,
    Unreadable(String),
}

/// The member named `path` of `x` (`a/b.docx`, or `inner.zip!/c.html` through nested
/// containers), as the indexer read it.
fn member_of<'x>(
    x: &'x extract::Extracted,
    path: &str,
) -> std::result::Result<&'x extract::Extracted, Missing> {
    let sep = extract::MEMBER_SEPARATOR;
    let mut splits = vec![(path, None)];
    splits.extend(
        path.match_indices(sep)
            .map(|(at, _)| (&path[..at], Some(&path[at + sep.len()..]))),
    );
    for (name, rest) in splits {
        let Some(member) = x.members.iter().find(|m| m.name == name) else {
            continue;
        };
        let inner = member
            .content
            .as_ref()
            .map_err(|e| Missing::Unreadable(e.to_string()))?;
        return match rest {
            None => Ok(inner),
            Some(rest) => member_of(inner, rest),
        };
    }
    Err(Missing::NoSuchMember)
}

/// The ways to read `name` as a file and a member inside it: the whole name first, then cut at
/// each `!/` from the left (`a.zip!/b.zip!/c.txt` is the file `a.zip` and its member
/// `b.zip!/c.txt`, or the file `a.zip!/b.zip` and its member `c.txt`).
fn member_splits(name: &Path) -> Vec<(&Path, Option<String>)> {
    let bytes = name.as_os_str().as_encoded_bytes();
    let sep = extract::MEMBER_SEPARATOR.as_bytes();
    let mut out = vec![(name, None)];
    for at in (0..bytes.len()).filter(|&i| bytes[i..].starts_with(sep)) {
        if let Some(file) = cut(name, at) {
            let member = String::from_utf8_lossy(&bytes[at + sep.len()..]).into_owned();
            out.push((file, Some(member)));
        }
    }
    out
}

/// The character boundary of `text` at or before `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The character boundary of `text` at or after `i` (`i <= text.len()`).
fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// What `source` may name: itself, then without the location search printed after it:
/// `:LINE:COLUMN:` (or `:LINE:`) after a text file, `:page N:` after a PDF, `:paragraph N:`
/// after a DOCX or ODT, `:chapter PATH:` after an EPUB, `:SHEET!ROW:` after a spreadsheet,
/// `:slide N:` after a presentation, `:message N:` after mail. Cut on bytes, so that a name that is not
/// UTF-8 (printed as its bytes) keeps them.
pub fn candidates(source: &Path) -> Vec<&Path> {
    let bytes = source.as_os_str().as_encoded_bytes();
    let rest = bytes.strip_suffix(b":").unwrap_or(bytes);
    let digits = |b: &[u8]| !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    let mut ends = Vec::new();
    let mut end = rest.len();
    for _ in 0..2 {
        match rest[..end].iter().rposition(|&b| b == b':') {
            Some(colon) if digits(&rest[colon + 1..end]) => {
                ends.push(colon);
                end = colon;
            }
            _ => break,
        }
    }
    // A spreadsheet row, `:Sheet name!12`.
    if let Some(bang) = rest.iter().rposition(|&b| b == b'!') {
        if digits(&rest[bang + 1..]) {
            if let Some(colon) = rest[..bang].iter().rposition(|&b| b == b':') {
                ends.push(colon);
            }
        }
    }
    for (place, numbered) in [
        (&b":page "[..], true),
        (b":paragraph ", true),
        (b":slide ", true),
        (b":message ", true),
        (b":chapter ", false),
    ] {
        let at = rest.windows(place.len()).rposition(|w| w == place);
        if let Some(at) = at {
            let value = &rest[at + place.len()..];
            if !value.is_empty() && (!numbered || digits(value)) {
                ends.push(at);
            }
        }
    }
    let mut out = vec![source];
    out.extend(
        ends.into_iter()
            .filter(|&end| end > 0)
            .filter_map(|end| cut(source, end)),
    );
    out
}

/// The first `len` bytes of `source`, which end just before an ASCII `:`.
#[cfg(unix)]
fn cut(source: &Path, len: usize) -> Option<&Path> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = source.as_os_str().as_bytes();
    Some(Path::new(std::ffi::OsStr::from_bytes(&bytes[..len])))
}

/// The first `len` bytes of `source`, which end just before an ASCII `:`.
#[cfg(not(unix))]
fn cut(source: &Path, len: usize) -> Option<&Path> {
    source.to_str().and_then(|s| s.get(..len)).map(Path::new)
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
        let key = store::encode_source(rel);
        list.files.get_key_value(&key).map(|(k, _)| k)
    };
    // As a path: by name first (a symbolic link inside the corpus is indexed under its own
    // name), then resolved on disk.
    let absolute = crate::corpus::registry::absolute(source);
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
    let by_name = key_of(source).or_else(|| list.files.keys().find(|k| k.as_str() == name));
    if by_path.is_none() && by_name.is_none() && name.contains('\u{FFFD}') {
        // Copied from a terminal, where each byte of a name that is not UTF-8 shows as U+FFFD.
        let rel = absolute.strip_prefix(corpus).ok();
        let names = [
            Some(name.to_string()),
            rel.map(|r| r.to_string_lossy().into()),
        ];
        return lossy_match(list, &names, source, corpus);
    }
    match (by_path, by_name) {
        (Some(a), Some(b)) if a != b => Err(Error::Usage(format!(
            "{name} names two indexed files: {} (as a path from here) and {} (relative to {}); give the path search printed, or show from another folder",
            store::display_source(a),
            store::display_source(b),
            corpus.display()
        ))),
        (Some(a), _) => Ok(Some(a)),
        (None, b) => Ok(b),
    }
}

/// The indexed file whose name, with each byte that is not UTF-8 shown as U+FFFD, is one of
/// `names`. Two or more cannot be told apart: refused, naming each exactly.
fn lossy_match<'a>(
    list: &'a FileList,
    names: &[Option<String>],
    source: &Path,
    corpus: &Path,
) -> Result<Option<&'a String>> {
    let found: Vec<&String> = list
        .files
        .keys()
        .filter(|k| k.contains('\0'))
        .filter(|k| {
            let shown = store::display_source(k);
            names.iter().flatten().any(|n| *n == shown)
        })
        .collect();
    if found.len() < 2 {
        return Ok(found.first().copied());
    }
    let exact: Vec<String> = found.iter().map(|k| shell_source(k)).collect();
    Err(Error::Usage(format!(
        "{} could be {} indexed files whose names differ in bytes that are not UTF-8: {} (relative to {}); give one of these (in bash or zsh), or the name as `tracuu search --files` prints it",
        source.to_string_lossy(),
        found.len(),
        exact.join(" "),
        corpus.display()
    )))
}

/// An encoded source as one word for bash or zsh that names the file exactly: `$'…'`, each byte
/// that is not UTF-8 (and each control character) as `\xHH`.
fn shell_source(key: &str) -> String {
    use std::fmt::Write;
    let mut out = String::from("$'");
    let mut chars = key.chars();
    while let Some(c) = chars.next() {
        match c {
            // A byte that is not UTF-8, encoded as NUL and two hex digits (store::encode_source).
            '\0' => {
                out.push_str("\\x");
                out.extend(chars.by_ref().take(2));
            }
            '\\' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(source: &str) -> Vec<&str> {
        candidates(Path::new(source))
            .into_iter()
            .map(|p| p.to_str().unwrap())
            .collect()
    }

    #[test]
    fn candidates_drop_the_location_search_prints_after_a_path() {
        assert_eq!(names("a.txt:3:7:"), ["a.txt:3:7:", "a.txt:3", "a.txt"]);
        assert_eq!(names("a.txt:3:"), ["a.txt:3:", "a.txt"]);
        assert_eq!(
            names("d/doc.pdf:page 13:"),
            ["d/doc.pdf:page 13:", "d/doc.pdf"]
        );
        assert_eq!(
            names("thu.docx:paragraph 1:"),
            ["thu.docx:paragraph 1:", "thu.docx"]
        );
        assert_eq!(
            names("book.epub:chapter OEBPS/ch0.xhtml:"),
            ["book.epub:chapter OEBPS/ch0.xhtml:", "book.epub"]
        );
        // Not a location: kept whole.
        for name in [
            "a.txt",
            "x:page y:",
            "x:paragraph :",
            ":1:",
            "b.epub:chapter :",
        ] {
            assert_eq!(names(name), [name]);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_location_after_a_name_that_is_not_utf8_is_cut_on_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let source = Path::new(std::ffi::OsStr::from_bytes(b"bad\xffname.txt:1:2:"));
        let cut: Vec<&[u8]> = candidates(source)
            .iter()
            .map(|p| p.as_os_str().as_bytes())
            .collect();
        assert_eq!(
            cut,
            [
                &b"bad\xffname.txt:1:2:"[..],
                b"bad\xffname.txt:1",
                b"bad\xffname.txt"
            ]
        );
    }

    #[test]
    fn a_source_for_the_shell_names_every_byte() {
        let key = store::encode_source(Path::new("plain/it's.txt"));
        assert_eq!(shell_source(&key), r"$'plain/it\'s.txt'");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new(std::ffi::OsStr::from_bytes(b"d/b\xffn\\\x01.txt"));
            let key = store::encode_source(odd);
            assert_eq!(shell_source(&key), r"$'d/b\xffn\\\x01.txt'");
        }
    }

    #[test]
    fn widen_stays_on_character_boundaries() {
        let text = "Một hai";
        assert_eq!(widen(text, 6, 9, 2), (4, 9));
        assert_eq!(widen(text, 0, 1, 3), (0, 6));
        assert_eq!((floor_boundary(text, 2), ceil_boundary(text, 2)), (1, 4));
    }
}
