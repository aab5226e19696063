//! THROWAWAY, for tests and `benches/engine-parity.py` only: an index's passages as an engine
//! index definition and `_bulk` body, in the shared contract's shape, so that `--engine` can be
//! tested before the real exporter (`tracuu export --opensearch`) lands; it replaces this file.
//!
//! The folded, exact and compound tokens come from tracuu's own analysis of each passage's
//! indexed text (block breaks made tabs, an HTML title before the first passage), which the
//! index does not store: each file is read again for its block breaks.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};

use crate::error::Result;
use crate::extract::{self, Extracted, Format, Place, MEMBER_SEPARATOR};
use crate::store::{document, TracuuIndex};
use crate::text::Analysis;

/// The index definition (settings, mappings, `_meta`) for `shards` shards.
pub fn definition(shards: u32, meta: Value) -> Value {
    let readable = |drop_marks: bool| {
        let mut a = json!({"type": "custom", "tokenizer": "tracuu_words", "filter": ["lowercase"]});
        if drop_marks {
            a["char_filter"] = json!(["tracuu_drop_marks"]);
            a["filter"] = json!(["lowercase", "asciifolding"]);
        }
        a
    };
    let keyword = json!({"type": "keyword"});
    let long = json!({"type": "long"});
    let pretokenized = json!({"type": "text", "analyzer": "tracuu_pretokenized"});
    let mut properties = serde_json::Map::new();
    for f in [
        "source",
        "file",
        "format",
        "encoding",
        "offsets",
        "place",
        "sheet",
        "chapter",
        "path_bytes",
    ] {
        properties.insert(f.into(), keyword.clone());
    }
    for f in [
        "start",
        "end",
        "line",
        "column",
        "page",
        "paragraph",
        "row",
        "slide",
        "message",
    ] {
        properties.insert(f.into(), long.clone());
    }
    properties.insert("folded".into(), pretokenized.clone());
    properties.insert("exact".into(), pretokenized);
    properties.insert(
        "compound".into(),
        json!({"type": "text", "analyzer": "whitespace", "index_options": "freqs"}),
    );
    properties.insert(
        "text".into(),
        json!({"type": "text", "analyzer": "tracuu_readable",
               "fields": {"exact": {"type": "text", "analyzer": "tracuu_readable_exact"}}}),
    );
    properties.insert(
        "title".into(),
        json!({"type": "text", "analyzer": "tracuu_readable"}),
    );
    json!({
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": 0,
            "analysis": {
                "char_filter": {"tracuu_drop_marks": {"type": "pattern_replace", "pattern": "\\p{M}+", "replacement": ""}},
                "tokenizer": {"tracuu_words": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}},
                "filter": {"tracuu_gap": {"type": "stop", "stopwords": ["_"], "ignore_case": false}},
                "analyzer": {
                    "tracuu_pretokenized": {"type": "custom", "tokenizer": "whitespace", "filter": ["tracuu_gap"]},
                    "tracuu_readable": readable(true),
                    "tracuu_readable_exact": readable(false),
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"tracuu": meta},
            "_source": {"excludes": ["folded", "exact", "compound"]},
            "properties": properties,
        }
    })
}

/// Tokens joined by spaces, with a gap token wherever positions skip.
fn joined(tokens: &[tantivy::tokenizer::Token]) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut next = 0;
    for t in tokens {
        out.extend(std::iter::repeat_n("_", t.position.saturating_sub(next)));
        out.push(&t.text);
        next = t.position + 1;
    }
    out.join(" ")
}

/// The extracted file (or member) a stored source names, read again.
fn reread(corpus: &Path, source: &str, options: &extract::Options) -> Option<Extracted> {
    let mut parts = source.split(MEMBER_SEPARATOR);
    let path = crate::store::source::in_corpus(corpus, parts.next()?);
    let bytes = std::fs::read(&path).ok()?;
    let (mut x, _) = extract::extract_owned(&path, bytes, options).ok()?;
    for name in parts {
        let member = x.members.into_iter().find(|m| m.name == name)?;
        x = member.content.ok()?;
    }
    Some(x)
}

/// The index definition and the `_bulk` body (NDJSON) of the index at `dir`.
pub fn export(dir: &Path, shards: u32) -> Result<(Value, String)> {
    let idx = TracuuIndex::open(dir)?;
    let m = &idx.manifest;
    let meta = json!({
        "version": env!("CARGO_PKG_VERSION"), "format": m.format, "analysis": m.tokenizer,
        "generation": m.generation, "corpus": m.corpus.to_string_lossy(),
    });
    let searcher = idx.reader()?.searcher();
    let mut docs = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc_id in segment.doc_ids_alive() {
            let doc: tantivy::TantivyDocument =
                searcher.doc(tantivy::DocAddress::new(ord as u32, doc_id))?;
            docs.push(doc);
        }
    }
    let passages: Vec<document::Passage> = docs
        .iter()
        .map(|d| document::read(d, &idx.fields))
        .collect();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for p in &passages {
        let e = first.entry(p.source).or_insert(p.text_start);
        *e = (*e).min(p.text_start);
    }
    let options = m.extract_options();
    let mut files: HashMap<&str, Option<Extracted>> = HashMap::new();
    let mut bulk = String::new();
    let mut analysis = Analysis::default();
    for p in &passages {
        let x = files
            .entry(p.source)
            .or_insert_with(|| reread(&m.corpus, p.source, &options));
        let indexed = indexed_text(x.as_ref(), p, first[p.source] == p.text_start);
        analysis.run(&indexed);
        let mut d = json!({
            "source": p.source, "file": p.source.split(MEMBER_SEPARATOR).next(),
            "start": p.start, "end": p.end, "line": p.line, "column": p.column, "text": p.text,
            "format": p.format.name(), "encoding": p.encoding, "offsets": p.offsets.name(),
            "folded": joined(analysis.folded.as_slice()),
            "exact": joined(analysis.exact.as_slice()),
            "compound": analysis.compounds.as_slice().iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" "),
        });
        if let Some(t) = p.title {
            d["title"] = json!(t);
        }
        match &p.place {
            Some(Place::Page(n)) => d["page"] = json!(n),
            Some(Place::Chapter(c)) => d["chapter"] = json!(c),
            Some(Place::Paragraph(n)) => d["paragraph"] = json!(n),
            Some(Place::Row { sheet, row }) => {
                d["sheet"] = json!(sheet);
                d["row"] = json!(row);
            }
            Some(Place::Slide(n)) => d["slide"] = json!(n),
            Some(Place::Message(n)) => d["message"] = json!(n),
            None => {}
        }
        let id = format!("{}:{}", p.source, p.start);
        bulk.push_str(&json!({"index": {"_id": id}}).to_string());
        bulk.push('\n');
        bulk.push_str(&d.to_string());
        bulk.push('\n');
    }
    Ok((definition(shards, meta), bulk))
}

/// The passage's text as the indexer indexed it (see `indexer/write.rs`).
fn indexed_text(x: Option<&Extracted>, p: &document::Passage, first: bool) -> String {
    let Some(x) =
        x.filter(|x| x.text.get(p.text_start..p.text_start + p.text.len()) == Some(p.text))
    else {
        return p.text.to_string();
    };
    let mut copy = p.text.as_bytes().to_vec();
    let end = p.text_start + p.text.len();
    for &b in x.breaks.iter().filter(|&&b| b >= p.text_start && b < end) {
        if copy[b - p.text_start] == b'\n' {
            copy[b - p.text_start] = b'\t';
        }
    }
    let indexed = String::from_utf8(copy).unwrap_or_else(|_| p.text.to_string());
    match (&x.title, x.format) {
        (Some(title), Format::Html) if first => format!("{title}\t{indexed}"),
        _ => indexed,
    }
}
