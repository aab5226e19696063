//! `tracuu search`: opens the indexes the target means, searches, prints hits, files or a count,
//! and says whether anything was found. No indexing logic lives here: the demo's first run and
//! `--refresh` ask [`super::index`] to build.

use std::io::{self, Write};
use std::path::Path;

use super::{guard, index, warn};
use crate::cli::args::SearchArgs;
use crate::cli::resolve::{self, Target, DEFAULT_CORPUS, DEFAULT_INDEX};
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::freshness::{Recent, Staleness};
use crate::indexer::IndexOptions;
use crate::output;
use crate::search::{Engine, Engines, Outcome};

/// `tracuu search`: found (exit 0) when something was printed, else nothing found (so too
/// when the hits printed lack some of the query's words).
pub fn run(args: SearchArgs) -> Result<Exit> {
    let query = resolve::join_query(&args.query)?;
    if let Some(url) = &args.engine {
        return run_remote(url, &query, &args);
    }
    let target = resolve::resolve_target(&args.target)?;
    let engines = open_engines(target, args.refresh)?;
    let engine = Engines::new(&engines);
    let options = resolve::search_options(&args);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let found = if args.files {
        let (files, outcome) = engine.matching_files(&query, &options)?;
        report_corrections(&outcome);
        guard(output::write_files(&mut out, &files, args.json))?;
        !files.is_empty()
    } else {
        let outcome = engine.search(&query, &options)?;
        report_corrections(&outcome);
        if args.count {
            guard(output::write_count(&mut out, &outcome, args.json))?;
            // Like `grep -c`: the count is printed, 0 too, and the status says whether it is 0.
            outcome.total > 0
        } else {
            report_missing(&outcome);
            if args.explain && !args.json {
                // What the query became (abbreviations expanded, words folded); JSON has it in
                // each hit's `query`.
                eprintln!("tracuu: query: {}", outcome.query);
            }
            guard(output::write_hits(
                &mut out,
                &outcome,
                resolve::hit_format(&args),
            ))?;
            // Found means printed: a page past the last hit (`--offset`) found nothing; and
            // passages that lack some of the words are not what was asked for.
            !outcome.hits.is_empty() && outcome.missing.is_empty()
        }
    };
    guard(out.flush())?;
    // The process ends here: its index maps go with it at exit, in one teardown, instead of one
    // `munmap` each when the searchers drop (25 calls, about 1 ms, on a 1 GB index).
    std::mem::forget(engines);
    Ok(Exit::found(found))
}

/// `tracuu search --engine URL`: the same query, hits and exit status, from an engine index.
fn run_remote(url: &str, query: &str, args: &SearchArgs) -> Result<Exit> {
    let mut remote = crate::engine::Remote::open(url)?;
    let options = resolve::search_options(args);
    let outcome = remote.search(query, &options)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let found = if args.count {
        guard(output::write_count(&mut out, &outcome, args.json))?;
        outcome.total > 0
    } else {
        if args.explain && !args.json {
            eprintln!("tracuu: query: {}", outcome.query);
        }
        guard(output::write_hits(
            &mut out,
            &outcome,
            resolve::hit_format(args),
        ))?;
        !outcome.hits.is_empty()
    };
    guard(out.flush())?;
    Ok(Exit::found(found))
}

/// The engines of a target's corpora that still exist (one warning per corpus gone), or of its
/// index.
pub fn open_engines(target: Target, refresh: bool) -> Result<Vec<Engine>> {
    let list = match target {
        Target::Demo => return Ok(vec![open_engine(Path::new(DEFAULT_INDEX), true, refresh)?]),
        Target::Index(index) => return Ok(vec![open_engine(&index, false, refresh)?]),
        Target::Corpora(list) => list,
    };
    let mut engines = Vec::new();
    let mut gone = Vec::new();
    let mut damaged = None;
    for corpus in &list {
        if !corpus.exists() {
            warn(&format!(
                "{} is gone; skipping it (`tracuu forget {}` drops its index)",
                corpus.path.display(),
                corpus.path.display()
            ));
            gone.push(corpus);
            continue;
        }
        match open_engine(&corpus.index, false, refresh) {
            Err(Error::NoIndex(_)) => warn(&format!(
                "{} has no index yet (its first `tracuu index` has not finished); skipping it",
                corpus.path.display()
            )),
            // One damaged index of several: the others are searched, and the user is told how
            // to repair it.
            Err(e) if list.len() > 1 => {
                warn(&format!("{e}; skipping it"));
                damaged.get_or_insert(e);
            }
            opened => engines.push(opened?),
        }
    }
    if engines.is_empty() {
        return Err(match (damaged, gone.first()) {
            (Some(e), _) => e,
            (None, Some(c)) => Error::NoCorpus(c.path.clone()),
            (None, None) => Error::NotIndexedYet,
        });
    }
    Engine::share_statistics(&mut engines);
    Ok(engines)
}

/// Opens the index at `index_dir` for searching; the `demo` index is built from `seeds/` on
/// first use. When the corpus changed since it was indexed, warns, or with `refresh` updates it
/// first.
fn open_engine(index_dir: &Path, demo: bool, refresh: bool) -> Result<Engine> {
    let engine = match Engine::open(index_dir) {
        Err(Error::NoIndex(_)) if demo && Path::new(DEFAULT_CORPUS).is_dir() => {
            index::build_demo(index_dir)?;
            Engine::open(index_dir)?
        }
        other => other?,
    };
    // `--refresh` promises an up-to-date index: it does not rely on a recent check.
    let recent = if refresh {
        Recent::Recheck
    } else {
        Recent::Trust
    };
    let stale = match crate::freshness::staleness(engine.manifest(), index_dir, recent) {
        Ok(stale) => stale,
        Err(e) => {
            warn(&format!("cannot tell whether the corpus changed: {e}"));
            Staleness::default()
        }
    };
    // A watcher is about to apply the change itself.
    if stale.is_fresh() || crate::corpus::registry::watcher_of(index_dir).is_some() {
        return Ok(engine);
    }
    let corpus = engine.manifest().corpus.clone();
    if !refresh {
        warn_stale(&corpus, index_dir, &stale);
        return Ok(engine);
    }
    let options = IndexOptions::recorded(engine.manifest());
    drop(engine);
    index::refresh(&corpus, index_dir, &options)?;
    Engine::open(index_dir)
}

/// Tells that `corpus` changed since `index_dir` was built from it, and how to update it.
fn warn_stale(corpus: &Path, index_dir: &Path, stale: &Staleness) {
    // An index in the data directory is found without --index.
    let named = crate::corpus::registry::index_dir_for(corpus).is_ok_and(|d| d == index_dir);
    let flag = if named {
        String::new()
    } else {
        format!(" --index {}", index_dir.display())
    };
    warn(&format!(
        "{} changed since it was indexed ({} new, {} changed, {} removed files); run `tracuu index {}{flag}` or search with --refresh",
        corpus.display(),
        stale.added,
        stale.changed,
        stale.removed,
        corpus.display(),
    ));
}

/// Tells on stderr which words were corrected for typos, if any.
fn report_corrections(outcome: &Outcome) {
    let corrections = &outcome.corrections;
    if corrections.is_empty() {
        return;
    }
    let from: Vec<&str> = corrections.iter().map(|c| c.from.as_str()).collect();
    let to: Vec<&str> = corrections.iter().map(|c| c.to.as_str()).collect();
    eprintln!(
        "tracuu: no match for {}; showing results for {}",
        from.join(" "),
        to.join(" ")
    );
}

/// Tells on stderr which words the hits lack, if no passage holds every word (and hits are
/// printed: not for a page past the last).
fn report_missing(outcome: &Outcome) {
    if outcome.missing.is_empty() || outcome.hits.is_empty() {
        return;
    }
    let words: Vec<String> = outcome.missing.iter().map(|w| format!("{w:?}")).collect();
    eprintln!(
        "tracuu: no passage holds every word; showing passages without {}",
        words.join(", ")
    );
}
