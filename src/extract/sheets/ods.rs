//! The text cells of an ODS spreadsheet that are set in a Vietnamese legacy font, decoded: the
//! fonts of `styles.xml` and `content.xml` (font faces, named and automatic styles, the default
//! cell style), each cell's style (its own, else its row's or its column's default), and the
//! spans inside it with fonts of their own. Rows and columns are counted as `calamine` counts
//! them (`number-rows-repeated`, `number-columns-repeated`, covered cells).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use quick_xml::events::{BytesStart, Event};

use super::ODS;
use crate::extract::encoding::Enc;
use crate::extract::office::{attr, family_name, open_zip, read_small};
use crate::extract::{fonts, Options, Skip};

/// (sheet index, 0-based row, column) → the cell's decoded text.
pub(super) type Legacy = HashMap<(usize, u32, u32), String>;

/// The most styles and font faces kept, and the most cells one repeated cell stands for.
const MAX_STYLES: usize = 100_000;
const MAX_REPEAT: u32 = 1024;
/// The most decoded cells kept.
const MAX_CELLS: usize = 1 << 20;

/// The text cells in legacy fonts, decoded; empty when no font of the document is one.
pub(super) fn legacy_cells(bytes: &[u8], options: &Options) -> Result<Legacy, Skip> {
    let mut archive = open_zip(bytes, ODS)?;
    let mut styles = Styles::default();
    if let Ok(Some(xml)) = read_small(&mut archive, "styles.xml", ODS) {
        styles.read_all(&xml);
    }
    let entry = archive
        .by_name("content.xml")
        .map_err(|e| Skip::corrupt(ODS, e))?;
    walk(BufReader::new(entry), styles, options)
}

/// Walks `content.xml` with the styles of `styles.xml`.
fn walk(content: impl BufRead, styles: Styles, options: &Options) -> Result<Legacy, Skip> {
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut walk = Walk::new(styles, options);
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Skip::corrupt(ODS, e))?;
        match &event {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"office:body" && !walk.styles.legacy => break,
            _ => walk.event(&event)?,
        }
        buf.clear();
    }
    Ok(walk.cells)
}

/// Fonts set by styles: font faces, named and automatic styles, and the default cell style.
#[derive(Default)]
struct Styles {
    /// Font face name → its family.
    faces: HashMap<String, String>,
    /// Style name → (its font, its parent style).
    styles: HashMap<String, (Option<String>, Option<String>)>,
    /// The font of the default cell style.
    default: Option<String>,
    /// Whether any face or style names a legacy font.
    legacy: bool,
    /// The style being read: `Some(name)`, or `Some(None)` for the default cell style.
    open: Option<Option<String>>,
}

impl Styles {
    /// Reads a whole style part; a damaged one as far as it goes.
    fn read_all(&mut self, xml: &[u8]) {
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut buf = Vec::new();
        while let Ok(event) = reader.read_event_into(&mut buf) {
            match event {
                Event::Eof => break,
                Event::Start(e) => self.start(&e, false),
                Event::Empty(e) => self.start(&e, true),
                Event::End(e) => self.end(e.name().as_ref()),
                _ => {}
            }
            buf.clear();
        }
        self.open = None;
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        match e.name().as_ref() {
            b"style:font-face" => {
                if let (Some(name), Some(family)) =
                    (attr(e, b"style:name"), attr(e, b"svg:font-family"))
                {
                    let family = family_name(&family);
                    self.legacy |= fonts::encoding_of(&family).is_some();
                    if self.faces.len() < MAX_STYLES {
                        self.faces.insert(name, family);
                    }
                }
            }
            b"style:style" => {
                let name = attr(e, b"style:name").unwrap_or_default();
                if self.styles.len() < MAX_STYLES {
                    let parent = attr(e, b"style:parent-style-name");
                    self.styles.insert(name.clone(), (None, parent));
                }
                self.open = (!empty).then_some(Some(name));
            }
            b"style:default-style" if !empty => {
                let cells = attr(e, b"style:family").as_deref() == Some("table-cell");
                self.open = cells.then_some(None);
            }
            b"style:text-properties" => {
                let font = attr(e, b"style:font-name")
                    .or_else(|| attr(e, b"fo:font-family").map(|f| family_name(&f)));
                if let Some(font) = font {
                    self.legacy |= self.encoding(&font).is_some();
                    match &self.open {
                        Some(Some(name)) => {
                            if let Some(style) = self.styles.get_mut(name) {
                                style.0 = Some(font);
                            }
                        }
                        Some(None) => self.default = Some(font),
                        None => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if matches!(name, b"style:style" | b"style:default-style") {
            self.open = None;
        }
    }

    /// The font that style `name` or a style it is based on sets.
    fn font_of(&self, name: &str) -> Option<&str> {
        let mut name = name;
        for _ in 0..16 {
            let (font, parent) = self.styles.get(name)?;
            if let Some(font) = font {
                return Some(font);
            }
            name = parent.as_deref()?;
        }
        None
    }

    /// The legacy encoding of a font (a face name is first taken to its family).
    fn encoding(&self, font: &str) -> Option<Enc> {
        fonts::encoding_of(self.faces.get(font).map_or(font, String::as_str))
    }

    /// The encoding of a cell of style `name` (`None`: the default cell style).
    fn cell_enc(&self, name: Option<&str>) -> Option<Enc> {
        let font = name
            .and_then(|n| self.font_of(n))
            .or_else(|| self.font_of("Default"))
            .or(self.default.as_deref())?;
        self.encoding(font)
    }

    /// The encoding of a paragraph or span of style `name`, if the style sets a font.
    fn own_enc(&self, name: Option<&str>) -> Option<Option<Enc>> {
        let font = self.font_of(name?)?;
        Some(self.encoding(font))
    }
}

/// A cell being read: where it is, how many cells it stands for, its text runs.
struct OpenCell {
    col: u32,
    repeat: u32,
    text: bool,
    runs: Vec<(String, Option<Enc>)>,
    /// The encoding of each open paragraph and span (the cell's at the bottom).
    stack: Vec<Option<Enc>>,
    paragraphs: usize,
    /// Depth inside an annotation, whose text is not the cell's.
    note: usize,
    len: usize,
}

/// The walk over `content.xml`: where it is in which table, and the cells found.
struct Walk {
    styles: Styles,
    limit: usize,
    cells: Legacy,
    /// The sheet being read (counting from 1), and how deep tables are nested.
    sheet: usize,
    tables: usize,
    row: u32,
    row_repeat: u32,
    row_default: Option<String>,
    /// Column defaults: (first column past the run, encoding).
    columns: Vec<(u32, Option<Enc>)>,
    col: u32,
    cell: Option<OpenCell>,
}

impl Walk {
    fn new(styles: Styles, options: &Options) -> Self {
        Walk {
            styles,
            limit: options.max_extract(),
            cells: HashMap::new(),
            sheet: 0,
            tables: 0,
            row: 0,
            row_repeat: 1,
            row_default: None,
            columns: Vec::new(),
            col: 0,
            cell: None,
        }
    }

    fn event(&mut self, event: &Event) -> Result<(), Skip> {
        match event {
            Event::Start(e) => self.start(e, false),
            Event::Empty(e) => self.start(e, true),
            Event::End(e) => self.end(e.name().as_ref()),
            Event::Text(t) => {
                let s = t.decode().map_err(|e| Skip::corrupt(ODS, e))?;
                self.push(&s)
            }
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    self.push(c.encode_utf8(&mut [0; 4]))
                } else {
                    let name = r.decode().map_err(|e| Skip::corrupt(ODS, e))?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => self.push(s),
                        None => Ok(()),
                    }
                }
            }
            _ => Ok(()),
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) -> Result<(), Skip> {
        let name = e.name();
        let name = name.as_ref();
        if name.starts_with(b"style:") {
            self.styles.start(e, empty);
            return Ok(());
        }
        if name == b"table:table" && !empty {
            self.tables += 1;
            if self.tables == 1 {
                self.sheet += 1;
                (self.row, self.col) = (0, 0);
                self.columns.clear();
            }
            return Ok(());
        }
        if self.tables != 1 {
            return Ok(());
        }
        if let Some(cell) = &mut self.cell {
            cell_start(cell, &self.styles, e, empty);
            return Ok(());
        }
        match name {
            b"table:table-column" => {
                let end = self.columns.last().map_or(0, |c| c.0);
                let end = end.saturating_add(repeat(e, b"table:number-columns-repeated"));
                let style = attr(e, b"table:default-cell-style-name");
                self.columns
                    .push((end, self.styles.cell_enc(style.as_deref())));
            }
            b"table:table-row" => {
                let n = repeat(e, b"table:number-rows-repeated");
                if empty {
                    self.row = self.row.saturating_add(n);
                } else {
                    self.row_repeat = n;
                    self.row_default = attr(e, b"table:default-cell-style-name");
                    self.col = 0;
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let n = repeat(e, b"table:number-columns-repeated");
                if empty {
                    self.col = self.col.saturating_add(n);
                } else {
                    self.open_cell(e, n);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Opens a cell with content: its encoding is its style's, else its row's or column's.
    fn open_cell(&mut self, e: &BytesStart, repeat: u32) {
        let own = attr(e, b"table:style-name").or_else(|| self.row_default.clone());
        let enc = match own {
            Some(style) => self.styles.cell_enc(Some(&style)),
            None => match self.columns.iter().find(|c| c.0 > self.col) {
                Some(column) => column.1,
                None => self.styles.cell_enc(None),
            },
        };
        let kind = attr(e, b"office:value-type");
        self.cell = Some(OpenCell {
            col: self.col,
            repeat,
            text: kind.is_none_or(|k| k == "string"),
            runs: Vec::new(),
            stack: vec![enc],
            paragraphs: 0,
            note: 0,
            len: 0,
        });
    }

    fn end(&mut self, name: &[u8]) -> Result<(), Skip> {
        if name.starts_with(b"style:") {
            self.styles.end(name);
            return Ok(());
        }
        if name == b"table:table" {
            self.tables = self.tables.saturating_sub(1);
            return Ok(());
        }
        if self.tables != 1 {
            return Ok(());
        }
        match name {
            b"table:table-cell" | b"table:covered-table-cell" if self.cell.is_some() => {
                if let Some(cell) = self.cell.take() {
                    self.close_cell(cell);
                }
            }
            b"table:table-row" if self.cell.is_none() => {
                self.row = self.row.saturating_add(self.row_repeat);
                self.row_repeat = 1;
                self.row_default = None;
            }
            _ => {
                if let Some(cell) = &mut self.cell {
                    cell_end(cell, name);
                }
            }
        }
        Ok(())
    }

    /// Files a closed cell's text, decoded, if a run of it is in a legacy font.
    fn close_cell(&mut self, cell: OpenCell) {
        self.col = cell.col.saturating_add(cell.repeat);
        if !cell.text || cell.runs.iter().all(|r| r.1.is_none()) {
            return;
        }
        let text = decode_runs(&cell.runs);
        let rows = self.row_repeat.min(MAX_REPEAT);
        for row in self.row..self.row.saturating_add(rows) {
            for col in cell.col..cell.col.saturating_add(cell.repeat.min(MAX_REPEAT)) {
                if self.cells.len() >= MAX_CELLS {
                    return;
                }
                self.cells.insert((self.sheet - 1, row, col), text.clone());
            }
        }
    }

    fn push(&mut self, s: &str) -> Result<(), Skip> {
        let Some(cell) = &mut self.cell else {
            return Ok(());
        };
        if cell.note > 0 || cell.paragraphs == 0 {
            return Ok(());
        }
        cell.len += s.len();
        if cell.len > self.limit {
            return Err(Skip::TooLarge { limit: self.limit });
        }
        let enc = cell.stack.last().copied().flatten();
        match cell.runs.last_mut() {
            Some((text, e)) if *e == enc => text.push_str(s),
            _ => cell.runs.push((s.to_string(), enc)),
        }
        Ok(())
    }
}

/// A start tag inside a cell: paragraphs and spans with their fonts, spaces, tabs and breaks.
fn cell_start(cell: &mut OpenCell, styles: &Styles, e: &BytesStart, empty: bool) {
    let name = e.name();
    match name.as_ref() {
        b"office:annotation" if !empty => cell.note += 1,
        _ if cell.note > 0 => {}
        b"text:p" | b"text:h" | b"text:span" if !empty => {
            if name.as_ref() != b"text:span" {
                if cell.paragraphs > 0 {
                    cell.runs.push(("\n".to_string(), None));
                }
                cell.paragraphs += 1;
            }
            let outer = cell.stack.last().copied().flatten();
            let own = styles.own_enc(attr(e, b"text:style-name").as_deref());
            if cell.stack.len() < 256 {
                cell.stack.push(own.unwrap_or(outer));
            }
        }
        b"text:s" => {
            let n = attr(e, b"text:c")
                .and_then(|c| c.parse::<usize>().ok())
                .unwrap_or(1);
            cell.runs.push((" ".repeat(n.min(64)), None));
        }
        b"text:tab" => cell.runs.push(("\t".to_string(), None)),
        b"text:line-break" => cell.runs.push(("\n".to_string(), None)),
        _ => {}
    }
}

/// An end tag inside a cell.
fn cell_end(cell: &mut OpenCell, name: &[u8]) {
    match name {
        b"office:annotation" => cell.note = cell.note.saturating_sub(1),
        _ if cell.note > 0 => {}
        b"text:p" | b"text:h" | b"text:span" if cell.stack.len() > 1 => {
            cell.stack.pop();
        }
        _ => {}
    }
}

/// The runs of a cell as one text, each run in a legacy font decoded.
fn decode_runs(runs: &[(String, Option<Enc>)]) -> String {
    runs.iter()
        .map(|(text, enc)| match enc {
            Some(enc) => fonts::decode(text, *enc),
            None => text.clone(),
        })
        .collect()
}

/// The repeat count of a row or cell (at least 1).
fn repeat(e: &BytesStart, name: &[u8]) -> u32 {
    attr(e, name)
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(styles_xml: &str, content: &str) -> Legacy {
        let mut styles = Styles::default();
        styles.read_all(styles_xml.as_bytes());
        walk(content.as_bytes(), styles, &Options::default()).unwrap()
    }

    const FACES: &str = "<office:font-face-decls>\
        <style:font-face style:name=\"V\" svg:font-family=\"&apos;.VnTime&apos;\"/>\
        <style:font-face style:name=\"N\" svg:font-family=\"VNI-Times\"/>\
        <style:font-face style:name=\"T\" svg:font-family=\"&apos;Times New Roman&apos;\"/>\
        </office:font-face-decls><office:automatic-styles>\
        <style:style style:name=\"ceV\" style:family=\"table-cell\">\
        <style:text-properties style:font-name=\"V\"/></style:style>\
        <style:style style:name=\"ceT\" style:family=\"table-cell\">\
        <style:text-properties style:font-name=\"T\"/></style:style>\
        <style:style style:name=\"ce0\" style:family=\"table-cell\" \
        style:parent-style-name=\"Default\"/>\
        <style:style style:name=\"tN\" style:family=\"text\">\
        <style:text-properties style:font-name=\"N\"/></style:style>\
        </office:automatic-styles>";

    #[test]
    fn rows_and_columns_are_counted_with_their_repeats() {
        let content = format!(
            "{FACES}<office:body><office:spreadsheet><table:table table:name=\"A\">\
            <table:table-column table:number-columns-repeated=\"2\"/>\
            <table:table-column table:default-cell-style-name=\"ceV\"/>\
            <table:table-row table:number-rows-repeated=\"3\"><table:table-cell \
            table:number-columns-repeated=\"5\"/></table:table-row>\
            <table:table-row><table:table-cell table:number-columns-repeated=\"2\"/>\
            <table:table-cell office:value-type=\"string\"><text:p>§øc</text:p>\
            </table:table-cell><table:covered-table-cell/>\
            <table:table-cell table:style-name=\"ceV\"><text:p>TrÇn</text:p>\
            </table:table-cell><table:table-cell table:style-name=\"ceT\">\
            <text:p>§øc</text:p></table:table-cell></table:table-row>\
            </table:table><table:table table:name=\"B\"><table:table-row>\
            <table:table-cell table:style-name=\"ceT\"><text:p>Tr<text:span \
            text:style-name=\"tN\">aàn</text:span></text:p></table:table-cell>\
            <table:table-cell table:style-name=\"ceV\" office:value-type=\"float\" \
            office:value=\"1\"><text:p>1</text:p></table:table-cell>\
            </table:table-row></table:table></office:spreadsheet></office:body>"
        );
        let got = cells("", &content);
        // Row 4 (0-based 3): the column default's .VnTime at C, the cell's own at E; the
        // Times New Roman cell is not decoded. Sheet B: a VNI span in a Unicode cell; a number
        // cell is left to calamine.
        let mut want = Legacy::new();
        want.insert((0, 3, 2), "Đức".to_string());
        want.insert((0, 3, 4), "Trần".to_string());
        want.insert((1, 0, 0), "Trần".to_string());
        assert_eq!(got, want);
    }

    #[test]
    fn the_default_cell_style_and_named_styles_set_fonts() {
        let styles = "<office:font-face-decls><style:font-face style:name=\"V\" \
            svg:font-family=\".VnTime\"/></office:font-face-decls>\
            <style:default-style style:family=\"table-cell\">\
            <style:text-properties style:font-name=\"V\"/></style:default-style>";
        let content = "<office:body><table:table><table:table-row>\
            <table:table-cell><text:p>§øc</text:p><text:p>L\u{AD}¬ng</text:p>\
            <office:annotation><text:p>x</text:p></office:annotation></table:table-cell>\
            </table:table-row></table:table></office:body>";
        let got = cells(styles, content);
        assert_eq!(got.get(&(0, 0, 0)).map(String::as_str), Some("Đức\nLương"));
        // No legacy font anywhere: the body is not even read.
        assert!(cells("", content).is_empty());
    }
}
