//! Makes a large, realistic, deterministic corpus from the seeds, for benchmarks at scale
//! (the text comes from the tests' generator, `tests/it/util/synth.rs`).
//!
//! ```sh
//! cargo run --release --example make_corpus -- --mb 100 /tmp/corpus100 [--seed 42] [--seeds seeds]
//! cargo run --release --example make_corpus -- --files 100000 /tmp/many     # 2 KB files
//! cargo run --release --example make_corpus -- --files 20000 --mb 40 /tmp/c20k
//! ```
//!
//! `--mb` alone writes files of 256 KiB; `--files N` writes exactly N files sharing the `--mb`
//! (2 KB each when `--mb` is not given), `--per-dir` (default 100) to a folder.

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../tests/it/util/synth.rs"]
mod synth;

use synth::Shape;

const USAGE: &str =
    "usage: make_corpus [--mb MB] [--files N] [--per-dir N] [--seed N] [--seeds DIR] OUT_DIR";

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut mb, mut seed, mut seeds, mut out) = (None, 42u64, PathBuf::from("seeds"), None);
    let (mut files, mut per_dir) = (None, 100usize);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--mb" => {
                let v: f64 = value("--mb")?.parse().map_err(|e| format!("--mb: {e}"))?;
                if v.is_nan() || v <= 0.0 {
                    return Err("--mb must be positive".into());
                }
                mb = Some(v)
            }
            "--files" => {
                let v: usize = value("--files")?
                    .parse()
                    .map_err(|e| format!("--files: {e}"))?;
                if v == 0 {
                    return Err("--files must be at least 1".into());
                }
                files = Some(v)
            }
            "--per-dir" => {
                per_dir = value("--per-dir")?
                    .parse()
                    .map_err(|e| format!("--per-dir: {e}"))?;
                if per_dir == 0 {
                    return Err("--per-dir must be at least 1".into());
                }
            }
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--seeds" => seeds = PathBuf::from(value("--seeds")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}; see --help")),
        }
    }
    let out = out.ok_or("give the folder to write, e.g. make_corpus --mb 100 /tmp/corpus")?;
    let bytes = match (mb, files) {
        (Some(mb), _) => (mb * 1_000_000.0) as usize,
        (None, Some(n)) => n * 2_000,
        (None, None) => 10_000_000,
    };
    let shape = Shape {
        files,
        per_dir,
        ..Shape::bytes(bytes)
    };
    let done = synth::generate(&seeds, &out, &shape, seed).map_err(|e| e.to_string())?;
    eprintln!(
        "make_corpus: wrote {} files, {:.1} MB, to {}",
        done.files,
        done.bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_corpus: {e}");
            ExitCode::from(2)
        }
    }
}
