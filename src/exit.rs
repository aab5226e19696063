//! How a run of tracuu ended, and the process exit code that says it: every exit code is decided
//! here. As ripgrep and grep: 0 found, 1 nothing found, 2 an error; 128 + N when signal N ended
//! it; a closed pipe (`tracuu search … | head`) ends quietly with 0.

use std::process::ExitCode;

use signal_hook::consts::{SIGHUP, SIGINT};

use crate::error::Error;

/// How a command ended, as the caller of `tracuu` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Done: the command did what it was asked; a search found something (exit 0).
    Success,
    /// A search ran and found nothing, or the finder was left without printing a hit (exit 1).
    NothingFound,
    /// An error, usage errors included; its message is printed as one line (exit 2).
    Error,
    /// A signal ended the run: 128 + its number, as a shell reports it.
    Signal(usize),
    /// The finder's terminal went away: as if SIGHUP had ended the process (129).
    TerminalLost,
    /// Whoever read standard output stopped reading (`| head`): not an error, 0 and no message.
    ClosedPipe,
}

impl Exit {
    /// A second Ctrl-C (or SIGTERM) during `index --watch` ends the process at once with this
    /// code, the one SIGINT gives (130).
    pub const INTERRUPTED: Exit = Exit::Signal(SIGINT as usize);

    /// The process exit code.
    pub const fn code(self) -> u8 {
        match self {
            Exit::Success | Exit::ClosedPipe => 0,
            Exit::NothingFound => 1,
            Exit::Error => 2,
            Exit::Signal(sig) => 128u8.saturating_add(sig as u8),
            Exit::TerminalLost => Exit::Signal(SIGHUP as usize).code(),
        }
    }

    /// How a run that failed with `error` ends: a closed pipe quietly, anything else as an
    /// error (whose message the caller prints).
    pub fn of_error(error: &Error) -> Exit {
        match error {
            Error::ClosedPipe => Exit::ClosedPipe,
            _ => Exit::Error,
        }
    }

    /// Whether a command that ended so found what it looked for: `found` as [`Exit::Success`],
    /// else [`Exit::NothingFound`].
    pub fn found(found: bool) -> Exit {
        if found {
            Exit::Success
        } else {
            Exit::NothingFound
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_those_of_grep_and_the_shell() {
        assert_eq!(Exit::Success.code(), 0);
        assert_eq!(Exit::NothingFound.code(), 1);
        assert_eq!(Exit::Error.code(), 2);
        assert_eq!(Exit::Signal(15).code(), 143);
        assert_eq!(Exit::INTERRUPTED.code(), 130);
        assert_eq!(Exit::TerminalLost.code(), 129);
        assert_eq!(Exit::ClosedPipe.code(), 0);
        assert_eq!(Exit::found(true), Exit::Success);
        assert_eq!(Exit::found(false), Exit::NothingFound);
    }

    #[test]
    fn a_closed_pipe_is_not_an_error() {
        assert_eq!(Exit::of_error(&Error::ClosedPipe), Exit::ClosedPipe);
        assert_eq!(Exit::of_error(&Error::Cancelled), Exit::Error);
    }
}
