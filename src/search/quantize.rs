//! Scores that do not depend on how the index is split into segments: each leaf query's score
//! is rounded to a multiple of [`QUANTUM`], so that the sums tantivy takes over the clauses of
//! a query are exact, and come out the same whatever order they are added in.
//!
//! tantivy adds clause scores in an order that follows each segment's statistics (an
//! intersection starts from its rarest term; block-max WAND sorts unions by position), and f32
//! addition is not associative: without this, the same passage scored 22.175571 in one build and
//! 22.175573 in another, enough to reorder equal hits. A leaf's own score depends only on the
//! index-wide statistics, so it is the same in every build.

use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// Leaf scores are multiples of this (2^-10): sums of them are exact in f32 up to 2^14.
pub const QUANTUM: Score = 1.0 / 1024.0;

/// Rounds a score to a multiple of [`QUANTUM`].
pub fn quantize(score: Score) -> Score {
    (score / QUANTUM).round() * QUANTUM
}

/// `query` with its rounded leaves unwrapped, counting them in `leaves`: it matches the same
/// passages, scores each within `leaves` half-quanta, and lets tantivy see its plain term
/// queries (block-max WAND, intersections of terms).
pub fn unquantize(query: &dyn Query, leaves: &mut usize) -> Box<dyn Query> {
    if let Some(Quantized(inner)) = query.downcast_ref::<Quantized>() {
        *leaves += 1;
        return inner.box_clone();
    }
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses = boolean
            .clauses()
            .iter()
            .map(|(occur, q)| (*occur, unquantize(&**q, leaves)))
            .collect();
        let mut plain = BooleanQuery::new(clauses);
        plain.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
        return Box::new(plain);
    }
    query.box_clone()
}

/// A query whose scores are rounded to [`QUANTUM`].
#[derive(Debug)]
pub struct Quantized(pub Box<dyn Query>);

impl Clone for Quantized {
    fn clone(&self) -> Self {
        Quantized(self.0.box_clone())
    }
}

impl Query for Quantized {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(QuantizedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor)
    }
}

struct QuantizedWeight(Box<dyn Weight>);

impl Weight for QuantizedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(QuantizedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.0.explain(reader, doc)?;
        let mut explanation = Explanation::new("rounded to 1/1024", quantize(inner.value()));
        explanation.add_detail(inner);
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.0.count(reader)
    }
}

struct QuantizedScorer(Box<dyn Scorer>);

impl DocSet for QuantizedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for QuantizedScorer {
    fn score(&mut self) -> Score {
        quantize(self.0.score())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_quantized_scores_do_not_depend_on_order() {
        let raw = [7.123_457_f32, 0.333_333_3, 12.987_654, 3.151_592_7, 0.000_1];
        let q: Vec<Score> = raw.iter().map(|&s| quantize(s)).collect();
        let forward = q.iter().fold(0.0, |a, b| a + b);
        let backward = q.iter().rev().fold(0.0, |a, b| a + b);
        let middle = (q[2] + q[0]) + (q[4] + q[1]) + q[3];
        assert_eq!(forward, backward);
        assert_eq!(forward, middle);
        // Unrounded, the order shows.
        let orders = [
            raw.iter().fold(0.0_f32, |a, b| a + b),
            raw.iter().rev().fold(0.0_f32, |a, b| a + b),
            (raw[2] + raw[0]) + (raw[4] + raw[1]) + raw[3],
        ];
        assert!(orders.iter().any(|&s| s != orders[0]), "{orders:?}");
        for (&r, &s) in raw.iter().zip(&q) {
            assert!((r - s).abs() <= QUANTUM / 2.0);
        }
    }
}
