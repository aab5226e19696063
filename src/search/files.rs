//! Which files a query matches, and how many passages in each, from the `source` fast field:
//! no stored passage is read, and no per-passage set is built.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::error::{Error, Result};

/// The matching passages of `query` counted per source (the index's encoded path), sorted by
/// source.
pub(crate) fn passages_per_source(
    searcher: &Searcher,
    query: &dyn Query,
) -> Result<Vec<(String, usize)>> {
    let mut per_source: Vec<(String, usize)> = Vec::new();
    let segments = searcher.search(query, &PerSource)?;
    for (column, counts) in &segments {
        // Sorted ordinals in one pass over the dictionary: looking each up alone decodes its
        // block from the start, which made --files 6x --count at 20,000 files.
        let ords: Vec<u64> = (0..counts.len() as u64)
            .filter(|&o| counts[o as usize] > 0)
            .collect();
        let mut n = ords.iter().map(|&o| counts[o as usize] as usize);
        column
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                let name = String::from_utf8_lossy(bytes).into_owned();
                per_source.push((name, n.next().unwrap_or(0)));
            })
            .map_err(|e| Error::Tantivy(e.to_string()))?;
    }
    // Each segment's dictionary is sorted; a source in several segments is counted once.
    if segments.len() > 1 {
        per_source.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        per_source.dedup_by(|later, first| {
            let same = later.0 == first.0;
            if same {
                first.1 += later.1;
            }
            same
        });
    }
    Ok(per_source)
}

/// Counts, in each segment, the matching passages of each source ordinal.
struct PerSource;

struct SegmentPerSource {
    column: Option<StrColumn>,
    counts: Vec<u32>,
}

impl Collector for PerSource {
    /// For each segment with a source column: the column, and the count of each ordinal.
    type Fruit = Vec<(StrColumn, Vec<u32>)>;
    type Child = SegmentPerSource;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentPerSource> {
        let column = reader.fast_fields().str("source")?;
        let terms = column.as_ref().map_or(0, |c| c.dictionary().num_terms());
        Ok(SegmentPerSource {
            column,
            counts: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Option<(StrColumn, Vec<u32>)>>,
    ) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentPerSource {
    type Fruit = Option<(StrColumn, Vec<u32>)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(ord) = self.column.as_ref().and_then(|c| c.term_ords(doc).next()) {
            if let Some(n) = self.counts.get_mut(ord as usize) {
                *n += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.column.map(|c| (c, self.counts))
    }
}
