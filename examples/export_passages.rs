//! Prints the passages tracuu would index from a folder, as JSON Lines
//! (`{"source", "start", "end", "text"}`), so other engines can be fed exactly the same passages
//! (benches/compare.sh loads them into SQLite FTS5).
//!
//! ```sh
//! cargo run --release --example export_passages -- seeds > passages.jsonl
//! ```

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

fn run(root: &Path) -> Result<usize, String> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut files: Vec<_> = ignore::WalkBuilder::new(root)
        .require_git(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut n = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let source = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        for p in tracuu::passage::split(&text) {
            let line = serde_json::json!({
                "source": source, "start": p.start, "end": p.end, "text": &text[p.start..p.end]
            });
            writeln!(out, "{line}").map_err(|e| e.to_string())?;
            n += 1;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(n)
}

fn main() -> ExitCode {
    let Some(root) = std::env::args_os().nth(1) else {
        eprintln!("usage: export_passages CORPUS_DIR > passages.jsonl");
        return ExitCode::from(2);
    };
    match run(Path::new(&root)) {
        Ok(n) => {
            eprintln!("export_passages: {n} passages");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("export_passages: {e}");
            ExitCode::from(2)
        }
    }
}
