//! Drawing the finder: the query line, the status line (hit count, query time, a quiet hint),
//! the ranked hits with their snippets, and a preview of the selected passage in its file.
//! Reads the state of [`App`]; changes only what depends on the screen's size (the page).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::app::App;
use crate::output;
use crate::search::Hit;

const PROMPT: &str = "> ";

fn matched() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::default().add_modifier(Modifier::DIM)
}

/// The files shown in the preview, read once each (UTF-8 files only; others preview their
/// passage as extracted).
#[derive(Debug, Default)]
pub struct Files {
    read: HashMap<PathBuf, Option<String>>,
}

impl Files {
    /// The text of the file at `path`, if it is UTF-8 and readable.
    fn text(&mut self, path: &Path) -> Option<&str> {
        if self.read.len() > 64 {
            self.read.clear();
        }
        self.read
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                std::fs::read(path)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
            })
            .as_deref()
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &mut App, files: &mut Files) {
    let [query, status, list, preview] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Percentage(45),
        Constraint::Min(3),
    ])
    .areas(frame.area());
    draw_query(frame, app, query);
    draw_status(frame, app, status);
    app.set_page(list.height as usize);
    draw_list(frame, app, list);
    draw_preview(frame, app, files, preview);
}

fn draw_query(frame: &mut Frame, app: &App, area: Rect) {
    let mut spans = vec![
        Span::styled(PROMPT, Style::default().fg(Color::Cyan)),
        Span::raw(app.input.text()),
    ];
    if app.exact {
        spans.push(Span::styled(
            "  [exact]",
            Style::default().fg(Color::Yellow),
        ));
    }
    // A query wider than the screen scrolls so that the cursor stays on it.
    let at = PROMPT.len() + app.input.cursor_width();
    let skip = (at + 1).saturating_sub(area.width as usize);
    let skip = u16::try_from(skip).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(Line::from(spans)).scroll((0, skip)), area);
    let x = (area.x as usize + at).saturating_sub(skip as usize);
    let x = x.min(area.right().saturating_sub(1) as usize) as u16;
    frame.set_cursor_position(Position::new(x, area.y));
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let found = &app.found;
    let mut spans = Vec::new();
    if !app.input.text().trim().is_empty() || !found.hits.is_empty() {
        let noun = if found.total == 1 { "hit" } else { "hits" };
        spans.push(Span::styled(
            format!(
                "{} {noun} in {:.1} ms",
                found.total,
                found.elapsed.as_secs_f64() * 1000.0
            ),
            Style::default().fg(Color::Green),
        ));
        if app.searching() {
            spans.push(Span::styled(" …", dim()));
        }
    }
    if !found.corrections.is_empty() {
        let to: Vec<&str> = found.corrections.iter().map(|c| c.to.as_str()).collect();
        spans.push(Span::styled(
            format!("  showing results for {}", to.join(" ")),
            dim(),
        ));
    }
    if let Some(hint) = &app.hint {
        spans.push(Span::styled(format!("  {hint}"), dim()));
    }
    if let Some(status) = &app.status {
        spans.push(Span::styled(
            format!("  {status}"),
            Style::default().fg(Color::Yellow),
        ));
    }
    if spans.is_empty() {
        spans.push(Span::styled(
            "type to search · ↑↓ select · Enter open · Tab exact · Ctrl-Y copy · Esc quit",
            dim(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_list(frame: &mut Frame, app: &App, area: Rect) {
    let width = area.width as usize;
    let lines: Vec<Line> = app
        .found
        .hits
        .iter()
        .enumerate()
        .skip(app.scroll)
        .take(area.height as usize)
        .map(|(i, hit)| hit_line(hit, i == app.selected, width))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// One row of the list: marker, `path:line:column`, and a snippet of the passage around its
/// matches (white space collapsed), the matched words highlighted as spelled in the text.
fn hit_line(hit: &Hit, selected: bool, width: usize) -> Line<'static> {
    let (line, column) = output::location(hit);
    let marker = if selected { "▌ " } else { "  " };
    let place = format!("{}:{line}:{column}", hit.path.display());
    let used = 2 + place.chars().count() + 2;
    let room = width.saturating_sub(used).max(20);
    let local: Vec<(usize, usize)> = hit.text_highlights.iter().map(|&[s, e]| (s, e)).collect();
    let (from, to) = output::window(&hit.text, &local, room);
    let mut spans = vec![
        Span::styled(marker, Style::default().fg(Color::Cyan)),
        Span::styled(place, Style::default().fg(Color::Magenta)),
        Span::raw("  "),
    ];
    spans.extend(highlighted(&hit.text, &local, from, to, true));
    let mut line = Line::from(spans);
    if selected {
        line = line.style(Style::default().add_modifier(Modifier::REVERSED));
    }
    line
}

/// `text[from..to]` as spans, the `highlights` (byte ranges of `text`, sorted) in the match
/// style; with `collapse`, runs of white space become one space.
fn highlighted(
    text: &str,
    highlights: &[(usize, usize)],
    from: usize,
    to: usize,
    collapse: bool,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut current = String::new();
    let mut in_match = false;
    let mut space = false;
    let mut next = 0;
    for (i, c) in text[from..to].char_indices() {
        let at = from + i;
        while next < highlights.len() && highlights[next].1 <= at {
            next += 1;
        }
        let inside = highlights.get(next).is_some_and(|&(s, _)| s <= at);
        if inside != in_match && !current.is_empty() {
            let style = if in_match {
                matched()
            } else {
                Style::default()
            };
            spans.push(Span::styled(std::mem::take(&mut current), style));
        }
        in_match = inside;
        if collapse && c.is_whitespace() {
            if !space {
                current.push(' ');
            }
            space = true;
        } else if c == '\t' {
            current.push_str("    ");
        } else if c.is_control() {
            current.push(' ');
        } else {
            current.push(c);
            space = false;
        }
    }
    if !current.is_empty() {
        let style = if in_match {
            matched()
        } else {
            Style::default()
        };
        spans.push(Span::styled(current, style));
    }
    spans
}

/// Lines of context shown above the first match.
const CONTEXT_ABOVE: usize = 2;

fn draw_preview(frame: &mut Frame, app: &App, files: &mut Files, area: Rect) {
    let Some(hit) = app.selection() else {
        frame.render_widget(Block::default().borders(Borders::TOP), area);
        return;
    };
    let title = match &hit.title {
        Some(t) => format!(" {} — {} ", hit.path.display(), t.trim()),
        None => format!(" {} ", hit.path.display()),
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, Style::default().fg(Color::Magenta)));
    let height = area.height.saturating_sub(1) as usize;
    let lines = match files.text(&hit.path) {
        Some(text) if fits(hit, text) => file_lines(hit, text, height),
        _ => passage_lines(hit, height),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// Whether the hit's offsets point into `text` (the file was not changed since indexing, and
/// was read as UTF-8 text with file offsets).
fn fits(hit: &Hit, text: &str) -> bool {
    hit.encoding == "utf-8"
        && hit.end <= text.len()
        && text.is_char_boundary(hit.start)
        && text.is_char_boundary(hit.end)
        && hit
            .highlights
            .iter()
            .all(|&[s, e]| s <= e && e <= text.len())
}

/// The file's lines around the hit: a few lines before its first match, numbered, the passage
/// in normal text and the rest dimmed, the matched words highlighted.
fn file_lines(hit: &Hit, text: &str, height: usize) -> Vec<Line<'static>> {
    let anchor = hit.highlights.first().map_or(hit.start, |&[s, _]| s);
    let anchor_line = text[..anchor].matches('\n').count();
    let first = anchor_line.saturating_sub(CONTEXT_ABOVE);
    let highlights: Vec<(usize, usize)> = hit.highlights.iter().map(|&[s, e]| (s, e)).collect();
    let mut offset = 0;
    let mut lines = Vec::new();
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        if n < first {
            continue;
        }
        if lines.len() >= height.max(1) {
            break;
        }
        let body = raw.trim_end_matches(['\n', '\r']);
        let end = start + body.len();
        let inside = end >= hit.start && start < hit.end;
        let mut spans = vec![Span::styled(format!("{:>5} ", n + 1), dim())];
        let mut body_spans = highlighted(text, &highlights, start, end, false);
        if !inside {
            for span in &mut body_spans {
                if span.style == Style::default() {
                    span.style = dim();
                }
            }
        }
        spans.extend(body_spans);
        lines.push(Line::from(spans));
    }
    lines
}

/// The passage as extracted, when the file cannot be shown (another encoding, changed since).
fn passage_lines(hit: &Hit, height: usize) -> Vec<Line<'static>> {
    let local: Vec<(usize, usize)> = hit.text_highlights.iter().map(|&[s, e]| (s, e)).collect();
    let mut lines = Vec::new();
    let mut offset = 0;
    for raw in hit.text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let body = raw.trim_end_matches(['\n', '\r']);
        lines.push(Line::from(highlighted(
            &hit.text,
            &local,
            start,
            start + body.len(),
            false,
        )));
        if lines.len() >= height.max(1) {
            break;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::super::app::{Found, Response};
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use std::time::Duration;

    fn hit(path: &str, text: &str, word: &str, line: usize) -> Hit {
        let s = text.find(word).unwrap();
        Hit {
            exact: true,
            ..Hit::in_text_file(path, path, (0, line, 1), text, &[[s, s + word.len()]])
        }
    }

    fn screen(terminal: &Terminal<TestBackend>) -> Vec<String> {
        let buffer = terminal.backend().buffer();
        (0..buffer.area.height)
            .map(|y| {
                let mut row = String::new();
                for x in 0..buffer.area.width {
                    row.push_str(buffer[(x, y)].symbol());
                }
                row.trim_end().to_string()
            })
            .collect()
    }

    #[test]
    fn the_screen_shows_the_query_the_count_the_hits_and_a_preview() {
        let mut app = App::new("tran duc l", false);
        let r = app.request().unwrap();
        app.receive(Response {
            generation: r.generation,
            result: Ok(Found {
                hits: vec![
                    hit(
                        "missing/003.txt",
                        "Chủ tịch nước Trần Đức Lương đón",
                        "Trần Đức Lương",
                        4,
                    ),
                    hit("missing/000.txt", "Ông Trần Đức Lương 漢字", "Lương", 9),
                ],
                total: 2,
                elapsed: Duration::from_micros(1500),
                corrections: vec![],
                query: "tran duc l*".into(),
            }),
        });
        app.move_by(1);
        let mut terminal = Terminal::new(TestBackend::new(60, 12)).unwrap();
        let mut files = Files::default();
        terminal.draw(|f| draw(f, &mut app, &mut files)).unwrap();
        let rows = screen(&terminal);
        assert_eq!(rows[0], "> tran duc l", "{rows:#?}");
        assert!(rows[1].starts_with("2 hits in 1.5 ms"), "{rows:#?}");
        assert!(
            rows[2].starts_with("  missing/003.txt:4:15  Chủ tịch nước Trần Đức Lương đón"),
            "{rows:#?}"
        );
        assert!(
            rows[3].starts_with("▌ missing/000.txt:9:14  Ông Trần Đức Lương"),
            "{rows:#?}"
        );
        // The preview of the selected hit: its file cannot be read, so its passage.
        let preview = rows
            .iter()
            .position(|r| r.contains(" missing/000.txt "))
            .unwrap();
        assert!(
            rows[preview + 1].starts_with("Ông Trần Đức Lương"),
            "{rows:#?}"
        );
        // The cursor is after the query; matched words are highlighted.
        terminal.backend_mut().assert_cursor_position((12, 0));
        let buffer = terminal.backend().buffer();
        assert_eq!(buffer[(38, 2)].symbol(), "T");
        assert!(buffer[(38, 2)].modifier.contains(Modifier::BOLD));
        assert!(!buffer[(24, 2)].modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn the_preview_shows_the_file_around_the_match() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let text = "one\ntwo\nthree\nfour Lương five\nsix\nseven\n";
        std::fs::write(&path, text).unwrap();
        let s = text.find("four").unwrap();
        let mut h = hit(path.to_str().unwrap(), &text[s..], "Lương", 4);
        h.start = s;
        h.end = s + "four Lương five".len();
        h.highlights = vec![[
            text.find("Lương").unwrap(),
            text.find("Lương").unwrap() + "Lương".len(),
        ]];
        let mut app = App::new("luong", false);
        let r = app.request().unwrap();
        app.receive(Response {
            generation: r.generation,
            result: Ok(Found {
                hits: vec![h],
                total: 1,
                ..Found::default()
            }),
        });
        let mut terminal = Terminal::new(TestBackend::new(50, 14)).unwrap();
        let mut files = Files::default();
        terminal.draw(|f| draw(f, &mut app, &mut files)).unwrap();
        let rows = screen(&terminal);
        let at = rows.iter().position(|r| r.contains("a.txt ")).unwrap();
        assert_eq!(rows[at + 1], "    2 two", "{rows:#?}");
        assert_eq!(rows[at + 3], "    4 four Lương five", "{rows:#?}");
        assert_eq!(rows[at + 4], "    5 six", "{rows:#?}");
    }

    #[test]
    fn a_long_query_scrolls_to_keep_the_cursor_on_screen() {
        let mut app = App::new("Trần Đức Lương Nguyễn Phú Trọng", false);
        let mut terminal = Terminal::new(TestBackend::new(20, 8)).unwrap();
        let mut files = Files::default();
        terminal.draw(|f| draw(f, &mut app, &mut files)).unwrap();
        let rows = screen(&terminal);
        assert!(rows[0].ends_with("Phú Trọng"), "{rows:#?}");
        terminal.backend_mut().assert_cursor_position((19, 0));
    }

    #[test]
    fn an_unparsable_query_shows_a_quiet_hint() {
        let mut app = App::new("cam \"ranh", false);
        let r = app.request().unwrap();
        app.receive(Response {
            generation: r.generation,
            result: Err("unbalanced quote".into()),
        });
        let mut terminal = Terminal::new(TestBackend::new(40, 8)).unwrap();
        let mut files = Files::default();
        terminal.draw(|f| draw(f, &mut app, &mut files)).unwrap();
        let rows = screen(&terminal);
        assert!(rows[1].contains("unbalanced quote"), "{rows:#?}");
    }
}
