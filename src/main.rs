//! The `tracuu` binary: parse the command line, run it, print any error (or contained panic) as
//! one line, and exit with the code [`Exit`] gives.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use tracuu::cli::{self, Parsed};
use tracuu::error::{scrub, Error, Scrub};
use tracuu::exit::Exit;

// A panic inside the index library must unwind to `main`, where it becomes one line and exit 2;
// with `panic = "abort"` it would kill the process with a backtrace instead.
#[cfg(panic = "abort")]
compile_error!("tracuu contains panics from the index library: build it with panic = \"unwind\"");

fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args_os()) {
        Ok(Parsed::Run(cli)) => cli,
        Ok(Parsed::Print(text)) => {
            // Help or version; a closed pipe (`--help | head`) is not an error.
            let _ = text.print();
            return Exit::Success.into();
        }
        Err(e) => return failed(&e),
    };
    quiet_panics();
    match panic::catch_unwind(AssertUnwindSafe(|| cli::run(cli))) {
        Ok(Ok(exit)) => exit.into(),
        Ok(Err(e)) => failed(&e),
        Err(payload) => fail(&format!(
            "tracuu stopped on an internal error ({}); if an index is damaged, `tracuu check --all` names it and the command that rebuilds it",
            panic_message(payload.as_ref())
        )),
    }
}

/// How a run that failed with `e` ends: quietly for a closed pipe, else with its message.
fn failed(e: &Error) -> ExitCode {
    match Exit::of_error(e) {
        Exit::Error => fail(&e.to_string()),
        quiet => quiet.into(),
    }
}

/// Prints `message` as the one line of an error, and returns the error status.
fn fail(message: &str) -> ExitCode {
    eprintln!("tracuu: {}", scrub(message, Scrub::Message));
    Exit::Error.into()
}

/// Silences the default panic report, which `main` replaces with one line; with
/// `RUST_BACKTRACE` set, the default report (and backtrace) is printed as well, for debugging.
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| !v.is_empty() && v != "0") {
        return;
    }
    panic::set_hook(Box::new(|_| {}));
}

/// The text a panic was raised with (`panic!("...")` gives a `&str` or a `String`).
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "a panic without a message"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_payload_is_shown_as_text() {
        let text = std::panic::catch_unwind(|| panic!("index out of bounds")).unwrap_err();
        assert_eq!(panic_message(text.as_ref()), "index out of bounds");
        let formatted = std::panic::catch_unwind(|| panic!("{} > {}", 3, 2)).unwrap_err();
        assert_eq!(panic_message(formatted.as_ref()), "3 > 2");
    }
}
