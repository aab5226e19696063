//! `tracuu index` (and `--watch`), and the index builds a search asks for: the demo's first run
//! and `--refresh`. Warnings and a progress bar go to stderr through [`Progress`].

use std::io::{self, IsTerminal};
use std::path::Path;

use super::warn;
use crate::cli::args::IndexArgs;
use crate::cli::resolve::{self, DEFAULT_CORPUS};
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::indexer::{self, IndexOptions, IndexReport};

/// `tracuu index`: builds or updates the index the arguments mean, or watches its corpus.
pub fn run(args: IndexArgs) -> Result<Exit> {
    let (corpus, index_dir) = resolve::index_target(args.corpus.as_deref(), args.index.as_deref())?;
    let options = resolve::index_options(&args, &corpus, &index_dir);
    if args.watch {
        return watch(&corpus, &index_dir, &options, args.delay, args.quiet);
    }
    crate::corpus::registry::check_not_watched(&index_dir)?;
    let mut observer = Progress::new(args.quiet);
    let report = indexer::build(&corpus, &index_dir, &options, &mut observer)?;
    observer.finish();
    if !args.quiet {
        eprintln!("{}", summary(&report, &corpus, &index_dir));
    }
    Ok(Exit::Success)
}

/// A search's first run on the demo: builds `index_dir` from `seeds/`, saying so on stderr.
pub fn build_demo(index_dir: &Path) -> Result<()> {
    eprintln!("tracuu: no index yet; building one from {DEFAULT_CORPUS}/ (first run)");
    let corpus = Path::new(DEFAULT_CORPUS);
    let report = indexer::build(corpus, index_dir, &IndexOptions::default(), &mut warn)?;
    eprintln!("{}", summary(&report, corpus, index_dir));
    Ok(())
}

/// `search --refresh` on a stale index: updates it from `corpus` with the options it records,
/// unless a watcher keeps it fresh.
pub fn refresh(corpus: &Path, index_dir: &Path, options: &IndexOptions) -> Result<()> {
    crate::corpus::registry::check_not_watched(index_dir)?;
    let report = indexer::build(corpus, index_dir, options, &mut warn)?;
    eprintln!("{}", summary(&report, corpus, index_dir));
    Ok(())
}

/// `tracuu index --watch`: indexes, then applies changes as they come until Ctrl-C.
fn watch(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    delay_ms: u64,
    quiet: bool,
) -> Result<Exit> {
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // The first Ctrl-C asks for a clean stop (after the commit in progress); a second one
        // ends the process at once (the index keeps its last commit).
        let code = i32::from(Exit::INTERRUPTED.code());
        signal_hook::flag::register_conditional_shutdown(signal, code, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)))
            .map_err(|e| Error::io("signal handler", e))?;
    }
    let settings = crate::indexer::watch::WatchOptions {
        quiet: std::time::Duration::from_millis(delay_ms),
        ..Default::default()
    };
    let mut first = true;
    let mut on_update = |report: &IndexReport| {
        if quiet {
            return;
        }
        if first {
            eprintln!("{}", summary(report, corpus, index_dir));
            eprintln!(
                "tracuu: watching {} for changes; Ctrl-C stops",
                corpus.display()
            );
            first = false;
        } else if report.added + report.updated + report.removed > 0 {
            eprintln!(
                "tracuu: updated: {} added, {} updated, {} removed; {} files, {} passages ({:.2} s)",
                report.added,
                report.updated,
                report.removed,
                report.files,
                report.passages,
                report.elapsed.as_secs_f64()
            );
        }
    };
    crate::indexer::watch::watch(
        corpus,
        index_dir,
        options,
        &settings,
        &stop,
        &mut Progress::warnings(quiet),
        &mut on_update,
    )?;
    if !quiet {
        eprintln!("tracuu: stopped watching; the index is committed");
    }
    Ok(Exit::Success)
}

/// The line that tells what an index run did.
fn summary(r: &IndexReport, corpus: &Path, index: &Path) -> String {
    // Files skipped again unread, and images, sound, video and archives, get no warning of
    // their own: the summary says how many.
    let mut why = Vec::new();
    match r.not_text {
        0 => {}
        1 => why.push("1 image, sound, video or archive".to_string()),
        n => why.push(format!("{n} images, sounds, videos or archives")),
    }
    let (n, again) = (r.skipped.len(), r.skipped_again);
    if again > 0 && again < n {
        why.push(format!("{again} as before"));
    }
    let mut skipped = match n {
        0 => String::new(),
        n if again == n => format!(", {n} skipped as before"),
        n if why.is_empty() => format!(", {n} skipped"),
        n => format!(", {n} skipped ({})", why.join("; ")),
    };
    match r.members_skipped {
        0 => {}
        1 => skipped.push_str("; 1 file inside an archive or mail not read"),
        m => skipped.push_str(&format!("; {m} files inside archives or mail not read")),
    }
    format!(
        "tracuu: indexed {} in {}: {} files, {} passages ({} added, {} updated, {} removed, {} unchanged{skipped}) in {:.2} s",
        corpus.display(),
        index.display(),
        r.files,
        r.passages,
        r.added,
        r.updated,
        r.removed,
        r.unchanged,
        r.elapsed.as_secs_f64()
    )
}

/// Prints warnings, and a progress bar on a terminal once indexing takes more than a moment.
struct Progress {
    /// A bar may be shown.
    enabled: bool,
    /// `--quiet`: no bar, and no warning about a binary file (nothing makes it readable).
    quiet: bool,
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(quiet: bool) -> Self {
        Progress {
            enabled: !quiet && io::stderr().is_terminal(),
            quiet,
            started: std::time::Instant::now(),
            bar: None,
        }
    }

    /// Warnings only, never a bar (a watcher's).
    fn warnings(quiet: bool) -> Self {
        Progress {
            enabled: false,
            ..Progress::new(quiet)
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl indexer::Observer for Progress {
    fn warning(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| warn(message)),
            None => warn(message),
        }
    }

    fn skipped(&mut self, path: &Path, reason: &crate::extract::Skip) {
        if !(self.quiet && *reason == crate::extract::Skip::Binary) {
            self.warning(&format!("skipped {}: {reason}", path.display()));
        }
    }

    fn progress(&mut self, done: u64, total: u64) {
        if !self.enabled || self.started.elapsed() < std::time::Duration::from_millis(500) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new(total);
            let style = indicatif::ProgressStyle::with_template(
                "tracuu: indexing [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        bar.set_length(total);
        bar.set_position(done);
    }
}
