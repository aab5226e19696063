//! One thin file per subcommand: each takes the values [`super::resolve`] decided, calls the
//! library, prints what it returns and says how the command ended ([`Exit`]). Shared here:
//! writing to standard output, where a closed pipe is [`Error::ClosedPipe`], and warnings.

pub mod bench;
pub mod check;
pub mod completions;
pub mod export;
pub mod find;
pub mod forget;
pub mod index;
pub mod list;
pub mod man;
pub mod search;
pub mod show;

use std::io;

use crate::error::{Error, Result};
#[cfg(doc)]
use crate::exit::Exit;

/// A write to standard output: a closed pipe (`| head`) becomes [`Error::ClosedPipe`], which
/// ends the run quietly; other write errors are errors.
fn guard(result: io::Result<()>) -> Result<()> {
    result.map_err(Error::stdout)
}

/// A warning on stderr, one line.
fn warn(message: &str) {
    eprintln!("tracuu: warning: {message}");
}
