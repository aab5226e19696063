//! `tracuu export`: exports the one index the target means to the destination `--opensearch`
//! names, with a progress bar on a terminal and a one-line summary on stderr.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crate::cli::args::ExportArgs;
use crate::cli::resolve;
use crate::error::Result;
use crate::exit::Exit;
use crate::export::{self, Destination, ExportReport};

/// Exports; succeeds when every action was written or accepted.
pub fn run(args: &ExportArgs) -> Result<Exit> {
    let index = resolve::export_index(args)?;
    let to = resolve::export_destination(args)?;
    let options = resolve::export_options(args);
    let mut bar = Bar::new(!args.quiet && std::io::stderr().is_terminal());
    let report = export::export(&index, &to, &options, &mut |done, total| {
        bar.set(done, total)
    })?;
    bar.clear();
    if !args.quiet {
        eprintln!("tracuu: {}", summary(&report, &to));
    }
    if let Some(why) = &report.not_expunged {
        eprintln!(
            "tracuu: warning: the engine kept the deleted passages in its statistics (_forcemerge {why}); scores may differ slightly from a full export's until it merges segments"
        );
    }
    Ok(Exit::Success)
}

/// What an export did, in a sentence.
fn summary(r: &ExportReport, to: &Destination) -> String {
    let whither = match to {
        Destination::Dir(dir) => format!("to {}", dir.display()),
        Destination::Stdout(_) => "to standard output".into(),
        Destination::Url(url) if r.created => format!("to {} (created)", url.shown()),
        Destination::Url(url) => format!("to {}", url.shown()),
    };
    let kind = if r.full { "full" } else { "incremental" };
    format!(
        "exported generation {} {whither}: {} passages indexed, {} deleted ({kind})",
        r.generation, r.indexed, r.deleted
    )
}

/// A progress bar on stderr, shown after half a second.
struct Bar {
    enabled: bool,
    started: Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Bar {
    fn new(enabled: bool) -> Self {
        Bar {
            enabled,
            started: Instant::now(),
            bar: None,
        }
    }

    fn set(&mut self, done: u64, total: u64) {
        if !self.enabled || self.started.elapsed() < Duration::from_millis(500) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new(total);
            let style = indicatif::ProgressStyle::with_template(
                "tracuu: exporting [{bar:30}] {pos}/{len} passages {per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        bar.set_length(total.max(done));
        bar.set_position(done);
    }

    fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
