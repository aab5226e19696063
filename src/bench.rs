//! `tracuu bench`: in-process query latency, with warm-up, percentiles, search time kept apart
//! from fetching and highlighting, and the time to open the index (cold and warm); or, with
//! `--engine`, the latency of an engine index end to end.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::engine::Remote;
use crate::error::{Error, Result};
use crate::search::{Engine, Outcome, SearchOptions};

/// The built-in query set, for the seeds: (kind, query).
pub const DEFAULT_QUERIES: &[(&str, &str)] = &[
    ("term", "Putin"),
    ("term", "submarines"),
    ("multi-word", "Cam Ranh Bay"),
    ("multi-word", "Sevastopol 1919"),
    ("phrase", "\"pivot to the East\""),
    ("phrase", "\"Ten days that shook the world\""),
    ("folded-name", "Tran Duc Luong"),
    ("folded-name", "Nguyễn Ái Quốc"),
    ("exact-first", "Trần Đức Lương"),
    ("cyrillic", "Путин"),
    ("prefix", "Varshav*"),
    ("typo", "Shevardnaze~"),
    ("typo-retry", "Kosigin"),
];

/// How to benchmark.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Timed runs of each query.
    pub iterations: usize,
    /// Untimed runs of each query first.
    pub warmup: usize,
    /// Hits fetched per search (as `--limit`).
    pub limit: usize,
}

/// Latency figures over a set of samples, in microseconds.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Stats {
    /// Median.
    pub p50_us: f64,
    /// 95th percentile.
    pub p95_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// Slowest.
    pub max_us: f64,
    /// Mean.
    pub mean_us: f64,
    /// Queries per second at the mean latency, one thread.
    pub qps: f64,
}

impl Stats {
    /// Figures of `samples` (any order).
    pub fn of(samples: &[Duration]) -> Stats {
        if samples.is_empty() {
            return Stats::default();
        }
        let mut us: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e6).collect();
        us.sort_by(f64::total_cmp);
        let pct = |p: f64| us[((us.len() - 1) as f64 * p).round() as usize];
        let mean = us.iter().sum::<f64>() / us.len() as f64;
        Stats {
            p50_us: pct(0.50),
            p95_us: pct(0.95),
            p99_us: pct(0.99),
            max_us: us[us.len() - 1],
            mean_us: mean,
            qps: if mean > 0.0 { 1e6 / mean } else { 0.0 },
        }
    }
}

/// Figures for one query.
#[derive(Clone, Debug, Serialize)]
pub struct QueryReport {
    /// Kind of query (term, phrase, ...), or "custom".
    pub kind: String,
    /// The query.
    pub query: String,
    /// Matching passages.
    pub hits: usize,
    /// Matching, ranking and counting.
    pub search: Stats,
    /// Fetching and highlighting the page of hits.
    pub fetch: Stats,
    /// Both.
    pub total: Stats,
}

/// Everything `tracuu bench` measured.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    /// The index folder.
    pub index: String,
    /// Files and passages in it.
    pub files: usize,
    /// Passages in it.
    pub passages: u64,
    /// Timed runs per query.
    pub iterations: usize,
    /// Untimed runs per query.
    pub warmup: usize,
    /// Hits fetched per search.
    pub limit: usize,
    /// First open of the index in this process, in microseconds.
    pub open_cold_us: f64,
    /// Later opens.
    pub open_warm: Stats,
    /// Per query.
    pub queries: Vec<QueryReport>,
    /// All queries together.
    pub overall: QueryReport,
    /// Logical cores of this machine.
    pub cores: usize,
}

/// Reads a queries file: one query per line, or `kind<TAB>query`; blank lines and lines
/// starting with `#` are skipped.
pub fn read_queries(path: &Path) -> Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let queries: Vec<(String, String)> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('\t') {
            Some((kind, q)) => (kind.trim().to_string(), q.trim().to_string()),
            None => ("custom".to_string(), l.to_string()),
        })
        .collect();
    if queries.is_empty() {
        return Err(Error::Usage(format!(
            "{} has no queries; write one query per line",
            path.display()
        )));
    }
    Ok(queries)
}

/// Benchmarks `queries` on the index in `dir`.
pub fn run(
    dir: &Path,
    queries: &[(String, String)],
    options: &BenchOptions,
) -> Result<BenchReport> {
    let (engine, open) = opened(20, || Engine::open(dir))?;
    let mut search = |query: &str, options: &SearchOptions| engine.search(query, options);
    let measured = measure(&mut search, queries, options)?;
    let (files, passages) = (
        engine.manifest().file_count,
        engine.manifest().passage_count,
    );
    Ok(report(
        dir.display().to_string(),
        files as usize,
        passages,
        options,
        open,
        measured,
    ))
}

/// Benchmarks `queries` on the engine index at `url` (`--engine`): each search end to end over
/// HTTP. Opening is reading the index's mapping; `files` is not known there (0), `passages` is
/// the engine's count.
pub fn run_remote(
    url: &str,
    queries: &[(String, String)],
    options: &BenchOptions,
) -> Result<BenchReport> {
    let (mut remote, open) = opened(5, || Remote::open(url))?;
    let passages = remote.passage_count()?;
    let mut search = |query: &str, options: &SearchOptions| remote.search(query, options);
    let measured = measure(&mut search, queries, options)?;
    Ok(report(
        url.to_string(),
        0,
        passages,
        options,
        open,
        measured,
    ))
}

/// How long opening took: the first time, and `warm` times after it.
type OpenTimes = (Duration, Vec<Duration>);

/// What `open` opens, and how long it took the first time and `warm` times more.
fn opened<T>(warm: usize, open: impl Fn() -> Result<T>) -> Result<(T, OpenTimes)> {
    let started = Instant::now();
    let opened = open()?;
    let cold = started.elapsed();
    let warm = (0..warm)
        .map(|_| {
            let t = Instant::now();
            open().map(|_| t.elapsed())
        })
        .collect::<Result<_>>()?;
    Ok((opened, (cold, warm)))
}

/// The report of a run on `index`.
fn report(
    index: String,
    files: usize,
    passages: u64,
    options: &BenchOptions,
    (open_cold, open_warm): OpenTimes,
    (queries, overall): (Vec<QueryReport>, QueryReport),
) -> BenchReport {
    BenchReport {
        index,
        files,
        passages,
        iterations: options.iterations,
        warmup: options.warmup,
        limit: options.limit,
        open_cold_us: open_cold.as_secs_f64() * 1e6,
        open_warm: Stats::of(&open_warm),
        overall,
        queries,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

/// A search to measure.
type Search<'a> = dyn FnMut(&str, &SearchOptions) -> Result<Outcome> + 'a;

/// Each query's figures, and all queries' together.
fn measure(
    engine: &mut Search,
    queries: &[(String, String)],
    options: &BenchOptions,
) -> Result<(Vec<QueryReport>, QueryReport)> {
    let search_options = SearchOptions {
        limit: options.limit,
        ..SearchOptions::default()
    };
    let mut reports = Vec::new();
    let (mut all_search, mut all_fetch, mut all_total) = (Vec::new(), Vec::new(), Vec::new());
    for (kind, query) in queries {
        for _ in 0..options.warmup {
            engine(query, &search_options)?;
        }
        let counting = SearchOptions {
            count: true,
            ..search_options.clone()
        };
        let hits = engine(query, &counting)?.total;
        let (mut search, mut fetch, mut total) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..options.iterations {
            let t = Instant::now();
            let outcome = engine(query, &search_options)?;
            total.push(t.elapsed());
            search.push(outcome.timings.search);
            fetch.push(outcome.timings.fetch);
        }
        all_search.extend(&search);
        all_fetch.extend(&fetch);
        all_total.extend(&total);
        reports.push(QueryReport {
            kind: kind.clone(),
            query: query.clone(),
            hits,
            search: Stats::of(&search),
            fetch: Stats::of(&fetch),
            total: Stats::of(&total),
        });
    }
    let overall = QueryReport {
        kind: "all".into(),
        query: format!("{} queries", queries.len()),
        hits: reports.iter().map(|r| r.hits).sum(),
        search: Stats::of(&all_search),
        fetch: Stats::of(&all_fetch),
        total: Stats::of(&all_total),
    };
    Ok((reports, overall))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_known_samples() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        let s = Stats::of(&samples);
        assert_eq!(
            (
                s.p50_us.round(),
                s.p95_us.round(),
                s.p99_us.round(),
                s.max_us
            ),
            (51.0, 95.0, 99.0, 100.0)
        );
        assert!((s.mean_us - 50.5).abs() < 1e-9);
        assert!((s.qps - 1e6 / 50.5).abs() < 1e-6);
        assert_eq!(Stats::of(&[]), Stats::default());
    }
}
