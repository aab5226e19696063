//! The write phase of a run: each walked file read, hashed and extracted as the plan decides, its
//! passages cut and added as documents (lines and columns counted in one pass over the text),
//! and the passages of changed, unreadable and removed files deleted.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use tantivy::{IndexWriter, TantivyError, Term};

use super::plan::{self, After, Before, Previous};
use super::{IndexOptions, IndexReport, Observer};
use crate::corpus::walk::{relative_source, CorpusFile};
use crate::extract::{self, Extracted, Format, Place, MEMBER_SEPARATOR};
use crate::failpoint;
use crate::passage;
use crate::store::document;
use crate::store::filelist::FileList;
use crate::store::{Fields, FileState, TracuuIndex};

/// What the write phase leaves for the commit.
pub(super) struct Written {
    /// The file list of the commit (its folders aside).
    pub list: FileList,
    /// About the space the commit needs on disk.
    pub need: u64,
}

/// A write that failed inside tantivy, and about the space the run needed.
pub(super) struct Failed {
    pub error: TantivyError,
    pub need: u64,
}

/// The write phase: the writer, and what the run has written and learned so far.
pub(super) struct Writing<'r> {
    idx: &'r TracuuIndex,
    writer: &'r mut IndexWriter,
    observer: &'r mut dyn Observer,
    report: &'r mut IndexReport,
    extract: extract::Options,
    list: FileList,
    space: Space,
}

/// About what a run needs on disk, told when the disk fills: its segments (about twice the text
/// written and still to read) and room to merge the index as it was.
#[derive(Clone, Copy, Debug, Default)]
struct Space {
    /// Bytes of the index folder before the run.
    index: u64,
    /// Bytes of text written.
    written: u64,
    /// Bytes of files not walked yet.
    pending: u64,
}

impl Space {
    /// The space needed with `text` more bytes of text written.
    fn need(&self, text: u64) -> u64 {
        2 * (self.written + text + self.pending) + self.index
    }
}

impl<'r> Writing<'r> {
    /// The write phase of a run with `options` into `idx`.
    pub(super) fn new(
        idx: &'r TracuuIndex,
        writer: &'r mut IndexWriter,
        options: &IndexOptions,
        observer: &'r mut dyn Observer,
        report: &'r mut IndexReport,
    ) -> Self {
        Writing {
            idx,
            writer,
            observer,
            report,
            extract: extract::Options {
                encoding: options.read.encoding.clone(),
                max_extract: Some(options.max_extract),
                nesting: 0,
            },
            list: FileList::default(),
            space: Space::default(),
        }
    }

    /// Writes the walked `files` of `corpus` as the plan decides against `previous`, and deletes
    /// the passages of the files gone. Passes the fail points `read` and `after-add`.
    pub(super) fn write(
        mut self,
        corpus: &Path,
        files: Vec<CorpusFile>,
        previous: &Previous,
    ) -> Result<Written, Failed> {
        let total_bytes: u64 = files.iter().map(|f| f.size).sum();
        let mut done_bytes = 0;
        self.space = Space {
            index: folder_bytes(&self.idx.dir),
            written: 0,
            pending: total_bytes,
        };
        let mut seen = HashSet::new();
        for file in files {
            done_bytes += file.size;
            self.observer.progress(done_bytes, total_bytes);
            let rel = relative_source(corpus, &file.path);
            seen.insert(rel.clone());
            self.space.pending = self.space.pending.saturating_sub(file.size);
            match previous.before_reading(&rel, file.size, file.mtime_ns) {
                Before::Unchanged(state) => {
                    self.list.files.insert(rel, state.clone());
                    self.report.unchanged += 1;
                }
                Before::SkippedAgain(state) => {
                    let reason = state.skip_reason.clone();
                    self.report.skipped.push((file.path, reason));
                    self.report.skipped_again += 1;
                    self.list.skipped.insert(rel, state.clone());
                }
                Before::Read(indexed) => self.read(file, rel, indexed)?,
            }
        }
        // Files still there but no longer readable were skipped (and forgotten) above.
        for rel in previous.removed(&seen) {
            self.forget(rel, true);
            self.report.removed += 1;
        }
        Ok(Written {
            need: self.space.need(0),
            list: self.list,
        })
    }

    /// Reads `file` (source `rel`, its entry `indexed` if it was), and indexes it if its content
    /// is new, or skips it.
    fn read(
        &mut self,
        file: CorpusFile,
        rel: String,
        indexed: Option<&FileState>,
    ) -> Result<(), Failed> {
        let CorpusFile {
            path,
            size,
            mtime_ns,
        } = file;
        let bytes = match failpoint::hit("read").and_then(|()| std::fs::read(&path)) {
            Ok(b) => b,
            Err(e) => {
                self.report.skip(self.observer, &path, &e.to_string());
                self.forget(&rel, indexed.is_some());
                self.list
                    .skipped
                    .insert(rel, plan::unreadable(size, mtime_ns));
                return Ok(());
            }
        };
        let hash = plan::content_hash(&bytes);
        let replaces = match plan::after_reading(indexed, size, mtime_ns, &hash) {
            After::Unchanged(state) => {
                self.list.files.insert(rel, state);
                self.report.unchanged += 1;
                return Ok(());
            }
            After::Index { replaces } => replaces,
        };
        let (extracted, bytes) = match extract::extract_owned(&path, bytes, &self.extract) {
            Ok(x) => x,
            Err(reason) => {
                self.report.skip_content(self.observer, &path, &reason);
                self.forget(&rel, replaces);
                let state = plan::skipped(size, mtime_ns, &reason);
                self.list.skipped.insert(rel, state);
                return Ok(());
            }
        };
        self.forget(&rel, replaces);
        if replaces {
            self.report.updated += 1;
        } else {
            self.report.added += 1;
        }
        let text = extracted.text_len() as u64;
        let passages = self
            .add_document(&path, &rel, &rel, &extracted, bytes.as_deref())
            .map_err(|error| Failed {
                error,
                need: self.space.need(text),
            })?;
        self.space.written += text;
        self.report.passages_written += passages;
        let state = plan::indexed(size, mtime_ns, hash, passages);
        self.list.files.insert(rel, state);
        Ok(())
    }

    /// Adds the passages of `x` (from the corpus file `file`, at `path`) under `source`, and
    /// those of its members under `source!/name`, recursively; a member that cannot be read is
    /// one warning. Returns how many passages were added.
    fn add_document(
        &mut self,
        path: &Path,
        file: &str,
        source: &str,
        x: &Extracted,
        bytes: Option<&[u8]>,
    ) -> tantivy::Result<u64> {
        let fields = &self.idx.fields;
        let mut n = add_passages(self.writer, fields, file, source, x, bytes)?;
        for member in &x.members {
            let source = format!("{source}{MEMBER_SEPARATOR}{}", member.name);
            let path = member_path(path, &member.name);
            match &member.content {
                Ok(inner) => {
                    n += self.add_document(&path, file, &source, inner, member.bytes.as_deref())?
                }
                Err(reason) => self.report.skip_member(self.observer, &path, reason),
            }
        }
        Ok(n)
    }

    /// Deletes the passages of `rel` (its members' too) if it was indexed.
    fn forget(&mut self, rel: &str, was_indexed: bool) {
        if was_indexed {
            let file = self.idx.fields.file;
            self.writer.delete_term(Term::from_field_text(file, rel));
        }
    }
}

/// The path that names the member `name` of the container at `path`: `path!/name`.
fn member_path(path: &Path, name: &str) -> PathBuf {
    let mut bytes = crate::store::source::path_bytes(path);
    bytes.extend_from_slice(MEMBER_SEPARATOR.as_bytes());
    bytes.extend_from_slice(name.as_bytes());
    crate::store::source::path_from_bytes(bytes)
}

/// Total size of the files directly in `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(|e| e.ok()?.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    })
}

/// Adds the passages of one file and returns how many. `bytes` are the file's bytes, unless
/// its text is exactly those bytes.
///
/// `start` and `end` are file byte offsets; a passage whose text is not the file's bytes also
/// stores its slice of the offset map, so that highlights map back exactly. Line and column are
/// those of the file read in its encoding (for UTF-8, the file itself; for a legacy encoding, the
/// decoded file, markup included), the column in decoded characters.
fn add_passages(
    writer: &IndexWriter,
    fields: &Fields,
    file: &str,
    rel: &str,
    x: &Extracted,
    bytes: Option<&[u8]>,
) -> tantivy::Result<u64> {
    let text = x.text.as_str();
    let identity = x.map.is_identity();
    let lines_of = LinesOf::new(x, bytes);
    let mut lines = LineCounter::new(lines_of.text());
    let mut last_line_offset = 0;
    let mut n = 0;
    let part_starts: Vec<usize> = x.parts.iter().map(|p| p.start).collect();
    for p in passage::split_in_parts(text, &x.breaks, &part_starts) {
        let (start, end) = if identity {
            (p.start, p.end)
        } else {
            (x.map.file_start(p.start), x.map.file_end(p.end))
        };
        let at = lines_of.offset(p.start, start).max(last_line_offset);
        last_line_offset = at;
        let (line, column) = lines.line_column(at);
        let stored = document::Passage {
            source: rel,
            text: &text[p.start..p.end],
            start,
            end,
            line,
            column,
            text_start: p.start,
            map: (!identity).then(|| x.map.slice(p.start..p.end)),
            format: x.format,
            encoding: x.encoding,
            title: x.title.as_deref(),
            offsets: x.offsets,
            place: place_at(x, p.start),
            file,
        };
        let indexed = indexed_text(x, p.start..p.end, n == 0);
        writer.add_document(document::write(fields, &stored, &indexed))?;
        failpoint::hit("after-add")?;
        n += 1;
    }
    Ok(n)
}

/// The words indexed for the passage `range` of `x`: its text with every block break made a tab
/// (same length), so that a phrase never crosses it; before the `first` passage of an HTML page,
/// its title (which is not in its text), kept apart by a tab.
fn indexed_text(x: &Extracted, range: std::ops::Range<usize>, first: bool) -> Cow<'_, str> {
    let passage_text = &x.text[range.clone()];
    let from = x.breaks.partition_point(|&b| b < range.start);
    let inner = x.breaks[from..].iter().take_while(|&&b| b < range.end);
    let indexed = if inner.clone().next().is_some() {
        let mut copy = passage_text.as_bytes().to_vec();
        for &b in inner {
            if copy[b - range.start] == b'\n' {
                copy[b - range.start] = b'\t';
            }
        }
        Cow::Owned(String::from_utf8(copy).expect("one ASCII byte replaced"))
    } else {
        Cow::Borrowed(passage_text)
    };
    match (&x.title, x.format) {
        (Some(title), Format::Html) if first => Cow::Owned(format!("{title}\t{indexed}")),
        _ => indexed,
    }
}

/// The page, chapter or paragraph that the text offset `start` of `x` lies in (passages never
/// cross a part's start).
fn place_at(x: &Extracted, start: usize) -> Option<Place> {
    let part = x.parts.partition_point(|q| q.start <= start);
    part.checked_sub(1).map(|i| x.parts[i].place.clone())
}

/// The text that lines and columns are counted in: the extracted text when it is the file read
/// in its encoding, else the file's bytes (UTF-8) or the whole file decoded (markup included).
enum LinesOf<'a> {
    /// The extracted text (plain text files).
    Extracted(&'a str),
    /// The file itself, valid UTF-8: counted at file offsets.
    File(&'a str),
    /// The whole file decoded: counted at the decoded offset of each file offset.
    Decoded(extract::encoding::Decoded),
}

impl<'a> LinesOf<'a> {
    fn new(x: &'a Extracted, bytes: Option<&'a [u8]>) -> Self {
        let Some(bytes) = bytes.filter(|_| !x.map.is_identity()) else {
            return LinesOf::Extracted(&x.text);
        };
        if let Ok(file) = std::str::from_utf8(bytes) {
            return LinesOf::File(file);
        }
        match (x.format, extract::encoding::lookup(x.encoding)) {
            (Format::Text, _) | (_, None) => LinesOf::Extracted(&x.text),
            (_, Some(enc)) => LinesOf::Decoded(extract::encoding::decode_with(bytes, enc)),
        }
    }

    fn text(&self) -> &str {
        match self {
            LinesOf::Extracted(t) | LinesOf::File(t) => t,
            LinesOf::Decoded(d) => &d.text,
        }
    }

    /// Where a passage starting at text offset `text_at` and file offset `file_at` is, in
    /// [`Self::text`] (on a character boundary).
    fn offset(&self, text_at: usize, file_at: usize) -> usize {
        let (text, at) = match self {
            LinesOf::Extracted(t) => (*t, text_at),
            LinesOf::File(t) => (*t, file_at),
            LinesOf::Decoded(d) => (d.text.as_str(), d.map.text_offset(file_at)),
        };
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// Line and column of increasing offsets in one pass over the text: each byte is looked at
/// once, however long the lines.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    /// Characters between the start of the line and `offset`.
    column: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            // A UTF-8 byte order mark is no character of the first line (a UTF-16 one is
            // decoded away): editors do not show it, and a column counting it points one off.
            offset: if text.starts_with('\u{FEFF}') { 3 } else { 0 },
            line: 1,
            column: 0,
        }
    }

    /// 1-based line and column (in characters) of `offset`, which must not go backwards.
    fn line_column(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.max(self.offset);
        let chunk = &self.text[self.offset..offset];
        match chunk.rfind('\n') {
            Some(last) => {
                self.line += chunk.bytes().filter(|&b| b == b'\n').count();
                self.column = chunk[last + 1..].chars().count();
            }
            None => self.column += chunk.chars().count(),
        }
        self.offset = offset;
        (self.line, self.column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counter_agrees_with_line_column() {
        let text = "a\nbc\n\nĐức x\ny";
        let mut lc = LineCounter::new(text);
        for (i, _) in text.char_indices() {
            assert_eq!(
                lc.line_column(i),
                passage::line_column(text, i),
                "offset {i}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_no_column() {
        let mut lc = LineCounter::new("\u{FEFF}ab\ncd");
        assert_eq!(lc.line_column(0), (1, 1));
        assert_eq!(lc.line_column(4), (1, 2));
        assert_eq!(lc.line_column(7), (2, 2));
    }

    #[test]
    fn line_counter_is_linear_on_one_long_line() {
        // 4 MB on one line, a column asked for every 500 bytes: quadratic recounting would
        // look at 16 billion bytes; the counter looks at each once.
        let text = "Đức ab ".repeat(500_000);
        let mut lc = LineCounter::new(&text);
        let mut last = (0, 0);
        for offset in (0..text.len()).step_by(500) {
            if text.is_char_boundary(offset) {
                last = lc.line_column(offset);
                assert_eq!(last.0, 1);
            }
        }
        let end = text.len();
        assert_eq!(lc.line_column(end), (1, text.chars().count() + 1));
        assert!(last.1 > 1);
        let mut lc = LineCounter::new("ab\ncd\nĐf");
        assert_eq!(lc.line_column(8), passage::line_column("ab\ncd\nĐf", 8));
    }

    #[test]
    fn plain_utf8_is_read_without_a_copy_and_binary_is_refused() {
        let read = |bytes: &[u8]| {
            extract::extract_owned(Path::new("a.txt"), bytes.to_vec(), &Default::default())
        };
        let (x, rest) = read(b"ok \xc4\x91").unwrap();
        assert!(x.map.is_identity() && rest.is_none());
        assert!(read(b"a\0b").is_err());
        let (x, rest) = read(b"Les soci\xe9t\xe9s fran\xe7aises et leurs soci\xe9t\xe9s").unwrap();
        assert_eq!(x.encoding, "windows-1252");
        assert!(rest.is_some());
    }
}
