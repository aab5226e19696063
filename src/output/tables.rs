//! Tables for people: `tracuu list` (one block per indexed corpus, sizes and ages in words) and
//! `tracuu bench` (one row per query).

use std::io::{self, Write};

/// Writes `tracuu list` for people: one block per corpus.
pub fn write_corpora(
    out: &mut dyn Write,
    all: &[crate::freshness::status::Status],
) -> io::Result<()> {
    use crate::freshness::status::State;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    for status in all {
        let state = match status.state {
            State::Fresh => "fresh".to_string(),
            State::Stale => format!(
                "stale: {} new, {} changed, {} removed files",
                status.added, status.changed, status.removed
            ),
            State::Missing => "missing: the folder is gone (`tracuu forget` drops it)".into(),
            State::Broken if status.path.as_os_str().is_empty() => format!(
                "damaged: the index cannot be read (`tracuu check --index {}` says why)",
                crate::error::shell_word(&status.index)
            ),
            State::Broken => format!(
                "damaged: the index cannot be read (`tracuu check --corpus {}` says why, `tracuu index --rebuild --index {}` repairs it)",
                crate::error::shell_word(&status.path),
                crate::error::shell_word(&status.index)
            ),
            State::Unfinished => "unfinished: no commit yet (indexing, or interrupted)".into(),
        };
        let watching = match status.watcher {
            Some(pid) => format!(", watched by process {pid}"),
            None => String::new(),
        };
        let path = if status.path.as_os_str().is_empty() {
            "(unknown corpus)".into()
        } else {
            status.path.display().to_string()
        };
        writeln!(out, "{path}")?;
        writeln!(
            out,
            "  {} files, {} passages, {} on disk, updated {}; {state}{watching}",
            status.files,
            status.passages,
            human_bytes(status.bytes),
            status
                .updated
                .map_or_else(|| "never".into(), |t| ago(now.saturating_sub(t))),
        )?;
        writeln!(out, "  index: {}", status.index.display())?;
    }
    Ok(())
}

/// 1536 -> "1.5 KB" (powers of 1024, as `ls -h`).
fn human_bytes(bytes: u64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

/// Seconds -> "5 s ago", "3 min ago", "2 h ago", "4 days ago".
fn ago(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds} s ago"),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86400 => format!("{} h ago", seconds / 3600),
        _ => format!("{} days ago", seconds / 86400),
    }
}

/// Prints `report` as a table for people.
pub fn write_bench_table(
    out: &mut dyn Write,
    report: &crate::bench::BenchReport,
) -> io::Result<()> {
    writeln!(
        out,
        "index {} ({} files, {} passages); {} iterations after {} warm-up, limit {}, {} cores",
        report.index,
        report.files,
        report.passages,
        report.iterations,
        report.warmup,
        report.limit,
        report.cores
    )?;
    writeln!(
        out,
        "open: cold {:.0} µs, warm p50 {:.0} µs\n",
        report.open_cold_us, report.open_warm.p50_us
    )?;
    writeln!(
        out,
        "{:<34} {:<12} {:>5} {:>9} {:>9} | {:>9} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "query", "kind", "hits", "search50", "fetch50", "p50", "p95", "p99", "max", "mean", "QPS"
    )?;
    writeln!(out, "{}", "-".repeat(138))?;
    for r in report
        .queries
        .iter()
        .chain(std::iter::once(&report.overall))
    {
        let name: String = r.query.chars().take(34).collect();
        writeln!(
            out,
            "{:<34} {:<12} {:>5} {:>9.1} {:>9.1} | {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>8.0}",
            name,
            r.kind,
            r.hits,
            r.search.p50_us,
            r.fetch.p50_us,
            r.total.p50_us,
            r.total.p95_us,
            r.total.p99_us,
            r.total.max_us,
            r.total.mean_us,
            r.total.qps
        )?;
    }
    writeln!(
        out,
        "\nall times in µs; search = match, rank, count; fetch = load and highlight the hits"
    )
}
