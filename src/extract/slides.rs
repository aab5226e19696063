//! Presentations (`.pptx`, `.odp`): the text of each slide, notes included. Not written yet.

use super::{Extracted, Options, Skip};

/// Extracts a PPTX file.
pub(super) fn extract_pptx(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let _ = (bytes, options);
    Err(Skip::corrupt("pptx", "not read yet"))
}

/// Extracts an ODP file.
pub(super) fn extract_odp(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let _ = (bytes, options);
    Err(Skip::corrupt("odp", "not read yet"))
}
