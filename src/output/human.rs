//! Hits for people: `path:line:column:` (or the page, chapter or paragraph of a document), rank,
//! score, byte range, then a snippet around the matched words, in colour on a terminal.

use std::io::{self, Write};

use crate::search::Hit;

const RESET: &str = "\x1b[0m";
const MATCH: &str = "\x1b[1;31m";
const PATH: &str = "\x1b[35m";
const LOCATION: &str = "\x1b[32m";
const DIM: &str = "\x1b[2m";

/// Writes one hit for people.
pub(super) fn write_human(
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
    let place = match &hit.place {
        Some(place) => place.to_string(),
        None => format!("{line}:{column}"),
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
    use crate::output::{write_hits, Format};
    use crate::search::Outcome;
    use std::path::PathBuf;

    fn hit(text: &str, highlights: Vec<[usize; 2]>) -> Hit {
        let matched: Vec<[usize; 2]> = highlights
            .iter()
            .map(|&[s, e]| [s - 100, e - 100])
            .collect();
        Hit {
            score: 1.5,
            ..Hit::in_text_file("a.txt", "seeds/a.txt", (100, 3, 5), text, &matched)
        }
    }

    /// What `hit` prints as human text (snippets of 200 characters).
    fn human(hit: Hit, query: &str, color: bool, full: bool) -> Vec<u8> {
        let outcome = Outcome {
            hits: vec![hit],
            total: 1,
            query: query.into(),
            corrections: vec![],
            missing: vec![],
            timings: Default::default(),
        };
        let mut buf = Vec::new();
        let format = Format::Human {
            color,
            full,
            context: 200,
        };
        write_hits(&mut buf, &outcome, format).unwrap();
        buf
    }

    #[test]
    fn human_output_points_at_the_first_match_and_collapses_white_space() {
        let text = "one two\n\nthree Đức four";
        let s = text.find("Đức").unwrap() + 100;
        let found = hit(text, vec![[s, s + "Đức".len()]]);
        let printed = String::from_utf8(human(found.clone(), "duc", false, false)).unwrap();
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

        let printed = String::from_utf8(human(found, "duc", true, true)).unwrap();
        assert!(printed.contains("\x1b[1;31mĐức\x1b[0m"), "{printed:?}");
    }

    #[cfg(unix)]
    #[test]
    fn human_output_names_a_file_by_its_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let mut odd = hit("word", vec![]);
        odd.path = PathBuf::from(std::ffi::OsStr::from_bytes(b"seeds/bad\xffname.txt"));
        let buf = human(odd, "word", false, false);
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
