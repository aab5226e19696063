//! Spreadsheets (`.xlsx`, `.xlsb`, `.xls`, `.ods`): one record a row. Not written yet.

use super::{Extracted, Options, Skip};

/// Extracts a spreadsheet of the format named by `ext` (`xlsx`, `xlsm`, `xlsb`, `xls`, `ods`).
pub(super) fn extract(ext: &str, bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let _ = (ext, bytes, options);
    Err(Skip::corrupt("spreadsheet", "not read yet"))
}
