//! The command line: clap types for what was typed, and dispatch to the library. No search or
//! indexing logic lives here.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

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
    /// Build or update the index of a folder of text files.
    Index(IndexArgs),
    /// Search the index and print ranked passages.
    #[command(after_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// Measure query latency in-process: percentiles, QPS, index open time.
    Bench(BenchArgs),
    /// Verify an index: checksums of its files, the list of files against the segments.
    Check(CheckArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Options of `tracuu index`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The folder of text files to index (read recursively).
    #[arg(default_value = DEFAULT_CORPUS)]
    pub corpus: PathBuf,
    /// Where to put the index.
    #[arg(long, default_value = DEFAULT_INDEX, value_name = "DIR")]
    pub index: PathBuf,
    /// Drop what the index holds and index everything again.
    #[arg(long)]
    pub rebuild: bool,
    /// Memory for the indexing threads, in MB (at least 15 per thread).
    #[arg(long, default_value_t = 256, value_name = "MB", value_parser = clap::value_parser!(u64).range(15..=65536))]
    pub memory: u64,
    /// Indexing threads (default: the number of cores, at most 8).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub threads: Option<u64>,
    /// Also index hidden files and folders.
    #[arg(long)]
    pub hidden: bool,
    /// Also index files that .gitignore or .ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Print only warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `tracuu check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The index to verify.
    #[arg(long, default_value = DEFAULT_INDEX, value_name = "DIR")]
    pub index: PathBuf,
}

/// Options of `tracuu bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// The index to benchmark.
    #[arg(long, default_value = DEFAULT_INDEX, value_name = "DIR")]
    pub index: PathBuf,
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
    /// The index to search [default: index, built from seeds/ on first use].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
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
}

/// Parses the command line (exits with status 2 and clap's message on a usage error).
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    // Only an argument like `-Guam` can need rewriting; skip building the command otherwise.
    let dashed = |a: &OsString| {
        a.to_str()
            .is_some_and(|s| s.starts_with('-') && !s.starts_with("--"))
    };
    if args.iter().skip(1).any(dashed) {
        Cli::parse_from(rewrite_exclusions(args))
    } else {
        Cli::parse_from(args)
    }
}

/// Lets `tracuu search Cam Ranh -Guam` mean what it says: an argument of `search` that starts
/// with `-` but is not one of its flags is an exclusion, passed on as `NOT Guam`. Arguments after
/// `--` are left alone.
pub fn rewrite_exclusions(args: Vec<OsString>) -> Vec<OsString> {
    let cmd = Cli::command();
    let Some(search) = cmd.find_subcommand("search") else {
        return args;
    };
    let takes_value = |a: &clap::Arg| a.get_action().takes_values();
    let short = |c: char| search.get_arguments().find(|a| a.get_short() == Some(c));
    let long = |name: &str| search.get_arguments().find(|a| a.get_long() == Some(name));
    let mut out = Vec::with_capacity(args.len());
    let mut iter = args.into_iter();
    // Up to and including the subcommand name, nothing changes.
    for arg in iter.by_ref() {
        let is_search = arg == "search";
        out.push(arg);
        if is_search {
            break;
        }
    }
    let mut skip_value = false;
    while let Some(arg) = iter.next() {
        if skip_value {
            skip_value = false;
            out.push(arg);
            continue;
        }
        let Some(text) = arg.to_str().map(str::to_string) else {
            out.push(arg);
            continue;
        };
        if text == "--" {
            out.push(arg);
            out.extend(iter.by_ref());
            break;
        }
        if let Some(name) = text.strip_prefix("--") {
            skip_value = !name.contains('=') && long(name).is_some_and(takes_value);
            out.push(arg);
            continue;
        }
        let Some(rest) = text.strip_prefix('-').filter(|r| !r.is_empty()) else {
            out.push(arg);
            continue;
        };
        let mut flags = true;
        for (i, c) in rest.char_indices() {
            match short(c) {
                Some(a) if takes_value(a) => {
                    skip_value = i + c.len_utf8() == rest.len();
                    break;
                }
                Some(_) => {}
                None => {
                    flags = false;
                    break;
                }
            }
        }
        if flags {
            out.push(arg);
        } else {
            skip_value = false;
            out.push(OsString::from("NOT"));
            out.push(OsString::from(rest));
        }
    }
    out
}

/// Runs a parsed command line; the exit code on success.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index(args) => index(args),
        Command::Search(args) => search(args),
        Command::Bench(args) => bench(args),
        Command::Check(args) => crate::check::command(&args.index),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "tracuu", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn index(args: IndexArgs) -> Result<ExitCode> {
    let options = IndexOptions {
        rebuild: args.rebuild,
        memory: (args.memory as usize).saturating_mul(1_000_000),
        threads: args
            .threads
            .map_or(IndexOptions::default().threads, |n| n as usize),
        hidden: args.hidden,
        no_ignore: args.no_ignore,
    };
    let mut observer = Progress::new(!args.quiet);
    let report = indexer::build(&args.corpus, &args.index, &options, &mut observer)?;
    observer.finish();
    if !args.quiet {
        eprintln!("{}", summary(&report, &args.corpus, &args.index));
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(r: &IndexReport, corpus: &Path, index: &Path) -> String {
    let skipped = if r.skipped.is_empty() {
        String::new()
    } else {
        format!(", {} skipped", r.skipped.len())
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
    enabled: bool,
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(enabled: bool) -> Self {
        Progress {
            enabled: enabled && io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            bar: None,
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

fn search(args: SearchArgs) -> Result<ExitCode> {
    let query = join_query(&args.query)?;
    let index_dir = args
        .index
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
    let mut engine = match Engine::open(&index_dir) {
        Err(Error::NoIndex(_)) if args.index.is_none() && Path::new(DEFAULT_CORPUS).is_dir() => {
            eprintln!("tracuu: no index yet; building one from {DEFAULT_CORPUS}/ (first run)");
            let corpus = Path::new(DEFAULT_CORPUS);
            let report = indexer::build(corpus, &index_dir, &IndexOptions::default(), &mut warn)?;
            eprintln!("{}", summary(&report, corpus, &index_dir));
            Engine::open(&index_dir)?
        }
        other => other?,
    };
    let stale = indexer::staleness(engine.manifest(), &index_dir);
    if !stale.is_fresh() {
        let corpus = engine.manifest().corpus.clone();
        if args.refresh {
            let options = IndexOptions {
                hidden: engine.manifest().hidden,
                no_ignore: engine.manifest().no_ignore,
                ..IndexOptions::default()
            };
            drop(engine);
            let report = indexer::build(&corpus, &index_dir, &options, &mut warn)?;
            eprintln!("{}", summary(&report, &corpus, &index_dir));
            engine = Engine::open(&index_dir)?;
        } else {
            warn(&format!(
                "{} changed since it was indexed ({} new, {} changed, {} removed files); run `tracuu index {} --index {}` or search with --refresh",
                corpus.display(),
                stale.added,
                stale.changed,
                stale.removed,
                corpus.display(),
                index_dir.display()
            ));
        }
    }
    let options = SearchOptions {
        limit: args.limit as usize,
        offset: args.offset as usize,
        exact: args.exact,
        source: args.source.clone(),
        correct_typos: !args.no_correct,
        count: args.count,
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
        }
        outcome.total > 0
    };
    guard(out.flush())?;
    Ok(if found {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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
    let report = crate::bench::run(&args.index, &queries, &options)?;
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

    #[test]
    fn exclusions_and_flags_mix_on_the_command_line() {
        let argv = [
            "tracuu", "search", "Cam", "Ranh", "-Guam", "--json", "-n", "3", "-lavrov",
        ];
        let argv = rewrite_exclusions(argv.iter().map(OsString::from).collect());
        let cli = Cli::try_parse_from(argv).unwrap();
        let Command::Search(args) = cli.command else {
            panic!()
        };
        assert_eq!(
            join_query(&args.query).unwrap(),
            "Cam Ranh NOT Guam NOT lavrov"
        );
        assert!(args.json);
        assert_eq!(args.limit, 3);
        // Known short flags stay flags.
        let argv = rewrite_exclusions(
            ["tracuu", "search", "x", "-cl"]
                .iter()
                .map(OsString::from)
                .collect(),
        );
        assert_eq!(argv.last().unwrap(), "-cl");
    }

    #[test]
    fn limit_must_be_positive() {
        assert!(Cli::try_parse_from(["tracuu", "search", "x", "--limit", "0"]).is_err());
        assert!(Cli::try_parse_from(["tracuu", "search", "x", "--limit", "-3"]).is_err());
    }
}
