//! Makes a large, realistic, deterministic corpus from the seeds, for benchmarks at scale
//! (the text comes from `tracuu::synth`).
//!
//! ```sh
//! cargo run --release --example make_corpus -- --mb 100 /tmp/corpus100 [--seed 42] [--seeds seeds]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut mb, mut seed, mut seeds, mut out) = (10.0f64, 42u64, PathBuf::from("seeds"), None);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--mb" => mb = value("--mb")?.parse().map_err(|e| format!("--mb: {e}"))?,
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--seeds" => seeds = PathBuf::from(value("--seeds")?),
            "-h" | "--help" => {
                println!("usage: make_corpus [--mb MB] [--seed N] [--seeds DIR] OUT_DIR");
                return Ok(());
            }
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}; see --help")),
        }
    }
    let out = out.ok_or("give the folder to write, e.g. make_corpus --mb 100 /tmp/corpus")?;
    if mb.is_nan() || mb <= 0.0 {
        return Err("--mb must be positive".into());
    }
    let done = tracuu::synth::generate(&seeds, &out, (mb * 1_000_000.0) as usize, seed)
        .map_err(|e| e.to_string())?;
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
