//! `tracuu man` (hidden): the manual page in roff, rendered by clap_mangen from the same clap
//! definitions as `--help`, so it cannot drift from the flags. `tracuu man` is `tracuu(1)`, which
//! lists the commands; `tracuu man search` is `tracuu-search(1)`. Read one with
//! `tracuu man | man -l -`; install them as `tracuu.1`, `tracuu-search.1`, ….

use std::io::{self, Write};

use clap::CommandFactory;

use super::guard;
use crate::cli::args::{visible_commands, Cli, ManArgs};
use crate::error::{Error, Result};
use crate::exit::Exit;

/// Prints the page `args` names.
pub fn run(args: &ManArgs) -> Result<Exit> {
    let name = args.command.as_deref();
    let Some(command) = page_of(name) else {
        let cli = Cli::command();
        let names: Vec<&str> = visible_commands(&cli).collect();
        return Err(Error::Usage(format!(
            "no command '{}'; the pages are of {}; see `tracuu --help`",
            name.unwrap_or_default(),
            names.join(", ")
        )));
    };
    let mut page = Vec::new();
    render(command, &mut page).map_err(|e| Error::io("the manual page", e))?;
    let mut out = io::stdout().lock();
    guard(out.write_all(&page).and_then(|()| out.flush()))?;
    Ok(Exit::Success)
}

/// Renders the page of `command` (from [`page_of`]) as roff, every page naming this version.
pub fn render(command: clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let source = format!("tracuu {}", env!("CARGO_PKG_VERSION"));
    clap_mangen::Man::new(command).source(source).render(out)
}

/// The command `tracuu(1)` documents, or with `name` the one `tracuu-NAME(1)` documents; `None`
/// when `name` is not a command a user sees.
pub fn page_of(name: Option<&str>) -> Option<clap::Command> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    // Built, subcommands know their full names (`tracuu-search`, `tracuu search`).
    cli.build();
    let Some(name) = name else {
        return Some(cli);
    };
    let visible = visible_commands(&cli).any(|n| n == name);
    cli.find_subcommand(name).filter(|_| visible).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(name: Option<&str>) -> String {
        let mut out = Vec::new();
        render(page_of(name).expect("a command"), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_man_page_renders_and_names_every_command() {
        let top = page(None);
        let version = env!("CARGO_PKG_VERSION");
        assert!(
            top.contains(&format!(".TH tracuu 1  \"tracuu {version}\"")),
            "{top}"
        );
        assert!(top.contains(".SH SYNOPSIS") && top.contains(".SH SUBCOMMANDS"));
        let cli = Cli::command();
        let names: Vec<&str> = visible_commands(&cli).collect();
        assert_eq!(
            names,
            [
                "index",
                "search",
                "find",
                "bench",
                "show",
                "check",
                "list",
                "forget",
                "export",
                "completions"
            ]
        );
        for name in names {
            assert!(
                top.contains(&format!("tracuu\\-{name}(1)")),
                "{name} in {top}"
            );
            let sub = page(Some(name));
            let title = format!(".TH tracuu-{name} 1  \"tracuu {version}\"");
            assert!(sub.contains(&title), "{sub}");
            assert!(sub.contains(".SH SYNOPSIS"), "{sub}");
        }
        // A flag's help is in the page of its command.
        assert!(page(Some("search")).contains("Accent\\-sensitive"));
        assert!(!top.contains("tracuu\\-man") && !top.contains("tracuu\\-help"));
    }

    #[test]
    fn only_the_commands_a_user_sees_have_a_page() {
        assert!(page_of(Some("serch")).is_none());
        assert!(page_of(Some("man")).is_none());
        assert!(page_of(Some("help")).is_none());
    }
}
