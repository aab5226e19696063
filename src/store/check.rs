//! `tracuu check`: verifies an index on disk — every file of the last commit against its
//! checksum, the manifest against the segments — and says what is wrong.

use std::io::Write;
use std::path::Path;

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::filelist::FileList;
use super::layout::CORPUS_FILE;
use super::open::TracuuIndex;
use super::{fresh, source, stats};
use crate::error::{Error, Result};

/// What `check` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Files the manifest lists.
    pub files: usize,
    /// Passages the manifest counts.
    pub passages: u64,
    /// Live documents in the segments.
    pub documents: u64,
    /// Segments of the last commit.
    pub segments: usize,
    /// Each thing that is wrong, one line each; empty when the index is healthy.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// True if nothing is wrong.
    pub fn is_healthy(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Verifies the index in `dir`. An index that cannot be opened at all is an error (the same
/// one a search would give); damage found inside a readable index is listed in the report.
pub fn check(dir: &Path) -> Result<CheckReport> {
    let idx = TracuuIndex::open(dir)?;
    let metas = idx
        .index
        .load_metas()
        .map_err(|e| Error::from_tantivy_at(dir, e))?;
    let mut report = CheckReport {
        files: idx.manifest.file_count as usize,
        passages: idx.manifest.passage_count,
        segments: metas.segments.len(),
        ..CheckReport::default()
    };
    let damaged = match idx.damaged_files() {
        Ok(files) => files,
        Err(Error::DamagedIndex { damage, .. }) => {
            report.problems.push(damage);
            return Ok(report);
        }
        Err(e) => {
            report.problems.push(problem(e));
            return Ok(report);
        }
    };
    for file in &damaged {
        report
            .problems
            .push(format!("{file}: fails its checksum or is missing"));
    }
    if !damaged.is_empty() {
        // Reading damaged segments further proves nothing and may trip over the damage.
        return Ok(report);
    }
    report.documents = metas.segments.iter().map(|s| s.num_docs() as u64).sum();
    if report.documents != report.passages {
        report.problems.push(format!(
            "the manifest counts {} passages but the segments hold {}",
            report.passages, report.documents
        ));
    }
    let list = match idx.file_list() {
        Ok(list) => list,
        Err(e) => {
            report.problems.push(problem(e));
            return Ok(report);
        }
    };
    report.problems.extend(own_files(&idx));
    match silently(|| per_file_counts(&idx, &list)) {
        Some(Ok(counts)) => {
            for (source, (expected, found)) in counts {
                if expected != found {
                    report.problems.push(format!(
                        "{}: the manifest counts {expected} passages but the index holds {found}",
                        source::display(&source)
                    ));
                }
            }
        }
        Some(Err(e)) => report.problems.push(problem(e)),
        None => report
            .problems
            .push("reading the segments failed inside tantivy".to_string()),
    }
    Ok(report)
}

/// What is wrong with tracuu's own files beside the segments: the ranking statistics, the
/// freshness record, the file naming the corpus.
fn own_files(idx: &TracuuIndex) -> Vec<String> {
    let mut problems = match silently(|| idx.reader()) {
        Some(Ok(reader)) => {
            let searcher = reader.searcher();
            stats::verify(&searcher, &idx.dir, &idx.fields.scored())
        }
        _ => vec!["the segments cannot be opened".to_string()],
    };
    problems.extend(fresh::verify_record(&idx.dir));
    if let Ok(bytes) = std::fs::read(idx.dir.join(CORPUS_FILE)) {
        let expected = source::path_bytes(&idx.manifest.corpus);
        if bytes != expected {
            problems.push(format!(
                "{} does not name the corpus {}",
                CORPUS_FILE,
                idx.manifest.corpus.display()
            ));
        }
    }
    problems
}

/// For each file of the manifest: (passages it lists, live passages the index holds).
fn per_file_counts(
    idx: &TracuuIndex,
    list: &FileList,
) -> Result<std::collections::BTreeMap<String, (u64, u64)>> {
    let reader = idx.reader()?;
    let searcher = reader.searcher();
    let mut counts = std::collections::BTreeMap::new();
    for (source, state) in &list.files {
        let query = TermQuery::new(
            Term::from_field_text(idx.fields.source, source),
            IndexRecordOption::Basic,
        );
        let found = searcher
            .search(&query, &Count)
            .map_err(|e| Error::from_tantivy_at(&idx.dir, e))?;
        counts.insert(source.clone(), (state.passages, found as u64));
    }
    Ok(counts)
}

/// Runs `f`, turning a panic inside it into `None` without printing the panic.
fn silently<T>(f: impl FnOnce() -> T) -> Option<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    std::panic::set_hook(hook);
    result
}

/// Writes the report: one line per problem, or one line saying the index is healthy.
pub fn write_report(out: &mut impl Write, dir: &Path, report: &CheckReport) -> std::io::Result<()> {
    if report.is_healthy() {
        return writeln!(
            out,
            "{}: healthy: {} files, {} passages in {} segments",
            dir.display(),
            report.files,
            report.passages,
            report.segments
        );
    }
    for problem in &report.problems {
        writeln!(out, "{}: {problem}", dir.display())?;
    }
    Ok(())
}

impl CheckReport {
    /// Nothing, for a healthy index; else the error naming the first problem (and how many
    /// more) and the command that rebuilds the index in `dir`.
    pub fn into_result(self, dir: &Path) -> Result<()> {
        let Some(first) = self.problems.first() else {
            return Ok(());
        };
        let more = match self.problems.len() {
            1 => String::new(),
            n => format!(" and {} more problems", n - 1),
        };
        Err(Error::DamagedIndex {
            path: dir.to_path_buf(),
            damage: format!("{first}{more}"),
        })
    }
}

/// An error met while checking, as a problem of the report: what is wrong, without the repair
/// hint the report's own error adds.
fn problem(e: Error) -> String {
    match e {
        Error::CorruptIndex { reason, .. } => reason,
        Error::DamagedIndex { damage, .. } => damage,
        other => other.to_string(),
    }
}
