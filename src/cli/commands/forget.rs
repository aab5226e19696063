//! `tracuu forget`: deletes a corpus's index (never the corpus).

use crate::cli::args::ForgetArgs;
use crate::error::Result;
use crate::exit::Exit;

/// Forgets the corpus at `args.path`, and says which index went.
pub fn run(args: &ForgetArgs) -> Result<Exit> {
    let corpus = crate::corpus::registry::forget(&args.path)?;
    eprintln!(
        "tracuu: forgot {} (deleted its index {})",
        corpus.path.display(),
        corpus.index.display()
    );
    Ok(Exit::Success)
}
