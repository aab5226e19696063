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

    /// A bad command-line value that clap cannot check.
    #[error("{0}")]
    Usage(String),

    /// A file that could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },

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
        TantivyError::OpenDirectoryError(d) => return clean(&d.to_string()),
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
    clean(&text)
}

/// Text with what reads as Rust Debug output taken out: one line, no quotes, no `{ … }` parts,
/// serde's `Error("…", line: 1, column: 5)` as `… at line 1 column 5`, and no dump of a file's
/// content after `Content:`.
pub fn clean(text: &str) -> String {
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
