//! The `tracuu` binary: parse the command line, run it, print any error as one line.

use std::process::ExitCode;

fn main() -> ExitCode {
    match tracuu::cli::run(tracuu::cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tracuu: {e}");
            ExitCode::from(2)
        }
    }
}
