//! `tracuu find`: search as you type, full screen. This file owns the terminal (raw mode, the
//! alternate screen, restoring both on every way out: quit, Enter with `--print`, a panic,
//! SIGTERM/SIGHUP/SIGINT, an editor that fails, the terminal going away) and the run loop;
//! [`app`] is the state (pure), [`ui`] draws it, [`editor`] builds the command line that opens a
//! hit, [`wait`] is what the loop sleeps on.
//!
//! Searches run on a worker thread that keeps the [`Engine`] open: the loop sends each changed
//! query with a generation number, the worker always takes the newest pending one, and answers
//! older than what is shown are dropped, so typing never waits for a search. The worker wakes
//! the loop when it answers, so an answer shows as soon as it is ready.

pub mod app;
pub mod editor;
pub mod ui;
pub mod wait;

use std::cell::Cell;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Once, OnceLock};
use std::thread;
use std::time::Instant;

use rustix::termios::{OptionalActions, Termios};
use signal_hook::consts::SIGINT;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::terminal::{self, Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use self::app::{Action, App, Found, Request, Response};
use self::wait::{Ready, Waiter, Waker};
use crate::engine::Remote;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output;
use crate::search::{Cancel, Engine, Engines, Hit, SearchOptions};

/// Hits fetched and highlighted per search: several screens of the list, and a bounded cost
/// per keystroke however many passages match (the count covers them all).
const LIMIT: usize = 50;

/// How `tracuu find` was asked to run.
#[derive(Clone, Debug, Default)]
pub struct FindOptions {
    /// The query to start with.
    pub query: String,
    /// Start with exact spellings only.
    pub exact: bool,
    /// Enter prints the selection to stdout and exits instead of opening an editor.
    pub print: bool,
    /// With `print`: one JSON hit (the `search --json` schema) instead of `path:line:column`.
    pub json: bool,
}

type Screen = Terminal<CrosstermBackend<BufWriter<File>>>;

/// How the loop ended.
enum Ended {
    /// Esc or Ctrl-C.
    Quit,
    /// Enter with `--print`: this hit and the folded query it answers, or none.
    Print(Option<(Box<Hit>, String)>),
    /// A signal asked us to stop.
    Signal(usize),
    /// The terminal went away.
    Lost,
}

/// Runs the finder on `engines` (one index, or several searched as one, sharing statistics)
/// until the user leaves; how it ended: success, or with `--print` success if something was
/// printed and nothing found if not; the signal that ended it, or the terminal lost.
pub fn run(searcher: Searcher, options: FindOptions) -> Result<Exit> {
    let tty = open_tty().map_err(|_| {
        Error::Usage(
            "`tracuu find` is interactive and needs a terminal; use `tracuu search` in scripts"
                .into(),
        )
    })?;
    install_panic_hook();
    let session = Session::enter(tty)?;
    // Keys are read from here on, in raw mode (a failure here restores the terminal).
    let signal = Arc::new(AtomicUsize::new(0));
    let waiter = Waiter::new(&signal).map_err(|e| Error::io("/dev/tty", e))?;
    let (requests, worker_requests) = mpsc::channel();
    let (worker_responses, responses) = mpsc::channel();
    let waker = waiter.waker().map_err(|e| Error::io("worker thread", e))?;
    let newest = Arc::new(AtomicU64::new(0));
    let worker_newest = newest.clone();
    thread::Builder::new()
        .name("tracuu-find".into())
        .spawn(move || {
            worker(
                searcher,
                worker_requests,
                worker_responses,
                waker,
                worker_newest,
            )
        })
        .map_err(|e| Error::io("worker thread", e))?;
    let channel = Channel {
        requests,
        responses,
        newest,
    };
    let ended = run_loop(session, &options, &signal, &waiter, &channel);
    // Whatever failed, with no terminal left there is nobody to tell.
    let ended = match ended {
        Err(_) if waiter.lost() => Ok(Ended::Lost),
        ended => ended,
    };
    drop(waiter);
    match ended? {
        // With --print, leaving without a hit is nothing found, as for a search.
        Ended::Quit if options.print => Ok(Exit::NothingFound),
        Ended::Quit => Ok(Exit::Success),
        Ended::Signal(sig) => Ok(Exit::Signal(sig)),
        Ended::Lost => Ok(Exit::TerminalLost),
        Ended::Print(None) => Ok(Exit::NothingFound),
        Ended::Print(Some((hit, query))) => {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            let written = if options.json {
                serde_json::to_writer(&mut out, &output::JsonHit::new(&hit, &query))
                    .map_err(io::Error::other)
                    .and_then(|()| writeln!(out))
            } else {
                // The name's own bytes, as search prints it: it opens the file even when the
                // name is not UTF-8.
                let (line, column) = output::location(&hit);
                out.write_all(hit.path.as_os_str().as_encoded_bytes())
                    .and_then(|()| writeln!(out, ":{line}:{column}"))
            };
            written.and_then(|()| out.flush()).map_err(Error::stdout)?;
            Ok(Exit::Success)
        }
    }
}

thread_local! {
    /// Set on the thread that owns the terminal: a panic there restores it first.
    static OWNS_TERMINAL: Cell<bool> = const { Cell::new(false) };
}

/// Whether the terminal is in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The terminal's settings before the finder first changed them.
static SETTINGS: OnceLock<Termios> = OnceLock::new();

fn open_tty() -> io::Result<File> {
    OpenOptions::new().read(true).write(true).open("/dev/tty")
}

/// Raw mode and the alternate screen, for as long as it lives; dropping it (a return, `?`, or
/// unwinding from a panic) restores the terminal.
struct Session {
    terminal: Screen,
}

impl Session {
    fn enter(tty: File) -> Result<Session> {
        if let Ok(settings) = rustix::termios::tcgetattr(&tty) {
            let _ = SETTINGS.set(settings);
        }
        OWNS_TERMINAL.with(|c| c.set(true));
        let terminal = Self::screen(tty).map_err(|e| {
            restore();
            Error::io("/dev/tty", e)
        })?;
        Ok(Session { terminal })
    }

    /// Raw mode, the alternate screen cleared, and a terminal whose next frame draws every
    /// cell. (ratatui's `clear` would ask the terminal where its cursor is; this never asks.)
    fn screen(tty: File) -> io::Result<Screen> {
        let mut out = BufWriter::new(tty);
        setup(&mut out)?;
        Terminal::new(CrosstermBackend::new(out))
    }

    /// Leaves the terminal as it was for `f` (an editor), then takes it back and redraws.
    fn suspend<T>(&mut self, f: impl FnOnce() -> T) -> io::Result<T> {
        restore();
        let result = f();
        // An editor that failed may have left its own settings (raw, no echo).
        put_back_settings();
        self.terminal = Self::screen(open_tty()?)?;
        Ok(result)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        restore();
        OWNS_TERMINAL.with(|c| c.set(false));
    }
}

fn setup(out: &mut impl Write) -> io::Result<()> {
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        Clear(ClearType::All),
        cursor::Show
    )
}

/// Puts the terminal back as it was (once; later calls do nothing).
fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = terminal::disable_raw_mode();
    put_back_settings();
    if let Ok(mut tty) = open_tty() {
        let _ = execute!(
            tty,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
    }
}

/// Puts back the settings the terminal had before the finder started.
fn put_back_settings() {
    if let (Some(settings), Ok(tty)) = (SETTINGS.get(), open_tty()) {
        let _ = rustix::termios::tcsetattr(&tty, OptionalActions::Now, settings);
    }
}

/// A panic on the thread that owns the terminal restores it before the panic is reported.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if OWNS_TERMINAL.with(Cell::get) {
                restore();
            }
            previous(info);
        }));
    });
}

/// The finder's side of the search thread.
struct Channel {
    requests: Sender<Request>,
    responses: Receiver<Response>,
    /// The generation of the newest request: the search thread gives up older ones.
    newest: Arc<AtomicU64>,
}

fn run_loop(
    mut session: Session,
    options: &FindOptions,
    signal: &AtomicUsize,
    waiter: &Waiter,
    channel: &Channel,
) -> Result<Ended> {
    let tty_error = |e: io::Error| Error::io("/dev/tty", e);
    let mut app = App::new(&options.query, options.exact);
    let mut files = ui::Files::default();
    let mut dirty = true;
    loop {
        if let Some(request) = app.request() {
            dirty = true;
            channel.newest.store(request.generation, Ordering::SeqCst);
            if channel.requests.send(request).is_err() {
                return Err(Error::SearchThreadStopped);
            }
        }
        loop {
            match channel.responses.try_recv() {
                Ok(response) => dirty |= app.receive(response),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return Err(Error::SearchThreadStopped),
            }
        }
        if dirty {
            session
                .terminal
                .draw(|frame| ui::draw(frame, &mut app, &mut files))
                .map_err(tty_error)?;
            dirty = false;
        }
        match signal.load(Ordering::SeqCst) {
            0 => {}
            sig => return Ok(Ended::Signal(sig)),
        }
        // Keys (a resize included: the next draw fits the new size), signals and answers all
        // wake this, and so does the terminal going away.
        if waiter.wait().map_err(tty_error)? == Ready::Lost {
            return Ok(Ended::Lost);
        }
        // Take every key waiting (typing fast, a paste) before the next search.
        while let Some(event) = waiter.key() {
            dirty = true;
            let event = event.map_err(tty_error)?;
            crate::failpoint::hit("finder-key").map_err(tty_error)?;
            if let Some(exit) = on_event(event, &mut app, &mut session, options, signal, waiter)? {
                return Ok(exit);
            }
        }
    }
}

/// Acts on one event; how the finder ends, if it does.
fn on_event(
    event: Event,
    app: &mut App,
    session: &mut Session,
    options: &FindOptions,
    signal: &AtomicUsize,
    waiter: &Waiter,
) -> Result<Option<Ended>> {
    let tty_error = |e: io::Error| Error::io("/dev/tty", e);
    match event {
        Event::Key(key) => match app.on_key(key) {
            Action::None => {}
            Action::Quit => return Ok(Some(Ended::Quit)),
            Action::Accept(hit) if options.print => {
                let query = app.found.query.clone();
                return Ok(Some(Ended::Print(hit.map(|h| (h, query)))));
            }
            Action::Accept(None) => {}
            Action::Accept(Some(hit)) => {
                let before = signal.load(Ordering::SeqCst);
                // Nobody else reads the terminal while the editor has it.
                let failure = waiter
                    .paused(|| session.suspend(|| open(&hit)))
                    .map_err(tty_error)?;
                // Ctrl-C in the editor reaches the finder too (same process group); like
                // system(3), the finder does not stop for it.
                if before == 0 {
                    let _ = signal.compare_exchange(
                        SIGINT as usize,
                        0,
                        Ordering::SeqCst,
                        Ordering::SeqCst,
                    );
                }
                app.status = failure.err();
            }
            Action::Copy(text) => {
                copy(session.terminal.backend_mut(), &text).map_err(tty_error)?;
                app.status = Some(format!("copied {text}"));
            }
        },
        Event::Paste(text) => app.on_paste(&text),
        _ => {}
    }
    Ok(None)
}

/// Opens `hit` in the user's editor, on the terminal; why it failed, if it did.
fn open(hit: &Hit) -> std::result::Result<(), String> {
    let (line, column) = output::location(hit);
    let editor = editor::configured(std::env::var_os("VISUAL"), std::env::var_os("EDITOR"));
    let argv = editor::command_line(&editor, &hit.path, line, column);
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]);
    // The editor gets the terminal even when stdin or stdout is a pipe.
    if let (Ok(i), Ok(o), Ok(e)) = (open_tty(), open_tty(), open_tty()) {
        command
            .stdin(Stdio::from(i))
            .stdout(Stdio::from(o))
            .stderr(Stdio::from(e));
    }
    let name = argv[0].to_string_lossy().into_owned();
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{name} failed ({status})")),
        Err(e) => Err(format!(
            "could not run {name} ({e}); set VISUAL or EDITOR to your editor"
        )),
    }
}

/// Copies `text` to the clipboard through the terminal (OSC 52), which works over ssh too.
fn copy(out: &mut impl Write, text: &str) -> io::Result<()> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// The search thread: answers the newest pending request, skipping those that newer ones
/// replaced and giving up a search as soon as a newer request is made, until the finder hangs
/// up.
fn worker(
    searcher: Searcher,
    requests: Receiver<Request>,
    responses: Sender<Response>,
    waker: Waker,
    newest: Arc<AtomicU64>,
) {
    match searcher {
        Searcher::Local(engines) => {
            let engine = Engines::new(&engines);
            let mut search = |query: &str, options: &SearchOptions| engine.search(query, options);
            serve(&mut search, requests, responses, waker, newest);
        }
        Searcher::Remote(mut remote) => {
            let mut search = |query: &str, options: &SearchOptions| remote.search(query, options);
            serve(&mut search, requests, responses, waker, newest);
        }
    }
}

/// Where the finder's hits come from.
pub enum Searcher {
    /// Local indexes (one, or several searched as one, sharing statistics).
    Local(Vec<Engine>),
    /// An OpenSearch/Elasticsearch index (`--engine URL`).
    Remote(Box<Remote>),
}

/// A search the worker runs.
type Search<'a> = dyn FnMut(&str, &SearchOptions) -> Result<crate::search::Outcome> + 'a;

/// Answers requests with `search` until the finder hangs up (see [`worker`]).
fn serve(
    search: &mut Search,
    requests: Receiver<Request>,
    responses: Sender<Response>,
    waker: Waker,
    newest: Arc<AtomicU64>,
) {
    while let Ok(mut request) = requests.recv() {
        while let Ok(newer) = requests.try_recv() {
            request = newer;
        }
        let options = SearchOptions {
            limit: LIMIT,
            exact: request.exact,
            count: true,
            cancel: Cancel::unless_newest(newest.clone(), request.generation),
            ..SearchOptions::default()
        };
        let started = Instant::now();
        let searched = panic::catch_unwind(AssertUnwindSafe(|| search(&request.query, &options)));
        let result = match searched {
            Ok(Ok(outcome)) => Ok(Found {
                hits: outcome.hits,
                total: outcome.total,
                elapsed: started.elapsed(),
                corrections: outcome.corrections,
                query: outcome.query,
            }),
            // A newer request is waiting: it gets the answer instead.
            Ok(Err(Error::Cancelled)) => continue,
            Ok(Err(Error::Query(message))) => Err(message),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(
                "the search failed (internal error); `tracuu check --all` names a damaged index"
                    .into(),
            ),
        };
        let response = Response {
            generation: request.generation,
            result,
        };
        if responses.send(response).is_err() {
            break;
        }
        waker.wake();
    }
}
