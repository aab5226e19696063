//! The best passages of a query in an order that does not depend on how the index was built:
//! by score, then by source path, then by byte offset; and proximity, scored on the best
//! passages only.
//!
//! Scores must not depend on the segments either, so each leaf's score is rounded
//! ([`super::quantize`]); but rounded leaves hide from tantivy the plain term queries its fast
//! paths need (block-max WAND over unions and intersections). So the query runs unrounded, and
//! the passages that can still reach the top (within a margin that covers the rounding) are
//! scored again, rounded, by a second scorer seeked to them: the order is that of the rounded
//! scores, at nearly the cost of the unrounded query.
//!
//! Proximity (a phrase for each pair of adjacent query words) is scored like Elasticsearch's
//! rescore window: the first [`RESCORE_WINDOW`] passages by BM25 get what their pairs add, and
//! are reordered; the rest follow in BM25 order. Scoring pairs on every matching passage reads
//! the positions of every passage that has all the words, which cost 10–40× on names.
//!
//! tantivy breaks equal scores by segment and document number, which follow the indexing
//! threads and the runs that built the index. Equal scores are common (BM25 of one word depends
//! only on its count and the passage length, and lengths are quantized), so this collector keeps,
//! in each segment, the best `k` by (score, source, offset), comparing sources by the segment's
//! own term ordinals (sorted like the paths), and still lets tantivy skip blocks that cannot
//! reach the k-th score (block-max WAND). Only the few winners of each segment have their path
//! read to merge the segments.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Scorer, Weight};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};
use tantivy::{Searcher, TERMINATED};

use super::cancel::Cancel;
use super::compile::Pair;
use super::quantize::{unquantize, QUANTUM};

/// How many of the best passages by BM25 get their proximity scored and are reordered.
pub(crate) const RESCORE_WINDOW: usize = 100;

/// A query ready to rank.
pub(crate) struct Rankable {
    /// The query with unrounded leaves: what tantivy runs, with all its fast paths.
    pub fast: Box<dyn Query>,
    /// The same with rounded leaves, whose scores rank; `None` if it has no rounded leaf
    /// (then `fast` scores the same).
    pub exact: Option<Box<dyn Query>>,
    /// How many rounded leaves `exact` has: the unrounded score is within half a
    /// [`QUANTUM`] of the rounded one per leaf.
    pub leaves: usize,
    /// The proximity pairs of the top-level words.
    pub pairs: Vec<Pair>,
}

impl Rankable {
    /// Ranks by `exact` (a query with rounded leaves), plus `pairs` on the best passages.
    pub fn new(exact: Box<dyn Query>, pairs: Vec<Pair>) -> Self {
        let mut leaves = 0;
        let fast = unquantize(&*exact, &mut leaves);
        Rankable {
            fast,
            exact: (leaves > 0).then_some(exact),
            leaves,
            pairs,
        }
    }
}

/// The BM25 key of a passage: its score before proximity, source path, byte offset.
pub(crate) type Key = (Score, String, u64);

/// Says whether a passage, in BM25 order, is within the proximity window.
pub(crate) type Within<'a> = &'a dyn Fn(&Ranked) -> bool;

/// Which passages get their proximity scored, and what the caller learns of the window: for
/// indexes searched together, whose window is the best [`RESCORE_WINDOW`] over all of them.
#[derive(Default)]
pub(crate) struct Window<'a> {
    /// Says whether a passage (in BM25 order) is within the window; `None`: the first
    /// [`RESCORE_WINDOW`] are.
    pub within: Option<Within<'a>>,
    /// If set, receives the BM25 keys of the first [`RESCORE_WINDOW`] passages, best first
    /// (none when the query has no proximity pairs).
    pub probe: Option<Vec<Key>>,
}

/// The best `k` passages of `query` that are not in `skip`, best first.
#[cfg(test)]
pub(crate) fn top(
    searcher: &Searcher,
    provider: &dyn Bm25StatisticsProvider,
    query: &Rankable,
    k: usize,
    skip: &HashSet<DocAddress>,
) -> tantivy::Result<Vec<Ranked>> {
    let never = Cancel::default();
    top_windowed(
        searcher,
        provider,
        query,
        k,
        skip,
        &mut Window::default(),
        &never,
    )
}

/// [`top`], with the proximity window as `window` says. Once `cancel` says so it stops early
/// and returns what it had: the caller must check `cancel` before using the passages.
pub(crate) fn top_windowed(
    searcher: &Searcher,
    provider: &dyn Bm25StatisticsProvider,
    query: &Rankable,
    k: usize,
    skip: &HashSet<DocAddress>,
    window: &mut Window<'_>,
    cancel: &Cancel,
) -> tantivy::Result<Vec<Ranked>> {
    if let Some(probe) = &mut window.probe {
        probe.clear();
    }
    if k == 0 {
        return Ok(Vec::new());
    }
    let scoring = EnableScoring::enabled_from_statistics_provider(provider, searcher);
    let exact = match &query.exact {
        Some(q) => Some(q.weight(scoring)?),
        None => None,
    };
    let collected = if query.pairs.is_empty() {
        k
    } else {
        k.max(RESCORE_WINDOW)
    };
    let collector = TopTied {
        k: collected,
        skip,
        exact: exact.as_deref(),
        leaves: query.leaves,
        cancel,
    };
    let stoppable;
    let fast = if cancel.can_cancel() {
        stoppable = super::cancel::stoppable(&*query.fast, cancel);
        &*stoppable
    } else {
        &*query.fast
    };
    let mut ranked = searcher.search_with_statistics_provider(fast, &collector, provider)?;
    if !query.pairs.is_empty() && !cancel.is_cancelled() {
        let first = ranked.len().min(RESCORE_WINDOW);
        // Across indexes, equal scores are ordered by path: every passage needs its own.
        if window.probe.is_some() || window.within.is_some() {
            name_every(searcher, &mut ranked[..first]);
        }
        if let Some(probe) = &mut window.probe {
            probe.extend(
                ranked[..first]
                    .iter()
                    .map(|r| (r.bm25, r.source.clone(), r.start)),
            );
        }
        let n = match window.within {
            Some(within) => ranked[..first].iter().take_while(|r| within(r)).count(),
            None => first,
        };
        let pairs = query
            .pairs
            .iter()
            .map(|p| p.query.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        add_proximity(searcher, &pairs, &mut ranked[..n])?;
        name_ties(&mut ranked[..n], |segment| {
            searcher
                .segment_reader(segment)
                .fast_fields()
                .str("source")
                .ok()
                .flatten()
        });
        ranked[..n].sort_by(best_first);
    }
    ranked.truncate(k);
    Ok(ranked)
}

/// Reads the source path of every passage of `ranked` that has none yet.
fn name_every(searcher: &Searcher, ranked: &mut [Ranked]) {
    let mut columns: HashMap<SegmentOrdinal, Option<StrColumn>> = HashMap::new();
    for r in ranked.iter_mut().filter(|r| r.source.is_empty()) {
        let segment = r.addr.segment_ord;
        let column = columns.entry(segment).or_insert_with(|| {
            let fast = searcher.segment_reader(segment).fast_fields();
            fast.str("source").ok().flatten()
        });
        if let Some(c) = column {
            // An unreadable name sorts as empty; the order stays deterministic.
            let _ = c.ord_to_str(r.ord, &mut r.source);
        }
    }
}

/// Adds to each passage of `window` the scores of the pairs it has.
fn add_proximity(
    searcher: &Searcher,
    pairs: &[Box<dyn Weight>],
    window: &mut [Ranked],
) -> tantivy::Result<()> {
    // Scorers only move forward: visit the passages segment by segment, in document order.
    let mut order: Vec<usize> = (0..window.len()).collect();
    order.sort_by_key(|&i| window[i].addr);
    let mut i = 0;
    while i < order.len() {
        let segment = window[order[i]].addr.segment_ord;
        let reader = searcher.segment_reader(segment);
        let mut scorers = pairs
            .iter()
            .map(|w| w.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        while let Some(r) = order
            .get(i)
            .map(|&j| &mut window[j])
            .filter(|r| r.addr.segment_ord == segment)
        {
            for scorer in &mut scorers {
                if let Some(score) = score_at(scorer.as_mut(), r.addr.doc_id) {
                    r.proximity += score;
                }
            }
            r.score = r.bm25 + r.proximity;
            i += 1;
        }
    }
    Ok(())
}

/// The score of `scorer` at `doc`, if `doc` matches; `doc` must not precede the scorer's.
fn score_at(scorer: &mut dyn Scorer, doc: DocId) -> Option<Score> {
    if scorer.doc() < doc {
        scorer.seek(doc);
    }
    (scorer.doc() == doc && doc != TERMINATED).then(|| scorer.score())
}

/// Best first: by score, then source path, then offset. Within a segment the source's ordinal
/// orders like its path; across segments the path itself, which [`name_ties`] reads for the
/// passages that need it.
fn best_first(a: &Ranked, b: &Ranked) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| {
            if a.addr.segment_ord == b.addr.segment_ord {
                a.ord.cmp(&b.ord)
            } else {
                a.source.cmp(&b.source)
            }
        })
        .then(a.start.cmp(&b.start))
}

/// Reads the source path of each passage whose score equals that of a passage of another
/// segment: only those need it to be ordered. (Reading a path from the dictionary costs
/// microseconds; reading all of a few hundred candidates' was most of a query's time.)
fn name_ties(ranked: &mut [Ranked], column: impl Fn(SegmentOrdinal) -> Option<StrColumn>) {
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| ranked[b].score.total_cmp(&ranked[a].score));
    let mut needed: BTreeMap<SegmentOrdinal, BTreeSet<u64>> = BTreeMap::new();
    for group in order.chunk_by(|&a, &b| ranked[a].score == ranked[b].score) {
        let first = ranked[group[0]].addr.segment_ord;
        if group.iter().all(|&i| ranked[i].addr.segment_ord == first) {
            continue;
        }
        for &i in group {
            let r = &ranked[i];
            if r.source.is_empty() && r.ord != u64::MAX {
                needed.entry(r.addr.segment_ord).or_default().insert(r.ord);
            }
        }
    }
    // One pass over each segment's dictionary for all its sorted ordinals.
    let mut names: HashMap<(SegmentOrdinal, u64), String> = HashMap::new();
    for (segment, ords) in needed {
        let Some(c) = column(segment) else { continue };
        let ords: Vec<u64> = ords.into_iter().collect();
        let mut found = Vec::with_capacity(ords.len());
        // An unreadable name sorts as empty; the order stays deterministic.
        let _ = c.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            found.push(String::from_utf8_lossy(bytes).into_owned())
        });
        names.extend(ords.into_iter().map(|o| (segment, o)).zip(found));
    }
    if names.is_empty() {
        return;
    }
    for r in ranked.iter_mut().filter(|r| r.source.is_empty()) {
        if let Some(name) = names.get(&(r.addr.segment_ord, r.ord)) {
            r.source.clone_from(name);
        }
    }
}

/// The best `k` passages, skipping those in `skip`, best first.
pub(crate) struct TopTied<'a> {
    /// How many.
    pub k: usize,
    /// Passages already ranked (the exact-spelling tier).
    pub skip: &'a HashSet<DocAddress>,
    /// The rounded query, to score again the passages the unrounded one offers.
    pub exact: Option<&'a dyn Weight>,
    /// How many rounded leaves `exact` has.
    pub leaves: usize,
    /// Stops the search early (each segment returns what it has).
    pub cancel: &'a Cancel,
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

/// The passages of a segment whose unrounded score is within two margins of the k-th best
/// unrounded score seen so far: a superset of the segment's rounded top k.
struct Near {
    k: usize,
    passages: Vec<(Score, DocId)>,
    /// What a passage must exceed to be kept: the k-th best so far less two margins.
    threshold: Score,
    /// Compact when `passages` reaches this length (twice what the last compaction kept, so
    /// that compacting costs O(1) a passage however many scores tie).
    compact_at: usize,
}

impl Near {
    fn new(k: usize) -> Self {
        Near {
            k,
            passages: Vec::new(),
            threshold: Score::MIN,
            compact_at: k.saturating_mul(2).max(16),
        }
    }

    fn push(&mut self, doc: DocId, score: Score, margin: impl Fn(Score) -> Score) {
        if score <= self.threshold {
            return;
        }
        self.passages.push((score, doc));
        if self.passages.len() < self.compact_at {
            return;
        }
        let k = self.k;
        self.passages
            .select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0));
        let kth = self.passages[k - 1].0;
        let keep = kth - 2.0 * margin(kth);
        self.passages.retain(|&(s, _)| s >= keep);
        self.threshold = just_below(keep);
        self.compact_at = self.passages.len().saturating_mul(2).max(self.compact_at);
    }

    /// The kept passages in document order (the order scorers can seek in).
    fn into_sorted_docs(mut self) -> Vec<(DocId, Score)> {
        self.passages.sort_unstable_by_key(|&(_, doc)| doc);
        self.passages.into_iter().map(|(s, d)| (d, s)).collect()
    }
}

impl SegmentTop {
    /// True if the passage is never offered: already ranked, or deleted.
    fn skips(&self, doc: DocId) -> bool {
        self.skip.contains(&doc) || self.alive.as_ref().is_some_and(|a| a.is_deleted(doc))
    }

    /// Considers one matching passage; returns the score a passage must now exceed.
    fn offer(&mut self, doc: DocId, score: Score) -> Score {
        // A score below the k-th loses whatever its path: no need to read it.
        let beaten = self.heap.len() >= self.k
            && self.heap.peek().is_some_and(|worst| score < worst.0.score);
        let skipped = beaten || self.skips(doc);
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
    /// `bm25` + `proximity`.
    pub score: Score,
    /// What the query's words scored.
    pub bm25: Score,
    /// What its proximity pairs added (0 outside the rescore window).
    pub proximity: Score,
    /// Its source path: read only where it orders ties across segments (see [`name_ties`],
    /// [`name_every`]); else empty.
    pub source: String,
    /// Its source's ordinal in the segment's dictionary (ordered like the paths).
    pub ord: u64,
    pub start: u64,
    pub addr: DocAddress,
}

impl SegmentCollector for SegmentTop {
    type Fruit = (Option<StrColumn>, Vec<Ranked>);

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn harvest(self) -> Self::Fruit {
        let segment = self.segment;
        let ranked = self
            .heap
            .into_iter()
            .map(|Worst(c)| Ranked {
                score: c.score,
                bm25: c.score,
                proximity: 0.0,
                source: String::new(),
                ord: c.ord,
                start: c.start,
                addr: DocAddress::new(segment, c.doc),
            })
            .collect();
        (self.source, ranked)
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

    fn merge_fruits(
        &self,
        fruits: Vec<(Option<StrColumn>, Vec<Ranked>)>,
    ) -> tantivy::Result<Vec<Ranked>> {
        let mut columns = HashMap::new();
        let mut all = Vec::new();
        for (column, ranked) in fruits {
            if let Some(first) = ranked.first() {
                columns.insert(first.addr.segment_ord, column);
            }
            all.extend(ranked);
        }
        // Passages below the k-th score are dropped whatever their paths: only the rest may
        // need theirs read.
        all.sort_unstable_by(|a, b| b.score.total_cmp(&a.score));
        if let Some(kth) = self
            .k
            .checked_sub(1)
            .and_then(|i| all.get(i))
            .map(|r| r.score)
        {
            let kept = all.partition_point(|r| r.score >= kth);
            all.truncate(kept);
        }
        name_ties(&mut all, |segment| columns.get(&segment).cloned().flatten());
        all.sort_by(best_first);
        all.truncate(self.k);
        Ok(all)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<(Option<StrColumn>, Vec<Ranked>)> {
        let mut top = self.for_segment(segment, reader)?;
        if self.k == 0 || self.cancel.is_cancelled() {
            return Ok(top.harvest());
        }
        // A threshold no score exceeds ends block-max WAND at once; other scorers stop
        // offering passages, though they still walk their postings to the end.
        let cancel = self.cancel;
        let Some(exact) = self.exact else {
            weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                if cancel.is_cancelled() {
                    return Score::INFINITY;
                }
                top.offer(doc, score)
            })?;
            return Ok(top.harvest());
        };
        // Unrounded scores guide tantivy's pruning; rounded ones rank. Each unrounded leaf is
        // within half a quantum of its rounded self (and f32 sums add a little), so the two
        // scores of a passage differ by at most `margin`. A passage of the rounded top k has an
        // unrounded score of at least the k-th best unrounded one less two margins: the
        // unrounded pass keeps those (cheaply: no path, no offset, no second scorer), and only
        // they are scored again, rounded, and ranked.
        let leaves = self.leaves as Score;
        let margin = |score: Score| (leaves + 1.0) * QUANTUM + score.abs() * 1e-5;
        let mut near = Near::new(self.k);
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if cancel.is_cancelled() {
                return Score::INFINITY;
            }
            if !top.skips(doc) {
                near.push(doc, score, margin);
            }
            near.threshold
        })?;
        let mut scorer = exact.scorer(reader, 1.0)?;
        for (doc, score) in near.into_sorted_docs() {
            if cancel.is_cancelled() {
                break;
            }
            let rounded = score_at(scorer.as_mut(), doc).unwrap_or(score);
            top.offer(doc, rounded);
        }
        Ok(top.harvest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::quantize::Quantized;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, FAST, STRING, TEXT};
    use tantivy::{doc, Index, Term};

    /// A small index in several segments: passages of words drawn from a tiny vocabulary, so
    /// that scores tie and words stand together or apart at random.
    fn index(seed: u64, per_segment: u64) -> (Index, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let source = schema.add_text_field("source", STRING | FAST);
        let start = schema.add_u64_field("start", FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut x = seed;
        let mut next = move |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        let words = ["tran", "duc", "luong", "van", "an", "ha", "noi"];
        for batch in 0..4 {
            for i in 0..per_segment {
                let len = 3 + next(12);
                let text: Vec<&str> = (0..len).map(|_| words[next(7) as usize]).collect();
                writer
                    .add_document(doc!(
                        body => text.join(" "),
                        source => format!("f{}.txt", next(9)),
                        start => batch * 100_000 + i,
                    ))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        (index, body)
    }

    #[test]
    fn near_keeps_every_passage_within_two_margins_of_the_kth() {
        let mut x = 7u64;
        let mut next = move |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        let margin = |_: Score| 0.5;
        for round in 0..200 {
            let k = 1 + next(40) as usize;
            let n = next(2_000) as DocId;
            // Scores on a grid of 0.25, so that many tie and many lie within two margins.
            let scores: Vec<Score> = (0..n).map(|_| next(80) as Score * 0.25).collect();
            let mut near = Near::new(k);
            for (doc, &score) in scores.iter().enumerate() {
                // As tantivy does: only passages above the threshold are offered.
                if score > near.threshold {
                    near.push(doc as DocId, score, margin);
                }
            }
            let kept: HashSet<DocId> = near.into_sorted_docs().iter().map(|&(d, _)| d).collect();
            let mut sorted = scores.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            let Some(&kth) = sorted.get(k - 1) else {
                assert_eq!(kept.len(), scores.len(), "round {round}");
                continue;
            };
            for (doc, &score) in scores.iter().enumerate() {
                if score >= kth - 2.0 * 0.5 {
                    assert!(
                        kept.contains(&(doc as DocId)),
                        "round {round}: {doc} at {score}, k-th {kth}"
                    );
                }
            }
        }
    }

    #[test]
    fn pruned_ranking_equals_scoring_every_passage() {
        for seed in 0..6 {
            // Odd seeds make segments with hundreds of matches, more than twice the window, so
            // that the unrounded pass compacts what it keeps.
            let (index, body) = index(seed, if seed % 2 == 1 { 1_500 } else { 150 });
            let searcher = index.reader().unwrap().searcher();
            assert!(searcher.segment_readers().len() > 1);
            let term = |w: &str| Term::from_field_text(body, w);
            let leaf = |w: &str| -> Box<dyn Query> {
                Box::new(Quantized(Box::new(TermQuery::new(
                    term(w),
                    IndexRecordOption::WithFreqs,
                ))))
            };
            let words = ["tran", "duc", "luong"];
            let exact: Box<dyn Query> = Box::new(BooleanQuery::new(
                words.iter().map(|w| (Occur::Must, leaf(w))).collect(),
            ));
            let pair = |a: &str, b: &str| Pair {
                query: Box::new(Quantized(Box::new(PhraseQuery::new(vec![
                    term(a),
                    term(b),
                ])))),
            };
            let pairs = vec![pair("tran", "duc"), pair("duc", "luong")];
            let rankable = Rankable::new(exact.box_clone(), pairs);
            assert_eq!(rankable.leaves, 3);

            // Every matching passage scored by the rounded query, then the window rescored.
            let scoring = EnableScoring::enabled_from_searcher(&searcher);
            let weight = exact.weight(scoring).unwrap();
            let mut all = Vec::new();
            for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                let fast = reader.fast_fields();
                let source = fast.str("source").unwrap().unwrap();
                let start = fast.u64("start").unwrap();
                let mut scorer = weight.scorer(reader, 1.0).unwrap();
                while scorer.doc() != TERMINATED {
                    let doc = scorer.doc();
                    let mut name = String::new();
                    let o = source.term_ords(doc).next().unwrap();
                    source.ord_to_str(o, &mut name).unwrap();
                    all.push(Ranked {
                        score: scorer.score(),
                        bm25: scorer.score(),
                        proximity: 0.0,
                        source: name,
                        ord: o,
                        start: start.first(doc).unwrap(),
                        addr: DocAddress::new(ord as u32, doc),
                    });
                    scorer.advance();
                }
            }
            all.sort_by(best_first);
            let n = all.len().min(RESCORE_WINDOW);
            let pair_weights: Vec<_> = rankable
                .pairs
                .iter()
                .map(|p| p.query.weight(scoring).unwrap())
                .collect();
            add_proximity(&searcher, &pair_weights, &mut all[..n]).unwrap();
            all[..n].sort_by(best_first);

            for k in [1, 10, 250] {
                let got = top(&searcher, &searcher, &rankable, k, &HashSet::new()).unwrap();
                let want = &all[..k.min(all.len())];
                let key = |r: &Ranked| (r.addr, r.score.to_bits(), r.proximity.to_bits());
                assert_eq!(
                    got.iter().map(key).collect::<Vec<_>>(),
                    want.iter().map(key).collect::<Vec<_>>(),
                    "seed {seed}, k {k}"
                );
            }
        }
    }

    #[test]
    fn a_cancelled_search_stops_offering_passages() {
        let (index, body) = index(1, 150);
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(body, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        // A union of plain terms: tantivy runs block-max WAND, which a threshold of infinity
        // ends; and an intersection with a phrase, which tantivy walks to the end.
        let union: Box<dyn Query> = Box::new(BooleanQuery::new(
            ["tran", "duc", "luong"]
                .iter()
                .map(|w| (Occur::Should, term(w)))
                .collect(),
        ));
        let phrase: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, term("an")),
            (
                Occur::Must,
                Box::new(PhraseQuery::new(vec![
                    Term::from_field_text(body, "ha"),
                    Term::from_field_text(body, "noi"),
                ])),
            ),
        ]));
        for query in [union, phrase] {
            let rankable = Rankable::new(query, Vec::new());
            let run = |cancel: &Cancel| {
                top_windowed(
                    &searcher,
                    &searcher,
                    &rankable,
                    250,
                    &HashSet::new(),
                    &mut Window::default(),
                    cancel,
                )
                .unwrap()
                .iter()
                .map(|r| (r.addr, r.score.to_bits()))
                .collect::<Vec<_>>()
            };
            let whole = run(&Cancel::default());
            assert!(whole.len() > 20, "{}", whole.len());
            // A token that could cancel (the clauses made stoppable) but does not.
            let newest = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(7));
            assert_eq!(run(&Cancel::unless_newest(newest, 7)), whole);
            // One look per segment started and per passage offered: cancelled after the
            // first segment's start and five passages, nothing more is offered.
            assert!(run(&Cancel::after(6)).len() <= 5);
            assert!(run(&Cancel::after(0)).is_empty());
        }
    }

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
