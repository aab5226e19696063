//! The clap types: what can be typed, with its help text. Nothing here acts on it:
//! [`super::resolve`] turns it into what a command uses.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

const SEARCH_HELP: &str = "\
Query syntax:
  Cam Ranh                 all words must appear (AND is the default)
  \"pivot to the East\"      exact phrase
  \"Cam Ranh\" -Guam         exclude a word or -\"a phrase\" (NOT works too)
  Kosygin OR Shevardnadze  either; OR binds looser than AND
  (Kosygin OR Lavrov) Hanoi
  Varshav*                 prefix, also on a single word
  Shevardnaze~  Lavrof~1   typo tolerance: edit distance 1 (2 for words of 9+ letters), or as given
  source:004* Putin        only files whose path matches the glob (no wildcard: contains)

Every word is folded like the text: Tran Duc Luong finds Trần Đức Lương, Путин finds Putin, đ is d.
A query with diacritics ranks passages with that exact spelling first; --exact finds only them.
When nothing matches, words of 5+ letters are retried with typo tolerance (see stderr).

Exit status: 0 if something was found, 1 if nothing, 2 on error.

Examples:
  tracuu search Tran Duc Luong
  tracuu search '\"Cam Ranh\" -Guam' --limit 3
  tracuu search --exact 'Lê Duẩn' --json
  tracuu search Kosigin --files";

const FIND_HELP: &str = "\
Keys:
  type                 results update on every key; the last word matches as a prefix
  Up/Down Ctrl-P/N     move the selection; PgUp/PgDn page
  Enter                open the hit in $VISUAL/$EDITOR at its line (with --print: print it, exit)
  Ctrl-Y               copy path:line:column (through the terminal, OSC 52)
  Tab                  toggle --exact
  Esc Ctrl-C           quit (with --print: exit 1)

The whole query language of `tracuu search` works (see `tracuu search --help`).

Examples:
  tracuu find
  tracuu find Tran Duc
  hit=$(tracuu find --print) && echo \"$hit\"";

const EXPORT_HELP: &str = "\
The first export sends every passage; the next ones, only those of files changed or added since,
and deletes those of files changed or removed (the state is kept in DIR, in --state DIR, or for a
URL in the data directory and the index's _meta).

Exit status: 0 when exported, 2 on error.

Examples:
  tracuu export --opensearch out/      # out/index.json, out/bulk.ndjson
  curl -XPUT -H 'Content-Type: application/json' localhost:9200/docs --data-binary @out/index.json
  curl -XPOST -H 'Content-Type: application/x-ndjson' localhost:9200/docs/_bulk --data-binary @out/bulk.ndjson
  tracuu index ~/docs && tracuu export --corpus ~/docs --opensearch http://localhost:9200/docs";

/// tracuu (\"tra cứu\", look up): full-text search for the terminal, right on every spelling.
#[derive(Debug, Parser)]
#[command(name = "tracuu", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index of a folder of text files (kept in the data directory).
    Index(IndexArgs),
    /// Search the index and print ranked passages.
    #[command(after_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// Search as you type, full screen; `tracuu` alone on a terminal opens it too.
    #[command(after_help = FIND_HELP)]
    Find(FindArgs),
    /// Measure query latency in-process: percentiles, QPS, index open time.
    Bench(BenchArgs),
    /// Print a span of an indexed file, read the way it was indexed (a hit's source, start, end).
    Show(ShowArgs),
    /// Verify an index: checksums of its files, the list of files against the segments.
    Check(CheckArgs),
    /// List the indexed corpora: files, passages, size, last update, fresh or stale.
    List(ListArgs),
    /// Forget a corpus: delete its index (never the corpus itself).
    Forget(ForgetArgs),
    /// Hand an index to OpenSearch or Elasticsearch with tracuu's analysis: an index definition
    /// and `_bulk` actions, to a folder, standard output or the engine itself.
    #[command(after_help = EXPORT_HELP)]
    Export(ExportArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page: hidden, so [`command_line`] adds it (see there).
    #[command(skip)]
    Man(ManArgs),
}

/// Options of `tracuu index`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The folder of text files to index (read recursively). Without it: `seeds/` into
    /// `index/`, the bundled demo.
    #[arg(value_name = "CORPUS")]
    pub corpus: Option<PathBuf>,
    /// Where to put the index [default: one per corpus in the data directory, $TRACUU_HOME or
    /// $XDG_DATA_HOME/tracuu or ~/.local/share/tracuu; `index` for the demo].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Stay running and keep the index fresh as files change, one commit per quiet period;
    /// Ctrl-C stops it.
    #[arg(long)]
    pub watch: bool,
    /// With --watch: the quiet period that ends a batch of changes, in milliseconds.
    #[arg(long, default_value_t = 500, value_name = "MS", requires = "watch", value_parser = clap::value_parser!(u64).range(10..=600_000))]
    pub delay: u64,
    /// Drop what the index holds and index everything again.
    #[arg(long)]
    pub rebuild: bool,
    /// Memory for the indexing threads, in MB (at least 15 per thread).
    #[arg(long, default_value_t = 256, value_name = "MB", value_parser = clap::value_parser!(u64).range(15..=65536))]
    pub memory: u64,
    /// Indexing threads (default: the number of cores, at most 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub threads: Option<u64>,
    /// Also index hidden files and folders. The index remembers this and the options below:
    /// later runs, refreshes and watchers read the corpus the same way unless told otherwise.
    #[arg(long, overrides_with = "no_hidden")]
    pub hidden: bool,
    /// Leave hidden files and folders out again (the default).
    #[arg(long, overrides_with = "hidden")]
    pub no_hidden: bool,
    /// Also index files that .gitignore or .ignore files exclude.
    #[arg(long, overrides_with = "ignore")]
    pub no_ignore: bool,
    /// Leave files that ignore files exclude out again (the default).
    #[arg(long, overrides_with = "no_ignore")]
    pub ignore: bool,
    /// Read every file that is not UTF-8 (and has no byte order mark) in this encoding instead
    /// of detecting it: windows-1252 (latin1), windows-1258, viscii, tcvn3, vni, utf-16le,
    /// utf-16be, or another single-byte encoding's WHATWG label; `auto` detects it again (the
    /// default).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// The most text one PDF, DOCX, ODT, EPUB or compressed file may yield, in MB; a file
    /// past it (a zip or decompression bomb) is skipped with a warning [default: 256].
    #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=1_048_576))]
    pub max_extract: Option<u64>,
    /// Print only warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Print the manual page (roff), rendered from the same definitions as --help: `tracuu man |
/// man -l -` reads it.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The page of this command (`tracuu-search(1)`) instead of `tracuu(1)`.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// Options of `tracuu list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print JSON Lines: one object per corpus (schema in docs/json.md).
    #[arg(long)]
    pub json: bool,
}

/// Options of `tracuu forget`.
#[derive(Debug, clap::Args)]
pub struct ForgetArgs {
    /// The corpus folder, as given to `tracuu index` (it may no longer exist).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
}

/// Options of `tracuu show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The file: a hit's `source` (relative to the corpus root), or its `path` as search printed
    /// it (the location search printed after it — `:LINE:COLUMN:`, `:page N:`, `:paragraph N:`,
    /// `:chapter PATH:` — is ignored).
    pub source: PathBuf,
    /// Start offset, as a hit's `start` (bytes of the file, or of the extracted text when the
    /// hit says `"offsets": "extracted"`).
    pub start: usize,
    /// End offset, as a hit's `end`.
    pub end: usize,
    /// The index [default: the index of the corpus that holds SOURCE's file or the working
    /// folder, else `index`].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// The index of this indexed corpus instead (see `tracuu list`).
    #[arg(long, value_name = "PATH", conflicts_with = "index")]
    pub corpus: Option<PathBuf>,
    /// Also print this many characters before and after the span.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub context: usize,
}

/// The indexes a command reads: named with `--index`, `--corpus` or `--all`, else the one the
/// current folder means. Resolved once, by
/// [`super::resolve::resolve_target`], for every command.
#[derive(Debug, Default, clap::Args)]
pub struct TargetArgs {
    /// The index folder [default: the index of the corpus the current folder is in; else
    /// `index` (built from `seeds/`) when the current folder holds either; else every indexed
    /// corpus].
    #[arg(long, value_name = "DIR", conflicts_with_all = ["corpus", "all"])]
    pub index: Option<PathBuf>,
    /// The index of this indexed corpus (repeat for several; see `tracuu list`).
    #[arg(long, value_name = "PATH", conflicts_with = "all")]
    pub corpus: Vec<PathBuf>,
    /// Every indexed corpus (see `tracuu list`).
    #[arg(long)]
    pub all: bool,
}

/// Options of `tracuu export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Where to: a folder (index.json, bulk.ndjson and the export state), `-` (the `_bulk`
    /// body on standard output), or an engine index URL, http(s)://[USER:PASSWORD@]HOST:PORT/INDEX
    /// (credentials also from TRACUU_ENGINE_USER and TRACUU_ENGINE_PASSWORD, or an API key from
    /// TRACUU_ENGINE_API_KEY).
    #[arg(long, required = true, value_name = "DIR|-|URL")]
    pub opensearch: OsString,
    /// Which index to export (one).
    #[command(flatten)]
    pub target: TargetArgs,
    /// `number_of_shards` of the engine index.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub shards: u32,
    /// `number_of_replicas` of the engine index.
    #[arg(long, default_value_t = 0, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=64))]
    pub replicas: u32,
    /// Send every passage, whatever was exported before (into a new index when the analysis
    /// version changed).
    #[arg(long)]
    pub full: bool,
    /// With `--opensearch -`: keep the index definition and the export state in this folder, so
    /// that the next export is incremental (without it, every export to `-` is full).
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Print only warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `tracuu check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Which indexes to verify.
    #[command(flatten)]
    pub target: TargetArgs,
}

/// Options of `tracuu bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Which index to benchmark (one).
    #[command(flatten)]
    pub target: TargetArgs,
    /// Queries, one per line (or KIND<TAB>QUERY); default: a built-in set for the seeds.
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// Timed runs of each query.
    #[arg(long, default_value_t = 200, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub iterations: u64,
    /// Untimed runs of each query first.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub warmup: u64,
    /// Hits fetched and highlighted per search.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub limit: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Measure an OpenSearch/Elasticsearch index instead (http(s)://host:port/INDEX, as `tracuu
    /// export` filled it): each query end to end, over HTTP.
    #[arg(long, value_name = "URL", conflicts_with_all = ["index", "corpus", "all"])]
    pub engine: Option<String>,
}

/// Options of `tracuu find`.
#[derive(Debug, clap::Args)]
pub struct FindArgs {
    /// The query to start with (edit it on screen).
    #[arg(value_name = "QUERY")]
    pub query: Vec<OsString>,
    /// Which indexes to search.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Enter prints the selected hit as path:line:column to stdout and exits (1 if nothing was
    /// selected), like fzf.
    #[arg(long)]
    pub print: bool,
    /// With --print: print the hit as one JSON object (the schema of `search --json`).
    #[arg(long, requires = "print")]
    pub json: bool,
    /// Start accent-sensitive (Tab toggles it).
    #[arg(long)]
    pub exact: bool,
    /// Search an OpenSearch/Elasticsearch index instead (http(s)://host:port/INDEX, as `tracuu
    /// export` filled it); hits open from the corpus the index was exported from.
    #[arg(long, value_name = "URL", conflicts_with_all = ["index", "corpus", "all"])]
    pub engine: Option<String>,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Options of `tracuu search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query; several arguments are joined with spaces.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<OsString>,
    /// Which indexes to search.
    #[command(flatten)]
    pub target: TargetArgs,
    /// How many hits to print.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub limit: u64,
    /// How many hits to skip first (for paging).
    #[arg(
        long,
        default_value_t = 0,
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub offset: u64,
    /// Print JSON Lines: one object per hit (schema in docs/json.md).
    #[arg(long)]
    pub json: bool,
    /// Accent-sensitive: "mà" finds only "mà", never "ma" or "má".
    #[arg(long)]
    pub exact: bool,
    /// Print only the number of matching passages.
    #[arg(long, short = 'c', conflicts_with = "files")]
    pub count: bool,
    /// Print only the paths of matching files, one per line.
    #[arg(long, short = 'l')]
    pub files: bool,
    /// Snippet size in characters.
    #[arg(long, default_value_t = 240, value_name = "CHARS", value_parser = clap::value_parser!(u64).range(20..=100_000))]
    pub context: u64,
    /// Print whole passages instead of snippets.
    #[arg(long)]
    pub full: bool,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Only files whose path (relative to the corpus) matches this glob; without a wildcard,
    /// contains this text.
    #[arg(long, value_name = "GLOB")]
    pub source: Option<String>,
    /// Do not retry unmatched words as Telex/VNI keys or with typo tolerance.
    #[arg(long)]
    pub no_correct: bool,
    /// Only passages that hold every word: when none does, print nothing, instead of the
    /// passages that hold the most of the words of a query of three or more (which exit 1 too).
    #[arg(long)]
    pub all_words: bool,
    /// Update the index first if the corpus changed since it was indexed.
    #[arg(long)]
    pub refresh: bool,
    /// Show where each score came from: BM25, proximity and the exact-spelling tier.
    #[arg(long)]
    pub explain: bool,
    /// Search this OpenSearch/Elasticsearch index instead of a local one: http(s)://host:port/INDEX,
    /// as `tracuu export` filled it. Basic auth from the address or TRACUU_ENGINE_USER and
    /// TRACUU_ENGINE_PASSWORD; an API key from TRACUU_ENGINE_API_KEY. No typo retry there.
    #[arg(long, value_name = "URL", conflicts_with_all = ["index", "corpus", "all", "refresh", "files"])]
    pub engine: Option<String>,
}

/// The command line clap parses: [`Cli`] and the hidden `man`. Hidden means added here rather
/// than declared in [`Command`]: `--help`, the completion scripts and the man page, all made from
/// [`Cli`], do not list it.
pub fn command_line() -> clap::Command {
    let man = ManArgs::augment_args(clap::Command::new("man")).hide(true);
    Cli::command().subcommand(man)
}

/// The [`Cli`] that `matches` of [`command_line`] hold.
pub fn cli_from(matches: &clap::ArgMatches) -> Result<Cli, clap::Error> {
    match matches.subcommand() {
        Some(("man", man)) => Ok(Cli {
            command: Command::Man(ManArgs::from_arg_matches(man)?),
        }),
        _ => Cli::from_arg_matches(matches),
    }
}

/// The names of the commands a user sees, in order: not `help`, nor hidden ones (`man`).
pub fn visible_commands(cli: &clap::Command) -> impl Iterator<Item = &str> {
    cli.get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .map(|s| s.get_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
        command_line().debug_assert();
    }
}
