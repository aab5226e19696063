//! `tracuu show`: prints a span of an indexed file, read the way it was indexed.

use std::io::{self, IsTerminal, Write};

use super::guard;
use crate::cli::args::ShowArgs;
use crate::cli::resolve;
use crate::error::Result;
use crate::exit::Exit;

/// Prints the span `args` names from the index [`resolve::show_index`] chooses.
pub fn run(args: &ShowArgs) -> Result<Exit> {
    let request = crate::show::ShowRequest {
        source: &args.source,
        start: args.start,
        end: args.end,
        context: args.context,
    };
    let index = resolve::show_index(args)?;
    let span = crate::show::show(&index, &request)?;
    let mut out = io::stdout().lock();
    // Exactly the span in a pipe (so it compares equal to a hit's text); a line on a terminal.
    let newline: &[u8] = if out.is_terminal() { b"\n" } else { b"" };
    guard(out.write_all(&span).and_then(|()| out.write_all(newline)))?;
    Ok(Exit::Success)
}
