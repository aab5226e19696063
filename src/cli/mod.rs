//! The command line: [`args`] holds the clap types (what was typed), `argv` reads an argument
//! list as clap will and rewrites `-Guam` to `NOT Guam`, [`resolve`] turns the arguments into what
//! a command works on (the indexes it means, its options), once for every command, and
//! `commands` has one thin file per subcommand. This file parses and dispatches. No search or
//! indexing logic lives in this folder: the commands call the library.

pub mod args;
mod argv;
mod commands;
pub mod resolve;

use std::ffi::OsString;
use std::io::{self, IsTerminal};

use self::args::{cli_from, command_line, visible_commands};
pub use self::args::{
    BenchArgs, CheckArgs, Cli, ColorChoice, Command, ExportArgs, FindArgs, ForgetArgs, IndexArgs,
    ListArgs, ManArgs, SearchArgs, ShowArgs, TargetArgs,
};
pub use self::resolve::{DEFAULT_CORPUS, DEFAULT_INDEX};
use crate::error::{Error, Result};
use crate::exit::Exit;

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
    let mut cmd = command_line();
    cmd.build();
    let at = argv::subcommand_at(&cmd, &args);
    let subcommand = at
        .and_then(|i| args[i].to_str())
        .and_then(|name| cmd.find_subcommand(name))
        .map(|sub| sub.get_name().to_string());
    // Only an argument like `-Guam` after `search` can need rewriting.
    let search = at
        .filter(|_| subcommand.as_deref() == Some("search"))
        .zip(cmd.find_subcommand("search"));
    let args = match search {
        Some((at, search)) => argv::rewrite_exclusions(search, args, at + 1),
        None => args,
    };
    // The command built above parses too: building clap's command tree again (as
    // `Cli::try_parse_from` would) is a tenth of a search on the seeds.
    let parsed = cmd
        .try_get_matches_from_mut(args)
        .and_then(|matches| cli_from(&matches));
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
        let names: Vec<&str> = visible_commands(cmd).collect();
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

/// Runs a parsed command line; how it ended.
pub fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Index(args) => commands::index::run(args),
        Command::Search(args) => commands::search::run(args),
        Command::Find(args) => commands::find::run(args),
        Command::Bench(args) => commands::bench::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Show(args) => commands::show::run(&args),
        Command::List(args) => commands::list::run(&args),
        Command::Forget(args) => commands::forget::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Completions { shell } => commands::completions::run(shell),
        Command::Man(args) => commands::man::run(&args),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::resolve::join_query;
    use super::*;

    /// Parses `argv` (after `tracuu`) into search arguments, or panics with the usage error.
    pub(super) fn search_args(argv: &[&str]) -> SearchArgs {
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
    pub(super) fn query(argv: &[&str]) -> String {
        let mut all = vec!["search"];
        all.extend(argv);
        join_query(&search_args(&all).query).unwrap()
    }

    /// The usage error of `argv` (after `tracuu`).
    pub(super) fn usage_error(argv: &[&str]) -> String {
        let argv = std::iter::once("tracuu").chain(argv.iter().copied());
        match parse(argv) {
            Err(Error::Usage(message)) => message,
            Err(e) => panic!("not a usage error: {e}"),
            Ok(parsed) => panic!("parsed: {parsed:?}"),
        }
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
    fn man_parses_but_no_list_of_commands_names_it() {
        let Ok(Parsed::Run(Cli {
            command: Command::Man(man),
        })) = parse(["tracuu", "man", "search"])
        else {
            panic!("not a man command");
        };
        assert_eq!(man.command.as_deref(), Some("search"));
        assert!(matches!(
            parse(["tracuu", "man", "--help"]),
            Ok(Parsed::Print(_))
        ));
        let err = usage_error(&[]);
        assert!(err.contains("forget, export, completions; see"), "{err}");
    }

    #[test]
    fn limit_must_be_positive() {
        assert!(Cli::try_parse_from(["tracuu", "search", "x", "--limit", "0"]).is_err());
        assert!(Cli::try_parse_from(["tracuu", "search", "x", "--limit", "-3"]).is_err());
    }
}
