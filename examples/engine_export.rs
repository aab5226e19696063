//! THROWAWAY (replaced by `tracuu export --opensearch`): writes an index's passages as an engine
//! index definition (`index.json`) and `_bulk` body (`bulk.ndjson`) into a folder, for
//! `benches/engine-parity.py`.
//!
//! ```sh
//! cargo run --example engine_export -- INDEX_DIR SHARDS OUT_DIR
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [index, shards, out] = args.as_slice() else {
        eprintln!("usage: engine_export INDEX_DIR SHARDS OUT_DIR");
        return ExitCode::from(2);
    };
    let Ok(shards) = shards.parse::<u32>() else {
        eprintln!("engine_export: SHARDS must be a number");
        return ExitCode::from(2);
    };
    let out = PathBuf::from(out);
    let run = || -> Result<(), String> {
        let (definition, bulk) =
            tracuu::engine::throwaway_export::export(&PathBuf::from(index), shards)
                .map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
        std::fs::write(out.join("index.json"), definition.to_string())
            .map_err(|e| e.to_string())?;
        std::fs::write(out.join("bulk.ndjson"), bulk).map_err(|e| e.to_string())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("engine_export: {e}");
            ExitCode::from(2)
        }
    }
}
