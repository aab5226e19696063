//! `tracuu export --opensearch`: an index handed to OpenSearch or Elasticsearch with tracuu's
//! analysis intact. The index definition ([`mapping`]), one document per passage with tracuu's
//! own tokens pre-analysed ([`tokens`], read from the store by [`passages`]) as `_bulk` actions
//! ([`bulk`]), written to a folder, to standard output, or sent to the engine in batches
//! ([`send`]). What was exported is remembered ([`state`]), so that the next export sends only
//! the passages of changed and added files and deletes those of changed and removed ones.
//!
//! Where the state lives: in an export folder, `tracuu-export.json` beside `index.json` and
//! `bulk.ndjson`; for standard output, in the folder `--state DIR` names (with `index.json`), else
//! nowhere (every such export is full); for an engine URL, in the data directory
//! (`exports/<hash of the URL>.json`), with the generation also in the index's `_meta`, which
//! tells when the engine holds something else than that state says.

pub mod bulk;
pub mod mapping;
pub mod passages;
pub mod send;
pub mod state;
pub mod tokens;

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use self::mapping::Layout;
use self::passages::PassageReader;
use self::state::{FileRecord, Plan, State, STATE_FILE};
use crate::engine::client::{Address, Client};
use crate::error::{Error, Result};
use crate::store::filelist::FileList;
use crate::store::TracuuIndex;

/// The index definition's file name in an export folder.
pub const DEFINITION_FILE: &str = "index.json";
/// The `_bulk` body's file name in an export folder.
pub const BULK_FILE: &str = "bulk.ndjson";
/// The size of one `_bulk` request sent to an engine.
pub const BATCH_BYTES: usize = 5 << 20;

/// Where an export goes.
#[derive(Clone, Debug)]
pub enum Destination {
    /// A folder: `index.json`, `bulk.ndjson` and the state.
    Dir(PathBuf),
    /// The `_bulk` body on standard output; the definition and the state in this folder, if any.
    Stdout(Option<PathBuf>),
    /// An engine index.
    Url(Address),
}

/// How to export.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// Shards and replicas of a new index.
    pub layout: Layout,
    /// Send every passage, whatever was exported before.
    pub full: bool,
    /// The size of one `_bulk` request to an engine.
    pub batch_bytes: usize,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            layout: Layout::default(),
            full: false,
            batch_bytes: BATCH_BYTES,
        }
    }
}

/// What an export did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// `index` actions written (passages sent).
    pub indexed: u64,
    /// `delete` actions written.
    pub deleted: u64,
    /// Whether every passage was sent (no earlier export to build on, or `--full`).
    pub full: bool,
    /// Whether the engine index was created.
    pub created: bool,
    /// The generation of the index commit exported.
    pub generation: u64,
    /// After deletes sent to an engine: why it would not drop the deleted passages from its
    /// statistics (`_forcemerge?only_expunge_deletes=true`), if it would not.
    pub not_expunged: Option<String>,
}

/// Exports the index in `index_dir` to `to`; `progress(done, total)` is told the passages sent.
pub fn export(
    index_dir: &Path,
    to: &Destination,
    options: &ExportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportReport> {
    let idx = TracuuIndex::open(index_dir)?;
    match to {
        Destination::Dir(dir) => {
            create_dir(dir)?;
            let bulk = dir.join(BULK_FILE);
            let tmp = dir.join(format!("{BULK_FILE}.tmp"));
            let file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
            let mut sink = Sink::Write(Box::new(io::BufWriter::new(file)), tmp.clone());
            let report = to_folder(&idx, dir, &mut sink, options, progress)?;
            std::fs::rename(&tmp, &bulk).map_err(|e| Error::io(&bulk, e))?;
            Ok(report)
        }
        Destination::Stdout(state_dir) => {
            let out = Box::new(io::BufWriter::new(io::stdout().lock()));
            let mut sink = Sink::Write(out, PathBuf::from("standard output"));
            match state_dir {
                Some(dir) => {
                    create_dir(dir)?;
                    to_folder(&idx, dir, &mut sink, options, progress)
                }
                None => {
                    let list = idx.file_list()?;
                    let plan = state::plan(None, &idx.manifest, &list.files, true, "")?;
                    let (report, _) = write_actions(&idx, &list, None, &plan, &mut sink, progress)?;
                    sink.finish()?;
                    Ok(report)
                }
            }
        }
        Destination::Url(url) => to_engine(&idx, url, options, progress),
    }
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// An export whose definition and state live in `dir`: the actions to `sink`, then the
/// definition and the state (so that a run that fails leaves the last state in force).
fn to_folder(
    idx: &TracuuIndex,
    dir: &Path,
    sink: &mut Sink,
    options: &ExportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportReport> {
    let state_path = dir.join(STATE_FILE);
    let previous = State::load(&state_path)?;
    let list = idx.file_list()?;
    let place = dir.display().to_string();
    let plan = state::plan(
        previous.as_ref(),
        &idx.manifest,
        &list.files,
        options.full,
        &place,
    )?;
    let (report, new_state) = write_actions(idx, &list, previous.as_ref(), &plan, sink, progress)?;
    sink.finish()?;
    let definition = mapping::definition(&idx.manifest, options.layout);
    let path = dir.join(DEFINITION_FILE);
    let mut json = serde_json::to_vec_pretty(&definition).map_err(Error::Json)?;
    json.push(b'\n');
    std::fs::write(&path, json).map_err(|e| Error::io(&path, e))?;
    new_state.save(&state_path)?;
    Ok(report)
}

/// An export sent to the engine index `url`: created if missing, the actions in batches, a
/// refresh, and the commit exported recorded in its `_meta` and in the local state.
fn to_engine(
    idx: &TracuuIndex,
    url: &Address,
    options: &ExportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportReport> {
    let client = send::client(url);
    let state_path = engine_state_path(url)?;
    let exists = client.exists()?;
    let previous = if exists {
        engine_state(&client, &state_path, options.full)?
    } else {
        None
    };
    let list = idx.file_list()?;
    let plan = state::plan(
        previous.as_ref(),
        &idx.manifest,
        &list.files,
        options.full,
        &client.address().shown(),
    )?;
    if !exists {
        send::create(&client, &mapping::definition(&idx.manifest, options.layout))?;
    }
    let mut sink = Sink::Engine {
        client: &client,
        buf: Vec::new(),
        limit: options.batch_bytes.max(1),
    };
    let (mut report, new_state) =
        write_actions(idx, &list, previous.as_ref(), &plan, &mut sink, progress)?;
    sink.finish()?;
    if report.deleted > 0 {
        report.not_expunged = send::expunge_deletes(&client)?;
    }
    send::refresh(&client)?;
    send::set_meta(&client, &mapping::meta(&idx.manifest))?;
    if let Some(parent) = state_path.parent() {
        create_dir(parent)?;
    }
    new_state.save(&state_path)?;
    report.created = !exists;
    Ok(report)
}

/// Where the state of exports to `url` is kept: the data directory's `exports/`, by a hash of
/// the URL without credentials.
pub fn engine_state_path(url: &Address) -> Result<PathBuf> {
    let hash = xxhash_rust::xxh3::xxh3_64(url.shown().as_bytes());
    Ok(crate::corpus::registry::data_dir()?
        .join("exports")
        .join(format!("{hash:016x}.json")))
}

/// The state the existing engine index of `client` was last exported with: the local state if
/// the index's `_meta` says it holds that export; with `full`, whatever the local state says.
/// An index tracuu did not export, or one whose export this machine has no record of, is
/// refused without `full`.
fn engine_state(client: &Client, state_path: &Path, full: bool) -> Result<Option<State>> {
    let local = State::load(state_path)?;
    if full {
        return Ok(local);
    }
    let meta = send::meta(client)?;
    let tracuu = meta.as_ref().and_then(|m| m.get("tracuu"));
    let address = client.address().shown();
    let Some(tracuu) = tracuu else {
        return Err(Error::Usage(format!(
            "{address} exists and was not made by `tracuu export`; name a new index, or export with --full to add to it"
        )));
    };
    let held = (
        tracuu["generation"].as_u64(),
        tracuu["corpus"].as_str().map(PathBuf::from),
    );
    match local {
        Some(state) if held == (Some(state.generation), Some(state.corpus.clone())) => Ok(Some(state)),
        _ => Err(Error::Usage(format!(
            "{address} holds an export this machine has no record of ({}); export with --full to send every passage again",
            state_path.display()
        ))),
    }
}

/// Writes the actions of `plan` to `sink`: an `index` action for each passage of a file sent,
/// then a `delete` for each `_id` of a replaced file that was not written again. Returns the
/// report and the new state.
fn write_actions(
    idx: &TracuuIndex,
    list: &FileList,
    previous: Option<&State>,
    plan: &Plan,
    sink: &mut Sink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(ExportReport, State)> {
    let mut new = State::of(&idx.manifest);
    for (file, state) in &list.files {
        let record = match previous.and_then(|p| p.files.get(file)) {
            Some(kept) if plan.kept.contains(file) => kept.clone(),
            _ => FileRecord {
                hash: state.hash.clone(),
                ids: Vec::new(),
            },
        };
        new.files.insert(file.clone(), record);
    }
    let total: u64 = list
        .files
        .iter()
        .filter(|(f, _)| plan.sends(f))
        .map(|(_, s)| s.passages)
        .sum();
    let mut report = ExportReport {
        full: plan.send.is_none(),
        generation: idx.manifest.generation,
        ..ExportReport::default()
    };
    let mut reader = PassageReader::new(idx, &list.files)?;
    let wanted = |file: &str| plan.sends(file);
    reader.for_each(&wanted, &mut |id, file, doc| {
        sink.action(|out| bulk::write_index(out, id, doc))?;
        if let Some(record) = new.files.get_mut(file) {
            record.ids.push(id.to_string());
        }
        report.indexed += 1;
        progress(report.indexed, total);
        Ok(())
    })?;
    for file in &plan.replaced {
        let Some(before) = previous.and_then(|p| p.files.get(file)) else {
            continue;
        };
        let now: HashSet<&String> = new
            .files
            .get(file)
            .map_or_else(HashSet::new, |r| r.ids.iter().collect());
        for id in before.ids.iter().filter(|id| !now.contains(id)) {
            sink.action(|out| bulk::write_delete(out, id))?;
            report.deleted += 1;
        }
    }
    Ok((report, new))
}

/// Where actions go: a writer (a file or standard output, named for messages), or an engine in
/// batches of about `limit` bytes.
enum Sink<'c> {
    Write(Box<dyn Write + 'c>, PathBuf),
    Engine {
        client: &'c Client,
        buf: Vec<u8>,
        limit: usize,
    },
}

impl Sink<'_> {
    /// Writes one action with `write`.
    fn action(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        match self {
            Sink::Write(out, name) => write(out).map_err(|e| write_error(name, e)),
            Sink::Engine { client, buf, limit } => {
                write(buf).map_err(|e| Error::io("the bulk buffer", e))?;
                if buf.len() >= *limit {
                    send::bulk(client, buf)?;
                    buf.clear();
                }
                Ok(())
            }
        }
    }

    /// Flushes what is left.
    fn finish(&mut self) -> Result<()> {
        match self {
            Sink::Write(out, name) => out.flush().map_err(|e| write_error(name, e)),
            Sink::Engine { client, buf, .. } => {
                if !buf.is_empty() {
                    send::bulk(client, buf)?;
                    buf.clear();
                }
                Ok(())
            }
        }
    }
}

/// A failed write: to standard output (a closed pipe ends quietly), or to a file.
fn write_error(name: &Path, e: io::Error) -> Error {
    if name == Path::new("standard output") {
        Error::stdout(e)
    } else {
        Error::io(name, e)
    }
}
