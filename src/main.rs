//! The `tracuu` binary: parse the command line, run it, print any error as one line, and pick
//! the exit code.

use std::process::ExitCode;

use tracuu::cli::{self, Parsed};

fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args_os()) {
        Ok(Parsed::Run(cli)) => cli,
        Ok(Parsed::Print(text)) => {
            // Help or version; a closed pipe (`--help | head`) is not an error.
            let _ = text.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(&e.to_string()),
    };
    match cli::run(cli) {
        Ok(code) => code,
        Err(e) => fail(&e.to_string()),
    }
}

/// Prints `message` as the one line of an error, and returns the error status.
fn fail(message: &str) -> ExitCode {
    eprintln!("tracuu: {}", one_line(message));
    ExitCode::from(2)
}

/// A message on one line: each line break (with the indentation around it) becomes one space.
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join(" ")
}
