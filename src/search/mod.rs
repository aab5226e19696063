//! Query -> ranked passages: runs a query, ranks exact spellings first, retries typos, and
//! returns hits as plain data with highlights. `compile` turns the syntax tree of
//! [`crate::query`] into tantivy queries; `expand` looks words up in the index's dictionary.
//!
//! Ranking is BM25 over the folded words. When the query carries diacritics (or another script),
//! the passages that match every such word in its exact spelling come first, each group ranked by
//! BM25 (the first over the exact spellings): "Trần Đức Lương" lists passages spelled so above those spelled "Tran Duc Luong". A query
//! typed without diacritics ranks both alike. `--exact` searches the exact spellings only.

mod compile;
mod expand;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument};

use self::compile::{has_diacritic_word, Compiler, Leaf, Plan, Terms};
use self::expand::{doc_freq, fuzzy_terms};
use crate::error::Result;
use crate::index::{Manifest, TracuuIndex};
use crate::query::{self, Fuzz, Node, Operand};
use crate::tokenizer::{self, Mode};

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
        }
    }
}

/// One ranked passage.
#[derive(Clone, Debug, Serialize, PartialEq)]
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
    /// The passage: exactly the file's bytes `[start, end)`.
    pub text: String,
    /// Absolute byte ranges in the file of each matched word.
    pub highlights: Vec<[usize; 2]>,
    /// True if the passage has every word of the query that carries diacritics in that exact
    /// spelling (always true with `--exact`; false for a query without diacritics).
    pub exact: bool,
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
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FileMatch {
    /// Path relative to the corpus root.
    pub source: String,
    /// A path that opens the file.
    pub path: PathBuf,
    /// How many of its passages match.
    pub passages: usize,
}

/// What a search found.
#[derive(Clone, Debug, Serialize)]
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
    /// Where the time went.
    #[serde(skip)]
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
}

impl Engine {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        let idx = TracuuIndex::open(dir)?;
        let reader = idx.reader()?;
        Ok(Engine {
            idx,
            reader,
            cwd: std::env::current_dir().ok(),
        })
    }

    /// What the index holds.
    pub fn manifest(&self) -> &Manifest {
        &self.idx.manifest
    }

    /// Runs `query` and returns the requested page of hits.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<Outcome> {
        let searcher = self.reader.searcher();
        Ok(self.resolve(&searcher, query, options)?.1)
    }

    /// The files with at least one matching passage, sorted by path, and the outcome of the
    /// query (without hits).
    pub fn matching_files(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<(Vec<FileMatch>, Outcome)> {
        let searcher = self.reader.searcher();
        let counting = SearchOptions {
            limit: 1,
            offset: 0,
            ..options.clone()
        };
        let (ast, mut outcome) = self.resolve(&searcher, query, &counting)?;
        outcome.hits.clear();
        let plan = self.plan(&searcher, &ast, options, mode_for(options))?;
        let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
        for addr in searcher.search(&*plan.query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            *per_file
                .entry(str_field(&doc, self.idx.fields.source).to_string())
                .or_default() += 1;
        }
        let files = per_file
            .into_iter()
            .map(|(source, passages)| FileMatch {
                path: self.path_of(&source),
                source,
                passages,
            })
            .collect();
        Ok((files, outcome))
    }

    /// Parses and runs `query`; if nothing matches, retries with typos corrected. Returns the
    /// tree that produced the outcome.
    fn resolve(
        &self,
        searcher: &Searcher,
        query: &str,
        options: &SearchOptions,
    ) -> Result<(Node, Outcome)> {
        let started = Instant::now();
        let ast = query::parse(query)?;
        let mut first = self.run(searcher, &ast, options)?;
        first.timings.search = started.elapsed() - first.timings.fetch;
        if first.total > 0 || !options.correct_typos || options.exact {
            return Ok((ast, first));
        }
        let Some((fixed, corrections)) = self.correct(searcher, &ast) else {
            return Ok((ast, first));
        };
        let mut retry = self.run(searcher, &fixed, options)?;
        retry.timings.search = started.elapsed() - retry.timings.fetch;
        if retry.total == 0 {
            return Ok((ast, first));
        }
        retry.corrections = corrections;
        Ok((fixed, retry))
    }

    fn run(&self, searcher: &Searcher, ast: &Node, options: &SearchOptions) -> Result<Outcome> {
        let mode = mode_for(options);
        let plan = self.plan(searcher, ast, options, mode)?;
        let wanted = options.offset.saturating_add(options.limit).max(1);
        let mut description = plan.text.clone();
        let mut ranked: Vec<(f32, DocAddress, bool)> = Vec::new();
        let mut first_tier: HashSet<DocAddress> = HashSet::new();

        // Tier 1: passages with the query's diacritic words in their exact spelling.
        if mode == Leaf::Folded && has_diacritic_word(ast) {
            let tier = self.plan(searcher, ast, options, Leaf::Tier)?;
            description = format!("{description}; exact spelling first: {}", tier.text);
            // An exact spelling implies the folded one, so without exclusions the exact query
            // alone finds tier 1 (faster: exact postings are shorter), ranked by BM25 over the
            // exact spellings. An exclusion is weaker in exact spelling ("-Lê" keeps "Le"), so
            // then tier 1 must also match the folded query.
            let exact_only: Box<dyn tantivy::query::Query> = if has_exclusion(ast) {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, plan.query.box_clone()),
                    (Occur::Must, Box::new(ConstScoreQuery::new(tier.query, 0.0))),
                ]))
            } else {
                tier.query
            };
            let top = TopDocs::with_limit(wanted).order_by_score();
            for (score, addr) in searcher.search(&*exact_only, &top)? {
                ranked.push((score, addr, true));
                first_tier.insert(addr);
            }
        }
        // Tier 2 (or the only tier): everything else, by BM25. Tier 1 is a subset of this query,
        // so its count is the count of all matches, and its hits are skipped here.
        let mut total = ranked.len();
        if ranked.len() < wanted || options.count {
            let top = TopDocs::with_limit(wanted + first_tier.len()).order_by_score();
            let docs = if options.count {
                let (docs, count) = searcher.search(&*plan.query, &(top, Count))?;
                total = count;
                docs
            } else {
                searcher.search(&*plan.query, &top)?
            };
            for (score, addr) in docs {
                if ranked.len() < wanted && !first_tier.contains(&addr) {
                    ranked.push((score, addr, mode == Leaf::Exact));
                }
            }
            if !options.count {
                total = ranked.len();
            }
        }
        let fetching = Instant::now();
        let mut hits = Vec::new();
        for (i, (score, addr, exact)) in ranked.into_iter().enumerate().skip(options.offset) {
            hits.push(self.hit(searcher, i + 1, score, addr, exact, &plan.terms)?);
        }
        Ok(Outcome {
            hits,
            total,
            query: description,
            corrections: Vec::new(),
            timings: Timings {
                search: Duration::ZERO,
                fetch: fetching.elapsed(),
            },
        })
    }

    fn plan(
        &self,
        searcher: &Searcher,
        ast: &Node,
        options: &SearchOptions,
        mode: Leaf,
    ) -> Result<Plan> {
        let mut compiler = Compiler {
            searcher,
            fields: self.idx.fields,
            mode,
            manifest: &self.idx.manifest,
            terms: Terms::default(),
        };
        let (mut query, mut text) = compiler.node(ast, false)?;
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
        let f = self.idx.fields;
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = str_field(&doc, f.body).to_string();
        let source = str_field(&doc, f.source).to_string();
        let start = u64_field(&doc, f.start);
        let highlights = terms
            .highlights(&text)
            .into_iter()
            .map(|(s, e)| [start + s, start + e])
            .collect();
        Ok(Hit {
            rank,
            score,
            path: self.path_of(&source),
            source,
            start,
            end: u64_field(&doc, f.end),
            line: u64_field(&doc, f.line),
            column: u64_field(&doc, f.column),
            text,
            highlights,
            exact,
        })
    }

    /// A path that opens `source`: relative to the working directory when the corpus is under it.
    fn path_of(&self, source: &str) -> PathBuf {
        let full = self.idx.manifest.corpus.join(source);
        match &self.cwd {
            Some(cwd) => full
                .strip_prefix(cwd)
                .map(Path::to_path_buf)
                .unwrap_or(full),
            None => full,
        }
    }

    /// The query with every unmatched plain word of 5+ letters made typo-tolerant, and what each
    /// word becomes; `None` if no word can be corrected.
    fn correct(&self, searcher: &Searcher, ast: &Node) -> Option<(Node, Vec<Correction>)> {
        let f = self.idx.fields;
        let mut corrections = Vec::new();
        let fixed = map_positive_terms(ast, &mut |op: &Operand| {
            if op.prefix || op.fuzzy.is_some() {
                return None;
            }
            let words = tokenizer::words(&op.text, Mode::Folded);
            let [word] = words.as_slice() else {
                return None;
            };
            let chars = word.text.chars().count();
            if chars < MIN_CORRECTED_CHARS
                || doc_freq(searcher, f.body, &word.text) > 0
                || doc_freq(searcher, f.compound, &word.text) > 0
            {
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
}

fn mode_for(options: &SearchOptions) -> Leaf {
    if options.exact {
        Leaf::Exact
    } else {
        Leaf::Folded
    }
}

/// True if the tree excludes something.
fn has_exclusion(node: &Node) -> bool {
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

fn str_field(doc: &TantivyDocument, field: Field) -> &str {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("")
}

fn u64_field(doc: &TantivyDocument, field: Field) -> usize {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0) as usize
}
