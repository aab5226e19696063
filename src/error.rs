//! The one error type of tracuu: every failure a user can cause, each a one-line message that
//! says what to do.

use std::path::PathBuf;

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
    #[error("the index at {} cannot be read ({reason}); rebuild it with `tracuu index --rebuild --index {}`", .path.display(), .path.display())]
    CorruptIndex {
        /// The index folder.
        path: PathBuf,
        /// What tantivy or the manifest said.
        reason: String,
    },

    /// The index was built by a version of tracuu that indexed differently.
    #[error("the index at {} was built by another version of tracuu ({found}, this one writes {expected}); rebuild it with `tracuu index --rebuild --index {}`", .path.display(), .path.display())]
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

    /// The corpus folder does not exist.
    #[error("no corpus at {}: the folder does not exist; give the folder of text files to index", .0.display())]
    NoCorpus(PathBuf),

    /// The corpus path is not a folder.
    #[error("{} is a file, not a folder; give the folder that holds it", .0.display())]
    CorpusNotDir(PathBuf),

    /// A query that cannot be searched.
    #[error("bad query: {0}")]
    Query(String),

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

    /// Anything else tantivy reports.
    #[error("index error: {0}")]
    Tantivy(String),
}

impl Error {
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
        // tantivy's Display can span lines; keep the message to one.
        Error::Tantivy(e.to_string().replace('\n', " "))
    }
}

/// tracuu's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
