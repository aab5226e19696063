//! Searching a corpus handed to OpenSearch or Elasticsearch (`tracuu search --engine URL`):
//! tracuu's query plan translated per tier ([`translate`]), sent with
//! `search_type=dfs_query_then_fetch` (statistics over every shard, so scores do not depend on
//! routing) and a `rescore` of the adjacent word pairs (window 100, tracuu's proximity), and the
//! answers made into the hits local search prints ([`hits`]), over a small blocking HTTP client
//! ([`client`], which `tracuu export --opensearch` uses too).
//!
//! As locally: passages with the words typed with diacritics in that spelling come first (tier
//! 1), then the rest (tier 2 excludes tier 1's query); equal scores in (score, source, start)
//! order, asking the engine for more hits until the tie at the cut is whole; prefixes expanded
//! to the most frequent words. Not available remotely: the typo retry and Telex/VNI corrections
//! (`word~` asks the engine's `fuzzy` instead), the answer without some words when no passage
//! holds them all, `--files`, `--explain`'s breakdown. Scores are the engine's (Lucene's BM25,
//! within about 1% of tracuu's).

pub mod client;
pub mod hits;
pub mod resolve;
#[doc(hidden)]
pub mod translate;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use self::client::{Client, Credentials, Method};
use self::hits::Returned;
use self::translate::{Dictionary, Leaf, Plan};
use crate::error::{Error, Result};
use crate::search::query::{self, Node};
use crate::search::{has_diacritic_word, has_exclusion, Outcome, SearchOptions, Timings};

/// The search parameters of every query.
pub const SEARCH_PARAMS: &str = "search_type=dfs_query_then_fetch";
/// How many passages by BM25 get their proximity pairs scored (per shard, as engines do).
pub const RESCORE_WINDOW: usize = 100;
/// Hits asked for beyond the page, so that a tie at its end can be ordered.
const EXTRA: usize = 10;
/// The most hits an engine returns for one request (its default `max_result_window`).
const MAX_WINDOW: usize = 10_000;
/// The most passages read to expand a prefix into words.
const PREFIX_SAMPLE: usize = 5_000;
/// A prefix expands to at most this many words, as locally.
const MAX_PREFIX_TERMS: usize = 64;

/// An engine index to search.
pub struct Remote {
    client: Client,
    corpus: PathBuf,
    cwd: Option<PathBuf>,
    dict: HashMap<(String, String), u64>,
}

/// One request of a tier: its query and proximity pairs.
#[derive(Clone, Debug)]
pub struct TierQuery {
    /// The DSL query.
    pub query: Value,
    /// The `match_phrase` pairs for the rescore.
    pub pairs: Vec<Value>,
}

/// What a search sends, tier by tier, and what it needs to print hits.
pub struct Requests {
    /// Tier 1 (exact spellings first), if the query has words typed with diacritics.
    pub exact: Option<TierQuery>,
    /// Tier 2, or the only tier.
    pub rest: TierQuery,
    /// The whole query, every tier's passages: what `--count` counts.
    pub all: Value,
    /// The description of the query, as local search gives it.
    pub text: String,
    /// The words to highlight.
    pub plan: Plan,
}

/// The requests of `ast` (see [`Requests`]), as local search plans its tiers.
pub fn requests(
    dict: &mut dyn Dictionary,
    ast: &Node,
    options: &SearchOptions,
) -> Result<Requests> {
    let mode = if options.exact {
        Leaf::Exact
    } else {
        Leaf::Folded
    };
    let source = options.source.as_deref();
    let plan = translate::plan(dict, ast, mode, source)?;
    let mut text = plan.text.clone();
    let exact = if mode == Leaf::Folded && has_diacritic_word(ast) {
        let tier = translate::plan(dict, ast, Leaf::Tier, source)?;
        text = format!("{text}; exact spelling first: {}", tier.text);
        // An exclusion is weaker in exact spelling ("-Lê" keeps "Le"): then tier 1 must match
        // the folded query too, and is ranked by it.
        Some(if has_exclusion(ast) {
            TierQuery {
                query: json!({"bool": {"must": [plan.query.clone()], "filter": [tier.query]}}),
                pairs: plan.pairs.clone(),
            }
        } else {
            TierQuery {
                query: tier.query,
                pairs: tier.pairs,
            }
        })
    } else {
        None
    };
    let rest_query = match &exact {
        Some(tier) => {
            json!({"bool": {"must": [plan.query.clone()], "must_not": [tier.query.clone()]}})
        }
        None => plan.query.clone(),
    };
    Ok(Requests {
        rest: TierQuery {
            query: rest_query,
            pairs: plan.pairs.clone(),
        },
        all: plan.query.clone(),
        exact,
        text,
        plan,
    })
}

/// The body of a search of `tier` for `size` hits.
pub fn body(tier: &TierQuery, size: usize) -> Value {
    let mut body = json!({
        "size": size,
        "query": tier.query,
        "_source": {"excludes": ["folded", "exact", "compound"]},
        "track_total_hits": false,
    });
    if !tier.pairs.is_empty() {
        body["rescore"] = json!({
            "window_size": RESCORE_WINDOW,
            "query": {
                "rescore_query": {"bool": {"should": tier.pairs}},
                "query_weight": 1,
                "rescore_query_weight": 1,
                "score_mode": "total",
            }
        });
    }
    body
}

impl Remote {
    /// The engine index at `url` (credentials from the environment): reads the corpus it holds
    /// from its mapping's `_meta`.
    pub fn open(url: &str) -> Result<Remote> {
        Remote::open_with(url, &Credentials::from_env(), client::DEFAULT_TIMEOUT)
    }

    /// [`Remote::open`] with the credentials and timeout given.
    pub fn open_with(url: &str, credentials: &Credentials, timeout: Duration) -> Result<Remote> {
        let client = Client::new(url, credentials, timeout)?;
        let mapping = client.get("_mapping")?;
        let corpus = mapping
            .as_object()
            .and_then(|m| m.values().next())
            .and_then(|i| i.pointer("/mappings/_meta/tracuu/corpus"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                Error::Engine(format!(
                    "the engine index at {} was not exported by tracuu (its mapping has no _meta.tracuu.corpus); export a corpus to it with `tracuu export`",
                    client.address().shown()
                ))
            })?;
        Ok(Remote {
            client,
            corpus: PathBuf::from(corpus),
            cwd: std::env::current_dir().ok(),
            dict: HashMap::new(),
        })
    }

    /// How many passages the engine index holds.
    pub fn passage_count(&self) -> Result<u64> {
        let answer = self
            .client
            .request(Method::POST, "/_count", Some(&json!({})))?;
        Ok(answer.get("count").and_then(Value::as_u64).unwrap_or(0))
    }

    /// Runs `query` as local search runs it, and returns the requested page of hits.
    pub fn search(&mut self, query: &str, options: &SearchOptions) -> Result<Outcome> {
        let started = Instant::now();
        let ast = query::parse(query)?;
        let r = requests(self, &ast, options)?;
        let wanted = options.offset.saturating_add(options.limit).max(1);
        let mut placed: Vec<(Returned, bool)> = Vec::new();
        for (tier, exact) in [(r.exact.as_ref(), true), (Some(&r.rest), options.exact)] {
            let Some(tier) = tier.filter(|_| placed.len() < wanted) else {
                continue;
            };
            let top = self.top(tier, wanted - placed.len())?;
            placed.extend(top.into_iter().map(|h| (h, exact)));
        }
        let total = if options.count {
            let answer =
                self.client
                    .request(Method::POST, "/_count", Some(&json!({"query": r.all})))?;
            answer.get("count").and_then(Value::as_u64).unwrap_or(0) as usize
        } else {
            placed.len()
        };
        let fetching = Instant::now();
        let hits = placed
            .iter()
            .enumerate()
            .skip(options.offset)
            .map(|(i, (h, exact))| {
                hits::hit(
                    h,
                    i + 1,
                    *exact,
                    &r.plan.terms,
                    &self.corpus,
                    self.cwd.as_deref(),
                )
            })
            .collect();
        Ok(Outcome {
            hits,
            total,
            query: r.text,
            corrections: Vec::new(),
            missing: Vec::new(),
            timings: Timings {
                search: fetching - started,
                fetch: fetching.elapsed(),
            },
        })
    }

    /// The best `k` passages of `tier`, in local search's order: asks for `k` and a few more,
    /// and for more again while the engine may hold hits that tie with the `k`-th.
    fn top(&self, tier: &TierQuery, k: usize) -> Result<Vec<Returned>> {
        let mut size = (k + EXTRA).min(MAX_WINDOW);
        loop {
            let answer = self.client.search(SEARCH_PARAMS, &body(tier, size))?;
            let mut got = hits::returned(&answer)?;
            got.sort_by(hits::best_first);
            if hits::settled(&got, size, k) || size >= MAX_WINDOW {
                got.truncate(k);
                return Ok(got);
            }
            size = (size * 4).min(MAX_WINDOW);
        }
    }
}

impl Dictionary for Remote {
    fn doc_freq(&mut self, field: &str, term: &str) -> Result<u64> {
        let key = (field.to_string(), term.to_string());
        if let Some(&n) = self.dict.get(&key) {
            return Ok(n);
        }
        let answer = self.client.request(
            Method::POST,
            "/_count",
            Some(&json!({"query": {"term": {field: term}}})),
        )?;
        let n = answer.get("count").and_then(Value::as_u64).unwrap_or(0);
        self.dict.insert(key, n);
        Ok(n)
    }

    /// The words of the passages that have a folded word starting with `prefix` (the first
    /// [`PREFIX_SAMPLE`] of them), by how many of those passages have each.
    fn prefix_terms(&mut self, prefix: &str) -> Result<Vec<String>> {
        let body = json!({
            "size": PREFIX_SAMPLE,
            "query": {"prefix": {translate::FOLDED: prefix}},
            "_source": ["text", "title"],
            "track_total_hits": false,
        });
        let answer = self.client.search("", &body)?;
        let mut counts: HashMap<String, u64> = HashMap::new();
        for h in hits::returned(&answer)? {
            let mut seen = std::collections::HashSet::new();
            for field in ["title", "text"] {
                let text = h.doc.get(field).and_then(Value::as_str).unwrap_or("");
                for w in crate::text::words(text, crate::text::Mode::Folded) {
                    if w.text.starts_with(prefix) && seen.insert(w.text.clone()) {
                        *counts.entry(w.text).or_default() += 1;
                    }
                }
            }
        }
        let mut ranked: Vec<(u64, String)> = counts.into_iter().map(|(t, n)| (n, t)).collect();
        ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(ranked
            .into_iter()
            .take(MAX_PREFIX_TERMS)
            .map(|(_, t)| t)
            .collect())
    }
}
