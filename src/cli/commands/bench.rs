//! `tracuu bench`: query latency on one index, as a table or JSON.

use std::io::{self, Write};

use super::guard;
use crate::cli::args::BenchArgs;
use crate::cli::resolve;
use crate::error::{Error, Result};
use crate::exit::Exit;

/// Measures the queries of `args` (or the built-in set) on the one index the target means.
pub fn run(args: &BenchArgs) -> Result<Exit> {
    let queries = match &args.queries {
        Some(path) => crate::bench::read_queries(path)?,
        // An engine answers `word~` with its own fuzzy query (which some engines refuse): the
        // built-in set leaves it out there.
        None => crate::bench::DEFAULT_QUERIES
            .iter()
            .filter(|(kind, _)| args.engine.is_none() || *kind != "typo")
            .map(|&(k, q)| (k.to_string(), q.to_string()))
            .collect(),
    };
    let options = crate::bench::BenchOptions {
        iterations: args.iterations as usize,
        warmup: args.warmup as usize,
        limit: args.limit as usize,
    };
    let report = match &args.engine {
        Some(url) => crate::bench::run_remote(url, &queries, &options)?,
        None => {
            let Some(index) = resolve::resolve_target(&args.target)?.single() else {
                return Err(Error::Usage(
                    "bench measures one index: name it with --corpus PATH or --index DIR".into(),
                ));
            };
            crate::bench::run(&index, &queries, &options)?
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        let json = serde_json::to_string_pretty(&report).map_err(Error::Json)?;
        guard(writeln!(out, "{json}"))?;
    } else {
        guard(crate::output::write_bench_table(&mut out, &report))?;
    }
    guard(out.flush())?;
    Ok(Exit::Success)
}
