//! `tracuu find`: opens the indexes the target means and hands them to the finder, whose exit
//! says how it ended.

use crate::cli::args::FindArgs;
use crate::cli::resolve;
use crate::error::Result;
use crate::exit::Exit;

/// `tracuu find`: search as you type until the user leaves.
pub fn run(args: FindArgs) -> Result<Exit> {
    let options = resolve::find_options(&args)?;
    let target = resolve::resolve_target(&args.target)?;
    let engines = super::search::open_engines(target, false)?;
    crate::finder::run(engines, options)
}
