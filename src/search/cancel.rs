//! Giving up a search that a newer one replaced: a token the caller hands in with the options,
//! checked between a search's phases and inside its scoring loops, so that search as you type
//! never waits for the answer to a query nobody looks at any more.

#[cfg(test)]
use std::sync::atomic::AtomicI64;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Query, Scorer, TermQuery, Weight};
use tantivy::{DocId, DocSet, Score, Searcher, SeekDangerResult, SegmentReader, TERMINATED};

use crate::error::{Error, Result};

/// Cancels a search once a newer request has replaced it. The default never cancels.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Option<Token>);

#[derive(Clone, Debug)]
enum Token {
    /// Request `.1` is cancelled once `.0` holds another generation.
    Newest(Arc<AtomicU64>, u64),
    /// Cancelled from the given number of looks on: a search stopped at a known point.
    #[cfg(test)]
    After(Arc<AtomicI64>),
}

impl Cancel {
    /// Cancels the search of request `generation` as soon as `newest` holds another one.
    pub fn unless_newest(newest: Arc<AtomicU64>, generation: u64) -> Self {
        Cancel(Some(Token::Newest(newest, generation)))
    }

    /// Cancelled once it has been looked at `looks` times.
    #[cfg(test)]
    pub(crate) fn after(looks: i64) -> Self {
        Cancel(Some(Token::After(Arc::new(AtomicI64::new(looks)))))
    }

    /// Whether the search should stop.
    pub fn is_cancelled(&self) -> bool {
        match &self.0 {
            None => false,
            Some(Token::Newest(newest, mine)) => newest.load(Ordering::Relaxed) != *mine,
            #[cfg(test)]
            Some(Token::After(looks)) => looks.fetch_sub(1, Ordering::Relaxed) <= 0,
        }
    }

    /// Fails with [`Error::Cancelled`] if the search should stop.
    pub(crate) fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Whether anything can cancel this search at all.
    pub(crate) fn can_cancel(&self) -> bool {
        self.0.is_some()
    }
}

/// Docs checked between two looks at the token while counting: a few microseconds of work.
const COUNT_STRIDE: u32 = 4096;

/// Moves of a scorer between two looks at the token.
const MOVE_STRIDE: u32 = 256;

/// `query`, with the clauses tantivy would walk to the end after a cancel made stoppable.
///
/// A plain term, and a query of plain terms only (a union or an intersection), run under
/// block-max WAND, which the collector ends at once with a threshold of infinity; so they are
/// kept as they are (wrapped, tantivy would no longer recognise them). Anything else (a phrase,
/// a union nested in an intersection, as in `tran duc luong a*`) is walked to its end by
/// tantivy's loop whatever the threshold: wrapped, it reports no more passages once cancelled.
pub(crate) fn stoppable(query: &dyn Query, cancel: &Cancel) -> Box<dyn Query> {
    if query.downcast_ref::<TermQuery>().is_some() {
        return query.box_clone();
    }
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return Box::new(Stoppable(query.box_clone(), cancel.clone()));
    };
    let clauses = boolean
        .clauses()
        .iter()
        .map(|(occur, q)| {
            let kept: Box<dyn Query> = if q.downcast_ref::<TermQuery>().is_some() {
                q.box_clone()
            } else {
                Box::new(Stoppable(q.box_clone(), cancel.clone()))
            };
            (*occur, kept)
        })
        .collect();
    let mut rebuilt = BooleanQuery::new(clauses);
    rebuilt.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
    Box::new(rebuilt)
}

/// A query whose scorers end early once the search is cancelled.
#[derive(Debug)]
struct Stoppable(Box<dyn Query>, Cancel);

impl Clone for Stoppable {
    fn clone(&self) -> Self {
        Stoppable(self.0.box_clone(), self.1.clone())
    }
}

impl Query for Stoppable {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(StoppableWeight(
            self.0.weight(scoring)?,
            self.1.clone(),
        )))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct StoppableWeight(Box<dyn Weight>, Cancel);

impl Weight for StoppableWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(StoppableScorer {
            inner: self.0.scorer(reader, boost)?,
            cancel: self.1.clone(),
            moves: 0,
            stopped: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.0.count(reader)
    }
}

struct StoppableScorer {
    inner: Box<dyn Scorer>,
    cancel: Cancel,
    moves: u32,
    stopped: bool,
}

impl StoppableScorer {
    /// Counts a move; whether the scorer has stopped.
    fn stops(&mut self) -> bool {
        if !self.stopped {
            self.moves += 1;
            if self.moves == MOVE_STRIDE {
                self.moves = 0;
                self.stopped = self.cancel.is_cancelled();
            }
        }
        self.stopped
    }
}

impl DocSet for StoppableScorer {
    fn advance(&mut self) -> DocId {
        if self.stops() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.stops() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if self.stops() {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        self.inner.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for StoppableScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

/// How many live passages match `query`, giving up when `cancel` says so.
pub(crate) fn count(searcher: &Searcher, query: &dyn Query, cancel: &Cancel) -> Result<usize> {
    if !cancel.can_cancel() {
        return Ok(searcher.search(query, &tantivy::collector::Count)?);
    }
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut total = 0usize;
    for reader in searcher.segment_readers() {
        cancel.check()?;
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        let mut stride = 0u32;
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                total += 1;
            }
            stride += 1;
            if stride == COUNT_STRIDE {
                stride = 0;
                cancel.check()?;
            }
            doc = scorer.advance();
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_cancels_once_a_newer_request_is_made_and_the_default_never() {
        let newest = Arc::new(AtomicU64::new(3));
        let cancel = Cancel::unless_newest(newest.clone(), 3);
        assert!(!cancel.is_cancelled());
        assert!(cancel.check().is_ok());
        newest.store(4, Ordering::Relaxed);
        assert!(cancel.is_cancelled());
        assert!(matches!(cancel.check(), Err(Error::Cancelled)));
        assert!(!Cancel::default().is_cancelled());
    }

    /// An index in two segments, one with deleted passages; `word` in every third passage.
    fn index() -> (tantivy::Index, tantivy::Searcher, tantivy::schema::Field) {
        use tantivy::schema::{Schema, STRING, TEXT};
        use tantivy::{doc, Index, Term};
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let id = schema.add_text_field("id", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for segment in 0..2 {
            for i in 0..10_000 {
                let text = if i % 3 == 0 { "word other" } else { "other" };
                writer
                    .add_document(doc!(body => text, id => format!("{segment}-{i}")))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        for i in (0..10_000).step_by(7) {
            writer.delete_term(Term::from_field_text(id, &format!("1-{i}")));
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        (index, searcher, body)
    }

    #[test]
    fn counting_with_a_token_counts_live_passages_as_tantivy_does_until_cancelled() {
        use tantivy::query::{BooleanQuery, Occur, TermQuery};
        use tantivy::schema::IndexRecordOption;
        use tantivy::Term;
        let (_index, searcher, body) = index();
        assert!(searcher.segment_readers().len() > 1);
        let term = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(body, w),
                IndexRecordOption::Basic,
            ))
        };
        let union = BooleanQuery::new(vec![
            (Occur::Should, term("word")),
            (Occur::Should, term("other")),
        ]);
        for query in [term("word"), Box::new(union) as Box<dyn Query>] {
            let want = searcher
                .search(&*query, &tantivy::collector::Count)
                .unwrap();
            let live = Cancel::unless_newest(Arc::new(AtomicU64::new(1)), 1);
            assert_eq!(count(&searcher, &*query, &live).unwrap(), want);
            assert_eq!(count(&searcher, &*query, &Cancel::default()).unwrap(), want);
            // Cancelled from the second look on: within or after the first segment.
            assert!(matches!(
                count(&searcher, &*query, &Cancel::after(1)),
                Err(Error::Cancelled)
            ));
        }
    }

    #[test]
    fn a_stoppable_query_matches_the_same_and_ends_early_once_cancelled() {
        use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
        use tantivy::schema::IndexRecordOption;
        use tantivy::Term;
        let (_index, searcher, body) = index();
        let term = |w: &str| Term::from_field_text(body, w);
        // An intersection walked by tantivy's plain loop: a term and a phrase.
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(term("other"), IndexRecordOption::WithFreqs)),
            ),
            (
                Occur::Must,
                Box::new(PhraseQuery::new(vec![term("word"), term("other")])),
            ),
        ]);
        let walk = |cancel: &Cancel| {
            let wrapped = stoppable(&query, cancel);
            let weight = wrapped
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .unwrap();
            let mut seen = 0;
            for reader in searcher.segment_readers() {
                let mut scorer = weight.scorer(reader, 1.0).unwrap();
                while scorer.doc() != TERMINATED {
                    seen += 1;
                    scorer.advance();
                }
            }
            seen
        };
        let all = searcher.search(&query, &tantivy::collector::Count).unwrap();
        // Deleted passages are walked too: at least as many as the live ones.
        let whole = walk(&Cancel::default());
        assert!(whole >= all && all > 3000, "{whole} {all}");
        assert_eq!(
            walk(&Cancel::unless_newest(Arc::new(AtomicU64::new(1)), 1)),
            whole
        );
        // Stopped at the second look, after 2 x MOVE_STRIDE moves at most in each segment.
        let stopped = walk(&Cancel::after(1));
        assert!(stopped <= 4 * MOVE_STRIDE as usize, "{stopped} of {whole}");
    }
}
