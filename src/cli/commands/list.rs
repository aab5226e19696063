//! `tracuu list`: the indexed corpora, as a table or JSON Lines.

use std::io::{self, Write};

use super::guard;
use crate::cli::args::ListArgs;
use crate::corpus::registry;
use crate::error::Result;
use crate::exit::Exit;

/// Prints every indexed corpus with its state.
pub fn run(args: &ListArgs) -> Result<Exit> {
    let all = crate::freshness::status::status(true)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if all.is_empty() && !args.json {
        let home = registry::data_dir()?;
        guard(writeln!(
            out,
            "no corpus indexed in {}; index one with `tracuu index DIR`",
            home.display()
        ))?;
    } else {
        guard(crate::output::write_list(&mut out, &all, args.json))?;
    }
    guard(out.flush())?;
    Ok(Exit::Success)
}
