//! Which editor to open a hit in, and the command line that puts its cursor on the hit's line
//! and column. Pure: the run loop spawns what [`command_line`] returns.

use std::ffi::OsString;
use std::path::Path;

/// The editor the user asked for: `$VISUAL`, else `$EDITOR`, else `vi`. The value may carry
/// arguments (`code --wait`), split at white space.
pub fn configured(visual: Option<OsString>, editor: Option<OsString>) -> Vec<String> {
    let chosen = [visual, editor]
        .into_iter()
        .flatten()
        .filter_map(|v| v.into_string().ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    chosen.split_whitespace().map(str::to_string).collect()
}

/// The program and arguments that open `path` at `line` and `column` (1-based) in `editor`
/// (as [`configured`] returns it):
/// - `+LINE FILE` for vi, vim, nvim and any editor not known otherwise (the common convention);
/// - `+LINE,COL FILE` for nano, `+LINE:COL FILE` for emacs, emacsclient and kak;
/// - `FILE:LINE:COL` for helix (`hx`), Sublime Text (`subl`) and Zed;
/// - `-g FILE:LINE:COL` for VS Code and its kin (`code`, `codium`, `cursor`, …).
pub fn command_line(editor: &[String], path: &Path, line: usize, column: usize) -> Vec<OsString> {
    let mut args: Vec<OsString> = editor.iter().map(OsString::from).collect();
    if args.is_empty() {
        args.push("vi".into());
    }
    let program = Path::new(&args[0])
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .trim_end_matches(".exe")
        .to_string();
    let at = |sep: &str| {
        let mut joined = path.as_os_str().to_owned();
        joined.push(format!("{sep}{line}{sep}{column}"));
        joined
    };
    match program.as_str() {
        "code" | "code-insiders" | "codium" | "vscodium" | "cursor" | "windsurf" => {
            args.push("-g".into());
            args.push(at(":"));
        }
        "hx" | "helix" | "subl" | "sublime_text" | "zed" | "zeditor" => args.push(at(":")),
        "nano" => {
            args.push(format!("+{line},{column}").into());
            args.push(path.into());
        }
        "emacs" | "emacsclient" | "kak" => {
            args.push(format!("+{line}:{column}").into());
            args.push(path.into());
        }
        _ => {
            args.push(format!("+{line}").into());
            args.push(path.into());
        }
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_for(editor: &str) -> Vec<String> {
        command_line(
            &configured(None, Some(editor.into())),
            Path::new("seeds/003 x.txt"),
            12,
            7,
        )
        .into_iter()
        .map(|a| a.into_string().unwrap())
        .collect()
    }

    #[test]
    fn each_editor_gets_the_line_its_way() {
        assert_eq!(line_for("vi"), ["vi", "+12", "seeds/003 x.txt"]);
        assert_eq!(
            line_for("/usr/bin/nvim"),
            ["/usr/bin/nvim", "+12", "seeds/003 x.txt"]
        );
        assert_eq!(line_for("nano"), ["nano", "+12,7", "seeds/003 x.txt"]);
        assert_eq!(
            line_for("emacsclient -t"),
            ["emacsclient", "-t", "+12:7", "seeds/003 x.txt"]
        );
        assert_eq!(line_for("kak"), ["kak", "+12:7", "seeds/003 x.txt"]);
        assert_eq!(line_for("hx"), ["hx", "seeds/003 x.txt:12:7"]);
        assert_eq!(line_for("subl -w"), ["subl", "-w", "seeds/003 x.txt:12:7"]);
        assert_eq!(
            line_for("code --wait"),
            ["code", "--wait", "-g", "seeds/003 x.txt:12:7"]
        );
        assert_eq!(line_for("codium"), ["codium", "-g", "seeds/003 x.txt:12:7"]);
        assert_eq!(
            line_for("/tmp/record.sh"),
            ["/tmp/record.sh", "+12", "seeds/003 x.txt"]
        );
    }

    #[test]
    fn visual_wins_then_editor_then_vi() {
        assert_eq!(
            configured(Some("nvim".into()), Some("nano".into())),
            ["nvim"]
        );
        assert_eq!(configured(Some(" ".into()), Some("nano".into())), ["nano"]);
        assert_eq!(configured(None, None), ["vi"]);
    }
}
