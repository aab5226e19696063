//! Query -> ranked passages: runs a query, ranks exact spellings first, retries typos, and
//! returns hits as plain data with highlights. `compile` turns the syntax tree of
//! [`crate::search::query`] into tantivy queries; `expand` looks words up in the index's dictionary.
//!
//! Ranking is BM25 over the folded words. When the query carries diacritics (or another script),
//! the passages that match every such word in its exact spelling come first, each group ranked by
//! BM25 (the first over the exact spellings): "Trần Đức Lương" lists passages spelled so above those spelled "Tran Duc Luong". A query
//! typed without diacritics ranks both alike. `--exact` searches the exact spellings only.

mod abbrev;
mod cancel;
mod compile;
mod expand;
mod files;
mod many;
mod partial;
mod quantize;
pub mod query;
mod rank;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur};

use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument};

pub use self::cancel::Cancel;
pub use self::compile::counts_as_typed;
use self::compile::{Compiler, Leaf, Plan};
// What an engine's query translation (`crate::engine`) shares with local search.
pub use self::compile::Terms;
pub(crate) use self::compile::{also_as, describe, has_diacritic_word, Also};
use self::expand::{doc_freq, fuzzy_terms};
pub use self::many::Engines;
use self::query::{Fuzz, Node, Operand};
use self::rank::Rankable;
use crate::error::{Error, Result};
use crate::extract::{Format, Offsets, Place};
use crate::store::stats::Stats;
use crate::store::{display_source, Manifest, TracuuIndex};
use crate::text::{self, Mode};

/// Words shorter than this are never corrected automatically.
const MIN_CORRECTED_CHARS: usize = 5;
/// Words at least this long may be corrected at edit distance 2.
const DISTANCE_TWO_CHARS: usize = 9;

/// How to search.
#[derive(Clone, Debug)]
pub struct SearchOptions {
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first (paging).
    pub offset: usize,
    /// Accent-sensitive: match exact spellings only.
    pub exact: bool,
    /// Only files whose path (relative to the corpus) matches this glob, or contains it if it has
    /// no wildcard.
    pub source: Option<String>,
    /// When nothing matches, retry unmatched words with typo tolerance.
    pub correct_typos: bool,
    /// Count every matching passage (slower on large indexes: no top-k pruning).
    pub count: bool,
    /// Break each hit's score down into BM25, proximity and tier ([`Hit::explain`]).
    pub explain: bool,
    /// When no passage holds every word of a query of three or more, answer with the passages
    /// that hold the most of them, each hit naming the words it lacks ([`Hit::missing`],
    /// [`Outcome::missing`]; the rules in `partial.rs`). Never for [`Engine::matching_files`].
    /// Off by default; `tracuu search` turns it on unless `--all-words`, `--count` or `--files`
    /// is given.
    pub partial: bool,
    /// Gives the search up (with [`crate::Error::Cancelled`]) once a newer one replaced it.
    pub cancel: Cancel,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            exact: false,
            source: None,
            correct_typos: true,
            count: false,
            explain: false,
            partial: false,
            cancel: Cancel::default(),
        }
    }
}

/// One ranked passage.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// 1-based rank, counting from the first hit of the first page.
    pub rank: usize,
    /// BM25 score: of the exact spellings for the exact-spelling tier of a query without
    /// exclusions, else of the folded words.
    pub score: f32,
    /// Path of the file relative to the corpus root.
    pub source: String,
    /// A path that opens the file: relative to the working directory when under it.
    pub path: PathBuf,
    /// Byte offset of the passage in the file.
    pub start: usize,
    /// Byte offset just past the passage.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in characters.
    pub column: usize,
    /// The passage as extracted (markup removed, entities decoded): for a plain UTF-8 text file,
    /// exactly the file's bytes `[start, end)`.
    pub text: String,
    /// Absolute byte ranges in the file of each matched word.
    pub highlights: Vec<[usize; 2]>,
    /// The same matched words as byte ranges of `text`.
    pub text_highlights: Vec<[usize; 2]>,
    /// True if the passage has every word of the query that carries diacritics in that exact
    /// spelling (always true with `--exact`; false for a query without diacritics).
    pub exact: bool,
    /// The format the file was read as.
    pub format: Format,
    /// The encoding the file was decoded from (`utf-8`, `utf-16le`, `windows-1258`, `vni`, …).
    pub encoding: String,
    /// The document's title, if it has one (HTML, Markdown, EPUB).
    pub title: Option<String>,
    /// What `start`, `end` and `highlights` count: bytes of the file, or of the extracted text
    /// (PDF, DOCX, ODT, EPUB, compressed files).
    pub offsets: Offsets,
    /// Where in its document the passage is: a PDF page, an EPUB chapter, a DOCX/ODT paragraph.
    pub place: Option<Place>,
    /// Where the score came from, if [`SearchOptions::explain`] was set.
    pub explain: Option<Explain>,
    /// The words of the query, as typed, that the passage lacks: empty, unless no passage held
    /// every word and [`SearchOptions::partial`] asked for the passages that hold the most.
    pub missing: Vec<String>,
}

impl Hit {
    /// A hit of rank 1 in a plain UTF-8 text file: its passage `text` starts at byte `start`
    /// (line `line`, column `column`), and `matched` are the matched words as byte ranges of
    /// `text`. For tests and tools that build hits by hand.
    pub fn in_text_file(
        source: &str,
        path: impl Into<PathBuf>,
        (start, line, column): (usize, usize, usize),
        text: &str,
        matched: &[[usize; 2]],
    ) -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            source: source.to_string(),
            path: path.into(),
            start,
            end: start + text.len(),
            line,
            column,
            text: text.to_string(),
            highlights: matched
                .iter()
                .map(|&[s, e]| [start + s, start + e])
                .collect(),
            text_highlights: matched.to_vec(),
            exact: false,
            format: Format::Text,
            encoding: "utf-8".into(),
            title: None,
            offsets: Offsets::File,
            place: None,
            explain: None,
            missing: Vec::new(),
        }
    }
}

/// Where a hit's score came from.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Explain {
    /// BM25 of the query's words: over the exact spellings in the exact tier, else folded.
    pub bm25: f32,
    /// What adjacent query words standing together in the passage added.
    pub proximity: f32,
    /// `exact` if the hit is in the exact-spelling tier (ranked before every other), else
    /// `folded`.
    pub tier: &'static str,
}

/// The proximity windows of one search, by tier (0: the exact-spelling tier, 1: the rest).
#[derive(Default)]
pub(crate) struct Windows<'a> {
    /// Which passages get proximity in each tier (see [`rank::Window::within`]).
    pub within: [Option<rank::Within<'a>>; 2],
    /// Whether to report each tier's own window in `probes`.
    pub probing: bool,
    /// The BM25 keys of each tier's own window, filled by the search if `probing`.
    pub probes: [Vec<rank::Key>; 2],
}

/// A ranked passage before it is fetched.
struct Placed {
    ranked: rank::Ranked,
    /// In the exact-spelling tier.
    exact: bool,
}

impl Placed {
    /// Where its score came from.
    fn explain(&self, mode: Leaf) -> Explain {
        Explain {
            bm25: self.ranked.bm25,
            proximity: self.ranked.proximity,
            tier: if self.exact || mode == Leaf::Exact {
                "exact"
            } else {
                "folded"
            },
        }
    }
}

/// A word the typo retry replaced.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Correction {
    /// As typed.
    pub from: String,
    /// The closest word of the index.
    pub to: String,
}

/// A file with matching passages.
#[derive(Clone, Debug, PartialEq)]
pub struct FileMatch {
    /// Path relative to the corpus root.
    pub source: String,
    /// A path that opens the file.
    pub path: PathBuf,
    /// How many of its passages match.
    pub passages: usize,
}

/// What a search found.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// How many passages match in all, if [`SearchOptions::count`] was set; else how many were
    /// found while filling the page (0 only if nothing matches).
    pub total: usize,
    /// The query as parsed and folded, for debugging.
    pub query: String,
    /// Words corrected by the typo retry (empty if none was needed).
    pub corrections: Vec<Correction>,
    /// The words, as typed, that every hit lacks: empty unless no passage holds every word and
    /// [`SearchOptions::partial`] answered with the passages that hold the most of them (`total`
    /// then counts those).
    pub missing: Vec<String>,
    /// Where the time went.
    pub timings: Timings,
}

/// Time spent on one search, by phase.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timings {
    /// Parsing, compiling, matching, ranking and counting (typo retries included).
    pub search: Duration,
    /// Fetching the stored passages of the page and highlighting them.
    pub fetch: Duration,
}

/// An open index, ready to answer queries.
pub struct Engine {
    idx: TracuuIndex,
    reader: IndexReader,
    cwd: Option<PathBuf>,
    stats: Stats,
}

impl Engine {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        crate::store::contain(dir, || {
            let idx = TracuuIndex::open(dir)?;
            let reader = idx.reader()?;
            let stats = Stats::load(&reader.searcher(), dir, &idx.fields.scored());
            Ok(Engine {
                idx,
                reader,
                cwd: std::env::current_dir().ok(),
                stats,
            })
        })
    }

    /// What the index holds.
    pub fn manifest(&self) -> &Manifest {
        &self.idx.manifest
    }

    /// Makes every engine of `engines` score with statistics over all of them (document counts,
    /// document frequencies, token totals), as if they were one index: see [`Engines`].
    pub fn share_statistics(engines: &mut [Engine]) {
        if engines.len() < 2 {
            return;
        }
        let peers: Vec<_> = engines
            .iter()
            .map(|e| e.stats.peer(&e.reader.searcher()))
            .collect();
        for (i, engine) in engines.iter_mut().enumerate() {
            let others = peers
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, p)| p.clone())
                .collect();
            engine.stats.set_peers(others);
        }
    }

    /// Runs `query` and returns the requested page of hits.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<Outcome> {
        self.search_windowed(query, options, &mut Windows::default())
    }

    /// [`Engine::search`] with the proximity windows as `windows` says, reporting this index's
    /// own windows in it (for [`Engines`]).
    pub(crate) fn search_windowed(
        &self,
        query: &str,
        options: &SearchOptions,
        windows: &mut Windows<'_>,
    ) -> Result<Outcome> {
        let searcher = self.reader.searcher();
        self.guard(|| Ok(self.resolve(&searcher, query, options, windows)?.1))
    }

    /// Runs `f`, which reads this index, naming the index in what goes wrong inside tantivy:
    /// an error, or a panic (tantivy panics on some damaged files), becomes
    /// [`Error::DamagedIndex`], whose message says how to repair this index. Search does not
    /// verify checksums (that reads every byte; `tracuu check` does), so this is where damage
    /// that tantivy trips over is reported.
    fn guard<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        match crate::store::contain(&self.idx.dir, f) {
            Err(Error::Tantivy(damage)) => Err(Error::DamagedIndex {
                path: self.idx.dir.clone(),
                damage,
            }),
            other => other,
        }
    }

    /// The files with at least one matching passage, sorted by path, and the outcome of the
    /// query (without hits).
    pub fn matching_files(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<(Vec<FileMatch>, Outcome)> {
        self.guard(|| self.files_matching(query, options))
    }

    fn files_matching(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<(Vec<FileMatch>, Outcome)> {
        let searcher = self.reader.searcher();
        // The files of the passages that hold every word: a list of files never falls back.
        let counting = SearchOptions {
            limit: 1,
            offset: 0,
            partial: false,
            ..options.clone()
        };
        let (ast, mut outcome) =
            self.resolve(&searcher, query, &counting, &mut Windows::default())?;
        outcome.hits.clear();
        let plan = self.plan(&searcher, &ast, options, mode_for(options), false)?;
        let matching = quantize::unquantize(&*plan.query, &mut 0);
        let per_file = files::passages_per_source(&searcher, &*matching)?;
        let files = per_file
            .into_iter()
            .map(|(source, passages)| FileMatch {
                path: self.path_of(&source),
                source: display_source(&source),
                passages,
            })
            .collect();
        Ok((files, outcome))
    }

    /// Parses and runs `query`; if nothing matches, retries with typos corrected, and then, if
    /// [`SearchOptions::partial`], without some of its words (see `partial.rs`). Returns the
    /// tree that produced the outcome.
    fn resolve(
        &self,
        searcher: &Searcher,
        query: &str,
        options: &SearchOptions,
        windows: &mut Windows<'_>,
    ) -> Result<(Node, Outcome)> {
        let started = Instant::now();
        let ast = query::parse(query)?;
        let mut first = self.run(searcher, &ast, options, windows)?;
        first.timings.search = started.elapsed() - first.timings.fetch;
        if first.total > 0 {
            return Ok((ast, first));
        }
        if options.correct_typos && !options.exact {
            if let Some((fixed, corrections)) = self.correct(searcher, &ast) {
                let mut retry = self.run(searcher, &fixed, options, windows)?;
                retry.timings.search = started.elapsed() - retry.timings.fetch;
                if retry.total > 0 {
                    retry.corrections = corrections;
                    return Ok((fixed, retry));
                }
            }
        }
        if options.partial {
            if let Some((fewer, mut found)) =
                self.fall_back(searcher, &ast, query, options, windows)?
            {
                found.timings.search = started.elapsed() - found.timings.fetch;
                return Ok((fewer, found));
            }
        }
        Ok((ast, first))
    }

    fn run(
        &self,
        searcher: &Searcher,
        ast: &Node,
        options: &SearchOptions,
        windows: &mut Windows<'_>,
    ) -> Result<Outcome> {
        options.cancel.check()?;
        windows.probes = Default::default();
        let mode = mode_for(options);
        let plan = self.plan(searcher, ast, options, mode, true)?;
        // No page can hold more hits than the index has passages: a huge --offset or --limit
        // costs nothing extra.
        let live = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let wanted = options
            .offset
            .saturating_add(options.limit)
            .min(live)
            .max(1);
        let mut description = plan.text.clone();
        let mut placed: Vec<Placed> = Vec::new();
        let mut first_tier: HashSet<DocAddress> = HashSet::new();

        // Tier 1: passages with the query's words in the spelling typed. Tier 2 (or the only
        // tier): everything else, by BM25. Tier 1 is a subset of tier 2's query, so that one's
        // count is the count of all matches, and tier 1's hits are skipped there.
        let exact_tier = if mode == Leaf::Folded && has_diacritic_word(ast) {
            let (tier_text, query) = self.exact_tier(searcher, ast, options, mode)?;
            description = format!("{description}; exact spelling first: {tier_text}");
            Some(query)
        } else {
            None
        };
        let everything = Rankable::new(plan.query, plan.pairs);
        let tiers = [
            (exact_tier.as_ref(), 0, true),
            (Some(&everything), 1, mode == Leaf::Exact),
        ];
        for (query, tier, exact) in tiers {
            let Some(query) = query.filter(|_| placed.len() < wanted) else {
                continue;
            };
            let k = wanted - placed.len();
            let ranked = self.top(
                searcher,
                query,
                k,
                &first_tier,
                windows,
                tier,
                &options.cancel,
            )?;
            placed.extend(ranked.into_iter().map(|ranked| Placed { ranked, exact }));
            first_tier.extend(placed.iter().map(|p| p.ranked.addr));
        }
        let total = if options.count {
            cancel::count(searcher, &*everything.fast, &options.cancel)?
        } else {
            placed.len()
        };
        options.cancel.check()?;
        let fetching = Instant::now();
        let hits = self.fetch(searcher, placed, options, mode, &plan.terms)?;
        Ok(Outcome {
            hits,
            total,
            query: description,
            corrections: Vec::new(),
            missing: Vec::new(),
            timings: Timings {
                search: Duration::ZERO,
                fetch: fetching.elapsed(),
            },
        })
    }

    /// The query of tier 1 (its description, and the query ranked): an exact spelling implies
    /// the folded one, so without exclusions the exact query alone finds tier 1 (faster: exact
    /// postings are shorter), ranked by BM25 over the exact spellings. An exclusion is weaker in
    /// exact spelling ("-Lê" keeps "Le"), so then tier 1 must also match the folded query, and
    /// is ranked by it.
    fn exact_tier(
        &self,
        searcher: &Searcher,
        ast: &Node,
        options: &SearchOptions,
        mode: Leaf,
    ) -> Result<(String, Rankable)> {
        let tier = self.plan(searcher, ast, options, Leaf::Tier, true)?;
        let ranked = if has_exclusion(ast) {
            let folded = self.plan(searcher, ast, options, mode, true)?;
            Rankable::new(
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, folded.query),
                    (Occur::Must, Box::new(ConstScoreQuery::new(tier.query, 0.0))),
                ])),
                folded.pairs,
            )
        } else {
            Rankable::new(tier.query, tier.pairs)
        };
        Ok((tier.text, ranked))
    }

    /// The hits of the placed passages from `options.offset` on, read from the index.
    fn fetch(
        &self,
        searcher: &Searcher,
        placed: Vec<Placed>,
        options: &SearchOptions,
        mode: Leaf,
        terms: &Terms,
    ) -> Result<Vec<Hit>> {
        let mut hits = Vec::new();
        for (i, p) in placed.into_iter().enumerate().skip(options.offset) {
            let mut hit = self.hit(
                searcher,
                i + 1,
                p.ranked.score,
                p.ranked.addr,
                p.exact,
                terms,
            )?;
            if options.explain {
                hit.explain = Some(p.explain(mode));
            }
            hits.push(hit);
        }
        Ok(hits)
    }

    /// The best `k` passages of `query` that are not in `skip`, best first, in a deterministic
    /// order: by score, then equal scores by source path and byte offset (see [`rank`]).
    // The search's state travels as arguments: a struct for one private call would only hide it.
    #[allow(clippy::too_many_arguments)]
    fn top(
        &self,
        searcher: &Searcher,
        query: &Rankable,
        k: usize,
        skip: &HashSet<DocAddress>,
        windows: &mut Windows<'_>,
        tier: usize,
        cancel: &Cancel,
    ) -> Result<Vec<rank::Ranked>> {
        let mut window = rank::Window {
            within: windows.within[tier],
            probe: windows.probing.then(Vec::new),
        };
        let ranked = rank::top_windowed(
            searcher,
            &self.stats.provider(searcher),
            query,
            k,
            skip,
            &mut window,
            cancel,
        )?;
        cancel.check()?;
        windows.probes[tier] = window.probe.unwrap_or_default();
        Ok(ranked)
    }

    fn plan(
        &self,
        searcher: &Searcher,
        ast: &Node,
        options: &SearchOptions,
        mode: Leaf,
        proximity: bool,
    ) -> Result<Plan> {
        let mut compiler = Compiler {
            searcher,
            fields: self.idx.fields,
            mode,
            terms: Terms::default(),
            proximity,
            pairs: Vec::new(),
            depth: 0,
        };
        let (mut query, mut text) = compiler.node(ast, false)?;
        // A lone word's score is no sum, so it needs no rounding, and unwrapped it keeps
        // tantivy's block-max pruning.
        if let Some(leaf) = query.downcast_ref::<quantize::Quantized>() {
            query = leaf.0.box_clone();
        }
        if let Some(glob) = &options.source {
            let filter = compiler.source(glob)?;
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, filter),
            ]));
            text = format!("{text} source:{glob}");
        }
        Ok(Plan {
            query,
            text,
            terms: compiler.terms,
            pairs: compiler.pairs,
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        rank: usize,
        score: f32,
        addr: DocAddress,
        exact: bool,
        terms: &Terms,
    ) -> Result<Hit> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let passage = crate::store::document::read(&doc, &self.idx.fields);
        let start = passage.start;
        let text_highlights: Vec<[usize; 2]> = terms
            .highlights(passage.text)
            .into_iter()
            .map(|(s, e)| [s, e])
            .collect();
        let highlights = text_highlights
            .iter()
            .map(|&[s, e]| match &passage.map {
                Some(m) => {
                    let r = m.file_range(s..e);
                    [start + r.start, start + r.end]
                }
                None => [start + s, start + e],
            })
            .collect();
        Ok(Hit {
            rank,
            score,
            path: self.path_of(passage.source),
            source: display_source(passage.source),
            start,
            end: passage.end,
            line: passage.line,
            column: passage.column,
            text: passage.text.to_string(),
            highlights,
            text_highlights,
            exact,
            format: passage.format,
            encoding: passage.encoding.to_string(),
            title: passage.title.map(str::to_string),
            offsets: passage.offsets,
            place: passage.place,
            explain: None,
            missing: Vec::new(),
        })
    }

    /// A path that opens `source`: relative to the working directory when the corpus is under it.
    fn path_of(&self, source: &str) -> PathBuf {
        let full = crate::store::source::in_corpus(&self.idx.manifest.corpus, source);
        match &self.cwd {
            Some(cwd) => full
                .strip_prefix(cwd)
                .map(Path::to_path_buf)
                .unwrap_or(full),
            None => full,
        }
    }

    /// The query with every unmatched plain word corrected, and what each word becomes; `None`
    /// if no word can be corrected. A word typed in Telex or VNI keys becomes the syllable it
    /// spells, if the index has that syllable ("Traanf" -> "Trần"); else a word of 5+ letters is
    /// made typo-tolerant.
    fn correct(&self, searcher: &Searcher, ast: &Node) -> Option<(Node, Vec<Correction>)> {
        let f = self.idx.fields;
        let mut corrections = Vec::new();
        let fixed = map_positive_terms(ast, &mut |op: &Operand| {
            // An abbreviation's forms come from its table, not from the user's fingers.
            if op.prefix || op.fuzzy.is_some() || op.expansion {
                return None;
            }
            let words = text::words(&op.text, Mode::Folded);
            let [word] = words.as_slice() else {
                return None;
            };
            if doc_freq(searcher, f.body, &word.text) > 0
                || doc_freq(searcher, f.compound, &word.text) > 0
            {
                return None;
            }
            let typed = &op.text[word.start..word.end];
            if let Some(syllable) = self.keyed_syllable(searcher, typed) {
                corrections.push(Correction {
                    from: op.text.clone(),
                    to: syllable.clone(),
                });
                return Some(Operand {
                    text: syllable,
                    ..op.clone()
                });
            }
            let chars = word.text.chars().count();
            if chars < MIN_CORRECTED_CHARS {
                return None;
            }
            let distance = if chars >= DISTANCE_TWO_CHARS { 2 } else { 1 };
            let best = fuzzy_terms(searcher, f.body, &word.text, distance)
                .into_iter()
                .next()?;
            let mut to = best.0;
            if op.text.chars().next().is_some_and(char::is_uppercase) {
                to = capitalize(&to);
            }
            corrections.push(Correction {
                from: op.text.clone(),
                to,
            });
            Some(Operand {
                fuzzy: Some(Fuzz::Distance(distance)),
                ..op.clone()
            })
        });
        (!corrections.is_empty()).then_some((fixed, corrections))
    }

    /// The syllable that `typed` spells in Telex or VNI keys ([`text::from_keys`]), if the index
    /// has it in that exact spelling.
    fn keyed_syllable(&self, searcher: &Searcher, typed: &str) -> Option<String> {
        let syllable = text::from_keys(typed)?;
        let exact = text::exact(&syllable);
        (doc_freq(searcher, self.idx.fields.exact, &exact) > 0).then_some(syllable)
    }
}

fn mode_for(options: &SearchOptions) -> Leaf {
    if options.exact {
        Leaf::Exact
    } else {
        Leaf::Folded
    }
}

/// True if the tree excludes something.
pub(crate) fn has_exclusion(node: &Node) -> bool {
    match node {
        Node::Not(_) => true,
        Node::Term(_) | Node::Source(_) => false,
        Node::And(items) | Node::Or(items) => items.iter().any(has_exclusion),
    }
}

/// A copy of the tree where `f` may replace each term that is not under an exclusion.
fn map_positive_terms(node: &Node, f: &mut dyn FnMut(&Operand) -> Option<Operand>) -> Node {
    match node {
        Node::Term(op) => Node::Term(f(op).unwrap_or_else(|| op.clone())),
        Node::Source(_) | Node::Not(_) => node.clone(),
        Node::And(items) => Node::And(items.iter().map(|n| map_positive_terms(n, f)).collect()),
        Node::Or(items) => Node::Or(items.iter().map(|n| map_positive_terms(n, f)).collect()),
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
