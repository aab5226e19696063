//! `tracuu check`: verifies each index the target names.

use std::io;
use std::path::Path;

use super::{guard, warn};
use crate::cli::args::CheckArgs;
use crate::cli::resolve;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::store::check;

/// Verifies each index the target names; fails with the first damage found, and tells the
/// others as they are found.
pub fn run(args: &CheckArgs) -> Result<Exit> {
    let dirs = resolve::resolve_target(&args.target)?.index_dirs();
    let mut first = None;
    for dir in &dirs {
        match (check_one(dir), &first) {
            (Err(Error::ClosedPipe), _) => return Err(Error::ClosedPipe),
            (Err(e), None) => first = Some(e),
            (Err(e), Some(_)) => warn(&e.to_string()),
            (Ok(()), _) => {}
        }
    }
    match first {
        Some(e) => Err(e),
        None => Ok(Exit::Success),
    }
}

/// Checks the index in `dir` and prints its report.
fn check_one(dir: &Path) -> Result<()> {
    let report = crate::store::contain(dir, || check::check(dir))?;
    let mut out = io::stdout().lock();
    guard(check::write_report(&mut out, dir, &report))?;
    report.into_result(dir)
}
