//! From what was typed to what a command works on, decided once: the indexes a command means
//! ([`resolve_target`] for search, find, check and bench, [`show_index`] for show,
//! [`index_target`] for index), the options of an index run ([`index_options`]) and of a search,
//! and the query. The commands use these values and never rebuild them from the flags.

use std::ffi::OsString;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use super::args::{ColorChoice, ExportArgs, FindArgs, IndexArgs, SearchArgs, ShowArgs, TargetArgs};
use crate::corpus::registry::{self, Corpus};
use crate::error::{Error, Result};
use crate::indexer::IndexOptions;
use crate::output::Format;
use crate::search::SearchOptions;

/// Where `tracuu index` reads by default, and where a first search finds the bundled corpus.
pub const DEFAULT_CORPUS: &str = "seeds";
/// Where the index lives by default.
pub const DEFAULT_INDEX: &str = "index";

/// Which indexes a command reads.
#[derive(Debug)]
pub enum Target {
    /// The demo's `index/` (built from `seeds/` by a first search).
    Demo,
    /// One index folder, named with `--index`.
    Index(PathBuf),
    /// Indexed corpora, ranked as one.
    Corpora(Vec<Corpus>),
}

impl Target {
    /// The index folders, in order.
    pub fn index_dirs(self) -> Vec<PathBuf> {
        match self {
            Target::Demo => vec![PathBuf::from(DEFAULT_INDEX)],
            Target::Index(index) => vec![index],
            Target::Corpora(list) => list.into_iter().map(|c| c.index).collect(),
        }
    }

    /// The one index folder, or `None` when it names several corpora (or none).
    pub fn single(self) -> Option<PathBuf> {
        let mut dirs = self.index_dirs();
        (dirs.len() == 1).then(|| dirs.remove(0))
    }
}

/// `--index`, `--corpus`, `--all`; else the corpus the working folder is in; else the demo when
/// the working folder holds `index/` or `seeds/`; else every indexed corpus.
pub fn resolve_target(target: &TargetArgs) -> Result<Target> {
    let TargetArgs { index, corpus, all } = target;
    if let Some(index) = index {
        return Ok(Target::Index(index.clone()));
    }
    if !corpus.is_empty() {
        let chosen = corpus
            .iter()
            .map(|p| registry::require(p))
            .collect::<Result<Vec<_>>>()?;
        return Ok(Target::Corpora(chosen));
    }
    if !all {
        if let Some(here) = registry::containing(&working_folder()?)? {
            return Ok(Target::Corpora(vec![here]));
        }
        if crate::store::exists(Path::new(DEFAULT_INDEX)) || Path::new(DEFAULT_CORPUS).is_dir() {
            return Ok(Target::Demo);
        }
    }
    let every = registry::registered()?;
    if every.is_empty() {
        if *all {
            return Err(Error::NoCorpusIndexed);
        }
        return Err(Error::NothingIndexed(registry::data_dir()?.join("indexes")));
    }
    Ok(Target::Corpora(every))
}

/// The corpus and index folder `tracuu index` works on: the demo (`seeds/` into `index/`) when
/// neither is named; the corpus an existing `--index` records when only the index is named; else
/// the corpus into `--index` (which must not hold another corpus) or into its folder in the data
/// directory.
pub fn index_target(corpus: Option<&Path>, index: Option<&Path>) -> Result<(PathBuf, PathBuf)> {
    let recorded = index.and_then(crate::store::recorded_corpus);
    Ok(match (corpus, index) {
        (None, None) => (PathBuf::from(DEFAULT_CORPUS), PathBuf::from(DEFAULT_INDEX)),
        (None, Some(index)) => match recorded {
            Some(recorded) => (recorded, index.to_path_buf()),
            None if crate::store::meta_unreadable(index) => {
                return Err(Error::UnknownCorpus(index.to_path_buf()))
            }
            None => (PathBuf::from(DEFAULT_CORPUS), index.to_path_buf()),
        },
        (Some(corpus), Some(index)) => {
            let root = crate::corpus::walk::check_corpus(corpus)?;
            if let Some(holds) = recorded.filter(|r| *r != root) {
                return Err(Error::IndexOfAnotherCorpus {
                    index: index.to_path_buf(),
                    holds,
                    root,
                    corpus: corpus.to_path_buf(),
                });
            }
            (corpus.to_path_buf(), index.to_path_buf())
        }
        (Some(corpus), None) => {
            let root = crate::corpus::walk::check_corpus(corpus)?;
            (corpus.to_path_buf(), registry::index_dir_for(&root)?)
        }
    })
}

/// The options of `tracuu index`: those the index records when it already holds `corpus`, with
/// what the command line says in their place; the defaults for a new index.
pub fn index_options(args: &IndexArgs, corpus: &Path, index_dir: &Path) -> IndexOptions {
    let recorded = crate::store::recorded_manifest(index_dir)
        .filter(|m| registry::canonical(corpus) == m.corpus)
        .map(|m| IndexOptions::recorded(&m))
        .unwrap_or_default();
    let flag = |on: bool, off: bool, recorded: bool| match (on, off) {
        (true, _) => true,
        (_, true) => false,
        _ => recorded,
    };
    IndexOptions {
        rebuild: args.rebuild,
        memory: (args.memory as usize).saturating_mul(1_000_000),
        threads: args
            .threads
            .map_or(IndexOptions::default().threads, |n| n as usize),
        read: crate::store::CorpusOptions {
            hidden: flag(args.hidden, args.no_hidden, recorded.read.hidden),
            no_ignore: flag(args.no_ignore, args.ignore, recorded.read.no_ignore),
            encoding: match args.encoding.as_deref() {
                Some(name) if name.eq_ignore_ascii_case("auto") => None,
                Some(name) => Some(name.to_string()),
                None => recorded.read.encoding,
            },
        },
        max_extract: args.max_extract.map_or(recorded.max_extract, |mb| {
            (mb as usize).saturating_mul(1 << 20)
        }),
    }
}

/// The index `show` reads: `--index`, the index of `--corpus`; else, for a path to a file (a
/// hit's `path`), the index of the corpus holding the working folder if it holds the file too
/// (the corpus a search from here searched), else of the innermost corpus holding the file; else
/// the index of the corpus holding the working folder, else the demo's `index`.
pub fn show_index(args: &ShowArgs) -> Result<PathBuf> {
    if let Some(index) = &args.index {
        return Ok(index.clone());
    }
    if let Some(corpus) = &args.corpus {
        return Ok(registry::require(corpus)?.index);
    }
    let source = &args.source;
    let here = registry::containing(&working_folder()?)?;
    for candidate in crate::show::candidates(source) {
        if !candidate.is_file() {
            continue;
        }
        // By name: a symbolic link inside a corpus belongs to that corpus, wherever it points.
        let file = registry::absolute(candidate);
        if let Some(here) = &here {
            if file.starts_with(&here.path) || registry::canonical(&file).starts_with(&here.path) {
                return Ok(here.index.clone());
            }
        }
        if let Some(corpus) = file
            .parent()
            .map(registry::containing)
            .transpose()?
            .flatten()
        {
            return Ok(corpus.index);
        }
    }
    if let Some(here) = here {
        return Ok(here.index);
    }
    if !crate::store::exists(Path::new(DEFAULT_INDEX)) {
        return Err(Error::Usage(format!(
            "{} is not a file of an indexed corpus; give the path search printed, or name the index with --corpus PATH or --index DIR",
            source.display()
        )));
    }
    Ok(PathBuf::from(DEFAULT_INDEX))
}

/// The one index `tracuu export` reads.
pub fn export_index(args: &ExportArgs) -> Result<PathBuf> {
    resolve_target(&args.target)?.single().ok_or_else(|| {
        Error::Usage(
            "export reads one index; name it with --index DIR or --corpus PATH (see `tracuu list`)"
                .into(),
        )
    })
}

/// Where `tracuu export` writes: a URL (`http://` or `https://`), `-`, or a folder; `--state`
/// goes only with `-`.
pub fn export_destination(args: &ExportArgs) -> Result<crate::export::Destination> {
    use crate::engine::client::Address;
    use crate::export::Destination;
    let to = &args.opensearch;
    let text = to.to_str();
    if args.state.is_some() && text != Some("-") {
        return Err(Error::Usage(
            "--state goes with `--opensearch -` only (a folder or URL keeps its own state)".into(),
        ));
    }
    Ok(match text {
        Some("-") => Destination::Stdout(args.state.clone()),
        Some(url) if url.contains("://") => Destination::Url(Address::parse(url)?),
        _ => Destination::Dir(PathBuf::from(to)),
    })
}

/// How `tracuu export` lays out a new engine index, and whether it sends everything.
pub fn export_options(args: &ExportArgs) -> crate::export::ExportOptions {
    crate::export::ExportOptions {
        layout: crate::export::Layout {
            shards: args.shards,
            replicas: args.replicas,
        },
        full: args.full,
        ..Default::default()
    }
}

/// The options of a search, as `tracuu search` was told.
pub fn search_options(args: &SearchArgs) -> SearchOptions {
    SearchOptions {
        limit: args.limit as usize,
        offset: args.offset as usize,
        exact: args.exact,
        source: args.source.clone(),
        correct_typos: !args.no_correct,
        count: args.count,
        explain: args.explain,
        // A count and a list of files are of the passages that hold every word.
        partial: !(args.all_words || args.count || args.files),
        ..SearchOptions::default()
    }
}

/// How `tracuu search` prints hits: JSON Lines, or text for people (coloured as `--color` and
/// the terminal say).
pub fn hit_format(args: &SearchArgs) -> Format {
    if args.json {
        return Format::Json;
    }
    Format::Human {
        color: use_color(args.color),
        full: args.full,
        context: args.context as usize,
    }
}

/// How `tracuu find` starts.
pub fn find_options(args: &FindArgs) -> Result<crate::finder::FindOptions> {
    Ok(crate::finder::FindOptions {
        query: join_query(&args.query)?,
        exact: args.exact,
        print: args.print,
        json: args.json,
    })
}

/// The query typed as several arguments, joined with spaces.
pub fn join_query(parts: &[OsString]) -> Result<String> {
    let mut words = Vec::with_capacity(parts.len());
    for part in parts {
        words.push(part.to_str().ok_or_else(|| {
            Error::Usage(
                "the query is not valid UTF-8; type it in a UTF-8 terminal or convert it first"
                    .into(),
            )
        })?);
    }
    Ok(words.join(" "))
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// The working folder, which says which corpus a command means when none is named.
fn working_folder() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| Error::io("the working folder", e))
}
