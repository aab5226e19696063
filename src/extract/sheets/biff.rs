//! The fonts of XLS text cells, from the BIFF records of the `Workbook` (BIFF8) or `Book`
//! (BIFF5) stream: `FONT` names, `XF` font indexes, `BOUNDSHEET` offsets, and each sheet's text
//! cells (`LABELSST`, `LABEL`, `RSTRING`, `FORMULA`) with their `XF`. Values are `calamine`'s.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::XLS;
use crate::extract::encoding::Enc;
use crate::extract::{fonts, Skip};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const FONT: u16 = 0x0031;
const XF: u16 = 0x00E0;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
/// Records that start with row, column and XF index and may hold text.
const TEXT_CELLS: [u16; 4] = [0x00FD, 0x0204, 0x00D6, 0x0006];

/// The text cells whose font is a Vietnamese legacy font: (sheet index in workbook order,
/// 0-based row, column) → encoding. Empty when no font is one (or the stream cannot be read:
/// `calamine` then says what is wrong). A workbook with a `FILEPASS` record is encrypted; one
/// whose `DIMENSIONS` claim far more cells than its stream can hold is damaged (`calamine`
/// would reserve memory for all of them).
pub(super) fn legacy_cells(bytes: &[u8]) -> Result<HashMap<(usize, u32, u32), Enc>, Skip> {
    let Some(stream) = workbook_stream(bytes) else {
        return Ok(HashMap::new());
    };
    let globals = Globals::read(&stream)?;
    let legacy = globals.xf_encs.iter().any(Option::is_some);
    // A cell takes 6 bytes of the stream at least; beyond 4M cells, a sheet must be dense.
    let max_cells = (stream.len() as u64 / 2).max(1 << 22);
    let mut cells = HashMap::new();
    for (sheet, &offset) in globals.sheets.iter().enumerate() {
        let mut depth = 0usize;
        let mut span = Span::default();
        for (typ, data) in Records::at(&stream, offset) {
            if depth == 1 {
                span.add(typ, data);
            }
            match typ {
                BOF => depth += 1,
                EOF => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                DIMENSIONS if dimensions(data) > max_cells => {
                    return Err(Skip::corrupt(
                        XLS,
                        "a sheet claims more cells than it can hold",
                    ));
                }
                _ if span.cells() > max_cells => {
                    return Err(Skip::corrupt(
                        XLS,
                        "a sheet spreads its cells over too many rows and columns to be read",
                    ));
                }
                _ if legacy && depth == 1 && TEXT_CELLS.contains(&typ) => {
                    let (Some(row), Some(col), Some(xf)) =
                        (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4))
                    else {
                        continue;
                    };
                    if let Some(Some(enc)) = globals.xf_encs.get(usize::from(xf)) {
                        cells.insert((sheet, u32::from(row), u32::from(col)), *enc);
                    }
                }
                _ => {}
            }
        }
    }
    Ok(cells)
}

/// The rows and columns that a sheet's value cells span: `calamine` holds them all.
#[derive(Default)]
struct Span {
    rows: Option<(u16, u16)>,
    cols: Option<(u16, u16)>,
}

impl Span {
    /// A record of the sheet: value cells widen the span.
    fn add(&mut self, typ: u16, data: &[u8]) {
        const VALUES: [u16; 8] = [
            0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006, 0x00BD,
        ];
        if !VALUES.contains(&typ) {
            return;
        }
        let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) else {
            return;
        };
        // MULRK: the last column is the record's last u16.
        let last = match typ {
            0x00BD => data
                .len()
                .checked_sub(2)
                .and_then(|at| u16_at(data, at))
                .unwrap_or(col),
            _ => col,
        };
        let widen = |span: Option<(u16, u16)>, lo: u16, hi: u16| {
            let (a, b) = span.unwrap_or((lo, hi));
            Some((a.min(lo), b.max(hi)))
        };
        self.rows = widen(self.rows, row, row);
        self.cols = widen(self.cols, col.min(last), col.max(last));
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => {
                (u64::from(r1) - u64::from(r0) + 1) * (u64::from(c1) - u64::from(c0) + 1)
            }
            _ => 0,
        }
    }
}

/// How many cells a `DIMENSIONS` record makes `calamine` reserve, computed as it does (BIFF8
/// row bounds are `u32`, older ones `u16`; the first column past 255 counts as 0).
fn dimensions(data: &[u8]) -> u64 {
    let u32_at = |at: usize| {
        data.get(at..at + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let u16_or_0 = |at: usize| u32::from(u16_at(data, at).unwrap_or(0));
    let (first_row, last_row, first_col, last_col) = match data.len() {
        10 => (u16_or_0(0), u16_or_0(2), u16_or_0(4), u16_or_0(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_or_0(8), u16_or_0(10)),
        _ => return 0,
    };
    let first_col = if first_col > 0xFF || last_col < first_col {
        0
    } else {
        first_col
    };
    let (end_row, end_col) = if last_row >= 1 && last_col >= 1 {
        (last_row - 1, last_col - 1)
    } else {
        (first_row, first_col)
    };
    let rows = end_row.wrapping_sub(first_row).wrapping_add(1);
    let cols = end_col.wrapping_sub(first_col).wrapping_add(1);
    u64::from(rows) * u64::from(cols)
}

/// The `Workbook` (or `Book`) stream of the compound file, if it has one.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let mut stream = file
        .open_stream("/Workbook")
        .or_else(|_| file.open_stream("/Book"))
        .ok()?;
    let mut out = Vec::new();
    // The stream is inside the file's bytes: it is never larger than they are.
    (&mut stream)
        .take(bytes.len() as u64)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// What the workbook globals say: each XF's font encoding, and where each sheet starts.
struct Globals {
    xf_encs: Vec<Option<Enc>>,
    sheets: Vec<usize>,
}

impl Globals {
    fn read(stream: &[u8]) -> Result<Globals, Skip> {
        let mut biff8 = true;
        let mut fonts: Vec<Option<Enc>> = Vec::new();
        let mut xf_fonts: Vec<u16> = Vec::new();
        let mut sheets = Vec::new();
        for (typ, data) in Records::at(stream, 0) {
            match typ {
                BOF if fonts.is_empty() && sheets.is_empty() => {
                    biff8 = u16_at(data, 0).is_none_or(|v| v >= 0x0600)
                }
                FILEPASS => return Err(Skip::Encrypted(XLS)),
                FONT => fonts.push(font_name(data, biff8).and_then(|n| fonts::encoding_of(&n))),
                XF => xf_fonts.push(u16_at(data, 0).unwrap_or(0)),
                BOUNDSHEET => {
                    if let Some(offset) = data.get(..4) {
                        let offset =
                            u32::from_le_bytes([offset[0], offset[1], offset[2], offset[3]]);
                        sheets.push(offset as usize);
                    }
                }
                EOF => break,
                _ => {}
            }
        }
        // Font index 4 does not exist: 5 and above are the list's 4th and on.
        let xf_encs = xf_fonts
            .into_iter()
            .map(|i| {
                let i = usize::from(i);
                let at = if i >= 4 { i - 1 } else { i };
                fonts.get(at).copied().flatten()
            })
            .collect();
        Ok(Globals { xf_encs, sheets })
    }
}

/// The font name of a `FONT` record: at offset 14, a length byte, then (BIFF8) a flags byte
/// whose bit 0 says UTF-16LE, else 8-bit characters (read as Latin-1).
fn font_name(data: &[u8], biff8: bool) -> Option<String> {
    let cch = usize::from(*data.get(14)?);
    if !biff8 {
        let raw = data.get(15..15 + cch)?;
        return Some(raw.iter().map(|&b| char::from(b)).collect());
    }
    let flags = *data.get(15)?;
    if flags & 1 == 1 {
        let raw = data.get(16..16 + 2 * cch)?;
        let units: Vec<u16> = raw
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        let raw = data.get(16..16 + cch)?;
        Some(raw.iter().map(|&b| char::from(b)).collect())
    }
}

/// The little-endian `u16` at `at`, if the data is long enough.
fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at + 2)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

/// The records of a BIFF stream from `pos` on: (type, data), the data cut at the stream's end.
/// Each step moves at least 4 bytes: the walk always ends.
struct Records<'a> {
    stream: &'a [u8],
    pos: usize,
}

impl<'a> Records<'a> {
    fn at(stream: &'a [u8], pos: usize) -> Self {
        Records { stream, pos }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let typ = u16_at(self.stream, self.pos)?;
        let len = usize::from(u16_at(self.stream, self.pos + 2)?);
        let start = self.pos + 4;
        let end = (start + len).min(self.stream.len());
        self.pos = start + len;
        Some((typ, self.stream.get(start..end)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    fn font(name: &str, utf16: bool) -> Vec<u8> {
        let mut data = vec![0u8; 14];
        data.push(name.len() as u8);
        data.push(u8::from(utf16));
        for c in name.chars() {
            data.push(c as u8);
            if utf16 {
                data.push(0);
            }
        }
        record(FONT, &data)
    }

    #[test]
    fn xf_font_indexes_skip_the_missing_fourth() {
        let mut stream = record(BOF, &[0x00, 0x06]);
        for name in ["Arial", "Arial", "Arial", "Arial", ".VnTime"] {
            stream.extend(font(name, name == ".VnTime"));
        }
        stream.extend(font("VNI-Times", false));
        for xf in [0u16, 3, 5, 6, 7] {
            stream.extend(record(XF, &xf.to_le_bytes()));
        }
        stream.extend(record(BOUNDSHEET, &[9, 9, 0, 0]));
        stream.extend(record(EOF, &[]));
        let g = Globals::read(&stream).unwrap();
        assert_eq!(
            g.xf_encs,
            [None, None, Some(Enc::Tcvn3), Some(Enc::Vni), None]
        );
        assert_eq!(g.sheets, [0x0909]);
        // A truncated record is read as far as it goes.
        assert!(Globals::read(&stream[..stream.len() - 7]).is_ok());
    }

    #[test]
    fn filepass_means_encrypted() {
        let mut stream = record(BOF, &[0x00, 0x06]);
        stream.extend(record(FILEPASS, &[1, 0]));
        assert_eq!(Globals::read(&stream).err(), Some(Skip::Encrypted(XLS)));
    }
}
