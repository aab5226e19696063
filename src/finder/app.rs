//! The finder's state, pure: the query being typed (edited by grapheme clusters), the results
//! shown, the selection, and what a key asks for. No terminal and no index here: keys come in as
//! crossterm's plain data, searches go out as [`Request`]s and come back as [`Response`]s, so
//! every behaviour is testable without a screen.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::output;
use crate::search::{Correction, Hit};

/// The query line: text and a cursor that always sits between two grapheme clusters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input {
    text: String,
    /// Byte offset of the cursor in `text`, on a grapheme boundary.
    cursor: usize,
}

impl Input {
    /// A line holding `text`, the cursor at its end.
    pub fn new(text: &str) -> Self {
        let mut input = Input::default();
        input.insert(text);
        input
    }

    /// The text typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor's byte offset.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Display columns before the cursor (wide characters count 2, combining marks 0).
    pub fn cursor_width(&self) -> usize {
        self.text[..self.cursor].width()
    }

    /// Inserts `s` at the cursor. Line breaks and other control characters become spaces
    /// (pasted text stays on the line). The line is kept in NFC, so NFD text pasted or composed
    /// by an input method (a base letter, then its marks) edits and renders as the letters it
    /// shows.
    pub fn insert(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        self.text.insert_str(self.cursor, &clean);
        let before = self.text[..self.cursor + clean.len()]
            .graphemes(true)
            .count();
        self.text = self.text.nfc().collect();
        self.cursor = self.grapheme_offset(before);
    }

    /// The byte offset after the first `n` grapheme clusters.
    fn grapheme_offset(&self, n: usize) -> usize {
        self.text
            .grapheme_indices(true)
            .nth(n)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn previous_boundary(&self) -> Option<usize> {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map(|g| self.cursor + g.len())
    }

    /// Deletes the grapheme before the cursor; false if there is none.
    pub fn backspace(&mut self) -> bool {
        let Some(at) = self.previous_boundary() else {
            return false;
        };
        self.text.replace_range(at..self.cursor, "");
        self.cursor = at;
        true
    }

    /// Deletes the grapheme under the cursor; false if there is none.
    pub fn delete(&mut self) -> bool {
        let Some(to) = self.next_boundary() else {
            return false;
        };
        self.text.replace_range(self.cursor..to, "");
        true
    }

    /// Deletes the word before the cursor and the spaces after it (Ctrl-W).
    pub fn delete_word(&mut self) -> bool {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        let at = trimmed.rfind(char::is_whitespace).map_or(0, |i| {
            i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
        });
        if at == self.cursor {
            return false;
        }
        self.text.replace_range(at..self.cursor, "");
        self.cursor = at;
        true
    }

    /// Deletes everything before the cursor (Ctrl-U).
    pub fn delete_to_start(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.text.replace_range(..self.cursor, "");
        self.cursor = 0;
        true
    }

    /// Moves one grapheme left.
    pub fn left(&mut self) {
        if let Some(at) = self.previous_boundary() {
            self.cursor = at;
        }
    }

    /// Moves one grapheme right.
    pub fn right(&mut self) {
        if let Some(at) = self.next_boundary() {
            self.cursor = at;
        }
    }

    /// Moves to the start of the line.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Moves to the end of the line.
    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }
}

/// True for the characters a plain word is made of: letters, digits and combining marks.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// The query to run for `typed` while it is being typed: the last word also matches as a prefix
/// (`tran duc l` runs `tran duc l*`) when the line does not end with a space, no quote is open
/// and the last token is a plain word (not an operator, an exclusion, a field or a word that
/// already ends in `*` or `~`). Anything else runs as typed.
pub fn live_query(typed: &str) -> String {
    let query = typed.trim_start();
    if query.is_empty() || query.ends_with(char::is_whitespace) {
        return query.to_string();
    }
    if query.matches('"').count() % 2 == 1 {
        return query.to_string();
    }
    let last = query
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    let plain =
        !last.is_empty() && last.chars().all(is_word_char) && !matches!(last, "OR" | "NOT" | "AND");
    if plain {
        format!("{query}*")
    } else {
        query.to_string()
    }
}

/// A search for the worker to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Increases with every request; the answer carries it back.
    pub generation: u64,
    /// The query to run (with the live prefix, see [`live_query`]).
    pub query: String,
    /// Exact spellings only.
    pub exact: bool,
}

/// What a search found, ready to show.
#[derive(Clone, Debug, Default)]
pub struct Found {
    /// The best hits, in rank order.
    pub hits: Vec<Hit>,
    /// How many passages match in all.
    pub total: usize,
    /// How long the search took.
    pub elapsed: Duration,
    /// Words the typo retry replaced.
    pub corrections: Vec<Correction>,
    /// The query as parsed and folded (the `query` of a JSON hit).
    pub query: String,
}

/// The worker's answer to a [`Request`].
#[derive(Clone, Debug)]
pub struct Response {
    /// The generation of the request answered.
    pub generation: u64,
    /// The hits, or why the query could not run (usually: it does not parse yet).
    pub result: std::result::Result<Found, String>,
}

/// What a key asks the run loop to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Nothing beyond redrawing.
    None,
    /// Leave (Esc, Ctrl-C).
    Quit,
    /// Enter: open or print this hit (none when the list is empty).
    Accept(Option<Box<Hit>>),
    /// Ctrl-Y: copy this text (`path:line:column`).
    Copy(String),
}

/// The whole state of the finder.
#[derive(Debug, Default)]
pub struct App {
    /// The query line.
    pub input: Input,
    /// Exact spellings only (Tab).
    pub exact: bool,
    /// The results shown.
    pub found: Found,
    /// The generation of the results shown.
    shown: u64,
    /// The generation of the newest request.
    requested: u64,
    /// The (query, exact) of the newest request, to send each change once.
    last_sent: Option<(String, bool)>,
    /// Why the newest query shows the previous results (it does not parse yet).
    pub hint: Option<String>,
    /// A one-off message (copied, the editor failed).
    pub status: Option<String>,
    /// Index of the selected hit.
    pub selected: usize,
    /// Index of the first hit on screen.
    pub scroll: usize,
    /// Hits that fit on the screen (set when drawing).
    page: usize,
}

impl App {
    /// A finder starting with `query` typed.
    pub fn new(query: &str, exact: bool) -> Self {
        App {
            input: Input::new(query),
            exact,
            page: 10,
            ..App::default()
        }
    }

    /// Whether a search is under way whose results are not shown yet.
    pub fn searching(&self) -> bool {
        self.requested > self.shown
    }

    /// The selected hit.
    pub fn selection(&self) -> Option<&Hit> {
        self.found.hits.get(self.selected)
    }

    /// The search to run now, if the query or `exact` changed since the last one. A blank line
    /// clears the results at once, with no search (and older answers still under way are
    /// dropped when they arrive).
    pub fn request(&mut self) -> Option<Request> {
        let query = live_query(self.input.text());
        let key = (query.clone(), self.exact);
        if self.last_sent.as_ref() == Some(&key) {
            return None;
        }
        self.last_sent = Some(key);
        self.requested += 1;
        if query.trim().is_empty() {
            self.shown = self.requested;
            self.found = Found::default();
            self.hint = None;
            self.selected = 0;
            self.scroll = 0;
            return None;
        }
        Some(Request {
            generation: self.requested,
            query,
            exact: self.exact,
        })
    }

    /// Takes the worker's answer. An answer older than the results shown is stale and dropped
    /// (false). An error keeps the last good results and becomes a quiet hint.
    pub fn receive(&mut self, response: Response) -> bool {
        if response.generation <= self.shown {
            return false;
        }
        self.shown = response.generation;
        match response.result {
            Ok(found) => {
                self.found = found;
                self.hint = None;
                self.selected = 0;
                self.scroll = 0;
            }
            Err(message) => self.hint = Some(message),
        }
        true
    }

    /// Sets how many hits fit on the screen, keeping the selection in view.
    pub fn set_page(&mut self, rows: usize) {
        self.page = rows.max(1);
        self.follow();
    }

    /// Moves the selection by `delta` hits, within the list.
    pub fn move_by(&mut self, delta: isize) {
        let n = self.found.hits.len();
        if n == 0 {
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(n - 1);
        self.follow();
    }

    /// Scrolls so that the selected hit is on screen.
    fn follow(&mut self) {
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + self.page {
            self.scroll = self.selected + 1 - self.page;
        }
    }

    /// The hit's `path:line:column`, pointing at its first match.
    pub fn location_of(hit: &Hit) -> String {
        let (line, column) = output::location(hit);
        format!("{}:{line}:{column}", hit.path.display())
    }

    /// Handles one key.
    pub fn on_key(&mut self, key: KeyEvent) -> Action {
        if key.kind == KeyEventKind::Release {
            return Action::None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        self.status = None;
        let page = self.page as isize;
        match key.code {
            KeyCode::Esc => return Action::Quit,
            KeyCode::Char('c') if ctrl => return Action::Quit,
            KeyCode::Enter => return Action::Accept(self.selection().cloned().map(Box::new)),
            KeyCode::Char('y') if ctrl => {
                if let Some(hit) = self.selection() {
                    return Action::Copy(Self::location_of(hit));
                }
            }
            KeyCode::Tab => self.exact = !self.exact,
            KeyCode::Up => self.move_by(-1),
            KeyCode::Char('p' | 'k') if ctrl => self.move_by(-1),
            KeyCode::Down => self.move_by(1),
            KeyCode::Char('n' | 'j') if ctrl => self.move_by(1),
            KeyCode::PageUp => self.move_by(-page),
            KeyCode::PageDown => self.move_by(page),
            KeyCode::Left => self.input.left(),
            KeyCode::Right => self.input.right(),
            KeyCode::Home => self.input.home(),
            KeyCode::Char('a') if ctrl => self.input.home(),
            KeyCode::End => self.input.end(),
            KeyCode::Char('e') if ctrl => self.input.end(),
            KeyCode::Backspace if ctrl || alt => {
                self.input.delete_word();
            }
            KeyCode::Backspace => {
                self.input.backspace();
            }
            KeyCode::Char('h') if ctrl => {
                self.input.backspace();
            }
            KeyCode::Delete => {
                self.input.delete();
            }
            KeyCode::Char('d') if ctrl => {
                self.input.delete();
            }
            KeyCode::Char('w') if ctrl => {
                self.input.delete_word();
            }
            KeyCode::Char('u') if ctrl => {
                self.input.delete_to_start();
            }
            KeyCode::Char(c) if !ctrl && !alt => self.input.insert(c.encode_utf8(&mut [0; 4])),
            _ => {}
        }
        Action::None
    }

    /// Handles pasted text.
    pub fn on_paste(&mut self, text: &str) {
        self.status = None;
        self.input.insert(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            app.on_key(key(KeyCode::Char(c)));
        }
    }

    fn hit(n: usize) -> Hit {
        let source = format!("{n:03}.txt");
        Hit {
            rank: n + 1,
            ..Hit::in_text_file(
                &source,
                format!("seeds/{source}"),
                (0, 1, 1),
                "Trần",
                &[[0, 5]],
            )
        }
    }

    fn found(n: usize) -> Found {
        Found {
            hits: (0..n).map(hit).collect(),
            total: n,
            elapsed: Duration::from_micros(300),
            corrections: vec![],
            query: "x".into(),
        }
    }

    #[test]
    fn typing_and_deleting_go_by_grapheme() {
        let mut app = App::new("", false);
        type_text(&mut app, "Lương 😀 다");
        assert_eq!(app.input.text(), "Lương 😀 다");
        // Wide characters count two columns.
        assert_eq!(app.input.cursor_width(), 5 + 1 + 2 + 1 + 2);
        app.on_key(key(KeyCode::Backspace));
        app.on_key(key(KeyCode::Backspace));
        assert_eq!(app.input.text(), "Lương 😀");
        app.on_key(key(KeyCode::Backspace));
        assert_eq!(app.input.text(), "Lương ");
        app.on_key(key(KeyCode::Left));
        app.on_key(key(KeyCode::Left));
        app.on_key(key(KeyCode::Backspace));
        assert_eq!(app.input.text(), "Lươg ");
        app.on_key(key(KeyCode::Delete));
        assert_eq!(app.input.text(), "Lươ ");
        app.on_key(ctrl('u'));
        assert_eq!(app.input.text(), " ");
        app.on_key(key(KeyCode::End));
        app.on_key(ctrl('w'));
        assert_eq!(app.input.text(), "");
        // Nothing left to delete: no panic.
        app.on_key(key(KeyCode::Backspace));
        app.on_key(key(KeyCode::Delete));
    }

    #[test]
    fn nfd_text_and_input_method_marks_compose() {
        let mut input = Input::new("Tra\u{0302}\u{0300}n");
        assert_eq!(input.text(), "Trần");
        assert_eq!(input.cursor_width(), 4);
        // A method that sends the base letter, then the mark.
        input.insert("Đu");
        input.insert("\u{031B}");
        assert_eq!(input.text(), "TrầnĐư");
        assert!(input.backspace());
        assert_eq!(input.text(), "TrầnĐ");
        // A grapheme that does not compose (e + two marks without a precomposed form).
        let mut input = Input::new("ae\u{0304}\u{0330}b");
        input.left();
        assert!(input.backspace());
        assert_eq!(input.text(), "ab");
        // Pasted lines stay one line.
        let mut input = Input::new("Cam\nRanh\t");
        assert_eq!(input.text(), "Cam Ranh ");
        input.home();
        input.right();
        input.insert("x");
        assert_eq!(input.text(), "Cxam Ranh ");
    }

    #[test]
    fn the_last_word_is_a_prefix_while_typing() {
        assert_eq!(live_query("tran duc l"), "tran duc l*");
        assert_eq!(live_query("Trần Đức Lươ"), "Trần Đức Lươ*");
        assert_eq!(live_query("tran duc "), "tran duc ");
        assert_eq!(live_query("\"cam ranh"), "\"cam ranh");
        assert_eq!(live_query("\"cam ranh\""), "\"cam ranh\"");
        assert_eq!(live_query("Putin -Guam"), "Putin -Guam");
        assert_eq!(live_query("Kosygin OR"), "Kosygin OR");
        assert_eq!(live_query("Varshav*"), "Varshav*");
        assert_eq!(live_query("Lavrof~"), "Lavrof~");
        assert_eq!(live_query("source:004"), "source:004");
        assert_eq!(live_query("(Kosygin OR Lav"), "(Kosygin OR Lav*");
        assert_eq!(live_query("(Lavrov)"), "(Lavrov)");
        assert_eq!(live_query("  "), "");
    }

    #[test]
    fn each_change_is_requested_once_with_a_new_generation() {
        let mut app = App::new("", false);
        assert_eq!(app.request(), None, "a blank line searches nothing");
        type_text(&mut app, "tran");
        let first = app.request().unwrap();
        assert_eq!(first.query, "tran*");
        assert_eq!(app.request(), None);
        app.on_key(key(KeyCode::Tab));
        let second = app.request().unwrap();
        assert!(second.exact && second.generation > first.generation);
        assert!(app.searching());
    }

    #[test]
    fn stale_results_are_dropped() {
        let mut app = App::new("", false);
        type_text(&mut app, "t");
        let old = app.request().unwrap();
        type_text(&mut app, "r");
        let new = app.request().unwrap();
        assert!(app.receive(Response {
            generation: new.generation,
            result: Ok(found(2)),
        }));
        assert!(!app.searching());
        // The answer to the older query arrives late: dropped.
        assert!(!app.receive(Response {
            generation: old.generation,
            result: Ok(found(7)),
        }));
        assert_eq!(app.found.hits.len(), 2);
        // Clearing the line drops the answers still under way.
        type_text(&mut app, "a");
        let pending = app.request().unwrap();
        app.on_key(ctrl('u'));
        assert_eq!(app.request(), None);
        assert!(app.found.hits.is_empty());
        assert!(!app.receive(Response {
            generation: pending.generation,
            result: Ok(found(3)),
        }));
        assert!(app.found.hits.is_empty());
    }

    #[test]
    fn a_query_that_does_not_parse_keeps_the_last_good_results() {
        let mut app = App::new("cam", false);
        let r = app.request().unwrap();
        app.receive(Response {
            generation: r.generation,
            result: Ok(found(3)),
        });
        app.move_by(1);
        type_text(&mut app, " \"ranh");
        let r = app.request().unwrap();
        assert_eq!(r.query, "cam \"ranh");
        app.receive(Response {
            generation: r.generation,
            result: Err("unbalanced quote".into()),
        });
        assert_eq!(app.found.hits.len(), 3);
        assert_eq!(app.selected, 1);
        assert_eq!(app.hint.as_deref(), Some("unbalanced quote"));
        type_text(&mut app, "\"");
        let r = app.request().unwrap();
        app.receive(Response {
            generation: r.generation,
            result: Ok(found(1)),
        });
        assert_eq!(app.hint, None);
        assert_eq!(app.selected, 0);
    }

    #[test]
    fn selection_and_paging_stay_in_bounds() {
        let mut app = App::new("x", false);
        let r = app.request().unwrap();
        app.receive(Response {
            generation: r.generation,
            result: Ok(found(25)),
        });
        app.set_page(10);
        app.on_key(key(KeyCode::Up));
        assert_eq!((app.selected, app.scroll), (0, 0));
        app.on_key(ctrl('n'));
        app.on_key(key(KeyCode::Down));
        assert_eq!(app.selected, 2);
        app.on_key(ctrl('p'));
        assert_eq!(app.selected, 1);
        app.on_key(key(KeyCode::PageDown));
        assert_eq!((app.selected, app.scroll), (11, 2));
        app.on_key(key(KeyCode::PageDown));
        app.on_key(key(KeyCode::PageDown));
        assert_eq!((app.selected, app.scroll), (24, 15));
        app.on_key(key(KeyCode::PageUp));
        assert_eq!((app.selected, app.scroll), (14, 14));
        app.on_key(key(KeyCode::PageUp));
        app.on_key(key(KeyCode::PageUp));
        assert_eq!((app.selected, app.scroll), (0, 0));
        // A smaller screen keeps the selection in view.
        app.move_by(9);
        app.set_page(4);
        assert_eq!((app.selected, app.scroll), (9, 6));
        // An empty list: moving does nothing, Enter accepts nothing, Ctrl-Y copies nothing.
        let mut empty = App::new("", false);
        empty.on_key(key(KeyCode::PageDown));
        assert_eq!(empty.selected, 0);
        assert_eq!(empty.on_key(key(KeyCode::Enter)), Action::Accept(None));
        assert_eq!(empty.on_key(ctrl('y')), Action::None);
    }

    #[test]
    fn keys_ask_for_actions() {
        let mut app = App::new("x", false);
        let r = app.request().unwrap();
        app.receive(Response {
            generation: r.generation,
            result: Ok(found(2)),
        });
        app.on_key(key(KeyCode::Down));
        assert_eq!(
            app.on_key(ctrl('y')),
            Action::Copy("seeds/001.txt:1:1".into())
        );
        assert_eq!(
            app.on_key(key(KeyCode::Enter)),
            Action::Accept(Some(Box::new(hit(1))))
        );
        assert_eq!(app.on_key(key(KeyCode::Esc)), Action::Quit);
        assert_eq!(app.on_key(ctrl('c')), Action::Quit);
        assert_eq!(app.input.text(), "x", "control keys type nothing");
    }
}
