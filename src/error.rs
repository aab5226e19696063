//! The one error type of tracuu: every failure a user can cause, each a one-line message that
//! says what to do.

use std::path::{Path, PathBuf};

use tantivy::TantivyError;

/// Everything that can go wrong, with the context a user needs to fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index where one was expected.
    #[error("no index at {}; build one with `tracuu index CORPUS --index {}`", .0.display(), .0.display())]
    NoIndex(PathBuf),

    /// The index folder holds something that is not a tracuu index.
    #[error("{} is not a tracuu index (it holds other files); pick an empty or new folder for --index", .0.display())]
    NotAnIndex(PathBuf),

    /// The index cannot be read.
    #[error("the index at {} cannot be read ({reason}); rebuild it with `tracuu index --rebuild --index {}`", .path.display(), shell_word(.path))]
    CorruptIndex {
        /// The index folder.
        path: PathBuf,
        /// What tantivy or the manifest said.
        reason: String,
    },

    /// The index was built by a version of tracuu that indexed differently.
    #[error("the index at {} was built by another version of tracuu ({found}, this one writes {expected}); rebuild it with `tracuu index --rebuild --index {}`", .path.display(), shell_word(.path))]
    IncompatibleIndex {
        /// The index folder.
        path: PathBuf,
        /// Versions found in the index.
        found: String,
        /// Versions this build writes.
        expected: String,
    },

    /// Another process holds the index writer lock.
    #[error("another tracuu process is updating the index at {}; wait for it to finish and try again", .0.display())]
    IndexLocked(PathBuf),

    /// A `tracuu index --watch` keeps this index fresh.
    #[error("tracuu index {} --watch (process {pid}) is keeping the index at {} fresh; stop it (Ctrl-C) first, or let it do the work", .corpus.display(), .index.display())]
    Watched {
        /// The index folder.
        index: PathBuf,
        /// The watcher's process id.
        pid: u32,
        /// The corpus it watches.
        corpus: PathBuf,
    },

    /// The corpus folder does not exist.
    #[error("no corpus at {}: the folder does not exist; give the folder of text files to index", .0.display())]
    NoCorpus(PathBuf),

    /// The corpus path is not a folder.
    #[error("{} is a file, not a folder; give the folder that holds it", .0.display())]
    CorpusNotDir(PathBuf),

    /// A query that cannot be searched.
    #[error("bad query: {0}")]
    Query(String),

    /// A newer search replaced this one before it finished (search as you type); nobody is
    /// waiting for its answer.
    #[error("the search was cancelled: a newer one replaced it")]
    Cancelled,

    /// An OpenSearch/Elasticsearch engine (`search --engine URL`, `export --opensearch URL`)
    /// that cannot be reached, answers an error, refuses a request or does not answer in time:
    /// the message names its address (never its credentials).
    #[error("{0}")]
    Engine(String),

    /// A bad command-line value that clap cannot check.
    #[error("{0}")]
    Usage(String),

    /// Whoever read standard output closed it (`| head`): not a failure, the run ends quietly
    /// with exit 0 ([`crate::exit::Exit::ClosedPipe`]).
    #[error("standard output was closed")]
    ClosedPipe,

    /// `--all`, and no corpus is indexed.
    #[error("no corpus is indexed yet; index a folder with `tracuu index DIR`")]
    NoCorpusIndexed,

    /// No index named, none here and no corpus in the data directory's `indexes` folder.
    #[error("nothing is indexed yet (no index/ here, no corpus in {}); index a folder with `tracuu index DIR`", .0.display())]
    NothingIndexed(PathBuf),

    /// Every corpus of a search is still waiting for its first `tracuu index` to finish.
    #[error("nothing to search yet: wait for `tracuu index` to finish")]
    NotIndexedYet,

    /// An index whose manifest cannot be read: which corpus it holds is unknown.
    #[error("the index at {} does not say which corpus it holds (its meta.json cannot be read); name the folder it indexed: `tracuu index CORPUS --rebuild --index {}`", .0.display(), shell_word(.0))]
    UnknownCorpus(PathBuf),

    /// `--index` names the index of another corpus.
    #[error("the index at {} holds {}, not {}; index {} into another folder (or without --index), or delete {} first", .index.display(), .holds.display(), .root.display(), .corpus.display(), .index.display())]
    IndexOfAnotherCorpus {
        /// The index folder.
        index: PathBuf,
        /// The corpus it holds.
        holds: PathBuf,
        /// The corpus asked for, as its root.
        root: PathBuf,
        /// The corpus asked for, as typed.
        corpus: PathBuf,
    },

    /// Output that could not be encoded as JSON.
    #[error("{0}")]
    Json(serde_json::Error),

    /// A file that could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },

    /// A file that can be opened but not read as its format (it changed since it was indexed,
    /// or is damaged).
    #[error("{} cannot be read: {reason}", .path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why, in a few words.
        reason: String,
    },

    /// The search thread of the finder ended before the finder did.
    #[error("the search thread stopped")]
    SearchThreadStopped,

    /// The disk holding the index is full.
    #[error("no space left on device in {}; free {need_mb} MB and run again", .path.display())]
    NoSpace {
        /// The index folder.
        path: PathBuf,
        /// About how much more space the run needs, in MB.
        need_mb: u64,
    },

    /// Index files whose content is not what was written (flipped bytes, a bad disk).
    #[error("the index at {} is damaged ({damage}); rebuild it with `tracuu index --rebuild --index {}`", .path.display(), shell_word(.path))]
    DamagedIndex {
        /// The index folder.
        path: PathBuf,
        /// What is wrong, in a few words.
        damage: String,
    },

    /// The index folder cannot be written (read-only mount, another user's folder).
    #[error("cannot write the index at {} ({reason}); index into a folder you can write with --index DIR", .path.display())]
    IndexNotWritable {
        /// The index folder.
        path: PathBuf,
        /// What the OS said.
        reason: String,
    },

    /// The index folder or its files may not be read (permissions).
    #[error("cannot read the index at {} ({reason}); ask for read access to it, or search another with --index DIR", .path.display())]
    IndexNotReadable {
        /// The index folder.
        path: PathBuf,
        /// What the OS said.
        reason: String,
    },

    /// Reading or writing index files failed (a disk error, a file changed under us).
    #[error("reading or writing the index at {} failed ({reason}); the last complete index is kept: fix the cause and run again", .path.display())]
    IndexIo {
        /// The index folder.
        path: PathBuf,
        /// What failed.
        reason: String,
    },

    /// Anything else tantivy reports.
    #[error("index error: {0}")]
    Tantivy(String),
}

impl Error {
    /// A tantivy error met while working on the index at `dir`, with its cause named: a full
    /// disk (with how much to free), a folder that cannot be written, a lock held elsewhere.
    pub fn from_tantivy_at(dir: &std::path::Path, e: TantivyError) -> Self {
        use tantivy::directory::error::LockError;
        if is_no_space(&e) {
            return Error::no_space(dir, 0);
        }
        if is_not_writable(&e) {
            return Error::IndexNotWritable {
                path: dir.to_path_buf(),
                reason: io_error_of(&e).map_or_else(|| describe(&e), |io| io.to_string()),
            };
        }
        match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => {
                Error::IndexLocked(dir.to_path_buf())
            }
            e if io_error_of(&e).is_some() => Error::IndexIo {
                path: dir.to_path_buf(),
                reason: describe(&e),
            },
            other => Error::from(other),
        }
    }

    /// The disk holding `dir` is full; the run needs about `need_bytes` in all (0 if unknown),
    /// of which what statvfs reports free is already there. Asks for at least 1 MB.
    pub fn no_space(dir: &std::path::Path, need_bytes: u64) -> Self {
        const MB: u64 = 1_000_000;
        let available = fs4::available_space(dir).unwrap_or(0);
        let need = need_bytes.saturating_sub(available).max(MB);
        Error::NoSpace {
            path: dir.to_path_buf(),
            need_mb: need.div_ceil(MB),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An error writing to standard output: a reader that went away (`| head`) is
    /// [`Error::ClosedPipe`], anything else an I/O error.
    pub fn stdout(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::BrokenPipe => Error::ClosedPipe,
            _ => Error::io("standard output", e),
        }
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Tantivy(describe(&e))
    }
}

/// A tantivy error as one line of plain words: tantivy's own messages embed Rust Debug output
/// (`FileDoesNotExist("…")`, `IoError { … }`), which is rewritten from the error's parts.
pub fn describe(e: &TantivyError) -> String {
    use tantivy::directory::error::{LockError, OpenReadError, OpenWriteError};
    let text = match e {
        TantivyError::OpenWriteError(OpenWriteError::FileAlreadyExists(p)) => {
            format!("{} already exists", p.display())
        }
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, filepath }) => {
            format!("cannot write {}: {io_error}", filepath.display())
        }
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => {
            format!("{} is missing", p.display())
        }
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!("cannot read {}: {io_error}", filepath.display())
        }
        TantivyError::OpenReadError(OpenReadError::IncompatibleIndex(_))
        | TantivyError::IncompatibleIndex(_) => {
            "its files were written by an incompatible version of tantivy".to_string()
        }
        TantivyError::OpenDirectoryError(d) => return scrub(&d.to_string(), Scrub::Library),
        TantivyError::IoError(io) => io.to_string(),
        TantivyError::LockFailure(LockError::LockBusy, _) => {
            "the index is locked by another process".to_string()
        }
        TantivyError::LockFailure(LockError::IoError(io), _) => {
            format!("cannot take the index lock: {io}")
        }
        TantivyError::DataCorruption(c) => format!("{c:?}"),
        other => other.to_string(),
    };
    scrub(&text, Scrub::Library)
}

/// Where a text to [`scrub`] comes from, which says how much of it may be Rust Debug output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scrub {
    /// A library's error text (tantivy, serde), Debug output throughout: one line, no quotes,
    /// no `{ … }` parts, `Error(…)` and `Some(…)` unwrapped, serde's `Error("…", line: 1,
    /// column: 5)` as `… at line 1 column 5`, no dump of a file's content after `Content:`.
    Library,
    /// A finished message that may hold the user's words (quotes, brackets), scrubbed as a last
    /// defence before it is printed: one line, and each `Name { … }` or `Name("…")` becomes the
    /// text it quotes, `Name` in words for a tuple such as `FileDoesNotExist("x")`. Messages
    /// without Debug text are returned as they are.
    Message,
}

/// The one scrubber of Rust Debug text (tantivy prints some of its errors that way:
/// `IoError { io_error: Custom { kind: InvalidData, error: "…" }, filepath: "…" }`): `text` as
/// plain words on one line, rewritten as far as `from` allows.
pub fn scrub(text: &str, from: Scrub) -> String {
    match from {
        Scrub::Library => unwrap_library_text(text),
        Scrub::Message => unquote_debug_parts(&one_line(text)),
    }
}

/// [`scrub`] of a library's text ([`Scrub::Library`]).
pub fn clean(text: &str) -> String {
    scrub(text, Scrub::Library)
}

/// [`Scrub::Library`]: see there.
fn unwrap_library_text(text: &str) -> String {
    let text = text.split(" Content:").next().unwrap_or(text);
    let text = text
        .replace("\\\\", "\\")
        .replace(", line: ", " at line ")
        .replace(", column: ", " column ");
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    // Parentheses opened right after `Error` (or `Some`), whose closing one is dropped too.
    let mut wrappers: Vec<usize> = Vec::new();
    let mut parens = 0usize;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '(' if wrapper_name(&out).is_some() => {
                let len = out.len() - wrapper_name(&out).unwrap_or(0);
                out.truncate(len);
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                parens += 1;
                wrappers.push(parens);
            }
            '(' => {
                parens += 1;
                out.push(c);
            }
            ')' => {
                if wrappers.last() == Some(&parens) {
                    wrappers.pop();
                } else {
                    out.push(c);
                }
                parens = parens.saturating_sub(1);
            }
            '"' | '`' => {}
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', ' '])
        .to_string()
}

/// The length of `Error` or `Some` ending `text` as a whole word, if it does.
fn wrapper_name(text: &str) -> Option<usize> {
    ["Error", "Some"].iter().find_map(|w| {
        let rest = text.strip_suffix(w)?;
        (!rest.chars().next_back().is_some_and(char::is_alphanumeric)).then_some(w.len())
    })
}

/// [`Scrub::Message`] on a message already on one line: see there.
fn unquote_debug_parts(message: &str) -> String {
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

/// The I/O error at the root of a tantivy error, if it has one.
pub fn io_error_of(e: &TantivyError) -> Option<&std::io::Error> {
    use tantivy::directory::error::{LockError, OpenReadError, OpenWriteError};
    match e {
        TantivyError::IoError(io)
        | TantivyError::OpenWriteError(OpenWriteError::IoError { io_error: io, .. })
        | TantivyError::OpenReadError(OpenReadError::IoError { io_error: io, .. })
        | TantivyError::LockFailure(LockError::IoError(io), _) => Some(io),
        _ => None,
    }
}

/// True if `e` says the disk is full, wherever in it that is said.
pub fn is_no_space(e: &TantivyError) -> bool {
    if io_error_of(e).is_some_and(|io| {
        io.raw_os_error() == Some(28) || io.kind() == std::io::ErrorKind::StorageFull
    }) {
        return true;
    }
    let text = format!("{e} {e:?}");
    text.contains("os error 28") || text.contains("No space left on device")
}

/// True if `e` says the index folder may not be written (permissions, a read-only mount).
pub fn is_not_writable(e: &TantivyError) -> bool {
    io_error_of(e).is_some_and(is_permission)
}

/// True for "permission denied", "operation not permitted" and "read-only file system".
pub fn is_permission(io: &std::io::Error) -> bool {
    matches!(io.raw_os_error(), Some(1) | Some(13) | Some(30))
        || matches!(
            io.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        )
}

/// `path` as one word of a command to paste into a shell: absolute, so that the command works
/// from any folder, and single-quoted when it holds anything a shell would read otherwise.
pub fn shell_word(path: &Path) -> String {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = path.to_string_lossy();
    let plain = |c: char| c.is_alphanumeric() || "/._-+,:@%=".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// tracuu's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_messages_lose_their_debug_dumps() {
        use tantivy::directory::error::OpenWriteError;
        let e =
            TantivyError::OpenWriteError(OpenWriteError::FileAlreadyExists("abc.80190.del".into()));
        assert_eq!(describe(&e), "abc.80190.del already exists");
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, "bad footer");
        let e = TantivyError::OpenWriteError(OpenWriteError::wrap_io_error(io, "x.idx".into()));
        assert_eq!(describe(&e), "cannot write x.idx: bad footer");
        assert_eq!(
            clean("IoError { kind: Other }\nnext \"q\"."),
            "IoError next q"
        );
    }

    /// The last defence of `main` on a finished message.
    fn plain(message: &str) -> String {
        scrub(message, Scrub::Message)
    }

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
    fn messages_are_one_line() {
        assert_eq!(one_line("a\n  b\r\n\nc"), "a b c");
    }

    #[test]
    fn a_full_disk_is_recognised_wherever_it_is_said() {
        let e = TantivyError::from(std::io::Error::from_raw_os_error(28));
        assert!(is_no_space(&e));
        let e =
            TantivyError::ErrorInThread("Os { code: 28, message: No space left on device }".into());
        assert!(is_no_space(&e));
        assert!(!is_no_space(&TantivyError::ErrorInThread(
            "An index writer was killed.".into()
        )));
    }
}
