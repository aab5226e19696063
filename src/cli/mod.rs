//! The command line: clap types for what was typed, and dispatch to the library. No search or
//! indexing logic lives here.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result};
use crate::indexer::{self, IndexOptions, IndexReport};
use crate::output::{self, Format};
use crate::search::{Engine, SearchOptions};

/// Where `tracuu index` reads by default, and where a first search finds the bundled corpus.
pub const DEFAULT_CORPUS: &str = "seeds";
/// Where the index lives by default.
pub const DEFAULT_INDEX: &str = "index";

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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
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

/// Options of `tracuu list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print JSON Lines: one object per corpus (schema in the README).
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
    /// it (`:LINE:COLUMN:` after it is ignored).
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
/// current folder means. Resolved once, by [`resolve_target`], for every command.
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
    /// Print JSON Lines: one object per hit (schema in the README).
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
    /// Do not retry unmatched words with typo tolerance.
    #[arg(long)]
    pub no_correct: bool,
    /// Update the index first if the corpus changed since it was indexed.
    #[arg(long)]
    pub refresh: bool,
    /// Show where each score came from: BM25, proximity and the exact-spelling tier.
    #[arg(long)]
    pub explain: bool,
}

/// What a command line asks for, once parsed.
#[derive(Debug)]
pub enum Parsed {
    /// Run this command.
    Run(Cli),
    /// Print this help or version text (clap has formatted it; `print` sends it to stdout), and
    /// succeed.
    Print(clap::Error),
}

/// Parses a command line (the binary name first). A usage error becomes one line of
/// [`Error::Usage`] that names the `--help` to read; `--help` and `--version` become
/// [`Parsed::Print`].
pub fn parse<I, T>(args: I) -> Result<Parsed>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
    parse_args(args, interactive)
}

/// [`parse`], told whether stdin and stdout are a terminal: then `tracuu` alone is `tracuu
/// find`; elsewhere it stays a usage error (a script that forgot its command must not hang).
fn parse_args(mut args: Vec<OsString>, interactive: bool) -> Result<Parsed> {
    if args.len() == 1 && interactive {
        args.push("find".into());
    }
    let mut cmd = Cli::command();
    cmd.build();
    let at = subcommand_at(&cmd, &args);
    let subcommand = at
        .and_then(|i| args[i].to_str())
        .and_then(|name| cmd.find_subcommand(name))
        .map(|sub| sub.get_name().to_string());
    // Only an argument like `-Guam` after `search` can need rewriting.
    let search = at
        .filter(|_| subcommand.as_deref() == Some("search"))
        .zip(cmd.find_subcommand("search"));
    let args = match search {
        Some((at, search)) => rewrite_exclusions(search, args, at + 1),
        None => args,
    };
    // The command built above parses too: building clap's command tree again (as
    // `Cli::try_parse_from` would) is a tenth of a search on the seeds.
    let parsed = cmd
        .try_get_matches_from_mut(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    match parsed {
        Ok(cli) => Ok(Parsed::Run(cli)),
        Err(e) => match e.kind() {
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                Ok(Parsed::Print(e))
            }
            _ => Err(Error::Usage(usage_message(&e, &cmd, subcommand.as_deref()))),
        },
    }
}

/// clap's error as one line: its first paragraph without the `error: ` prefix, its tips, and the
/// `--help` that explains the command typed.
fn usage_message(e: &clap::Error, cmd: &clap::Command, subcommand: Option<&str>) -> String {
    let help = match subcommand {
        Some(name) => format!("see `tracuu {name} --help`"),
        None => "see `tracuu --help`".to_string(),
    };
    if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        && subcommand.is_none()
    {
        let names: Vec<&str> = cmd
            .get_subcommands()
            .map(|s| s.get_name())
            .filter(|&n| n != "help")
            .collect();
        return format!("no command given; use one of {}; {help}", names.join(", "));
    }
    let text = e.render().to_string();
    let mut paragraphs = text.split("\n\n");
    let first = paragraphs.next().unwrap_or_default();
    let mut message = first
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(rest) = message.strip_prefix("error: ") {
        message = rest.to_string();
    }
    let tips: Vec<&str> = paragraphs
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|l| l.starts_with("tip: "))
        .collect();
    if !tips.is_empty() {
        message = format!("{message} ({})", tips.join("; "));
    }
    format!("{message}; {help}")
}

/// Whether an argument takes a value (`--limit N`), as opposed to a switch (`--json`).
fn takes_value(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values()
}

/// How an argument `-xyz` reads against a command's short flags.
#[derive(Debug, PartialEq, Eq)]
enum Short {
    /// Short flags, perhaps ending in one with its value attached (`-cl`, `-n5`); `value_follows`
    /// when the last one takes a value from the next argument (`-n 5`).
    Flags { value_follows: bool },
    /// Not flags of this command (`-Guam`, `-nuclear`).
    Other,
}

/// Reads `-` + `rest` as `cmd` would: a cluster of its short flags, where a flag that takes a
/// value ends the cluster and the text after it must be a value that flag accepts (`-n5`, but
/// not `-nato`).
fn read_short(cmd: &clap::Command, rest: &str) -> Short {
    for (i, c) in rest.char_indices() {
        let Some(arg) = cmd.get_arguments().find(|a| a.get_short() == Some(c)) else {
            return Short::Other;
        };
        if takes_value(arg) {
            let attached = &rest[i + c.len_utf8()..];
            if attached.is_empty() {
                return Short::Flags {
                    value_follows: true,
                };
            }
            let value = attached.strip_prefix('=').unwrap_or(attached);
            return if accepts(arg, value) {
                Short::Flags {
                    value_follows: false,
                }
            } else {
                Short::Other
            };
        }
    }
    Short::Flags {
        value_follows: false,
    }
}

/// Whether `value` has the shape of a value of `arg`: one of its possible values, a number for a
/// numeric flag (in range or not: clap reports a number out of range), anything for text.
fn accepts(arg: &clap::Arg, value: &str) -> bool {
    use std::any::TypeId;
    let possible = arg.get_possible_values();
    if !possible.is_empty() {
        return possible
            .iter()
            .any(|p| p.matches(value, arg.is_ignore_case_set()));
    }
    let parser = arg.get_value_parser();
    let integer = [
        TypeId::of::<u8>(),
        TypeId::of::<u16>(),
        TypeId::of::<u32>(),
        TypeId::of::<u64>(),
        TypeId::of::<usize>(),
        TypeId::of::<i8>(),
        TypeId::of::<i16>(),
        TypeId::of::<i32>(),
        TypeId::of::<i64>(),
        TypeId::of::<isize>(),
    ];
    if integer.iter().any(|&t| parser.type_id() == t) {
        return value.parse::<i128>().is_ok();
    }
    if parser.type_id() == TypeId::of::<f64>() || parser.type_id() == TypeId::of::<f32>() {
        return value.parse::<f64>().is_ok();
    }
    true
}

/// Where the subcommand is in `args` (the binary name first): the first argument that is neither
/// an option of `cmd` itself nor the value of one. `tracuu index search` has its subcommand at 1,
/// whatever the corpus is called.
fn subcommand_at(cmd: &clap::Command, args: &[OsString]) -> Option<usize> {
    let mut i = 1;
    while i < args.len() {
        let Some(text) = args[i].to_str() else {
            return Some(i);
        };
        if text == "--" {
            return None;
        }
        if let Some(name) = text.strip_prefix("--") {
            let valued = cmd
                .get_arguments()
                .any(|a| a.get_long() == Some(name) && takes_value(a));
            if valued {
                i += 1;
            }
        } else if let Some(rest) = text.strip_prefix('-').filter(|r| !r.is_empty()) {
            if matches!(
                read_short(cmd, rest),
                Short::Flags {
                    value_follows: true
                }
            ) {
                i += 1;
            }
        } else {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Lets `tracuu search Cam Ranh -Guam` mean what it says: from `args[from]` on (the arguments of
/// `search`), one that starts with `-` but is not a flag of `search` is an exclusion, passed on
/// as `NOT Guam`. A cluster is flags only when every letter is a flag and a value attached to
/// the last fits it: `-cl` and `-n5` are flags, `-nuclear` and `-lavrov` exclusions. Values of
/// flags (`-n 5`, `--source -x`) and arguments after `--` are left alone.
fn rewrite_exclusions(search: &clap::Command, args: Vec<OsString>, from: usize) -> Vec<OsString> {
    let long = |name: &str| search.get_arguments().find(|a| a.get_long() == Some(name));
    let mut out = Vec::with_capacity(args.len() + 2);
    let mut iter = args.into_iter();
    out.extend(iter.by_ref().take(from));
    let mut value_follows = false;
    while let Some(arg) = iter.next() {
        if std::mem::take(&mut value_follows) {
            out.push(arg);
            continue;
        }
        let Some(text) = arg.to_str() else {
            out.push(arg);
            continue;
        };
        if text == "--" {
            out.push(arg);
            out.extend(iter.by_ref());
            break;
        }
        if let Some(name) = text.strip_prefix("--") {
            value_follows = !name.contains('=') && long(name).is_some_and(takes_value);
            out.push(arg);
            continue;
        }
        let Some(rest) = text.strip_prefix('-').filter(|r| !r.is_empty()) else {
            out.push(arg);
            continue;
        };
        match read_short(search, rest) {
            Short::Flags { value_follows: v } => {
                value_follows = v;
                out.push(arg);
            }
            Short::Other => {
                let word = OsString::from(rest);
                out.push(OsString::from("NOT"));
                out.push(word);
            }
        }
    }
    out
}

/// Runs a parsed command line; the exit code on success.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index(args) => index(args),
        Command::Search(args) => search(args),
        Command::Find(args) => find(args),
        Command::Bench(args) => bench(args),
        Command::Check(args) => check(&args.target),
        Command::Show(args) => show(args),
        Command::List(args) => list(args),
        Command::Forget(args) => forget(args),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "tracuu", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn index(args: IndexArgs) -> Result<ExitCode> {
    let (corpus, index_dir) = index_target(args.corpus.as_deref(), args.index.as_deref())?;
    let options = index_options(&args, &corpus, &index_dir);
    if args.watch {
        return watch(&corpus, &index_dir, &options, args.delay, args.quiet);
    }
    crate::corpus::registry::check_not_watched(&index_dir)?;
    let mut observer = Progress::new(args.quiet);
    let report = indexer::build(&corpus, &index_dir, &options, &mut observer)?;
    observer.finish();
    if !args.quiet {
        eprintln!("{}", summary(&report, &corpus, &index_dir));
    }
    Ok(ExitCode::SUCCESS)
}

/// The options of `tracuu index`: those the index records when it already holds `corpus`, with
/// what the command line says in their place; the defaults for a new index.
fn index_options(args: &IndexArgs, corpus: &Path, index_dir: &Path) -> IndexOptions {
    let recorded = crate::store::recorded_manifest(index_dir)
        .filter(|m| crate::corpus::registry::canonical(corpus) == m.corpus)
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

/// The corpus and index folder `tracuu index` works on: the demo (`seeds/` into `index/`) when
/// neither is named; the corpus an existing `--index` records when only the index is named; else
/// the corpus into `--index` (which must not hold another corpus) or into its folder in the data
/// directory.
fn index_target(corpus: Option<&Path>, index: Option<&Path>) -> Result<(PathBuf, PathBuf)> {
    let recorded = index.and_then(crate::store::recorded_corpus);
    Ok(match (corpus, index) {
        (None, None) => (PathBuf::from(DEFAULT_CORPUS), PathBuf::from(DEFAULT_INDEX)),
        (None, Some(index)) => match recorded {
            Some(recorded) => (recorded, index.to_path_buf()),
            None if crate::store::meta_unreadable(index) => {
                return Err(Error::Usage(format!(
                    "the index at {} does not say which corpus it holds (its meta.json cannot be read); name the folder it indexed: `tracuu index CORPUS --rebuild --index {}`",
                    index.display(),
                    crate::error::shell_word(index)
                )))
            }
            None => (PathBuf::from(DEFAULT_CORPUS), index.to_path_buf()),
        },
        (Some(corpus), Some(index)) => {
            let root = crate::corpus::walk::check_corpus(corpus)?;
            if let Some(recorded) = recorded.filter(|r| *r != root) {
                return Err(Error::Usage(format!(
                    "the index at {} holds {}, not {}; index {} into another folder (or without --index), or delete {} first",
                    index.display(),
                    recorded.display(),
                    root.display(),
                    corpus.display(),
                    index.display()
                )));
            }
            (corpus.to_path_buf(), index.to_path_buf())
        }
        (Some(corpus), None) => {
            let root = crate::corpus::walk::check_corpus(corpus)?;
            (corpus.to_path_buf(), crate::corpus::registry::index_dir_for(&root)?)
        }
    })
}

/// `tracuu index --watch`: indexes, then applies changes as they come until Ctrl-C.
fn watch(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    delay_ms: u64,
    quiet: bool,
) -> Result<ExitCode> {
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // The first Ctrl-C asks for a clean stop (after the commit in progress); a second one
        // ends the process at once (the index keeps its last commit).
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)))
            .map_err(|e| Error::io("signal handler", e))?;
    }
    let settings = crate::indexer::watch::WatchOptions {
        quiet: std::time::Duration::from_millis(delay_ms),
        ..Default::default()
    };
    let mut first = true;
    let mut on_update = |report: &IndexReport| {
        if quiet {
            return;
        }
        if first {
            eprintln!("{}", summary(report, corpus, index_dir));
            eprintln!(
                "tracuu: watching {} for changes; Ctrl-C stops",
                corpus.display()
            );
            first = false;
        } else if report.added + report.updated + report.removed > 0 {
            eprintln!(
                "tracuu: updated: {} added, {} updated, {} removed; {} files, {} passages ({:.2} s)",
                report.added,
                report.updated,
                report.removed,
                report.files,
                report.passages,
                report.elapsed.as_secs_f64()
            );
        }
    };
    crate::indexer::watch::watch(
        corpus,
        index_dir,
        options,
        &settings,
        &stop,
        &mut Progress::warnings(quiet),
        &mut on_update,
    )?;
    if !quiet {
        eprintln!("tracuu: stopped watching; the index is committed");
    }
    Ok(ExitCode::SUCCESS)
}

fn list(args: ListArgs) -> Result<ExitCode> {
    let all = crate::corpus::registry::status(true)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        for status in &all {
            let line = serde_json::to_string(status).map_err(|e| Error::Usage(e.to_string()))?;
            guard(writeln!(out, "{line}"))?;
        }
    } else if all.is_empty() {
        let home = crate::corpus::registry::data_dir()?;
        guard(writeln!(
            out,
            "no corpus indexed in {}; index one with `tracuu index DIR`",
            home.display()
        ))?;
    } else {
        guard(output::write_corpora(&mut out, &all))?;
    }
    guard(out.flush())?;
    Ok(ExitCode::SUCCESS)
}

fn forget(args: ForgetArgs) -> Result<ExitCode> {
    let corpus = crate::corpus::registry::forget(&args.path)?;
    eprintln!(
        "tracuu: forgot {} (deleted its index {})",
        corpus.path.display(),
        corpus.index.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `tracuu check`: verifies each index the target names; fails with the first damage found.
fn check(target: &TargetArgs) -> Result<ExitCode> {
    let dirs = match resolve_target(target)? {
        Target::Index(index) => vec![index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))],
        Target::Corpora(list) => list.into_iter().map(|c| c.index).collect(),
    };
    let mut first = None;
    for dir in &dirs {
        match (
            crate::store::contain(dir, || crate::store::check::command(dir)),
            &first,
        ) {
            (Err(e), None) => first = Some(e),
            // The first damage is the error; the others are told as they are found.
            (Err(e), Some(_)) => warn(&e.to_string()),
            (Ok(_), _) => {}
        }
    }
    match first {
        Some(e) => Err(e),
        None => Ok(ExitCode::SUCCESS),
    }
}

fn show(args: ShowArgs) -> Result<ExitCode> {
    let request = crate::show::ShowRequest {
        source: &args.source,
        start: args.start,
        end: args.end,
        context: args.context,
    };
    let index = match (&args.index, args.corpus.as_deref()) {
        (Some(index), _) => index.clone(),
        (None, Some(corpus)) => crate::corpus::registry::require(corpus)?.index,
        (None, None) => show_index(&args.source)?,
    };
    let span = crate::show::show(&index, &request)?;
    let mut out = io::stdout().lock();
    // Exactly the span in a pipe (so it compares equal to a hit's text); a line on a terminal.
    let newline: &[u8] = if out.is_terminal() { b"\n" } else { b"" };
    guard(out.write_all(&span).and_then(|()| out.write_all(newline)))?;
    Ok(ExitCode::SUCCESS)
}

/// The index `show` reads when none is named. For a path to a file (a hit's `path`): the
/// index of the corpus holding the working folder if it holds the file too (the corpus a search
/// from here searched), else of the innermost corpus holding the file. Else the index of the
/// corpus holding the working folder, else the demo's `index`.
fn show_index(source: &Path) -> Result<PathBuf> {
    use crate::corpus::registry;
    let cwd = std::env::current_dir().map_err(|e| Error::io("the working folder", e))?;
    let here = registry::containing(&cwd)?;
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

fn summary(r: &IndexReport, corpus: &Path, index: &Path) -> String {
    // Files skipped again unread, and images, sound, video and archives, get no warning of
    // their own: the summary says how many.
    let mut why = Vec::new();
    match r.not_text {
        0 => {}
        1 => why.push("1 image, sound, video or archive".to_string()),
        n => why.push(format!("{n} images, sounds, videos or archives")),
    }
    let (n, again) = (r.skipped.len(), r.skipped_again);
    if again > 0 && again < n {
        why.push(format!("{again} as before"));
    }
    let skipped = match n {
        0 => String::new(),
        n if again == n => format!(", {n} skipped as before"),
        n if why.is_empty() => format!(", {n} skipped"),
        n => format!(", {n} skipped ({})", why.join("; ")),
    };
    format!(
        "tracuu: indexed {} in {}: {} files, {} passages ({} added, {} updated, {} removed, {} unchanged{skipped}) in {:.2} s",
        corpus.display(),
        index.display(),
        r.files,
        r.passages,
        r.added,
        r.updated,
        r.removed,
        r.unchanged,
        r.elapsed.as_secs_f64()
    )
}

fn warn(message: &str) {
    eprintln!("tracuu: warning: {message}");
}

/// Prints warnings, and a progress bar on a terminal once indexing takes more than a moment.
struct Progress {
    /// A bar may be shown.
    enabled: bool,
    /// `--quiet`: no bar, and no warning about a binary file (nothing makes it readable).
    quiet: bool,
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(quiet: bool) -> Self {
        Progress {
            enabled: !quiet && io::stderr().is_terminal(),
            quiet,
            started: std::time::Instant::now(),
            bar: None,
        }
    }

    /// Warnings only, never a bar (a watcher's).
    fn warnings(quiet: bool) -> Self {
        Progress {
            enabled: false,
            ..Progress::new(quiet)
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl indexer::Observer for Progress {
    fn warning(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| warn(message)),
            None => warn(message),
        }
    }

    fn skipped(&mut self, path: &Path, reason: &crate::extract::Skip) {
        if !(self.quiet && *reason == crate::extract::Skip::Binary) {
            self.warning(&format!("skipped {}: {reason}", path.display()));
        }
    }

    fn progress(&mut self, done: u64, total: u64) {
        if !self.enabled || self.started.elapsed() < std::time::Duration::from_millis(500) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new(total);
            let style = indicatif::ProgressStyle::with_template(
                "tracuu: indexing [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        bar.set_length(total);
        bar.set_position(done);
    }
}

/// Which indexes a search reads.
enum Target {
    /// One index folder: `--index`, or the demo's `index/` when `None`.
    Index(Option<PathBuf>),
    /// Indexed corpora, ranked as one.
    Corpora(Vec<crate::corpus::registry::Corpus>),
}

/// `--index`, `--corpus`, `--all`; else the corpus the working folder is in; else the demo when
/// the working folder holds `index/` or `seeds/`; else every indexed corpus.
fn resolve_target(target: &TargetArgs) -> Result<Target> {
    use crate::corpus::registry;
    let TargetArgs { index, corpus, all } = target;
    let (index, all) = (index.as_deref(), *all);
    if let Some(index) = index {
        return Ok(Target::Index(Some(index.to_path_buf())));
    }
    if !corpus.is_empty() {
        let chosen = corpus
            .iter()
            .map(|p| registry::require(p))
            .collect::<Result<Vec<_>>>()?;
        return Ok(Target::Corpora(chosen));
    }
    if !all {
        let cwd = std::env::current_dir().map_err(|e| Error::io("the working folder", e))?;
        if let Some(here) = registry::containing(&cwd)? {
            return Ok(Target::Corpora(vec![here]));
        }
        if crate::store::exists(Path::new(DEFAULT_INDEX)) || Path::new(DEFAULT_CORPUS).is_dir() {
            return Ok(Target::Index(None));
        }
    }
    let every = registry::registered()?;
    if every.is_empty() {
        if all {
            return Err(Error::Usage(
                "no corpus is indexed yet; index a folder with `tracuu index DIR`".into(),
            ));
        }
        return Err(Error::Usage(format!(
            "nothing is indexed yet (no index/ here, no corpus in {}); index a folder with `tracuu index DIR`",
            registry::data_dir()?.join("indexes").display()
        )));
    }
    Ok(Target::Corpora(every))
}

/// The engines of a target's corpora that still exist (one warning per corpus gone), or of its
/// index.
fn open_engines(target: Target, refresh: bool) -> Result<Vec<Engine>> {
    match target {
        Target::Index(index) => Ok(vec![open_engine(index.as_deref(), refresh)?]),
        Target::Corpora(list) => {
            let mut engines = Vec::new();
            let mut gone = Vec::new();
            let mut damaged = None;
            for corpus in &list {
                if !corpus.exists() {
                    warn(&format!(
                        "{} is gone; skipping it (`tracuu forget {}` drops its index)",
                        corpus.path.display(),
                        corpus.path.display()
                    ));
                    gone.push(corpus);
                    continue;
                }
                match open_engine(Some(&corpus.index), refresh) {
                    Err(Error::NoIndex(_)) => warn(&format!(
                        "{} has no index yet (its first `tracuu index` has not finished); skipping it",
                        corpus.path.display()
                    )),
                    // One damaged index of several: the others are searched, and the user is
                    // told how to repair it.
                    Err(e) if list.len() > 1 => {
                        warn(&format!("{e}; skipping it"));
                        damaged.get_or_insert(e);
                    }
                    opened => engines.push(opened?),
                }
            }
            if engines.is_empty() {
                return Err(match (damaged, gone.first()) {
                    (Some(e), _) => e,
                    (None, Some(c)) => Error::NoCorpus(c.path.clone()),
                    (None, None) => Error::Usage(
                        "nothing to search yet: wait for `tracuu index` to finish".into(),
                    ),
                });
            }
            Engine::share_statistics(&mut engines);
            Ok(engines)
        }
    }
}

fn search(args: SearchArgs) -> Result<ExitCode> {
    let query = join_query(&args.query)?;
    let target = resolve_target(&args.target)?;
    let engines = open_engines(target, args.refresh)?;
    let engine = crate::search::Engines::new(&engines);
    let options = SearchOptions {
        limit: args.limit as usize,
        offset: args.offset as usize,
        exact: args.exact,
        source: args.source.clone(),
        correct_typos: !args.no_correct,
        count: args.count,
        explain: args.explain,
        ..SearchOptions::default()
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let found = if args.files {
        let (files, outcome) = engine.matching_files(&query, &options)?;
        report_corrections(&outcome.corrections);
        guard(output::write_files(&mut out, &files, args.json))?;
        !files.is_empty()
    } else {
        let outcome = engine.search(&query, &options)?;
        report_corrections(&outcome.corrections);
        if args.count {
            guard(output::write_count(&mut out, &outcome, args.json))?;
            // Like `grep -c`: the count is printed, 0 too, and the status says whether it is 0.
            outcome.total > 0
        } else {
            let format = if args.json {
                Format::Json
            } else {
                Format::Human {
                    color: use_color(args.color),
                    full: args.full,
                    context: args.context as usize,
                }
            };
            guard(output::write_hits(&mut out, &outcome, format))?;
            // Found means printed: a page past the last hit (`--offset`) found nothing.
            !outcome.hits.is_empty()
        }
    };
    guard(out.flush())?;
    // The process ends here: its index maps go with it at exit, in one teardown, instead of one
    // `munmap` each when the searchers drop (25 calls, about 1 ms, on a 1 GB index).
    std::mem::forget(engines);
    Ok(if found {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Opens the index `index` for searching: by default `index`, built from `seeds/` on first use.
/// When the corpus changed since it was indexed, warns, or with `refresh` updates it first.
fn open_engine(index: Option<&Path>, refresh: bool) -> Result<Engine> {
    let index_dir = index.map_or_else(|| PathBuf::from(DEFAULT_INDEX), Path::to_path_buf);
    let mut engine = match Engine::open(&index_dir) {
        Err(Error::NoIndex(_)) if index.is_none() && Path::new(DEFAULT_CORPUS).is_dir() => {
            eprintln!("tracuu: no index yet; building one from {DEFAULT_CORPUS}/ (first run)");
            let corpus = Path::new(DEFAULT_CORPUS);
            let report = indexer::build(corpus, &index_dir, &IndexOptions::default(), &mut warn)?;
            eprintln!("{}", summary(&report, corpus, &index_dir));
            Engine::open(&index_dir)?
        }
        other => other?,
    };
    // `--refresh` promises an up-to-date index: it does not rely on a recent check.
    let recent = if refresh {
        crate::freshness::Recent::Recheck
    } else {
        crate::freshness::Recent::Trust
    };
    let stale = match crate::freshness::staleness(engine.manifest(), &index_dir, recent) {
        Ok(stale) => stale,
        Err(e) => {
            warn(&format!("cannot tell whether the corpus changed: {e}"));
            crate::freshness::Staleness::default()
        }
    };
    // A watcher is about to apply the change itself.
    if !stale.is_fresh() && crate::corpus::registry::watcher_of(&index_dir).is_none() {
        let corpus = engine.manifest().corpus.clone();
        if refresh {
            let options = IndexOptions::recorded(engine.manifest());
            drop(engine);
            crate::corpus::registry::check_not_watched(&index_dir)?;
            let report = indexer::build(&corpus, &index_dir, &options, &mut warn)?;
            eprintln!("{}", summary(&report, &corpus, &index_dir));
            engine = Engine::open(&index_dir)?;
        } else {
            // An index in the data directory is found without --index.
            let named =
                crate::corpus::registry::index_dir_for(&corpus).is_ok_and(|d| d == index_dir);
            let flag = if named {
                String::new()
            } else {
                format!(" --index {}", index_dir.display())
            };
            warn(&format!(
                "{} changed since it was indexed ({} new, {} changed, {} removed files); run `tracuu index {}{flag}` or search with --refresh",
                corpus.display(),
                stale.added,
                stale.changed,
                stale.removed,
                corpus.display(),
            ));
        }
    }
    Ok(engine)
}

fn find(args: FindArgs) -> Result<ExitCode> {
    let query = join_query(&args.query)?;
    let target = resolve_target(&args.target)?;
    let engines = open_engines(target, false)?;
    let options = crate::finder::FindOptions {
        query,
        exact: args.exact,
        print: args.print,
        json: args.json,
    };
    crate::finder::run(engines, options)
}

fn bench(args: BenchArgs) -> Result<ExitCode> {
    let queries = match &args.queries {
        Some(path) => crate::bench::read_queries(path)?,
        None => crate::bench::DEFAULT_QUERIES
            .iter()
            .map(|&(k, q)| (k.to_string(), q.to_string()))
            .collect(),
    };
    let options = crate::bench::BenchOptions {
        iterations: args.iterations as usize,
        warmup: args.warmup as usize,
        limit: args.limit as usize,
    };
    let index = match resolve_target(&args.target)? {
        Target::Index(index) => index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX)),
        Target::Corpora(list) => match <[_; 1]>::try_from(list) {
            Ok([one]) => one.index,
            Err(_) => {
                return Err(Error::Usage(
                    "bench measures one index: name it with --corpus PATH or --index DIR".into(),
                ))
            }
        },
    };
    let report = crate::bench::run(&index, &queries, &options)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        let json =
            serde_json::to_string_pretty(&report).map_err(|e| Error::Usage(e.to_string()))?;
        guard(writeln!(out, "{json}"))?;
    } else {
        guard(crate::bench::write_table(&mut out, &report))?;
    }
    guard(out.flush())?;
    Ok(ExitCode::SUCCESS)
}

fn join_query(parts: &[OsString]) -> Result<String> {
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

fn report_corrections(corrections: &[crate::search::Correction]) {
    if corrections.is_empty() {
        return;
    }
    let from: Vec<&str> = corrections.iter().map(|c| c.from.as_str()).collect();
    let to: Vec<&str> = corrections.iter().map(|c| c.to.as_str()).collect();
    eprintln!(
        "tracuu: no match for {}; showing results for {}",
        from.join(" "),
        to.join(" ")
    );
}

/// A closed pipe (`| head`) ends the output quietly; other write errors are errors.
fn guard(result: io::Result<()>) -> Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Error::io("standard output", e)),
        Ok(()) => Ok(()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    /// Parses `argv` (after `tracuu`) into search arguments, or panics with the usage error.
    fn search_args(argv: &[&str]) -> SearchArgs {
        let argv = std::iter::once("tracuu").chain(argv.iter().copied());
        match parse(argv) {
            Ok(Parsed::Run(Cli {
                command: Command::Search(args),
            })) => args,
            Ok(other) => panic!("not a search: {other:?}"),
            Err(e) => panic!("usage error: {e}"),
        }
    }

    /// The query `argv` (after `tracuu search`) searches for.
    fn query(argv: &[&str]) -> String {
        let mut all = vec!["search"];
        all.extend(argv);
        join_query(&search_args(&all).query).unwrap()
    }

    /// The usage error of `argv` (after `tracuu`).
    fn usage_error(argv: &[&str]) -> String {
        let argv = std::iter::once("tracuu").chain(argv.iter().copied());
        match parse(argv) {
            Err(Error::Usage(message)) => message,
            Err(e) => panic!("not a usage error: {e}"),
            Ok(parsed) => panic!("parsed: {parsed:?}"),
        }
    }

    #[test]
    fn exclusions_and_flags_mix_on_the_command_line() {
        let args = search_args(&[
            "search", "Cam", "Ranh", "-Guam", "--json", "-n", "3", "-lavrov",
        ]);
        assert_eq!(
            join_query(&args.query).unwrap(),
            "Cam Ranh NOT Guam NOT lavrov"
        );
        assert!(args.json);
        assert_eq!(args.limit, 3);
    }

    #[test]
    fn a_word_that_starts_like_a_flag_with_a_value_is_an_exclusion() {
        // `-n` takes a number: only digits attached make it the flag.
        assert_eq!(query(&["Putin", "-nuclear"]), "Putin NOT nuclear");
        assert_eq!(query(&["Putin", "-nato", "-nga"]), "Putin NOT nato NOT nga");
        // `-c` is a flag, `-n` then takes "ato", which is not a number.
        assert_eq!(query(&["Putin", "-cnato"]), "Putin NOT cnato");
        assert_eq!(query(&["Putin", "-n5x"]), "Putin NOT n5x");
        assert_eq!(query(&["Putin", "-lavrov"]), "Putin NOT lavrov");
        assert_eq!(query(&["Putin", "-1919"]), "Putin NOT 1919");
        assert_eq!(query(&["Putin", "-help"]), "Putin NOT help");
    }

    #[test]
    fn short_flags_stay_flags() {
        let args = search_args(&["search", "Putin", "-n5"]);
        assert_eq!(
            (args.limit, join_query(&args.query).unwrap()),
            (5, "Putin".into())
        );
        let args = search_args(&["search", "Putin", "-n=7"]);
        assert_eq!(args.limit, 7);
        let args = search_args(&["search", "Putin", "-n", "5"]);
        assert_eq!(
            (args.limit, join_query(&args.query).unwrap()),
            (5, "Putin".into())
        );
        let args = search_args(&["search", "-c", "Putin"]);
        assert!(args.count && !args.files);
        let args = search_args(&["search", "Putin", "-l"]);
        assert!(args.files && !args.count);
        let args = search_args(&["search", "Putin", "-ln5"]);
        assert!(args.files);
        assert_eq!(args.limit, 5);
        // `-c` and `-l` together are flags, and clap reports that they conflict.
        let err = usage_error(&["search", "x", "-cl"]);
        assert!(err.contains("--count") && err.contains("--files"), "{err}");
    }

    #[test]
    fn a_flag_value_is_never_rewritten() {
        // The value of `-n` / `--limit` is a number even when it looks like an exclusion.
        let err = usage_error(&["search", "Putin", "-n", "-3"]);
        assert!(err.contains("'-3'") && err.contains("--limit"), "{err}");
        let err = usage_error(&["search", "Putin", "--limit", "-3"]);
        assert!(err.contains("'-3'"), "{err}");
        // An attached number out of range is the flag, reported by clap.
        let err = usage_error(&["search", "Putin", "-n0"]);
        assert!(err.contains("--limit"), "{err}");
        // `--source -x` reaches clap as typed (rewritten, `NOT` would become the glob).
        let err = usage_error(&["search", "Putin", "--source", "-x", "-Guam"]);
        assert!(err.contains("'-x'"), "{err}");
        let args = search_args(&["search", "Putin", "--source", "004", "-Guam"]);
        assert_eq!(args.source.as_deref(), Some("004"));
        assert_eq!(join_query(&args.query).unwrap(), "Putin NOT Guam");
        // After `--` nothing is rewritten (the query parser reads `-Guam` itself).
        assert_eq!(query(&["--", "Putin", "-Guam"]), "Putin -Guam");
    }

    #[test]
    fn only_the_subcommand_position_counts() {
        // A corpus named `search` is not the search subcommand.
        let argv = ["tracuu", "index", "search", "-q"];
        let Ok(Parsed::Run(Cli {
            command: Command::Index(args),
        })) = parse(argv)
        else {
            panic!("not an index command");
        };
        assert_eq!(args.corpus, Some(PathBuf::from("search")));
        assert!(args.quiet);
        // Nor is a query word `search`.
        assert_eq!(query(&["search", "-nato"]), "search NOT nato");
    }

    #[test]
    fn usage_errors_are_one_line_naming_the_help_to_read() {
        for (argv, says, help) in [
            (
                &["search", "x", "--limit", "0"][..],
                "invalid value '0' for '--limit <N>'",
                "see `tracuu search --help`",
            ),
            (
                &["search", "x", "--bogus"],
                "unexpected argument '--bogus' found",
                "see `tracuu search --help`",
            ),
            (
                &["search"],
                "the following required arguments were not provided: <QUERY>...",
                "see `tracuu search --help`",
            ),
            (
                &["index", "--memory", "lots"],
                "invalid value 'lots' for '--memory <MB>'",
                "see `tracuu index --help`",
            ),
            (
                &["search", "x", "--color", "pink"],
                "[possible values: auto, always, never]",
                "see `tracuu search --help`",
            ),
            (
                &["serch", "x"],
                "unrecognized subcommand 'serch'",
                "see `tracuu --help`",
            ),
            (
                &[],
                "no command given; use one of index, search",
                "see `tracuu --help`",
            ),
        ] {
            let err = usage_error(argv);
            assert!(!err.contains('\n'), "{argv:?}: {err}");
            assert!(!err.starts_with("error"), "{argv:?}: {err}");
            assert!(err.contains(says), "{argv:?}: {err}");
            assert!(err.ends_with(help), "{argv:?}: {err}");
        }
    }

    #[test]
    fn help_and_version_are_printed_not_errors() {
        for argv in [
            &["tracuu", "--help"][..],
            &["tracuu", "-h"],
            &["tracuu", "--version"],
            &["tracuu", "-V"],
            &["tracuu", "search", "--help"],
            &["tracuu", "search", "Putin", "-h"],
            &["tracuu", "help", "search"],
        ] {
            assert!(
                matches!(parse(argv), Ok(Parsed::Print(_))),
                "{argv:?}: {:?}",
                parse(argv)
            );
        }
    }

    #[test]
    fn bare_tracuu_on_a_terminal_is_find() {
        let args = vec![OsString::from("tracuu")];
        assert!(matches!(
            parse_args(args.clone(), true),
            Ok(Parsed::Run(Cli {
                command: Command::Find(_)
            }))
        ));
        assert!(matches!(parse_args(args, false), Err(Error::Usage(_))));
        let argv = ["tracuu", "find", "--print", "--json", "Tran", "Duc"];
        let Ok(Parsed::Run(Cli {
            command: Command::Find(find),
        })) = parse(argv)
        else {
            panic!("not a find command");
        };
        assert!(find.print && find.json && !find.exact);
        assert_eq!(join_query(&find.query).unwrap(), "Tran Duc");
        // --json prints a selection: it needs --print.
        assert!(usage_error(&["find", "--json"]).contains("--print"));
    }

    #[test]
    fn limit_must_be_positive() {
        assert!(Cli::try_parse_from(["tracuu", "search", "x", "--limit", "0"]).is_err());
        assert!(Cli::try_parse_from(["tracuu", "search", "x", "--limit", "-3"]).is_err());
    }
}
