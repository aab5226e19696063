//! Shared test fixtures: a temp dir with a copy of the seeds, the real binary run inside it, and
//! JSON output decoded into typed hits; the generators of test data below it.

pub mod gazetteer;
pub mod http;
pub mod keys;
pub mod legacy;
pub mod synth;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;

/// One line of `tracuu search --json`, as the README documents it.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct JsonHit {
    pub rank: usize,
    pub score: f32,
    pub source: String,
    pub path: PathBuf,
    /// Only for a name that is not UTF-8.
    #[serde(default)]
    pub path_bytes: Option<String>,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
    pub exact: bool,
    pub format: String,
    pub encoding: String,
    /// Only for documents with a title.
    #[serde(default)]
    pub title: Option<String>,
    /// `file` or `extracted`.
    pub offsets: String,
    /// Only for PDF hits.
    #[serde(default)]
    pub page: Option<u64>,
    /// Only for EPUB hits.
    #[serde(default)]
    pub chapter: Option<String>,
    /// Only for DOCX/ODT/DOC/RTF hits.
    #[serde(default)]
    pub paragraph: Option<u64>,
    /// Only for spreadsheet hits, with `row`.
    #[serde(default)]
    pub sheet: Option<String>,
    #[serde(default)]
    pub row: Option<u64>,
    /// Only for presentation hits.
    #[serde(default)]
    pub slide: Option<u64>,
    /// Only for mail hits.
    #[serde(default)]
    pub message: Option<u64>,
    /// Any place above, as the human output prints it.
    #[serde(default)]
    pub place: Option<String>,
    pub query: String,
    /// Only when no passage holds every word: the words this one lacks.
    #[serde(default)]
    pub missing: Vec<String>,
    /// Only with `--explain`.
    #[serde(default)]
    pub explain: Option<Explain>,
}

/// The `explain` object of a hit.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Explain {
    pub bm25: f32,
    pub proximity: f32,
    pub tier: String,
}

/// The repository's seeds folder.
pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// A temp dir holding `seeds/` (a copy) and, once built, `index/`.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    /// A temp dir with a copy of the seeds, not indexed yet.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&seeds(), &dir.path().join("seeds"));
        Env { dir }
    }

    /// A temp dir with a copy of the seeds, indexed into `index/`.
    pub fn indexed() -> Self {
        let env = Env::new();
        let out = env.run(&["index", "--quiet"]);
        assert!(out.status.success(), "index failed: {}", stderr(&out));
        env
    }

    /// A temp dir whose `seeds/` holds only `files` (path, bytes), not indexed yet.
    pub fn with_files(files: &[(&str, Vec<u8>)]) -> Self {
        let env = Env {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        for (name, bytes) in files {
            let path = env.path().join("seeds").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        env
    }

    /// A temp dir whose `seeds/` holds only `files`, indexed with nothing skipped.
    pub fn indexed_files(files: &[(&str, Vec<u8>)]) -> Self {
        let env = Env::with_files(files);
        let out = env.run(&["index"]);
        assert!(out.status.success(), "index failed: {}", stderr(&out));
        assert_lacks(stderr(&out), "skipped");
        env
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The data directory of the binaries run here (`TRACUU_HOME`), inside the temp dir.
    pub fn home(&self) -> PathBuf {
        self.path().join(".tracuu-home")
    }

    /// Runs the real binary in the temp dir.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run tracuu")
    }

    /// The real binary, in the temp dir, without colour from the environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tracuu"));
        cmd.args(args)
            .current_dir(self.path())
            .env_remove("NO_COLOR")
            .env_remove("RUST_BACKTRACE")
            .env_remove("CLICOLOR_FORCE")
            // Indexes named by corpus live here: never in the real home.
            .env("TRACUU_HOME", self.home())
            // Every search checks whether the corpus changed, as the tests of that check expect
            // (by default a quiet check is trusted for a second; tests/it/indexing.rs tests that).
            .env("TRACUU_TRUST_MS", "0");
        cmd
    }

    /// Runs `search QUERY --json` plus `extra` and decodes the hits.
    pub fn search(&self, query: &str, extra: &[&str]) -> (Vec<JsonHit>, Output) {
        let mut args = vec!["search", "--json", "--limit", "20"];
        args.extend(extra);
        args.extend(["--", query]);
        let out = self.run(&args);
        (decode(&out), out)
    }
}

/// Asserts that `text` (what a run printed, an error) holds `part`, and shows all of it if not.
#[track_caller]
pub fn assert_contains(text: impl AsRef<str>, part: &str) {
    let text = text.as_ref();
    assert!(text.contains(part), "{part:?} is not in:\n{text}");
}

/// Asserts that `text` does not hold `part`, and shows all of it if it does.
#[track_caller]
pub fn assert_lacks(text: impl AsRef<str>, part: &str) {
    let text = text.as_ref();
    assert!(!text.contains(part), "{part:?} is in:\n{text}");
}

/// Decodes JSON Lines from stdout.
pub fn decode(out: &Output) -> Vec<JsonHit> {
    decode_lines(&String::from_utf8(out.stdout.clone()).expect("utf-8 stdout"))
}

/// Decodes JSON Lines.
pub fn decode_lines(text: &str) -> Vec<JsonHit> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Asserts every offset of `hit` against the file it names (relative to `root`): for a plain
/// UTF-8 text file the bytes themselves, for any other file through a fresh extraction.
pub fn assert_offsets(root: &Path, hit: &JsonHit) {
    let path = if hit.path.is_absolute() {
        hit.path.clone()
    } else {
        root.join(&hit.path)
    };
    match in_member(&path, hit) {
        InMember::No => {}
        InMember::Checked => return,
        InMember::Bytes(name, bytes) => {
            // Checked as a file of the member's name.
            if hit.format != "text" || hit.encoding != "utf-8" {
                assert_extracted_offsets(Path::new(&name), &bytes, hit);
            } else {
                assert_utf8_offsets(&bytes, hit);
            }
            return;
        }
    }
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if hit.offsets == "extracted" {
        assert_text_offsets(&path, &bytes, hit);
        return;
    }
    assert_eq!(hit.offsets, "file");
    if hit.format != "text" || hit.encoding != "utf-8" || bytes.starts_with(b"\xEF\xBB\xBF") {
        assert_extracted_offsets(&path, &bytes, hit);
        return;
    }
    assert_utf8_offsets(&bytes, hit);
}

/// What a hit in a member of an archive or mail is checked against.
enum InMember {
    /// A file of the corpus, not a member.
    No,
    /// A member whose offsets count its text: checked already.
    Checked,
    /// A member whose offsets count its bytes: its name and bytes.
    Bytes(String, Vec<u8>),
}

/// For a hit in a member (`path` is `container!/name`): the container extracted again and the
/// member found in it, as [`InMember`] says.
fn in_member(path: &Path, hit: &JsonHit) -> InMember {
    let Some(whole) = path.to_str() else {
        return InMember::No;
    };
    let Some((at, _)) = whole
        .match_indices("!/")
        .find(|(at, _)| Path::new(&whole[..*at]).is_file())
    else {
        return InMember::No;
    };
    let container = Path::new(&whole[..at]);
    let bytes = std::fs::read(container).unwrap();
    let x = tracuu::extract::extract(container, &bytes, &Default::default())
        .unwrap_or_else(|e| panic!("{}: {e}", container.display()));
    let (member, content) = find_member(&x, &whole[at + 2..])
        .unwrap_or_else(|| panic!("{whole}: no such member in the archive"));
    if hit.offsets == "extracted" {
        assert_eq!(content.offsets, tracuu::extract::Offsets::Extracted);
        assert_text_in(&content.text, hit);
        return InMember::Checked;
    }
    let bytes = member
        .bytes
        .clone()
        .unwrap_or_else(|| content.text.clone().into_bytes());
    InMember::Bytes(member.name.clone(), bytes)
}

/// The member named `path` in `x` (through nested containers: `inner.zip!/a.txt`).
fn find_member<'x>(
    x: &'x tracuu::extract::Extracted,
    path: &str,
) -> Option<(&'x tracuu::extract::Member, &'x tracuu::extract::Extracted)> {
    if let Some(m) = x.members.iter().find(|m| m.name == path) {
        return Some((m, m.content.as_ref().ok()?));
    }
    path.match_indices("!/").find_map(|(at, _)| {
        let m = x.members.iter().find(|m| m.name == path[..at])?;
        find_member(m.content.as_ref().ok()?, &path[at + 2..])
    })
}

/// Asserts a hit in plain UTF-8 text `bytes`: its text is the bytes `start..end`, its line and
/// column are theirs, and every highlight is a whole word.
fn assert_utf8_offsets(bytes: &[u8], hit: &JsonHit) {
    assert_eq!(
        &bytes[hit.start..hit.end],
        hit.text.as_bytes(),
        "bytes [{}, {}) of {} differ from the hit text",
        hit.start,
        hit.end,
        hit.source
    );
    let text = std::str::from_utf8(bytes).unwrap();
    let (line, column) = tracuu::passage::line_column(text, hit.start);
    assert_eq!(
        (hit.line, hit.column),
        (line, column),
        "line/column of {}",
        hit.source
    );
    for &[s, e] in &hit.highlights {
        assert!(
            hit.start <= s && s < e && e <= hit.end,
            "highlight {s}..{e} outside passage"
        );
        assert_word(text, s, e);
    }
}

/// Asserts the offsets of a hit that count the extracted text (PDF, DOCX, ODT, EPUB, compressed
/// files): the file extracted again holds the hit's text at `start..end`, and every highlight is
/// a whole word of it.
pub fn assert_text_offsets(path: &Path, bytes: &[u8], hit: &JsonHit) {
    let x = tracuu::extract::extract(path, bytes, &Default::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_text_in(&x.text, hit);
}

/// Asserts that the extracted `text` holds the hit's text at `start..end`, and that every
/// highlight is a whole word of it.
fn assert_text_in(text: &str, hit: &JsonHit) {
    assert_eq!(
        text.get(hit.start..hit.end),
        Some(hit.text.as_str()),
        "extracted text [{}, {}) of {}",
        hit.start,
        hit.end,
        hit.source
    );
    for &[s, e] in &hit.highlights {
        assert!(
            hit.start <= s && s < e && e <= hit.end,
            "highlight {s}..{e} outside passage"
        );
        assert_word(text, s, e);
    }
}

/// Asserts that `text[s..e]` is a whole word.
fn assert_word(text: &str, s: usize, e: usize) {
    let word = &text[s..e];
    assert!(
        !tracuu::text::words(word, tracuu::text::Mode::Folded).is_empty(),
        "highlight {word:?} is not a word"
    );
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    assert!(
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric),
        "highlight {word:?} cuts a word"
    );
}

/// Asserts the offsets of a hit in a file that is not plain UTF-8 text: the file extracted again
/// holds the hit's text at a text range that maps to `start..end`, every highlight is the file
/// source of a whole word of that text, and those bytes, decoded in the file's encoding (and
/// format), are the word.
pub fn assert_extracted_offsets(path: &Path, bytes: &[u8], hit: &JsonHit) {
    use tracuu::extract::{extract, Options};
    // The encoding the indexer used (detected or forced) reads the file the same way again.
    let forced = Options {
        encoding: Some(hit.encoding.clone()),
        ..Default::default()
    };
    let x = extract(path, bytes, &forced).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        (x.format.name(), x.encoding),
        (hit.format.as_str(), hit.encoding.as_str())
    );
    assert_eq!(x.title, hit.title, "title of {}", hit.source);
    let ts = x
        .text
        .match_indices(hit.text.as_str())
        .map(|(i, _)| i)
        .find(|&i| x.map.file_start(i) == hit.start)
        .unwrap_or_else(|| {
            panic!(
                "{}: no extracted passage at {}: {:?}",
                hit.source, hit.start, hit.text
            )
        });
    let te = ts + hit.text.len();
    assert_eq!(x.map.file_end(te), hit.end, "end of {}", hit.source);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("txt");
    for &[s, e] in &hit.highlights {
        assert!(
            hit.start <= s && s < e && e <= hit.end,
            "highlight {s}..{e} outside passage"
        );
        let range = (ts..=te)
            .filter(|&a| x.text.is_char_boundary(a) && x.map.file_start(a) == s)
            .find_map(|a| {
                (a + 1..=te)
                    .find(|&b| x.text.is_char_boundary(b) && x.map.file_end(b) == e)
                    .map(|b| (a, b))
            });
        let (a, b) =
            range.unwrap_or_else(|| panic!("highlight {s}..{e} of {} maps to no text", hit.source));
        assert_word(&x.text, a, b);
        let raw = &bytes[s..e];
        let decoded = extract(Path::new(&format!("word.{ext}")), raw, &forced)
            .unwrap_or_else(|err| panic!("highlight {raw:x?}: {err}"));
        assert_eq!(
            decoded.text.trim(),
            &x.text[a..b],
            "highlight {s}..{e} of {} ({}) decodes to another word",
            hit.source,
            hit.encoding
        );
    }
}

impl Env {
    /// Starts `tracuu ARGS` with the fail point `point` set to pause (`TRACUU_FAILPOINT=point:pause`,
    /// `point` may carry a count: `after-add:50`), and returns once the run is paused there: its
    /// marker file exists. Panics if the run ends first. The caller signals or kills it.
    pub fn spawn_paused(&self, args: &[&str], point: &str) -> std::process::Child {
        self.spawn_at(args, point, "pause").0
    }

    /// Starts `tracuu ARGS` and returns once it waits at the fail point `point` (`NAME[:N]`),
    /// with the marker file to remove to let it go on.
    pub fn spawn_waiting(
        &self,
        args: &[&str],
        point: &str,
    ) -> (std::process::Child, std::path::PathBuf) {
        self.spawn_at(args, point, "wait")
    }

    fn spawn_at(
        &self,
        args: &[&str],
        point: &str,
        action: &str,
    ) -> (std::process::Child, std::path::PathBuf) {
        let marker = self
            .path()
            .join(format!("paused-{}", point.replace(':', "-")));
        let _ = std::fs::remove_file(&marker);
        let mut cmd = self.command(args);
        cmd.env("TRACUU_FAILPOINT", format!("{point}:{action}"))
            .env("TRACUU_FAILPOINT_MARKER", &marker)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        // A test run in the background of a non-interactive shell inherits SIGINT ignored, and
        // so would the child: Ctrl-C tests must see the default action, as at a terminal.
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: between fork and exec only async-signal-safe `signal` is called.
            unsafe {
                cmd.pre_exec(|| {
                    libc::signal(libc::SIGINT, libc::SIG_DFL);
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn().expect("spawn tracuu");
        let started = std::time::Instant::now();
        while !marker.exists() {
            if let Some(status) = child.try_wait().unwrap() {
                let mut err = String::new();
                use std::io::Read;
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                panic!("the run ended ({status}) before reaching the fail point {point}: {err}");
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(120),
                "the run never reached the fail point {point}"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        (child, marker)
    }

    /// Asserts that `tracuu index --rebuild` (the repair an error names) succeeds and makes the
    /// seeds searchable again.
    pub fn assert_rebuild_repairs(&self) {
        let out = self.run(&["index", "--rebuild"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(self.run(&["search", "Putin"]).status.code(), Some(0));
    }

    /// Runs `tracuu ARGS` with `TRACUU_FAILPOINT` set to `rule`.
    pub fn run_with_failpoint(&self, args: &[&str], rule: &str) -> Output {
        self.command(args)
            .env("TRACUU_FAILPOINT", rule)
            .output()
            .expect("run tracuu")
    }
}

/// Rewrites the `meta.json` of the index at `index` (tantivy's: the segments, and the manifest
/// as a JSON string in `payload`) through `edit`, and returns what `edit` does.
pub fn edit_meta<R>(index: &Path, edit: impl FnOnce(&mut serde_json::Value) -> R) -> R {
    let path = index.join("meta.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut meta: serde_json::Value = serde_json::from_str(&text).unwrap();
    let r = edit(&mut meta);
    std::fs::write(&path, meta.to_string()).unwrap();
    r
}

/// Rewrites the manifest of the index at `index` (the `payload` of its `meta.json`) through
/// `edit`, and returns what `edit` does.
pub fn edit_manifest<R>(index: &Path, edit: impl FnOnce(&mut serde_json::Value) -> R) -> R {
    edit_meta(index, |meta| {
        let mut manifest: serde_json::Value =
            serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
        let r = edit(&mut manifest);
        meta["payload"] = serde_json::json!(manifest.to_string());
        r
    })
}

/// True if the process ended by a signal (abort, kill), not by exiting.
pub fn killed_by_signal(out: &Output) -> bool {
    out.status.code().is_none()
}

/// Asserts a failed run printed exactly one line, starting `tracuu:`, with no Rust Debug dump.
pub fn assert_one_clean_error_line(out: &Output) {
    let err = stderr(out);
    let lines: Vec<&str> = err.lines().filter(|l| !l.contains("warning")).collect();
    assert_eq!(lines.len(), 1, "expected one error line: {err}");
    assert!(lines[0].starts_with("tracuu: "), "{err}");
    for debug in [
        "{ ",
        "(\"",
        "Some(",
        "Os {",
        "kind:",
        "panicked",
        "RUST_BACKTRACE",
    ] {
        assert!(!lines[0].contains(debug), "Debug-like {debug:?} in: {err}");
    }
}
