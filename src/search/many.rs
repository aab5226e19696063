//! Several indexes searched as one: every index ranks with statistics summed over all of them
//! ([`crate::stats::Peer`]), so scores are comparable, and the hits merge into one list in the
//! order one index over every corpus would give: exact-spelling tier first, then score, then
//! equal scores by full path and byte offset.

use std::cmp::Ordering;
use std::path::PathBuf;
use std::time::Duration;

use super::{Correction, Engine, FileMatch, Hit, Outcome, SearchOptions, Timings};
use crate::error::Result;

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
            ..options.clone()
        };
        let mut outcomes = self.each(query, &each)?;
        // Typos are corrected only when no index matches, as one index would.
        if options.correct_typos && !options.exact && outcomes.iter().all(|(_, o)| o.total == 0) {
            let retry = SearchOptions {
                correct_typos: true,
                ..each
            };
            outcomes = self.each(query, &retry)?;
        }
        let mut keyed: Vec<(String, Hit)> = Vec::new();
        let mut total = 0usize;
        let mut corrections: Vec<Correction> = Vec::new();
        let mut timings = Timings::default();
        let mut description = String::new();
        for (engine, outcome) in outcomes {
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
            timings: Timings {
                search: Duration::ZERO,
                fetch: Duration::ZERO,
            },
        });
        Ok((files.into_iter().map(|(_, f)| f).collect(), outcome))
    }

    fn each(&self, query: &str, options: &SearchOptions) -> Result<Vec<(&'a Engine, Outcome)>> {
        self.engines
            .iter()
            .map(|e| Ok((e, e.search(query, options)?)))
            .collect()
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

/// The full path of a hit's file, as text, for ordering.
fn full_path(engine: &Engine, source: &str) -> String {
    let root: PathBuf = engine.manifest().corpus.clone();
    format!("{}/{source}", root.display())
}
