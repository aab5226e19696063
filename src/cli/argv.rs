//! Reading an argument list the way clap will, before clap does: where the subcommand is, which
//! `-xyz` are clusters of short flags, and the rewrite that lets `tracuu search Cam Ranh -Guam`
//! mean `Cam Ranh NOT Guam`.

use std::ffi::OsString;

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
pub(super) fn subcommand_at(cmd: &clap::Command, args: &[OsString]) -> Option<usize> {
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
pub(super) fn rewrite_exclusions(
    search: &clap::Command,
    args: Vec<OsString>,
    from: usize,
) -> Vec<OsString> {
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::cli::resolve::join_query;
    use crate::cli::tests::{query, search_args, usage_error};
    use crate::cli::{parse, Cli, Command, Parsed};

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
}
