//! `tracuu find`: opens the indexes the target means (or an engine index) and hands them to the
//! finder, whose exit says how it ended.

use crate::cli::args::FindArgs;
use crate::cli::resolve;
use crate::error::Result;
use crate::exit::Exit;
use crate::finder::Searcher;

/// `tracuu find`: search as you type until the user leaves.
pub fn run(args: FindArgs) -> Result<Exit> {
    let options = resolve::find_options(&args)?;
    let searcher = match &args.engine {
        Some(url) => Searcher::Remote(Box::new(crate::engine::Remote::open(url)?)),
        None => {
            let target = resolve::resolve_target(&args.target)?;
            Searcher::Local(super::search::open_engines(target, false)?)
        }
    };
    crate::finder::run(searcher, options)
}
