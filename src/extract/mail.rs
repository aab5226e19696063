//! Mail (`.eml`, mbox): headers and body of each message, attachments as members. Not written yet.

use super::{Extracted, Options, Skip};

/// Extracts one message (`.eml`).
pub(super) fn extract_eml(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let _ = (bytes, options);
    Err(Skip::corrupt("eml", "not read yet"))
}

/// Extracts an mbox file.
pub(super) fn extract_mbox(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let _ = (bytes, options);
    Err(Skip::corrupt("mbox", "not read yet"))
}

/// An mbox file without its extension: a `From ` line, then a header.
pub(super) fn sniff_mbox(bytes: &[u8]) -> bool {
    let _ = bytes;
    false
}
