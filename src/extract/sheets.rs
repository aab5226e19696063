//! Spreadsheets (`.xlsx`/`.xlsm`, `.xlsb`, `.xls`/`.xla`, `.ods`): cell values read with
//! `calamine`, one record a row, and the cells set in a Vietnamese legacy font decoded.
//!
//! Each row that holds text is a [`Place::Row`] (the sheet's name and the row number as the
//! spreadsheet shows it): its non-empty cells in column order joined by `\t` (a phrase never runs
//! from one cell into the next), ended by a `\n` that is a sentence break. Sheets come in
//! workbook order, hidden ones included; chart and dialog sheets have no cells. Formulas count by
//! their cached value. Numbers read as a reader sees them (`1998`, `2.5`), dates as ISO dates
//! (`1998-01-15`), booleans and errors are left out.
//!
//! Fonts, which `calamine` does not give for every format: XLSX through `calamine`'s cell
//! styles, XLS from the BIFF records ([`biff`]), ODS from the styles and cells of the XML
//! ([`ods`]); XLSB cells are read without their fonts. Only a text cell whose font is a legacy
//! font ([`fonts::encoding_of`]) is decoded with [`fonts::decode`].

mod biff;
mod ods;

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Range, Reader, SheetType};

use super::encoding::Enc;
use super::{contained, fonts, office, Extracted, Format, Limited, Options, Part, Place, Skip};

const XLSX: &str = "XLSX workbook";
const XLSB: &str = "XLSB workbook";
const XLS: &str = "XLS workbook";
const ODS: &str = "ODS spreadsheet";

/// Extracts a spreadsheet of the format named by `ext` (`xlsx`, `xlsm`, `xlsb`, `xls`, `xla`,
/// `ods`). The readers index into hostile bytes: they run behind [`super::guard`] (a panic is a
/// damaged file, and a reader that takes too long is given up).
pub(super) fn extract(ext: &str, bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let (format, read): (&'static str, super::guard::Read) = match ext {
        "xlsb" => (XLSB, xlsb),
        "xls" | "xla" => (XLS, xls),
        "ods" => (ODS, ods),
        _ => (XLSX, xlsx),
    };
    super::guard::run(format, bytes, options, read)
}

/// The rows being written: text, sentence breaks, places, and the row being gathered.
struct Rows {
    text: Limited,
    breaks: Vec<usize>,
    parts: Vec<Part>,
    sheet: String,
    /// The 0-based number of the row being gathered, and its cells (column, text).
    row: Option<u32>,
    cells: Vec<(u32, String)>,
    /// The bytes of text in `cells`, bounded by the limit too.
    pending: usize,
    /// How many more cells (empty ones included) may be looked at: markup without text is
    /// bounded as well.
    budget: usize,
}

impl Rows {
    fn new(options: &Options) -> Self {
        Rows {
            text: Limited::new(options),
            breaks: Vec::new(),
            parts: Vec::new(),
            sheet: String::new(),
            row: None,
            cells: Vec::new(),
            pending: 0,
            budget: options.max_extract(),
        }
    }

    fn too_large(&self) -> Skip {
        Skip::TooLarge {
            limit: self.text.limit,
        }
    }

    /// Starts the sheet `name`.
    fn sheet(&mut self, name: &str) -> Result<(), Skip> {
        self.end_row()?;
        name.clone_into(&mut self.sheet);
        Ok(())
    }

    /// The cell at (0-based) `row`, `col` of the current sheet, whose font's legacy encoding is
    /// `enc` (a text cell in such a font is decoded).
    fn cell(&mut self, row: u32, col: u32, value: &Data, enc: Option<Enc>) -> Result<(), Skip> {
        self.budget = self.budget.checked_sub(1).ok_or_else(|| self.too_large())?;
        let text = match (value, enc) {
            (Data::String(s), Some(enc)) => fonts::decode(s, enc),
            _ => match shown(value) {
                Some(text) => text,
                None => return Ok(()),
            },
        };
        self.text_cell(row, col, text)
    }

    /// A cell whose text is known.
    fn text_cell(&mut self, row: u32, col: u32, text: String) -> Result<(), Skip> {
        if text.trim().is_empty() {
            return Ok(());
        }
        if self.row != Some(row) {
            self.end_row()?;
            self.row = Some(row);
        }
        self.pending += text.len() + 1;
        if self.text.len() + self.pending > self.text.limit {
            return Err(self.too_large());
        }
        self.cells.push((col, text));
        Ok(())
    }

    /// Writes the row gathered so far, if it has text.
    fn end_row(&mut self) -> Result<(), Skip> {
        let Some(row) = self.row.take() else {
            return Ok(());
        };
        let mut cells = std::mem::take(&mut self.cells);
        self.pending = 0;
        if cells.is_empty() {
            return Ok(());
        }
        cells.sort_by_key(|&(col, _)| col);
        self.parts.push(Part {
            start: self.text.len(),
            place: Place::Row {
                sheet: self.sheet.clone(),
                row: row.saturating_add(1),
            },
        });
        for (i, (_, text)) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push_str("\t")?;
            }
            self.text.push_str(text)?;
        }
        self.breaks.push(self.text.len());
        self.text.push_str("\n")
    }

    fn finish(mut self, format: Format) -> Result<Extracted, Skip> {
        self.end_row()?;
        Ok(contained(self.text.text, format, self.breaks, self.parts))
    }
}

/// A cell's value as a reader sees it; `None` for empty cells, booleans and errors.
fn shown(value: &Data) -> Option<String> {
    match value {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        // Display never writes `1998.0`: whole numbers read as integers.
        Data::Float(f) => Some(f.to_string()),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            Some(if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
            })
        }
        Data::DateTime(d) => Some(d.as_f64().to_string()),
        Data::Bool(_) | Data::Error(_) | Data::Empty => None,
    }
}

/// Whether a sheet of this type holds cells.
fn has_cells(typ: SheetType) -> bool {
    matches!(typ, SheetType::WorkSheet | SheetType::MacroSheet)
}

/// Skips a zip-based workbook whose part `name` says it unpacks to more than 8 bytes of markup
/// per byte of allowed text: `calamine` reads some parts whole (XLSX shared strings, the ODS
/// content) before any text is counted.
fn check_part_size(
    bytes: &[u8],
    name: &str,
    format: &'static str,
    options: &Options,
) -> Result<(), Skip> {
    let mut archive = office::open_zip(bytes, format)?;
    let limit = options.max_extract();
    if let Ok(entry) = archive.by_name(name) {
        if entry.size() > (limit as u64).saturating_mul(8) {
            return Err(Skip::TooLarge { limit });
        }
    }
    Ok(())
}

/// A `calamine` error as a skip: a password is an encrypted file, anything else damage.
fn skip_of(format: &'static str, password: bool, e: impl std::fmt::Display) -> Skip {
    if password {
        Skip::Encrypted(format)
    } else {
        Skip::corrupt(format, e)
    }
}

/// XLSX and XLSM: each sheet's cells streamed with their style, whose font `calamine` reads
/// from `xl/styles.xml`.
fn xlsx(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    use calamine::{Xlsx, XlsxError};
    check_part_size(bytes, "xl/sharedStrings.xml", XLSX, options)?;
    let err = |e: XlsxError| skip_of(XLSX, matches!(e, XlsxError::Password), e);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(err)?;
    let mut rows = Rows::new(options);
    for sheet in book.sheets_metadata().to_vec() {
        if !has_cells(sheet.typ) {
            continue;
        }
        rows.sheet(&sheet.name)?;
        let mut cells = match book.worksheet_cells_reader(&sheet.name) {
            Ok(cells) => cells,
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(err(e)),
        };
        let encs: Vec<Option<Enc>> = cells
            .styles()
            .iter()
            .map(|s| fonts::encoding_of(s.font.as_ref()?.name.as_deref()?))
            .collect();
        while let Some((cell, style)) = cells.next_cell_with_style_id().map_err(err)? {
            let (row, col) = cell.get_position();
            let value = Data::from(cell.get_value().clone());
            let enc = encs.get(style).copied().flatten();
            rows.cell(row, col, &value, enc)?;
        }
    }
    rows.finish(Format::Xlsx)
}

/// XLSB: each sheet's cells streamed, without their fonts.
fn xlsb(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    use calamine::{Xlsb, XlsbError};
    office::open_zip(bytes, XLSB)?;
    let err = |e: XlsbError| skip_of(XLSB, matches!(e, XlsbError::Password), e);
    let mut book: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(err)?;
    let mut rows = Rows::new(options);
    for sheet in book.sheets_metadata().to_vec() {
        if !has_cells(sheet.typ) {
            continue;
        }
        rows.sheet(&sheet.name)?;
        let mut cells = book.worksheet_cells_reader(&sheet.name).map_err(err)?;
        while let Some(cell) = cells.next_cell().map_err(err)? {
            let (row, col) = cell.get_position();
            rows.cell(row, col, &Data::from(cell.get_value().clone()), None)?;
        }
    }
    rows.finish(Format::Xlsb)
}

/// XLS (BIFF8, and BIFF5): the values from `calamine`, the fonts of text cells from the BIFF
/// records ([`biff::legacy_cells`]).
fn xls(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    use calamine::{Xls, XlsError};
    let legacy = biff::legacy_cells(bytes)?;
    let err = |e: XlsError| skip_of(XLS, matches!(e, XlsError::Password), e);
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(err)?;
    let mut rows = Rows::new(options);
    for (i, sheet) in book.sheets_metadata().to_vec().into_iter().enumerate() {
        if !has_cells(sheet.typ) {
            continue;
        }
        rows.sheet(&sheet.name)?;
        let Ok(range) = book.worksheet_range(&sheet.name) else {
            continue;
        };
        sheet_range(&mut rows, &range, |row, col| {
            Cell::Font(legacy.get(&(i, row, col)).copied())
        })?;
    }
    rows.finish(Format::Xls)
}

/// What is known of a cell besides its value.
enum Cell<'a> {
    /// The legacy encoding of its font, if any.
    Font(Option<Enc>),
    /// Its text, already decoded (an ODS cell whose runs are in legacy fonts).
    Text(&'a str),
}

/// The cells of a whole sheet's range; `known` says the font or text of a cell at (0-based)
/// row and column.
fn sheet_range<'a>(
    rows: &mut Rows,
    range: &Range<Data>,
    known: impl Fn(u32, u32) -> Cell<'a>,
) -> Result<(), Skip> {
    let Some((top, left)) = range.start() else {
        return Ok(());
    };
    for (r, c, value) in range.used_cells() {
        let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else {
            continue;
        };
        let (row, col) = (top.saturating_add(r), left.saturating_add(c));
        match (known(row, col), value) {
            (Cell::Text(text), Data::String(_)) => {
                rows.budget = rows.budget.checked_sub(1).ok_or_else(|| rows.too_large())?;
                rows.text_cell(row, col, text.to_string())?
            }
            (Cell::Font(enc), _) => rows.cell(row, col, value, enc)?,
            (Cell::Text(_), _) => rows.cell(row, col, value, None)?,
        }
    }
    Ok(())
}

/// ODS: the values from `calamine`, the text cells in legacy fonts from the XML
/// ([`ods::legacy_cells`]).
fn ods(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    use calamine::{Ods, OdsError};
    check_part_size(bytes, "content.xml", ODS, options)?;
    let err = |e: OdsError| skip_of(ODS, matches!(e, OdsError::Password), e);
    let mut book: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(err)?;
    let legacy: HashMap<(usize, u32, u32), String> = ods::legacy_cells(bytes, options)?;
    let mut rows = Rows::new(options);
    for (i, sheet) in book.sheets_metadata().to_vec().into_iter().enumerate() {
        rows.sheet(&sheet.name)?;
        let range = book.worksheet_range(&sheet.name).map_err(err)?;
        sheet_range(&mut rows, &range, |row, col| {
            match legacy.get(&(i, row, col)) {
                Some(text) => Cell::Text(text),
                None => Cell::Font(None),
            }
        })?;
    }
    rows.finish(Format::Ods)
}

#[cfg(test)]
mod tests;
