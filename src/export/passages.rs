//! The passages of an index as an engine gets them, read segment by segment from tantivy's
//! store (one stored document at a time: memory stays bounded however large the corpus), each
//! with its `_id`, its corpus file and its pre-analysed tokens.
//!
//! The store keeps a passage's text as extracted, not the text its words were indexed from (see
//! the indexer's `indexed_text`): there, every block break of a document is a tab, and the first
//! passage of an HTML page starts with the page's title and a tab. Both are rebuilt here: the
//! title goes before the passage of its page that starts first; a line feed between two words
//! (with no clause punctuation beside it) was a block break exactly when the index holds the next
//! word one position further than a plain line feed would put it, which one look-up of that word's
//! positions in that document tells. So the tokens sent are the tokens tantivy holds.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, SegmentReader, TantivyDocument, Term, TERMINATED};

use super::tokens::{field_tokens_with, FieldTokens};
use crate::error::{Error, Result};
use crate::extract::{Format, Offsets, Place, MEMBER_SEPARATOR};
use crate::store::{document, FileState, TracuuIndex};
use crate::text::{breaks_phrase, Analysis};

/// Stored documents a store reader keeps decompressed (sequential reads need few).
const STORE_CACHE_BLOCKS: usize = 4;

/// The document an engine indexes for one passage: the fields of the mapping
/// ([`super::mapping`]), in its order; what the passage lacks is left out.
#[derive(Debug, Serialize)]
pub struct EngineDoc<'a> {
    pub source: &'a str,
    pub file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<String>,
    pub start: u64,
    pub end: u64,
    pub line: u64,
    pub column: u64,
    pub text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    pub format: &'a str,
    pub encoding: &'a str,
    pub offsets: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chapter: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slide: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<u32>,
    /// The passage's offset map ([`crate::extract::OffsetMap::to_bytes`]) in base64, when its
    /// text is not the file's bytes `start..end`: what turns a highlight in `text` into file
    /// offsets, as local search does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map: Option<String>,
    pub folded: String,
    pub exact: String,
    pub compound: String,
}

/// The `_id` of the passage of `source` starting at `start`: `SOURCE:START`.
pub fn passage_id(source: &str, start: u64) -> String {
    format!("{source}:{start}")
}

/// The corpus file a stored source belongs to: itself, or for a member of an archive or mail
/// (`a.zip!/b.docx`), the outermost file the file list holds (`a.zip`).
pub fn file_of<'s>(files: &BTreeMap<String, FileState>, source: &'s str) -> &'s str {
    if files.contains_key(source) {
        return source;
    }
    source
        .match_indices(MEMBER_SEPARATOR)
        .map(|(at, _)| &source[..at])
        .find(|prefix| files.contains_key(*prefix))
        .unwrap_or(source)
}

/// Reads the passages of one index commit.
pub struct PassageReader<'i> {
    idx: &'i TracuuIndex,
    searcher: Searcher,
    files: &'i BTreeMap<String, FileState>,
    /// The start of the first passage of each titled HTML source met so far.
    first_starts: HashMap<String, u64>,
    analysis: Analysis,
}

impl<'i> PassageReader<'i> {
    /// A reader of `idx` as of the commit it was opened at, whose files are `files`.
    pub fn new(idx: &'i TracuuIndex, files: &'i BTreeMap<String, FileState>) -> Result<Self> {
        let reader = idx
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::from_tantivy_at(&idx.dir, e))?;
        let searcher = reader.searcher();
        // The reader opened at the latest commit: it must be the one the manifest and the file
        // list describe (an update may have committed since the index was opened).
        let latest = idx
            .index
            .load_metas()
            .map_err(|e| Error::from_tantivy_at(&idx.dir, e))?
            .payload
            .and_then(|p| crate::store::Manifest::from_payload(&p).ok());
        if latest.is_none_or(|m| m.commit != idx.manifest.commit) {
            return Err(Error::Usage(format!(
                "the index at {} changed during the export; run the export again",
                idx.dir.display()
            )));
        }
        Ok(PassageReader {
            idx,
            searcher,
            files,
            first_starts: HashMap::new(),
            analysis: Analysis::default(),
        })
    }

    /// Calls `f(id, file, doc)` for every passage whose corpus file `wanted` accepts, segment by
    /// segment in store order.
    pub fn for_each(
        &mut self,
        wanted: &dyn Fn(&str) -> bool,
        f: &mut dyn FnMut(&str, &str, &EngineDoc) -> Result<()>,
    ) -> Result<()> {
        let searcher = self.searcher.clone();
        for segment in searcher.segment_readers() {
            self.segment(segment, wanted, f)?;
        }
        Ok(())
    }

    fn segment(
        &mut self,
        segment: &SegmentReader,
        wanted: &dyn Fn(&str) -> bool,
        f: &mut dyn FnMut(&str, &str, &EngineDoc) -> Result<()>,
    ) -> Result<()> {
        let dir = &self.idx.dir;
        let fields = self.idx.fields;
        let store = segment
            .get_store_reader(STORE_CACHE_BLOCKS)
            .map_err(|e| Error::io(dir, e))?;
        let body = segment
            .inverted_index(fields.body)
            .map_err(|e| Error::from_tantivy_at(dir, e))?;
        for doc_id in 0..segment.max_doc() {
            if segment.alive_bitset().is_some_and(|a| a.is_deleted(doc_id)) {
                continue;
            }
            let stored: TantivyDocument = store
                .get(doc_id)
                .map_err(|e| Error::from_tantivy_at(dir, e))?;
            let p = document::read(&stored, &fields);
            let file = file_of(self.files, p.source);
            if !wanted(file) {
                continue;
            }
            let first = self.is_first(&p)?;
            let indexed = indexed_text(&p, first, &mut |word, position| {
                holds_at(&body, fields.body, word, doc_id, position)
            })?;
            let tokens = field_tokens_with(&mut self.analysis, &indexed);
            let doc = engine_doc(&p, file, tokens);
            f(&passage_id(p.source, doc.start), file, &doc)?;
        }
        Ok(())
    }

    /// Whether `p` is the first passage of an HTML page with a title (the one its title was
    /// indexed with).
    fn is_first(&mut self, p: &document::Passage) -> Result<bool> {
        if p.title.is_none() || p.format != Format::Html {
            return Ok(false);
        }
        if let Some(&first) = self.first_starts.get(p.source) {
            return Ok(first == p.start as u64);
        }
        let first = self.first_start(p.source)?;
        self.first_starts.insert(p.source.to_string(), first);
        Ok(first == p.start as u64)
    }

    /// The smallest start of the passages of `source`, over every segment.
    fn first_start(&self, source: &str) -> Result<u64> {
        let dir = &self.idx.dir;
        let term = Term::from_field_text(self.idx.fields.source, source);
        let mut first = u64::MAX;
        for segment in self.searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.idx.fields.source)
                .map_err(|e| Error::from_tantivy_at(dir, e))?;
            let Some(mut postings) = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(|e| Error::io(dir, e))?
            else {
                continue;
            };
            let starts = segment
                .fast_fields()
                .u64("start")
                .map_err(|e| Error::from_tantivy_at(dir, e))?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if !segment.alive_bitset().is_some_and(|a| a.is_deleted(doc)) {
                    first = first.min(starts.first(doc).unwrap_or(u64::MAX));
                }
                doc = postings.advance();
            }
        }
        Ok(first)
    }
}

/// Whether the document `doc` holds the folded word `word` at `position` in `field`.
fn holds_at(
    inverted: &tantivy::InvertedIndexReader,
    field: tantivy::schema::Field,
    word: &str,
    doc: DocId,
    position: usize,
) -> Result<bool> {
    let term = Term::from_field_text(field, word);
    let postings = inverted
        .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
        .map_err(|e| Error::Tantivy(e.to_string()))?;
    let Some(mut postings) = postings else {
        return Ok(false);
    };
    if postings.seek(doc) != doc {
        return Ok(false);
    }
    let mut positions = Vec::new();
    postings.positions(&mut positions);
    Ok(positions.contains(&(position as u32)))
}

/// The text the words of `p` were indexed from: its title and a tab first if it is the `first`
/// passage of a titled HTML page, and each line feed that was a block break made a tab, as
/// `holds(word, position)` (does the index hold this folded word there?) tells.
pub fn indexed_text<'a>(
    p: &document::Passage<'a>,
    first: bool,
    holds: &mut dyn FnMut(&str, usize) -> Result<bool>,
) -> Result<Cow<'a, str>> {
    let text: Cow<str> = match p.title {
        Some(title) if first => Cow::Owned(format!("{title}\t{}", p.text)),
        _ => Cow::Borrowed(p.text),
    };
    // Plain text files have no blocks.
    if (p.format == Format::Text && p.offsets == Offsets::File) || !text.contains('\n') {
        return Ok(text);
    }
    let mut analysis = Analysis::default();
    analysis.run(&text);
    let words = analysis.folded.as_slice();
    let mut tabs = Vec::new();
    let mut shift = 0;
    for pair in words.windows(2) {
        let gap = &text[pair[0].offset_to..pair[1].offset_from];
        let Some(newline) = gap.find('\n') else {
            continue;
        };
        if breaks_phrase(gap) {
            continue;
        }
        if !holds(&pair[1].text, pair[1].position + shift)? {
            shift += 1;
            tabs.push(pair[0].offset_to + newline);
        }
    }
    if tabs.is_empty() {
        return Ok(text);
    }
    let mut bytes = text.into_owned().into_bytes();
    for at in tabs {
        bytes[at] = b'\t';
    }
    Ok(Cow::Owned(
        String::from_utf8(bytes).expect("one ASCII byte replaced"),
    ))
}

/// The engine's document of passage `p` of corpus file `file`.
fn engine_doc<'a>(p: &'a document::Passage<'a>, file: &'a str, t: FieldTokens) -> EngineDoc<'a> {
    use base64::Engine as _;
    let place = p.place.as_ref();
    let number = |want: fn(&Place) -> Option<u32>| place.and_then(want);
    EngineDoc {
        source: p.source,
        file,
        path_bytes: p.source.contains('\0').then(|| {
            let bytes = crate::store::source::path_bytes(&crate::store::decode_source(p.source));
            base64::engine::general_purpose::STANDARD.encode(bytes)
        }),
        start: p.start as u64,
        end: p.end as u64,
        line: p.line as u64,
        column: p.column as u64,
        text: p.text,
        title: p.title,
        format: p.format.name(),
        encoding: p.encoding,
        offsets: p.offsets.name(),
        place: place.map(Place::to_string),
        page: number(|p| matches!(p, Place::Page(_)).then(|| place_number(p))),
        chapter: match place {
            Some(Place::Chapter(c)) => Some(c),
            _ => None,
        },
        paragraph: number(|p| matches!(p, Place::Paragraph(_)).then(|| place_number(p))),
        sheet: match place {
            Some(Place::Row { sheet, .. }) => Some(sheet),
            _ => None,
        },
        row: number(|p| matches!(p, Place::Row { .. }).then(|| place_number(p))),
        slide: number(|p| matches!(p, Place::Slide(_)).then(|| place_number(p))),
        message: number(|p| matches!(p, Place::Message(_)).then(|| place_number(p))),
        map: p
            .map
            .as_ref()
            .map(|m| base64::engine::general_purpose::STANDARD.encode(m.to_bytes())),
        folded: t.folded,
        exact: t.exact,
        compound: t.compound,
    }
}

/// The number of a numbered place (0 for a chapter).
fn place_number(place: &Place) -> u32 {
    match place {
        Place::Page(n) | Place::Paragraph(n) | Place::Slide(n) | Place::Message(n) => *n,
        Place::Row { row, .. } => *row,
        Place::Chapter(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use tantivy::schema::{Field, Value};

    use super::*;
    use crate::export::tokens::tests::lucene;

    /// Every word tantivy indexed in `field`, with its position, by passage `_id`: the index
    /// turned inside out, term by term.
    fn uninverted(idx: &TracuuIndex, field: Field) -> HashMap<String, Vec<(String, usize)>> {
        let searcher = idx.index.reader().unwrap().searcher();
        let mut out = HashMap::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(1).unwrap();
            let inverted = segment.inverted_index(field).unwrap();
            let mut terms = inverted.terms().stream().unwrap();
            let mut by_doc: HashMap<DocId, Vec<(String, usize)>> = HashMap::new();
            while terms.advance() {
                let word = std::str::from_utf8(terms.key()).unwrap().to_string();
                let mut postings = inverted
                    .read_postings_from_terminfo(
                        terms.value(),
                        IndexRecordOption::WithFreqsAndPositions,
                    )
                    .unwrap();
                while postings.doc() != TERMINATED {
                    let mut positions = Vec::new();
                    postings.positions(&mut positions);
                    let list = by_doc.entry(postings.doc()).or_default();
                    list.extend(positions.iter().map(|&p| (word.clone(), p as usize)));
                    postings.advance();
                }
            }
            for (doc, mut words) in by_doc {
                if segment.alive_bitset().is_some_and(|a| a.is_deleted(doc)) {
                    continue;
                }
                let stored: TantivyDocument = store.get(doc).unwrap();
                let source = stored
                    .get_first(idx.fields.source)
                    .unwrap()
                    .as_str()
                    .unwrap();
                let start = stored
                    .get_first(idx.fields.start)
                    .unwrap()
                    .as_u64()
                    .unwrap();
                words.sort_by_key(|(_, p)| *p);
                out.insert(passage_id(source, start), words);
            }
        }
        out
    }

    /// Documents whose indexed text differs from their stored text: an HTML page with a title
    /// and blocks (several passages), Markdown blocks, plain text with line feeds.
    fn corpus(dir: &std::path::Path) {
        let sentences: String = (0..40)
            .map(|i| format!("<p>Câu số {i} nói về Hà Nội\nvà Sài Gòn</p><li>mục {i}</li>"))
            .collect();
        let html = format!(
            "<html><head><title>Tiêu đề: Trang Hà Nội</title></head><body><h1>Hà Nội</h1>\
             <p>Thành phố\nnghìn năm</p><ul><li>Một</li><li>Hai</li></ul>{sentences}\
             <div>Su-30MK2<br>bay</div></body></html>"
        );
        std::fs::write(dir.join("page.html"), html).unwrap();
        let md = "# Tiêu đề\n\nĐoạn một\ncòn tiếp\n\n- mục một\n- mục hai\n\nHà\nNội";
        std::fs::write(dir.join("notes.md"), md).unwrap();
        let text = "Hà Nội\nHoà Bình, Thuỷ điện\n\nĐoạn hai.\tCột | cột";
        std::fs::write(dir.join("plain.txt"), text).unwrap();
    }

    /// The folded and exact tokens exported for every passage are, with their positions, the
    /// ones tantivy holds: the title and block breaks the store does not keep are rebuilt.
    #[test]
    fn exported_tokens_are_the_indexed_tokens() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("corpus");
        std::fs::create_dir(&root).unwrap();
        corpus(&root);
        let index_dir = tmp.path().join("index");
        let options = crate::indexer::IndexOptions::default();
        crate::indexer::build(&root, &index_dir, &options, &mut |_: &str| {}).unwrap();
        let idx = TracuuIndex::open(&index_dir).unwrap();
        let folded = uninverted(&idx, idx.fields.body);
        let exact = uninverted(&idx, idx.fields.exact);
        let list = idx.file_list().unwrap();
        let mut reader = PassageReader::new(&idx, &list.files).unwrap();
        let (mut seen, mut titled) = (0, 0);
        reader
            .for_each(&|_| true, &mut |id, file, doc| {
                assert_eq!(lucene(&doc.folded), folded[id], "{id} folded");
                assert_eq!(lucene(&doc.exact), exact[id], "{id} exact");
                assert_eq!(file, doc.source);
                titled += usize::from(doc.folded.starts_with("tieu de _ trang"));
                seen += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, folded.len());
        assert!(seen > 3, "{seen} passages");
        assert_eq!(titled, 1, "the title goes before the first passage only");
    }

    #[test]
    fn members_belong_to_their_outermost_file() {
        let files: BTreeMap<String, FileState> = ["a.zip", "d!/x.txt"]
            .iter()
            .map(|f| (f.to_string(), FileState::default()))
            .collect();
        assert_eq!(file_of(&files, "a.zip!/b.docx"), "a.zip");
        assert_eq!(file_of(&files, "a.zip!/in.zip!/c.txt"), "a.zip");
        assert_eq!(file_of(&files, "d!/x.txt"), "d!/x.txt");
    }
}
