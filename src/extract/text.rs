//! Plain text: the decoded file as it is (no markup, no breaks of its own).

use super::{encoding, Extracted, Format, Options, Skip};

/// Extracts a plain-text file. Valid UTF-8 costs one validation and one copy, and maps as
/// identity.
pub(super) fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let decoded = encoding::decode(bytes, options.encoding.as_deref(), None)?;
    Ok(Extracted {
        text: decoded.text,
        map: decoded.map,
        format: Format::Text,
        encoding: decoded.encoding,
        title: None,
        breaks: Vec::new(),
        offsets: super::Offsets::File,
        parts: Vec::new(),
        members: Vec::new(),
    })
}
