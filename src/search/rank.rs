//! The best passages of a query in an order that does not depend on how the index was built:
//! by score, then by source path, then by byte offset.
//!
//! tantivy breaks equal scores by segment and document number, which follow the indexing
//! threads and the runs that built the index. Equal scores are common (BM25 of one word depends
//! only on its count and the passage length, and lengths are quantized), so this collector keeps,
//! in each segment, the best `k` by (score, source, offset), comparing sources by the segment's
//! own term ordinals (sorted like the paths), and still lets tantivy skip blocks that cannot
//! reach the k-th score (block-max WAND). Only the few winners of each segment have their path
//! read to merge the segments.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The best `k` passages, skipping those in `skip`, best first.
pub(crate) struct TopTied<'a> {
    /// How many.
    pub k: usize,
    /// Passages already ranked (the exact-spelling tier).
    pub skip: &'a HashSet<DocAddress>,
}

/// One candidate of a segment.
#[derive(Clone, Copy)]
struct Candidate {
    score: Score,
    ord: u64,
    start: u64,
    doc: DocId,
}

/// Orders candidates worst first, for a max-heap whose top is the one to drop.
struct Worst(Candidate);

impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.0, &other.0);
        b.score
            .total_cmp(&a.score)
            .then(a.ord.cmp(&b.ord))
            .then(a.start.cmp(&b.start))
            .then(a.doc.cmp(&b.doc))
    }
}

impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Worst {}

/// The per-segment side of [`TopTied`].
pub(crate) struct SegmentTop {
    segment: SegmentOrdinal,
    k: usize,
    source: Option<StrColumn>,
    start: Option<Column<u64>>,
    skip: HashSet<DocId>,
    alive: Option<tantivy::fastfield::AliveBitSet>,
    heap: BinaryHeap<Worst>,
}

/// The largest score below `score`: the threshold that still lets equal scores through.
fn just_below(score: Score) -> Score {
    if score > 0.0 {
        f32::from_bits(score.to_bits() - 1)
    } else if score == 0.0 {
        -f32::MIN_POSITIVE
    } else {
        f32::from_bits(score.to_bits() + 1)
    }
}

impl SegmentTop {
    /// Considers one matching passage; returns the score a passage must now exceed.
    fn offer(&mut self, doc: DocId, score: Score) -> Score {
        let skipped =
            self.skip.contains(&doc) || self.alive.as_ref().is_some_and(|a| a.is_deleted(doc));
        if !skipped {
            let ord = self
                .source
                .as_ref()
                .and_then(|c| c.term_ords(doc).next())
                .unwrap_or(u64::MAX);
            let start = self.start.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
            let candidate = Worst(Candidate {
                score,
                ord,
                start,
                doc,
            });
            if self.heap.len() < self.k {
                self.heap.push(candidate);
            } else if self.heap.peek().is_some_and(|worst| candidate < *worst) {
                self.heap.pop();
                self.heap.push(candidate);
            }
        }
        match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.k => just_below(worst.0.score),
            _ => Score::MIN,
        }
    }
}

/// A ranked passage with its tie-breaking key.
pub(crate) struct Ranked {
    pub score: Score,
    pub source: String,
    pub start: u64,
    pub addr: DocAddress,
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn harvest(self) -> Vec<Ranked> {
        let mut name = String::new();
        self.heap
            .into_iter()
            .map(|Worst(c)| {
                name.clear();
                if let Some(column) = &self.source {
                    // An unreadable name sorts as empty; the order stays deterministic.
                    let _ = column.ord_to_str(c.ord, &mut name);
                }
                Ranked {
                    score: c.score,
                    source: name.clone(),
                    start: c.start,
                    addr: DocAddress::new(self.segment, c.doc),
                }
            })
            .collect()
    }
}

impl Collector for TopTied<'_> {
    type Fruit = Vec<Ranked>;
    type Child = SegmentTop;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        let fast = reader.fast_fields();
        Ok(SegmentTop {
            segment,
            k: self.k,
            source: fast.str("source")?,
            start: fast.u64("start").ok(),
            skip: self
                .skip
                .iter()
                .filter(|a| a.segment_ord == segment)
                .map(|a| a.doc_id)
                .collect(),
            alive: reader.alive_bitset().cloned(),
            heap: BinaryHeap::with_capacity(self.k.min(1 << 16) + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut all: Vec<Ranked> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.source.cmp(&b.source))
                .then(a.start.cmp(&b.start))
        });
        all.truncate(self.k);
        Ok(all)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Ranked>> {
        let mut top = self.for_segment(segment, reader)?;
        if self.k > 0 {
            weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| top.offer(doc, score))?;
        }
        Ok(top.harvest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_scores_keep_the_smallest_source_then_offset() {
        let c = |score, ord, start| {
            Worst(Candidate {
                score,
                ord,
                start,
                doc: 0,
            })
        };
        assert!(c(2.0, 9, 9) < c(1.0, 0, 0), "a higher score is better");
        assert!(c(1.0, 1, 9) < c(1.0, 2, 0), "then the smaller source");
        assert!(c(1.0, 1, 1) < c(1.0, 1, 2), "then the smaller offset");
        assert!(just_below(1.0) < 1.0 && just_below(0.0) < 0.0);
    }
}
