//! Hits -> what the user sees: human text (snippets, colour) or JSON Lines. Generic over
//! `io::Write`; knows nothing of how hits were found.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::search::{Explain, FileMatch, Hit, Outcome};

/// How to print hits.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    /// For people: `path:line:column`, rank, score, byte range, then a snippet.
    Human {
        /// Colour the output with ANSI escapes.
        color: bool,
        /// Print whole passages instead of snippets.
        full: bool,
        /// Snippet size, in characters.
        context: usize,
    },
    /// One JSON object per hit per line.
    Json,
}

const RESET: &str = "\x1b[0m";
const MATCH: &str = "\x1b[1;31m";
const PATH: &str = "\x1b[35m";
const LOCATION: &str = "\x1b[32m";
const DIM: &str = "\x1b[2m";

/// The JSON wire type of one hit. Field order and names are the stable schema in the README.
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
    /// The DOCX/ODT paragraph (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u64>,
    /// The query as parsed and folded.
    pub query: &'a str,
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
            format: &hit.format,
            encoding: &hit.encoding,
            title: hit.title.as_deref(),
            offsets: hit.offsets,
            page: hit.page,
            chapter: hit.chapter.as_deref(),
            paragraph: hit.paragraph,
            query,
            explain: hit.explain.as_ref(),
        }
    }
}

/// Writes the hits of `outcome` in `format`.
pub fn write_hits(out: &mut dyn Write, outcome: &Outcome, format: Format) -> io::Result<()> {
    for hit in &outcome.hits {
        match format {
            Format::Json => {
                serde_json::to_writer(&mut *out, &JsonHit::new(hit, &outcome.query))?;
                writeln!(out)?;
            }
            Format::Human {
                color,
                full,
                context,
            } => write_human(out, hit, color, full, context)?,
        }
    }
    Ok(())
}

/// Writes the number of matching passages.
pub fn write_count(out: &mut dyn Write, outcome: &Outcome, json: bool) -> io::Result<()> {
    if json {
        let line = serde_json::json!({ "count": outcome.total, "query": outcome.query });
        writeln!(out, "{line}")
    } else {
        writeln!(out, "{}", outcome.total)
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

/// Writes the matching files, one per line.
pub fn write_files(out: &mut dyn Write, files: &[FileMatch], json: bool) -> io::Result<()> {
    for file in files {
        if json {
            let wire = JsonFile {
                source: &file.source,
                path: file.path.display().to_string(),
                path_bytes: path_bytes(&file.path),
                passages: file.passages,
            };
            serde_json::to_writer(&mut *out, &wire)?;
            writeln!(out)?;
        } else {
            // The name's own bytes, as ls and rg print them, so a pipe can open any file.
            out.write_all(file.path.as_os_str().as_encoded_bytes())?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Writes `tracuu list` for people: one block per corpus.
pub fn write_corpora(
    out: &mut dyn Write,
    all: &[crate::corpus::registry::Status],
) -> io::Result<()> {
    use crate::corpus::registry::State;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    for status in all {
        let state = match status.state {
            State::Fresh => "fresh".to_string(),
            State::Stale => format!(
                "stale: {} new, {} changed, {} removed files",
                status.added, status.changed, status.removed
            ),
            State::Missing => "missing: the folder is gone (`tracuu forget` drops it)".into(),
            State::Broken if status.path.as_os_str().is_empty() => format!(
                "damaged: the index cannot be read (`tracuu check --index {}` says why)",
                crate::error::shell_word(&status.index)
            ),
            State::Broken => format!(
                "damaged: the index cannot be read (`tracuu check --corpus {}` says why, `tracuu index --rebuild --index {}` repairs it)",
                crate::error::shell_word(&status.path),
                crate::error::shell_word(&status.index)
            ),
            State::Unfinished => "unfinished: no commit yet (indexing, or interrupted)".into(),
        };
        let watching = match status.watcher {
            Some(pid) => format!(", watched by process {pid}"),
            None => String::new(),
        };
        let path = if status.path.as_os_str().is_empty() {
            "(unknown corpus)".into()
        } else {
            status.path.display().to_string()
        };
        writeln!(out, "{path}")?;
        writeln!(
            out,
            "  {} files, {} passages, {} on disk, updated {}; {state}{watching}",
            status.files,
            status.passages,
            human_bytes(status.bytes),
            status
                .updated
                .map_or_else(|| "never".into(), |t| ago(now.saturating_sub(t))),
        )?;
        writeln!(out, "  index: {}", status.index.display())?;
    }
    Ok(())
}

/// 1536 -> "1.5 KB" (powers of 1024, as `ls -h`).
fn human_bytes(bytes: u64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

/// Seconds -> "5 s ago", "3 min ago", "2 h ago", "4 days ago".
fn ago(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds} s ago"),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86400 => format!("{} h ago", seconds / 3600),
        _ => format!("{} days ago", seconds / 86400),
    }
}

fn write_human(
    out: &mut dyn Write,
    hit: &Hit,
    color: bool,
    full: bool,
    context: usize,
) -> io::Result<()> {
    let paint = |code: &'static str| if color { code } else { "" };
    let reset = paint(RESET);
    // The location to click is the first match, else the passage start.
    let (line, column) = location(hit);
    // A page, chapter or paragraph opens a document; line:column opens a text file.
    let place = match (&hit.page, &hit.chapter, &hit.paragraph) {
        (Some(page), _, _) => format!("page {page}"),
        (_, Some(chapter), _) => format!("chapter {chapter}"),
        (_, _, Some(paragraph)) => format!("paragraph {paragraph}"),
        _ => format!("{line}:{column}"),
    };
    // The name's own bytes, as `--files` (and ls, rg) print them: the location opens the file
    // even when its name is not UTF-8.
    out.write_all(paint(PATH).as_bytes())?;
    out.write_all(hit.path.as_os_str().as_encoded_bytes())?;
    writeln!(
        out,
        "{reset}:{}{place}{reset}: {}#{} score {:.2} bytes {}..{}{}{reset}",
        paint(LOCATION),
        paint(DIM),
        hit.rank,
        hit.score,
        hit.start,
        hit.end,
        if hit.exact { " exact" } else { "" },
    )?;
    if let Some(title) = &hit.title {
        let title: String = title.split_whitespace().collect::<Vec<_>>().join(" ");
        writeln!(out, "    {}— {title}{reset}", paint(DIM))?;
    }
    if let Some(e) = &hit.explain {
        writeln!(
            out,
            "    {}score {:.2} = bm25 {:.2} + proximity {:.2}; {} tier{reset}",
            paint(DIM),
            hit.score,
            e.bm25,
            e.proximity,
            e.tier
        )?;
    }
    let local: Vec<(usize, usize)> = hit.text_highlights.iter().map(|&[s, e]| (s, e)).collect();
    let (from, to) = if full {
        (0, hit.text.len())
    } else {
        window(&hit.text, &local, context)
    };
    let mut line = String::from("    ");
    if from > 0 {
        line.push('…');
    }
    let mut space = false;
    let mut in_match = false;
    // Highlights are sorted and disjoint: one cursor walks them along the text.
    let mut next = 0;
    for (i, c) in hit.text[from..to].char_indices() {
        let at = from + i;
        while next < local.len() && local[next].1 <= at {
            next += 1;
        }
        let inside = local.get(next).is_some_and(|&(s, _)| s <= at);
        if inside != in_match {
            line.push_str(if inside { paint(MATCH) } else { reset });
            in_match = inside;
        }
        if c.is_whitespace() {
            if !space {
                line.push(' ');
            }
            space = true;
        } else {
            line.push(c);
            space = false;
        }
    }
    if in_match {
        line.push_str(reset);
    }
    if to < hit.text.len() {
        line.push('…');
    }
    writeln!(out, "{line}\n")
}

/// The byte range of `text`, about `context` characters long, with the most highlights in it,
/// cut at word boundaries.
pub fn window(text: &str, highlights: &[(usize, usize)], context: usize) -> (usize, usize) {
    if text.chars().count() <= context {
        return (0, text.len());
    }
    let byte_at_chars = |from: usize, chars: usize| {
        text[from..]
            .char_indices()
            .nth(chars)
            .map_or(text.len(), |(i, _)| from + i)
    };
    // The highlight that starts the densest stretch of `context` characters.
    let anchor = highlights
        .iter()
        .map(|&(s, _)| {
            let end = byte_at_chars(s, context);
            let n = highlights
                .iter()
                .filter(|&&(a, b)| a >= s && b <= end)
                .count();
            (n, std::cmp::Reverse(s))
        })
        .max()
        .map_or(0, |(_, std::cmp::Reverse(s))| s);
    // Start a little before it, at a word start.
    let lead = context / 5;
    let before: Vec<usize> = text[..anchor].char_indices().map(|(i, _)| i).collect();
    let mut from = before.len().checked_sub(lead).map_or(0, |k| before[k]);
    if from > 0 {
        from = text[from..anchor]
            .find(char::is_whitespace)
            .map_or(anchor, |i| from + i)
            .min(anchor);
        from += text[from..].len() - text[from..].trim_start().len();
    }
    let mut to = byte_at_chars(from, context);
    if to == text.len() {
        // Near the end: slide back so the window is full, starting at a word.
        let total = text.chars().count();
        let back = byte_at_chars(0, total.saturating_sub(context));
        from = from.min(
            text[back..]
                .find(char::is_whitespace)
                .map_or(back, |i| back + i + 1),
        );
    }
    if to < text.len() {
        to = text[..to]
            .rfind(char::is_whitespace)
            .filter(|&i| i > from)
            .unwrap_or(to);
    }
    (from, to)
}

/// Where to point at `hit`: the 1-based line and column (in characters) of its first matched
/// word, else of the passage start. The `path:line:column` the CLI prints and the finder opens.
pub fn location(hit: &Hit) -> (usize, usize) {
    match hit.text_highlights.first() {
        Some(&[s, _]) => relative_line_column(&hit.text, s, hit.line, hit.column),
        None => (hit.line, hit.column),
    }
}

/// Line and column of byte `offset` of a passage that starts at (`line`, `column`).
fn relative_line_column(text: &str, offset: usize, line: usize, column: usize) -> (usize, usize) {
    let before = &text[..offset];
    match before.rfind('\n') {
        Some(nl) => (
            line + before.matches('\n').count(),
            before[nl + 1..].chars().count() + 1,
        ),
        None => (line, column + before.chars().count()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn hit(text: &str, highlights: Vec<[usize; 2]>) -> Hit {
        Hit {
            rank: 1,
            score: 1.5,
            source: "a.txt".into(),
            path: PathBuf::from("seeds/a.txt"),
            start: 100,
            end: 100 + text.len(),
            line: 3,
            column: 5,
            text: text.into(),
            text_highlights: highlights
                .iter()
                .map(|&[s, e]| [s - 100, e - 100])
                .collect(),
            highlights,
            exact: false,
            format: "text".into(),
            encoding: "utf-8".into(),
            title: None,
            offsets: "file",
            page: None,
            chapter: None,
            paragraph: None,
            explain: None,
        }
    }

    #[test]
    fn human_output_points_at_the_first_match_and_collapses_white_space() {
        let text = "one two\n\nthree Đức four";
        let s = text.find("Đức").unwrap() + 100;
        let outcome = Outcome {
            hits: vec![hit(text, vec![[s, s + "Đức".len()]])],
            total: 1,
            query: "duc".into(),
            corrections: vec![],
            timings: Default::default(),
        };
        let mut buf = Vec::new();
        let format = Format::Human {
            color: false,
            full: false,
            context: 200,
        };
        write_hits(&mut buf, &outcome, format).unwrap();
        let printed = String::from_utf8(buf).unwrap();
        let head = format!(
            "seeds/a.txt:5:7: #1 score 1.50 bytes 100..{}\n",
            100 + text.len()
        );
        assert!(printed.starts_with(&head), "{printed}");
        assert!(
            printed.contains("    one two three Đức four\n"),
            "{printed}"
        );
        assert!(!printed.contains('\x1b'));

        let mut buf = Vec::new();
        let format = Format::Human {
            color: true,
            full: true,
            context: 200,
        };
        write_hits(&mut buf, &outcome, format).unwrap();
        let printed = String::from_utf8(buf).unwrap();
        assert!(printed.contains("\x1b[1;31mĐức\x1b[0m"), "{printed:?}");
    }

    #[cfg(unix)]
    #[test]
    fn human_output_names_a_file_by_its_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let mut odd = hit("word", vec![]);
        odd.path = PathBuf::from(std::ffi::OsStr::from_bytes(b"seeds/bad\xffname.txt"));
        let outcome = Outcome {
            hits: vec![odd],
            total: 1,
            query: "word".into(),
            corrections: vec![],
            timings: Default::default(),
        };
        let mut buf = Vec::new();
        let format = Format::Human {
            color: false,
            full: false,
            context: 200,
        };
        write_hits(&mut buf, &outcome, format).unwrap();
        assert!(
            buf.starts_with(b"seeds/bad\xffname.txt:3:5: #1 "),
            "{}",
            String::from_utf8_lossy(&buf)
        );
    }

    #[test]
    fn snippet_window_centres_on_the_matches() {
        let text = format!("{} needle {}", "word ".repeat(100), "word ".repeat(100));
        let at = text.find("needle").unwrap();
        let (from, to) = window(&text, &[(at, at + 6)], 60);
        assert!(from < at && at + 6 <= to, "{from}..{to}");
        assert!(text[from..to].chars().count() <= 60);
        assert!(text[from..].starts_with("word"));
    }
}
