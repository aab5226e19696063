//! tantivy's memory-mapped directory as tracuu opens it: the fail point `write` on every file
//! written, and readers that work on a folder they cannot write.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, FileSlice, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};
use tantivy::{Directory, TantivyError};

use crate::error::{self, Error, Result};
use crate::failpoint;

/// tantivy's memory-mapped directory, with the fail point `write` on every file written, and
/// readers that work on a folder they cannot write: tantivy takes a lock file (`META_LOCK`) to
/// keep a writer's garbage collection away while a reader opens segments; where that file
/// cannot be created (a read-only mount, another user's folder), no writer can delete files
/// either, so the lock is skipped.
#[derive(Clone, Debug)]
pub(super) struct TracuuDirectory {
    inner: MmapDirectory,
}

impl TracuuDirectory {
    pub(super) fn open(dir: &Path) -> Result<Self> {
        let inner = MmapDirectory::open(dir)
            .map_err(|e| Error::from_tantivy_at(dir, TantivyError::OpenDirectoryError(e)))?;
        Ok(TracuuDirectory { inner })
    }
}

impl Directory for TracuuDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn open_read(&self, path: &Path) -> std::result::Result<FileSlice, OpenReadError> {
        self.inner.open_read(path)
    }

    fn delete(&self, path: &Path) -> std::result::Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> std::result::Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> std::result::Result<WritePtr, OpenWriteError> {
        failpoint::hit("write")
            .map_err(|e| OpenWriteError::wrap_io_error(e, path.to_path_buf()))?;
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> std::result::Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        failpoint::hit("write")?;
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> std::result::Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(io))
                if lock.filepath == META_LOCK.filepath && error::is_permission(&io) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}
