//! Several indexes searched as one: every index ranks with statistics summed over all of them
//! ([`crate::store::stats::Peer`]), so scores are comparable, and the hits merge into one list in the
//! order one index over every corpus would give: exact-spelling tier first, then score, then
//! equal scores by full path and byte offset.
//!
//! Proximity is scored on the best [`RESCORE_WINDOW`] passages by BM25 (see [`super::rank`]):
//! over all the indexes together, not in each. So each index reports its own window; when
//! together they hold more, the global window ends at the `RESCORE_WINDOW`-th key, and an index
//! whose own window reaches past it searches again with its window cut there.
//!
//! Typos are corrected only when no index matches, and the fallback to passages that lack some
//! words ([`super::partial`]) runs only when none matches even so: it chooses the words to leave
//! out with frequencies summed over every index, and the first attempt that matches in any index
//! answers, in every index.

use std::cmp::Ordering;
use std::path::PathBuf;
use std::time::Duration;

use super::partial::{self, Fallback};
use super::query::{self, Node};
use super::rank::{Key, Ranked, RESCORE_WINDOW};
use super::{Correction, Engine, FileMatch, Hit, Outcome, SearchOptions, Timings, Windows};
use crate::error::Result;

/// What every index is asked: the query as typed (each index parses it and may correct its
/// typos), or a tree the fallback chose, as it is.
#[derive(Clone, Copy)]
enum Ask<'q> {
    Typed(&'q str),
    Tree(&'q Node),
}

/// One or several open indexes, searched as one. With one, every call is exactly that index's.
pub struct Engines<'a> {
    engines: &'a [Engine],
}

impl<'a> Engines<'a> {
    /// The indexes to search together; they should share statistics
    /// ([`Engine::share_statistics`]) for their scores to be comparable.
    pub fn new(engines: &'a [Engine]) -> Self {
        Engines { engines }
    }

    /// Runs `query` over every index and returns one page of hits, merged.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<Outcome> {
        if let [one] = self.engines {
            return one.search(query, options);
        }
        let wanted = options.offset.saturating_add(options.limit);
        // Each index gives its best `wanted`: the merged best `wanted` are among them.
        let each = SearchOptions {
            offset: 0,
            limit: wanted.max(1),
            correct_typos: false,
            partial: false,
            ..options.clone()
        };
        let mut each = each;
        let mut ask = Ask::Typed(query);
        let mut outcomes = self.each(ask, &each)?;
        // Typos are corrected only when no index matches, as one index would.
        if options.correct_typos && !options.exact && outcomes.iter().all(|o| o.1.total == 0) {
            each.correct_typos = true;
            outcomes = self.each(ask, &each)?;
        }
        let fewer: Node;
        let mut missing = Vec::new();
        if options.partial && outcomes.iter().all(|o| o.1.total == 0) {
            if let Some((tree, found, lacking)) = self.fall_back(query, &each)? {
                fewer = tree;
                ask = Ask::Tree(&fewer);
                outcomes = found;
                missing = lacking;
            }
        }
        self.rescore_globally(ask, &each, &mut outcomes)?;
        for (_, outcome, _) in &mut outcomes {
            partial::mark(outcome, &missing);
        }
        let mut keyed: Vec<(String, Hit)> = Vec::new();
        let mut total = 0usize;
        let mut corrections: Vec<Correction> = Vec::new();
        let mut timings = Timings::default();
        let mut description = String::new();
        for (engine, outcome, _) in outcomes {
            total = total.saturating_add(outcome.total);
            for c in outcome.corrections {
                if !corrections.contains(&c) {
                    corrections.push(c);
                }
            }
            timings.search += outcome.timings.search;
            timings.fetch += outcome.timings.fetch;
            if description.is_empty() {
                description = outcome.query;
            }
            for hit in outcome.hits {
                keyed.push((full_path(engine, &hit.source), hit));
            }
        }
        keyed.sort_by(|(pa, a), (pb, b)| order(a, pa, b, pb));
        if !options.count {
            total = total.min(wanted);
        }
        let hits = keyed
            .into_iter()
            .skip(options.offset)
            .take(options.limit)
            .enumerate()
            .map(|(i, (_, mut hit))| {
                hit.rank = options.offset + i + 1;
                hit
            })
            .collect();
        Ok(Outcome {
            hits,
            total,
            query: description,
            corrections,
            missing,
            timings: Timings {
                search: timings.search,
                fetch: timings.fetch,
            },
        })
    }

    /// The files with matching passages in every index, sorted by full path, and the outcome
    /// (without hits).
    pub fn matching_files(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<(Vec<FileMatch>, Outcome)> {
        if let [one] = self.engines {
            return one.matching_files(query, options);
        }
        let mut files: Vec<(String, FileMatch)> = Vec::new();
        let mut merged: Option<Outcome> = None;
        for engine in self.engines {
            let (found, outcome) = engine.matching_files(query, options)?;
            files.extend(found.into_iter().map(|f| (full_path(engine, &f.source), f)));
            match &mut merged {
                None => merged = Some(outcome),
                Some(m) => {
                    m.total = m.total.saturating_add(outcome.total);
                    for c in outcome.corrections {
                        if !m.corrections.contains(&c) {
                            m.corrections.push(c);
                        }
                    }
                }
            }
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let outcome = merged.unwrap_or(Outcome {
            hits: Vec::new(),
            total: 0,
            query: String::new(),
            corrections: Vec::new(),
            missing: Vec::new(),
            timings: Timings {
                search: Duration::ZERO,
                fetch: Duration::ZERO,
            },
        });
        Ok((files.into_iter().map(|(_, f)| f).collect(), outcome))
    }

    /// Each index's outcome and own proximity windows (by tier).
    fn each(&self, ask: Ask<'_>, options: &SearchOptions) -> Result<Vec<Searched<'a>>> {
        self.engines
            .iter()
            .map(|e| {
                let mut windows = Windows {
                    probing: true,
                    ..Windows::default()
                };
                let outcome = asking(e, ask, options, &mut windows)?;
                Ok((e, outcome, windows.probes))
            })
            .collect()
    }

    /// The fallback over every index (see [`super::partial`]): the first attempt that matches
    /// in any index, each index's outcome of it, and the words it leaves out; `None` if the
    /// query does not fall back or no attempt matches.
    fn fall_back(&self, query: &str, options: &SearchOptions) -> Result<Option<FellBack<'a>>> {
        let Some(fallback) = Fallback::of(&query::parse(query)?, query) else {
            return Ok(None);
        };
        let mut freqs = Vec::new();
        for engine in self.engines {
            let own = engine.frequencies(&engine.reader.searcher(), &fallback, options.exact);
            freqs.resize(own.len(), 0);
            for (sum, n) in freqs.iter_mut().zip(own) {
                *sum += n;
            }
        }
        for attempt in fallback.attempts(&freqs) {
            let outcomes = self.each(Ask::Tree(&attempt.tree), options)?;
            if outcomes.iter().any(|o| o.1.total > 0) {
                return Ok(Some((attempt.tree, outcomes, attempt.missing)));
            }
        }
        Ok(None)
    }

    /// Searches again, with the global window, each index whose own window reaches past it.
    fn rescore_globally(
        &self,
        ask: Ask<'_>,
        options: &SearchOptions,
        outcomes: &mut [Searched<'a>],
    ) -> Result<()> {
        let mut cuts: [Option<FullKey>; 2] = [None, None];
        for (tier, cut) in cuts.iter_mut().enumerate() {
            let mut keys: Vec<FullKey> = outcomes
                .iter()
                .flat_map(|(e, _, probes)| probes[tier].iter().map(|k| full_key(e, k)))
                .collect();
            if keys.len() > RESCORE_WINDOW {
                keys.sort_by(key_order);
                *cut = keys.into_iter().nth(RESCORE_WINDOW - 1);
            }
        }
        if cuts.iter().all(Option::is_none) {
            return Ok(());
        }
        for (engine, outcome, probes) in outcomes.iter_mut() {
            let engine: &Engine = engine;
            let past = |tier: usize| {
                cuts[tier].as_ref().is_some_and(|cut| {
                    probes[tier]
                        .last()
                        .is_some_and(|k| key_order(&full_key(engine, k), cut) == Ordering::Greater)
                })
            };
            if !past(0) && !past(1) {
                continue;
            }
            let within = |tier: usize| {
                let cut = cuts[tier].clone();
                move |r: &Ranked| match &cut {
                    Some(cut) => {
                        let key = full_key(engine, &(r.bm25, r.source.clone(), r.start));
                        key_order(&key, cut) != Ordering::Greater
                    }
                    None => true,
                }
            };
            let (first, rest) = (within(0), within(1));
            let mut windows = Windows {
                within: [
                    cuts[0].as_ref().map(|_| &first as &dyn Fn(&Ranked) -> bool),
                    cuts[1].as_ref().map(|_| &rest as &dyn Fn(&Ranked) -> bool),
                ],
                probing: false,
                probes: Default::default(),
            };
            *outcome = asking(engine, ask, options, &mut windows)?;
        }
        Ok(())
    }
}

/// `engine`'s outcome of `ask`.
fn asking(
    engine: &Engine,
    ask: Ask<'_>,
    options: &SearchOptions,
    windows: &mut Windows<'_>,
) -> Result<Outcome> {
    match ask {
        Ask::Typed(query) => engine.search_windowed(query, options, windows),
        Ask::Tree(tree) => engine.search_tree(tree, options, windows),
    }
}

/// The order of one index: the exact-spelling tier first, then by score, then equal scores by
/// path and byte offset (what [`super::rank`] does within an index, by source path).
fn order(a: &Hit, pa: &str, b: &Hit, pb: &str) -> Ordering {
    b.exact
        .cmp(&a.exact)
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| pa.cmp(pb))
        .then_with(|| a.start.cmp(&b.start))
}

/// An index's outcome and its proximity windows.
type Searched<'a> = (&'a Engine, Outcome, [Vec<Key>; 2]);

/// The attempt of the fallback that matched: its tree, each index's outcome, the words it left
/// out.
type FellBack<'a> = (Node, Vec<Searched<'a>>, Vec<String>);

/// A BM25 key with the full path: comparable across indexes.
type FullKey = (f32, String, u64);

fn full_key(engine: &Engine, key: &Key) -> FullKey {
    (key.0, full_path(engine, &key.1), key.2)
}

/// Best first: by BM25, then full path, then offset.
fn key_order(a: &FullKey, b: &FullKey) -> Ordering {
    b.0.total_cmp(&a.0)
        .then_with(|| a.1.cmp(&b.1))
        .then(a.2.cmp(&b.2))
}

/// The full path of a hit's file, as text, for ordering.
fn full_path(engine: &Engine, source: &str) -> String {
    let root: PathBuf = engine.manifest().corpus.clone();
    format!("{}/{source}", root.display())
}
