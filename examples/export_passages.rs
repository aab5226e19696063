//! Prints the passages tracuu would index from a folder, as JSON Lines
//! (`{"source", "start", "end", "text"}`: file byte offsets, extracted text), so other engines can be fed exactly the same passages
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
    // The same files, read the same way, as `tracuu index` with default options.
    let options = tracuu::store::CorpusOptions::default();
    let files =
        tracuu::corpus::walk::corpus_files(root, &options, Path::new("index"), &mut |p, why| {
            eprintln!("export_passages: skipped {}: {why}", p.display())
        });
    let mut n = 0;
    for file in files {
        let bytes =
            std::fs::read(&file.path).map_err(|e| format!("{}: {e}", file.path.display()))?;
        let extract_options = tracuu::extract::Options::default();
        let Ok((x, _)) = tracuu::extract::extract_owned(&file.path, bytes, &extract_options) else {
            continue;
        };
        let source = file
            .path
            .strip_prefix(root)
            .unwrap_or(&file.path)
            .to_string_lossy()
            .into_owned();
        for p in tracuu::passage::split_with_breaks(&x.text, &x.breaks) {
            // Offsets into the file, as tracuu prints them; the text as extracted.
            let line = serde_json::json!({
                "source": source,
                "start": x.map.file_start(p.start),
                "end": x.map.file_end(p.end),
                "text": &x.text[p.start..p.end]
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
