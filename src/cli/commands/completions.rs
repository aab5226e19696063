//! `tracuu completions`: a shell's completion script, generated from the clap definitions.

use clap::CommandFactory;

use crate::cli::args::Cli;
use crate::error::Result;
use crate::exit::Exit;

/// Prints the completion script of `shell`.
pub fn run(shell: clap_complete::Shell) -> Result<Exit> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "tracuu", &mut std::io::stdout());
    Ok(Exit::Success)
}
