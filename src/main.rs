//! The `tracuu` binary: parse the command line, run it, print any error (or contained panic) as
//! one line, and pick the exit code.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use tracuu::cli::{self, Parsed};

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
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(&e.to_string()),
    };
    quiet_panics();
    match panic::catch_unwind(AssertUnwindSafe(|| cli::run(cli))) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => fail(&e.to_string()),
        Err(payload) => fail(&format!(
            "tracuu stopped on an internal error ({}); if an index is damaged, `tracuu check --all` names it and the command that rebuilds it",
            panic_message(payload.as_ref())
        )),
    }
}

/// Prints `message` as the one line of an error, and returns the error status.
fn fail(message: &str) -> ExitCode {
    eprintln!("tracuu: {}", plain(&one_line(message)));
    ExitCode::from(2)
}

/// A last defence against Rust Debug text inside a message (tantivy prints some of its errors
/// that way: `IoError { io_error: Custom { kind: InvalidData, error: "…" }, filepath: "…" }`):
/// each `Name { … }` or `Name("…")` becomes the text it quotes, `Name` in words for a tuple such as
/// `FileDoesNotExist("x")`. Messages without Debug text are returned as they are.
fn plain(message: &str) -> String {
    let chars: Vec<char> = message.chars().collect();
    let mut out = String::with_capacity(message.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !chars[i - 1].is_alphanumeric();
        if starts_word && chars[i].is_ascii_uppercase() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let name: String = chars[i..j].iter().collect();
            // A tuple only when it quotes (`Name("x")`): `Name(x)` may be a user's words.
            let open = if chars.get(j) == Some(&'(') && chars.get(j + 1) == Some(&'"') {
                Some(j)
            } else if chars.get(j) == Some(&' ') && chars.get(j + 1) == Some(&'{') {
                Some(j + 1)
            } else {
                None
            };
            if let Some((end, quoted)) = open.and_then(|o| debug_region(&chars, o)) {
                let tuple = chars[open.unwrap_or(j)] == '(';
                let mut text = quoted.join("; ");
                if tuple && !matches!(name.as_str(), "Error" | "Some" | "Custom") {
                    let words = words_of(&name);
                    text = if text.is_empty() {
                        words
                    } else {
                        format!("{words}: {text}")
                    };
                }
                out.push_str(&text);
                i = end;
                continue;
            }
            out.push_str(&name);
            i = j;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// From an opening `{` or `(` at `open`: the index just past its closing bracket, and the string
/// literals inside (unescaped), in order; `None` when the brackets do not balance.
fn debug_region(chars: &[char], open: usize) -> Option<(usize, Vec<String>)> {
    let mut depth = 0usize;
    let mut quoted = Vec::new();
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some((i + 1, quoted));
                }
            }
            '"' => {
                let mut literal = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    if let Some(&c) = chars.get(i) {
                        literal.push(c);
                    }
                    i += 1;
                }
                quoted.push(literal);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `FileDoesNotExist` as `file does not exist`.
fn words_of(name: &str) -> String {
    let mut words = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
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
    fn debug_text_becomes_what_it_quotes() {
        let tantivy = r#"the index at ci cannot be read (Failed to open file for read: 'IoError { io_error: Custom { kind: InvalidData, error: "Footer magic byte mismatch." }, filepath: "a.idx" }'); rebuild it"#;
        assert_eq!(
            plain(tantivy),
            "the index at ci cannot be read (Failed to open file for read: 'Footer magic byte mismatch.; a.idx'); rebuild it"
        );
        let json = r#"read: 'IoError { io_error: Custom { kind: InvalidData, error: Error("expected value", line: 1, column: 1) }, filepath: "a.fast" }'"#;
        assert_eq!(plain(json), "read: 'expected value; a.fast'");
        assert_eq!(
            plain(r#"FileDoesNotExist("/x/meta.json")"#),
            "file does not exist: /x/meta.json"
        );
        assert_eq!(plain(r#"say \"hi\" (Error)"#), r#"say \"hi\" (Error)"#);
        let clean = "no index at Index; build one with `tracuu index CORPUS --index Index`";
        assert_eq!(plain(clean), clean);
        assert_eq!(plain("unbalanced Name { here"), "unbalanced Name { here");
        assert_eq!(
            plain("Kosygin(Lavrov) OR Hanoi"),
            "Kosygin(Lavrov) OR Hanoi"
        );
    }

    #[test]
    fn a_panic_payload_is_shown_as_text() {
        let text = std::panic::catch_unwind(|| panic!("index out of bounds")).unwrap_err();
        assert_eq!(panic_message(text.as_ref()), "index out of bounds");
        let formatted = std::panic::catch_unwind(|| panic!("{} > {}", 3, 2)).unwrap_err();
        assert_eq!(panic_message(formatted.as_ref()), "3 > 2");
    }

    #[test]
    fn messages_are_one_line() {
        assert_eq!(one_line("a\n  b\r\n\nc"), "a b c");
    }
}
