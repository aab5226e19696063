//! The schema of a tracuu index: its fields, what each holds and how it is indexed, and the
//! registration of tracuu's tokenizers (in one place, called after every create and open).

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::Index;

use crate::text::{Emit, Mode, TracuuTokenizer};

/// Bumped whenever the schema or the meaning of a stored value changes.
pub const FORMAT_VERSION: u32 = 6;

/// Name of the folded-word tokenizer.
pub const FOLDED_TOKENIZER: &str = "tracuu_folded";
/// Name of the exact-spelling tokenizer.
pub const EXACT_TOKENIZER: &str = "tracuu_exact";
/// Name of the compound tokenizer.
pub const COMPOUND_TOKENIZER: &str = "tracuu_compound";

/// The fields of a passage document.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// The passage text, indexed folded with positions (with every block break of a document
    /// made a tab, so that a phrase never runs from a heading into the next paragraph).
    pub body: Field,
    /// The passage text as extracted (stored only).
    pub text: Field,
    /// The same text indexed in its exact spelling, with positions.
    pub exact: Field,
    /// Compounds of the text ("hanoi" for "Hà Nội", "su30mk2" for "Su-30MK2").
    pub compound: Field,
    /// Path of the file relative to the corpus root, with `/` separators.
    pub source: Field,
    /// Byte offset of the passage in its file.
    pub start: Field,
    /// Byte offset just past the passage in its file.
    pub end: Field,
    /// 1-based line of the passage start.
    pub line: Field,
    /// 1-based column, in characters, of the passage start.
    pub column: Field,
    /// Byte offset of the passage in the extracted text of its file.
    pub text_start: Field,
    /// The offset map of the passage, relative to the passage (see
    /// [`OffsetMap::to_bytes`](crate::extract::OffsetMap::to_bytes)); absent when the passage
    /// text is the file's bytes `[start, end)`.
    pub map: Field,
    /// The format the file was read as; absent for `text`.
    pub format: Field,
    /// The encoding the file was decoded from; absent for `utf-8`.
    pub encoding: Field,
    /// The document's title, if it has one.
    pub title: Field,
    /// `extracted` when `start`, `end` and the highlights count bytes of the extracted text
    /// (PDF, DOCX, ODT, EPUB, compressed files); absent when they count bytes of the file.
    pub offsets: Field,
    /// The PDF page (1-based) the passage is on.
    pub page: Field,
    /// The EPUB chapter (its path inside the book) the passage is in.
    pub chapter: Field,
    /// The DOCX/ODT/DOC/RTF paragraph (1-based) the passage is in.
    pub paragraph: Field,
    /// The spreadsheet sheet the passage is in (with [`Fields::row`]).
    pub sheet: Field,
    /// The spreadsheet row (1-based) the passage starts in.
    pub row: Field,
    /// The slide (1-based) the passage is on.
    pub slide: Field,
    /// The message of an mbox (1-based) the passage is in.
    pub message: Field,
    /// The corpus file the passage comes from (indexed, not stored): its source, or for a
    /// member of an archive or mail, the source of the outermost file. The indexer deletes a
    /// file's passages, its members' too, by this term.
    pub file: Field,
}

impl Fields {
    /// The fields whose words are scored.
    pub fn scored(&self) -> [Field; 3] {
        [self.body, self.exact, self.compound]
    }
}

/// The schema of a tracuu index, and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let fields = Fields {
        body: b.add_text_field("body", text(FOLDED_TOKENIZER, positions)),
        text: b.add_text_field("text", STORED),
        exact: b.add_text_field("exact", text(EXACT_TOKENIZER, positions)),
        compound: b.add_text_field(
            "compound",
            text(COMPOUND_TOKENIZER, IndexRecordOption::WithFreqs),
        ),
        source: b.add_text_field("source", STRING | STORED | FAST),
        start: b.add_u64_field("start", STORED | FAST),
        end: b.add_u64_field("end", STORED),
        line: b.add_u64_field("line", STORED),
        column: b.add_u64_field("column", STORED),
        text_start: b.add_u64_field("text_start", STORED),
        map: b.add_bytes_field("map", STORED),
        format: b.add_text_field("format", STRING | STORED),
        encoding: b.add_text_field("encoding", STRING | STORED),
        title: b.add_text_field("title", STORED),
        offsets: b.add_text_field("offsets", STRING | STORED),
        page: b.add_u64_field("page", STORED),
        chapter: b.add_text_field("chapter", STORED),
        paragraph: b.add_u64_field("paragraph", STORED),
        sheet: b.add_text_field("sheet", STORED),
        row: b.add_u64_field("row", STORED),
        slide: b.add_u64_field("slide", STORED),
        message: b.add_u64_field("message", STORED),
        file: b.add_text_field("file", STRING),
    };
    (b.build(), fields)
}

/// Registers tracuu's tokenizers on `index`. Called after every create and every open: tantivy
/// saves only tokenizer names, and without them documents are silently lost.
pub fn register_tokenizers(index: &Index) {
    let manager: &TokenizerManager = index.tokenizers();
    manager.register(
        FOLDED_TOKENIZER,
        TextAnalyzer::from(TracuuTokenizer::new(Emit::Words(Mode::Folded))),
    );
    manager.register(
        EXACT_TOKENIZER,
        TextAnalyzer::from(TracuuTokenizer::new(Emit::Words(Mode::Exact))),
    );
    manager.register(
        COMPOUND_TOKENIZER,
        TextAnalyzer::from(TracuuTokenizer::new(Emit::Compounds)),
    );
}
