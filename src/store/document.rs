//! The passage document: what the index stores of each passage, written by the indexer
//! ([`write`](fn@write)) and read back by search ([`read`]), with one set of defaults: a value equal to its
//! default is not stored, and a value not stored reads as its default.

use tantivy::schema::Value;
use tantivy::TantivyDocument;

use super::schema::Fields;
use crate::extract::{Format, OffsetMap, Offsets, Place};

/// The format of a passage that stores none.
pub const DEFAULT_FORMAT: Format = Format::Text;
/// The encoding of a passage that stores none.
pub const DEFAULT_ENCODING: &str = "utf-8";
/// What the offsets of a passage that stores none count.
pub const DEFAULT_OFFSETS: Offsets = Offsets::File;

/// One passage as the index stores it (its indexed words aside).
#[derive(Clone, Debug, PartialEq)]
pub struct Passage<'a> {
    /// Path of its file relative to the corpus root, encoded ([`crate::store::source`]).
    pub source: &'a str,
    /// The passage text as extracted.
    pub text: &'a str,
    /// Offset of the passage in its file: bytes of the file, or of the extracted text
    /// ([`Offsets::Extracted`]).
    pub start: usize,
    /// Offset just past the passage, as `start`.
    pub end: usize,
    /// 1-based line of the passage start.
    pub line: usize,
    /// 1-based column, in characters, of the passage start.
    pub column: usize,
    /// Byte offset of the passage in the extracted text of its file.
    pub text_start: usize,
    /// The offset map of the passage, relative to the passage; `None` when its text is the
    /// file's bytes `[start, end)`.
    pub map: Option<OffsetMap>,
    /// The format its file was read as.
    pub format: Format,
    /// The encoding its file was decoded from.
    pub encoding: &'a str,
    /// The title of its document, if it has one.
    pub title: Option<&'a str>,
    /// What `start` and `end` count.
    pub offsets: Offsets,
    /// The page, chapter, paragraph, row, slide or message it is in.
    pub place: Option<Place>,
    /// The corpus file it comes from ([`Fields::file`]): indexed, not stored, read back empty.
    pub file: &'a str,
}

/// The document of `passage`, whose words are indexed as `indexed` (the passage text as the
/// indexer prepares it for phrases: block breaks made tabs, an HTML title before the first).
pub fn write(f: &Fields, passage: &Passage, indexed: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.body, indexed);
    doc.add_text(f.exact, indexed);
    doc.add_text(f.compound, indexed);
    doc.add_text(f.text, passage.text);
    doc.add_text(f.source, passage.source);
    doc.add_u64(f.start, passage.start as u64);
    doc.add_u64(f.end, passage.end as u64);
    doc.add_u64(f.line, passage.line as u64);
    doc.add_u64(f.column, passage.column as u64);
    doc.add_u64(f.text_start, passage.text_start as u64);
    if let Some(map) = &passage.map {
        doc.add_bytes(f.map, &map.to_bytes());
    }
    if passage.format != DEFAULT_FORMAT {
        doc.add_text(f.format, passage.format.name());
    }
    if passage.encoding != DEFAULT_ENCODING {
        doc.add_text(f.encoding, passage.encoding);
    }
    if let Some(title) = passage.title {
        doc.add_text(f.title, title);
    }
    if passage.offsets != DEFAULT_OFFSETS {
        doc.add_text(f.offsets, passage.offsets.name());
    }
    match &passage.place {
        Some(Place::Page(n)) => doc.add_u64(f.page, u64::from(*n)),
        Some(Place::Chapter(path)) => doc.add_text(f.chapter, path),
        Some(Place::Paragraph(n)) => doc.add_u64(f.paragraph, u64::from(*n)),
        Some(Place::Row { sheet, row }) => {
            doc.add_text(f.sheet, sheet);
            doc.add_u64(f.row, u64::from(*row));
        }
        Some(Place::Slide(n)) => doc.add_u64(f.slide, u64::from(*n)),
        Some(Place::Message(n)) => doc.add_u64(f.message, u64::from(*n)),
        None => {}
    }
    doc.add_text(f.file, passage.file);
    doc
}

/// The passage that [`write`](fn@write) stored as `doc`.
pub fn read<'a>(doc: &'a TantivyDocument, f: &Fields) -> Passage<'a> {
    let text = |field| doc.get_first(field).and_then(|v| v.as_str());
    let number = |field| doc.get_first(field).and_then(|v| v.as_u64());
    let offset = |field| number(field).unwrap_or(0) as usize;
    let small = |field| number(field).and_then(|n| u32::try_from(n).ok());
    let place = small(f.page)
        .map(Place::Page)
        .or_else(|| text(f.chapter).map(|c| Place::Chapter(c.to_string())))
        .or_else(|| small(f.paragraph).map(Place::Paragraph))
        .or_else(|| {
            let row = small(f.row)?;
            let sheet = text(f.sheet)?.to_string();
            Some(Place::Row { sheet, row })
        })
        .or_else(|| small(f.slide).map(Place::Slide))
        .or_else(|| small(f.message).map(Place::Message));
    Passage {
        source: text(f.source).unwrap_or(""),
        text: text(f.text).unwrap_or(""),
        start: offset(f.start),
        end: offset(f.end),
        line: offset(f.line),
        column: offset(f.column),
        text_start: offset(f.text_start),
        map: doc
            .get_first(f.map)
            .and_then(|v| v.as_bytes())
            .and_then(OffsetMap::from_bytes),
        format: text(f.format)
            .and_then(Format::from_name)
            .unwrap_or(DEFAULT_FORMAT),
        encoding: text(f.encoding)
            .filter(|e| !e.is_empty())
            .unwrap_or(DEFAULT_ENCODING),
        title: text(f.title),
        offsets: match text(f.offsets) {
            Some(name) if name == Offsets::Extracted.name() => Offsets::Extracted,
            _ => DEFAULT_OFFSETS,
        },
        place,
        file: "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::{register_tokenizers, schema};

    fn plain<'a>() -> Passage<'a> {
        Passage {
            source: "a/Đức.txt",
            text: "Trần Đức Lương",
            start: 10,
            end: 29,
            line: 2,
            column: 1,
            text_start: 10,
            map: None,
            format: Format::Text,
            encoding: "utf-8",
            title: None,
            offsets: Offsets::File,
            place: None,
            file: "",
        }
    }

    /// Each passage written to an index and read back from its store is the passage written.
    #[test]
    fn passages_round_trip_through_the_store() {
        let map = OffsetMap::from_bytes(&[3, 5, 3, 1, 1, 8, 4, 0]).unwrap();
        let passages = [
            plain(),
            Passage {
                source: "d/bad\u{0}ffname.pdf",
                map: Some(map.clone()),
                format: Format::Pdf,
                encoding: "windows-1258",
                title: Some("Sổ tay"),
                offsets: Offsets::Extracted,
                place: Some(Place::Page(3)),
                ..plain()
            },
            Passage {
                format: Format::Epub,
                place: Some(Place::Chapter("OEBPS/ch1.xhtml".into())),
                ..plain()
            },
            Passage {
                format: Format::Docx,
                map: Some(map),
                place: Some(Place::Paragraph(7)),
                ..plain()
            },
            Passage {
                source: "box.zip!/a.xlsx",
                format: Format::Xlsx,
                place: Some(Place::Row {
                    sheet: "Danh sách".into(),
                    row: 12,
                }),
                ..plain()
            },
            Passage {
                format: Format::Pptx,
                place: Some(Place::Slide(4)),
                ..plain()
            },
            Passage {
                format: Format::Mbox,
                place: Some(Place::Message(2)),
                ..plain()
            },
        ];
        let (schema, f) = schema();
        let index = tantivy::Index::create_in_ram(schema);
        register_tokenizers(&index);
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for p in &passages {
            writer.add_document(write(&f, p, p.text)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        for (i, p) in passages.iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, i as u32)).unwrap();
            assert_eq!(&read(&doc, &f), p);
        }
    }

    /// A value equal to its default is not stored.
    #[test]
    fn defaults_are_not_stored() {
        let (_, f) = schema();
        let doc = write(&f, &plain(), "Trần Đức Lương");
        for field in [
            f.map,
            f.format,
            f.encoding,
            f.title,
            f.offsets,
            f.page,
            f.chapter,
            f.paragraph,
        ] {
            assert!(doc.get_first(field).is_none());
        }
        assert_eq!(read(&doc, &f), plain());
    }
}
