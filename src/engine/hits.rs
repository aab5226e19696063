//! Engine answers -> [`Hit`]s as local search makes them: each `_source` read back into the
//! fields of a hit (the exported document's fields, `docs/json.md`'s names), ties ordered by
//! (score, source, start) as local search orders them, and highlights found in the returned
//! text with tracuu's own tokenizer.
//!
//! Highlights in file offsets go through the passage's offset map, exported in `map` when its
//! text is not the file's bytes (HTML, Markdown, legacy encodings), as local search does.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::extract::{Format, OffsetMap, Offsets, Place};
use crate::search::{Hit, Terms};
use crate::store::display_source;

/// One hit as the engine returned it.
#[derive(Clone, Debug)]
pub struct Returned {
    /// The engine's score.
    pub score: f32,
    /// The stored source string (`source` of the document).
    pub source: String,
    /// Its start offset.
    pub start: u64,
    /// The document's `_source`.
    pub doc: Value,
}

/// The hits of a `_search` answer, in the engine's order.
pub fn returned(answer: &Value) -> Result<Vec<Returned>> {
    let hits = answer
        .pointer("/hits/hits")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::Engine("the engine answered a search without hits.hits".into()))?;
    Ok(hits
        .iter()
        .map(|h| {
            let doc = h.get("_source").cloned().unwrap_or(Value::Null);
            Returned {
                score: h.get("_score").and_then(Value::as_f64).unwrap_or(0.0) as f32,
                source: doc
                    .get("source")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                start: doc.get("start").and_then(Value::as_u64).unwrap_or(0),
                doc,
            }
        })
        .collect())
}

/// Local search's order: score, then source, then start.
pub fn best_first(a: &Returned, b: &Returned) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.source.cmp(&b.source))
        .then(a.start.cmp(&b.start))
}

/// True if the first `k` of `sorted` (a page of the engine's answer of `asked` hits, sorted by
/// [`best_first`]) are sure: the engine had no more, or the last hit returned scores below the
/// `k`-th, so that no hit left out ties with it.
pub fn settled(sorted: &[Returned], asked: usize, k: usize) -> bool {
    if sorted.len() < asked || k == 0 {
        return true;
    }
    let Some(kth) = sorted.get(k - 1) else {
        return true;
    };
    let lowest = sorted.iter().map(|r| r.score).fold(f32::INFINITY, f32::min);
    lowest < kth.score
}

/// The [`Hit`] of a returned passage of the corpus at `corpus`.
pub fn hit(
    r: &Returned,
    rank: usize,
    exact: bool,
    terms: &Terms,
    corpus: &Path,
    cwd: Option<&Path>,
) -> Hit {
    let d = &r.doc;
    let text_of = |f: &str| d.get(f).and_then(Value::as_str);
    let number = |f: &str| d.get(f).and_then(Value::as_u64);
    let offset = |f: &str| number(f).unwrap_or(0) as usize;
    let small = |f: &str| number(f).and_then(|n| u32::try_from(n).ok());
    let text = text_of("text").unwrap_or("").to_string();
    let start = r.start as usize;
    let map = text_of("map").and_then(|b64| {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
        OffsetMap::from_bytes(&bytes)
    });
    let text_highlights: Vec<[usize; 2]> = terms
        .highlights(&text)
        .into_iter()
        .map(|(s, e)| [s, e])
        .collect();
    let place = small("page")
        .map(Place::Page)
        .or_else(|| text_of("chapter").map(|c| Place::Chapter(c.to_string())))
        .or_else(|| small("paragraph").map(Place::Paragraph))
        .or_else(|| {
            Some(Place::Row {
                sheet: text_of("sheet")?.to_string(),
                row: small("row")?,
            })
        })
        .or_else(|| small("slide").map(Place::Slide))
        .or_else(|| small("message").map(Place::Message));
    Hit {
        rank,
        score: r.score,
        source: display_source(&r.source),
        path: path_of(corpus, &r.source, cwd),
        start,
        end: offset("end"),
        line: offset("line"),
        column: offset("column"),
        highlights: text_highlights
            .iter()
            .map(|&[s, e]| match &map {
                Some(m) => {
                    let r = m.file_range(s..e);
                    [start + r.start, start + r.end]
                }
                None => [start + s, start + e],
            })
            .collect(),
        text_highlights,
        text,
        exact,
        format: text_of("format")
            .and_then(Format::from_name)
            .unwrap_or(Format::Text),
        encoding: text_of("encoding").unwrap_or("utf-8").to_string(),
        title: text_of("title").map(str::to_string),
        offsets: match text_of("offsets") {
            Some("extracted") => Offsets::Extracted,
            _ => Offsets::File,
        },
        place,
        explain: None,
        missing: Vec::new(),
    }
}

/// A path that opens `source`: relative to the working directory when the corpus is under it,
/// as local search prints it.
fn path_of(corpus: &Path, source: &str, cwd: Option<&Path>) -> PathBuf {
    let full = crate::store::source::in_corpus(corpus, source);
    match cwd {
        Some(cwd) => full
            .strip_prefix(cwd)
            .map(Path::to_path_buf)
            .unwrap_or(full),
        None => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(score: f32, source: &str, start: u64) -> Returned {
        Returned {
            score,
            source: source.into(),
            start,
            doc: json!({}),
        }
    }

    #[test]
    fn ties_are_ordered_by_source_then_start_and_a_cut_inside_a_tie_is_not_settled() {
        let mut got = vec![
            r(1.0, "b", 0),
            r(2.0, "z", 5),
            r(1.0, "a", 9),
            r(1.0, "a", 3),
        ];
        got.sort_by(best_first);
        let keys: Vec<_> = got.iter().map(|r| (r.source.as_str(), r.start)).collect();
        assert_eq!(keys, [("z", 5), ("a", 3), ("a", 9), ("b", 0)]);
        assert!(!settled(&got, 4, 2), "the engine may hold more hits at 1.0");
        assert!(settled(&got, 4, 1));
        assert!(settled(&got, 10, 2), "the engine had no more");
    }
}
