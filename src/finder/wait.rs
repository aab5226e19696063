//! What the finder's loop waits on: keys (read by crossterm on a thread of their own), signals,
//! search answers; and noticing that the terminal went away (hung up: its emulator, ssh
//! session or test harness died).
//!
//! crossterm 0.29 does not report a terminal that went away: its event reader then reads end of
//! file forever inside `event::poll`/`event::read`, whatever the timeout, spinning on a core
//! and never returning (crossterm-rs/crossterm#793). A loop that waits in crossterm therefore
//! never gets back to the flags its signal handlers set, and checking the terminal (poll(2) for
//! POLLHUP) before calling crossterm does not help: the hang-up comes while the loop is inside.
//! So crossterm reads keys on a thread of its own that only forwards them, and the loop waits in
//! poll(2) on the terminal (which reports the hang-up) and on a socket that the key thread,
//! the signal handlers and the search thread write to. When the terminal goes, the loop ends
//! and the process with it, the key thread included.

use std::fs::OpenOptions;
use std::io::{self, IsTerminal, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use crossterm::event::{self, Event};
use rustix::event::{poll, PollFd, PollFlags, Timespec};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::SigId;

/// How long the key thread waits in crossterm before it looks whether it should pause.
const KEY_POLL: Duration = Duration::from_millis(50);

/// What [`Waiter::wait`] saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ready {
    /// A key, a signal or a search's answer may be waiting.
    Woken,
    /// The terminal went away.
    Lost,
}

/// Wakes the loop from another thread.
pub struct Waker(UnixStream);

impl Waker {
    pub fn wake(&self) {
        // Non-blocking: a full socket already holds a wake-up.
        let _ = (&self.0).write(&[1]);
    }
}

/// The terminal, the wake-up socket, the signal handlers and the key thread, for as long as the
/// finder runs.
pub struct Waiter {
    /// The terminal crossterm reads keys from (a copy of the descriptor): standard input if it
    /// is a terminal, else `/dev/tty`.
    input: OwnedFd,
    woken: UnixStream,
    waker: UnixStream,
    hooks: Vec<SigId>,
    keys: Receiver<io::Result<Event>>,
    control: Sender<Control>,
    paused: Receiver<()>,
    stop: Arc<AtomicBool>,
}

/// What the loop asks of the key thread.
enum Control {
    /// Stop reading keys (an editor is about to get the terminal); say so once stopped.
    Pause,
    /// Read keys again.
    Resume,
}

impl Waiter {
    /// Watches the terminal and starts reading keys; SIGTERM, SIGHUP and SIGINT store their
    /// number in `signal` and wake the loop.
    pub fn new(signal: &Arc<AtomicUsize>) -> io::Result<Waiter> {
        let stdin = io::stdin();
        let input: OwnedFd = if stdin.is_terminal() {
            stdin.as_fd().try_clone_to_owned()?
        } else {
            OpenOptions::new().read(true).open("/dev/tty")?.into()
        };
        let (woken, waker) = UnixStream::pair()?;
        woken.set_nonblocking(true)?;
        waker.set_nonblocking(true)?;
        let (key_sender, keys) = mpsc::channel();
        let (control, key_control) = mpsc::channel();
        let (key_paused, paused) = mpsc::channel();
        let mut waiter = Waiter {
            input,
            woken,
            waker,
            hooks: Vec::new(),
            keys,
            control,
            paused,
            stop: Arc::new(AtomicBool::new(false)),
        };
        for sig in [SIGTERM, SIGHUP, SIGINT] {
            // The flag first: the loop reads it when the wake-up arrives.
            let flag = signal_hook::flag::register_usize(sig, Arc::clone(signal), sig as usize)?;
            waiter.hooks.push(flag);
            let wake = signal_hook::low_level::pipe::register(sig, waiter.waker.try_clone()?)?;
            waiter.hooks.push(wake);
        }
        let reader = KeyReader {
            keys: key_sender,
            control: key_control,
            paused: key_paused,
            stop: Arc::clone(&waiter.stop),
            waker: waiter.waker()?,
        };
        thread::Builder::new()
            .name("tracuu-find-keys".into())
            .spawn(move || reader.run())?;
        Ok(waiter)
    }

    /// A waker for another thread.
    pub fn waker(&self) -> io::Result<Waker> {
        Ok(Waker(self.waker.try_clone()?))
    }

    /// Blocks until something may be waiting (a key, a signal, an answer) or the terminal went
    /// away.
    pub fn wait(&self) -> io::Result<Ready> {
        loop {
            // No event asked of the terminal: poll(2) reports its hang-up whatever is asked.
            let mut fds = [
                PollFd::new(&self.input, PollFlags::empty()),
                PollFd::new(&self.woken, PollFlags::IN),
            ];
            match poll(&mut fds, None) {
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
            if gone(fds[0].revents()) {
                return Ok(Ready::Lost);
            }
            if !fds[1].revents().is_empty() {
                let mut buf = [0u8; 64];
                while matches!((&self.woken).read(&mut buf), Ok(n) if n > 0) {}
                return Ok(Ready::Woken);
            }
        }
    }

    /// The next key (or other terminal event) read, if any.
    pub fn key(&self) -> Option<io::Result<Event>> {
        match self.keys.try_recv() {
            Ok(event) => Some(event),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(io::Error::other("the key thread ended"))),
        }
    }

    /// Runs `f` with nobody reading keys, so that the program `f` runs (an editor) gets them
    /// all. Keys read before are still there after. (If the key thread does not stop within a
    /// second, it is stuck in a terminal that went away: `f` runs anyway, and fails.)
    pub fn paused<T>(&self, f: impl FnOnce() -> T) -> T {
        while self.paused.try_recv().is_ok() {}
        let asked = self.control.send(Control::Pause).is_ok();
        if asked {
            let _ = self.paused.recv_timeout(Duration::from_secs(1));
        }
        let result = f();
        if asked {
            let _ = self.control.send(Control::Resume);
        }
        result
    }

    /// Whether the terminal went away (does not wait).
    pub fn lost(&self) -> bool {
        let mut fds = [PollFd::new(&self.input, PollFlags::empty())];
        let zero = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        poll(&mut fds, Some(&zero)).is_ok() && gone(fds[0].revents())
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for id in self.hooks.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// A hung-up terminal: poll(2) reports these whatever was asked for.
fn gone(revents: PollFlags) -> bool {
    revents.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
}

/// The key thread: reads terminal events with crossterm and forwards them, waking the loop.
struct KeyReader {
    keys: Sender<io::Result<Event>>,
    control: Receiver<Control>,
    paused: Sender<()>,
    stop: Arc<AtomicBool>,
    waker: Waker,
}

impl KeyReader {
    fn run(self) {
        while !self.stop.load(Ordering::SeqCst) {
            if let Ok(Control::Pause) = self.control.try_recv() {
                if self.paused.send(()).is_err() {
                    return;
                }
                loop {
                    match self.control.recv() {
                        Ok(Control::Resume) => break,
                        Ok(Control::Pause) => {}
                        Err(_) => return,
                    }
                }
            }
            let event = match event::poll(KEY_POLL) {
                Ok(false) => continue,
                Ok(true) => event::read(),
                Err(e) => Err(e),
            };
            let failed = event.is_err();
            if self.keys.send(event).is_err() {
                return;
            }
            self.waker.wake();
            if failed {
                return;
            }
        }
    }
}
