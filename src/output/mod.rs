//! Hits -> what the user sees: human text (snippets, colour) or JSON Lines. Generic over
//! `io::Write`; knows nothing of how hits were found.

use std::io::{self, Write};

use crate::search::{FileMatch, Outcome};

mod human;
pub mod json;
mod tables;

pub use human::{location, window};
pub use json::{path_bytes, JsonCorpus, JsonCount, JsonFile, JsonHit};
pub use tables::{write_bench_table, write_corpora};

/// How to print hits.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    /// For people: `path:line:column`, rank, score, byte range, then a snippet.
    Human {
        /// Colour the output with ANSI escapes.
        color: bool,
        /// Print whole passages instead of snippets.
        full: bool,
        /// Snippet size, in characters.
        context: usize,
    },
    /// One JSON object per hit per line.
    Json,
}

/// Writes the hits of `outcome` in `format`.
pub fn write_hits(out: &mut dyn Write, outcome: &Outcome, format: Format) -> io::Result<()> {
    for hit in &outcome.hits {
        match format {
            Format::Json => {
                serde_json::to_writer(&mut *out, &JsonHit::new(hit, &outcome.query))?;
                writeln!(out)?;
            }
            Format::Human {
                color,
                full,
                context,
            } => human::write_human(out, hit, color, full, context)?,
        }
    }
    Ok(())
}

/// Writes the number of matching passages.
pub fn write_count(out: &mut dyn Write, outcome: &Outcome, json: bool) -> io::Result<()> {
    if json {
        let wire = JsonCount {
            count: outcome.total,
            query: &outcome.query,
        };
        serde_json::to_writer(&mut *out, &wire)?;
        writeln!(out)
    } else {
        writeln!(out, "{}", outcome.total)
    }
}

/// Writes the matching files, one per line.
pub fn write_files(out: &mut dyn Write, files: &[FileMatch], json: bool) -> io::Result<()> {
    for file in files {
        if json {
            serde_json::to_writer(&mut *out, &JsonFile::new(file))?;
            writeln!(out)?;
        } else {
            // The name's own bytes, as ls and rg print them, so a pipe can open any file.
            out.write_all(file.path.as_os_str().as_encoded_bytes())?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Writes `tracuu list`: a block per corpus for people, or one JSON object per line.
pub fn write_list(
    out: &mut dyn Write,
    all: &[crate::freshness::status::Status],
    json: bool,
) -> io::Result<()> {
    if !json {
        return write_corpora(out, all);
    }
    for status in all {
        serde_json::to_writer(&mut *out, &JsonCorpus::new(status))?;
        writeln!(out)?;
    }
    Ok(())
}
