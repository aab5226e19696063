//! The guard around readers of hostile formats (PDF, spreadsheets): they panic and loop on
//! crafted input, so they run on a worker thread, behind `catch_unwind`, and are given up after
//! [`TIME_BUDGET`] (the thread is left to finish alone). A panic or a timeout is one [`Skip`].

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use super::{Extracted, Options, Skip};

/// How long one file may take.
pub(super) const TIME_BUDGET: Duration = Duration::from_secs(30);

/// A reader of a format: the file's bytes and the options, to its text.
pub(super) type Read = fn(&[u8], &Options) -> Result<Extracted, Skip>;

/// Runs `read` on `bytes` (a file of the format `name`) on a worker thread, within the time
/// budget, a panic being a damaged file.
pub(super) fn run(
    name: &'static str,
    bytes: &[u8],
    options: &Options,
    read: Read,
) -> Result<Extracted, Skip> {
    let (send, receive) = mpsc::channel();
    let owned = bytes.to_vec();
    let options = options.clone();
    let worker = std::thread::Builder::new()
        .name("tracuu-extract".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| read(&owned, &options)));
            let _ = send.send(result);
        });
    if let Err(e) = worker {
        return Err(Skip::corrupt(name, format!("no thread to read it: {e}")));
    }
    match receive.recv_timeout(TIME_BUDGET) {
        Ok(Ok(result)) => result,
        Ok(Err(_panic)) => Err(Skip::corrupt(
            name,
            format!("the {name} reader failed on it"),
        )),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Skip::Timeout {
            format: name,
            seconds: TIME_BUDGET.as_secs(),
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Skip::corrupt(
            name,
            format!("the {name} reader failed on it"),
        )),
    }
}
