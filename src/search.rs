//! Query -> ranked passages: compiles the syntax tree of [`crate::query`] into tantivy queries,
//! ranks exact spellings first, retries typos, and returns hits as plain data with highlights.
//!
//! Ranking is BM25 over the folded words. When the query carries diacritics (or another script),
//! the passages that match every such word in its exact spelling come first, each group ranked by
//! BM25: "Trần Đức Lương" lists passages spelled so above those spelled "Tran Duc Luong". A query
//! typed without diacritics ranks both alike. `--exact` searches the exact spellings only.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::{Fields, Manifest, TracuuIndex};
use crate::query::{self, Fuzz, Node, Operand};
use crate::tokenizer::{self, Mode};

/// A prefix expands to at most this many words (the most frequent).
const MAX_PREFIX_TERMS: usize = 64;
/// A typo-tolerant word expands to at most this many words (the closest, then most frequent).
const MAX_FUZZY_TERMS: usize = 16;
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
    /// BM25 score (of the folded words).
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
            let exact_only = BooleanQuery::new(vec![
                (Occur::Must, plan.query.box_clone()),
                (Occur::Must, Box::new(ConstScoreQuery::new(tier.query, 0.0))),
            ]);
            let top = TopDocs::with_limit(wanted).order_by_score();
            for (score, addr) in searcher.search(&exact_only, &top)? {
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

/// How leaves are compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Leaf {
    /// Folded words, with compounds and expansions.
    Folded,
    /// Exact spellings only.
    Exact,
    /// Exact spellings for words with diacritics, folded for the rest.
    Tier,
}

/// A compiled query, its description, and the words to highlight.
struct Plan {
    query: Box<dyn Query>,
    text: String,
    terms: Terms,
}

/// The words a query looks for, by field, to highlight in hits.
#[derive(Default, Debug)]
struct Terms {
    folded: HashSet<String>,
    exact: HashSet<String>,
    compound: HashSet<String>,
}

impl Terms {
    /// Byte ranges in `text` of the words to highlight, sorted, overlaps merged.
    fn highlights(&self, text: &str) -> Vec<(usize, usize)> {
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for (mode, set) in [(Mode::Folded, &self.folded), (Mode::Exact, &self.exact)] {
            if !set.is_empty() {
                // Borrowed forms: most words are ASCII and need no allocation.
                tokenizer::for_each_piece(text, |start, end| {
                    if set.contains(tokenizer::normalize(&text[start..end], mode).as_ref()) {
                        ranges.push((start, end));
                    }
                });
            }
        }
        if !self.compound.is_empty() {
            ranges.extend(
                tokenizer::compounds(text)
                    .into_iter()
                    .filter(|w| self.compound.contains(&w.text))
                    .map(|w| (w.start, w.end)),
            );
        }
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (s, e) in ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }
}

struct Compiler<'a> {
    searcher: &'a Searcher,
    fields: Fields,
    mode: Leaf,
    manifest: &'a Manifest,
    terms: Terms,
}

type Compiled = (Box<dyn Query>, String);

impl Compiler<'_> {
    fn node(&mut self, node: &Node, negated: bool) -> Result<Compiled> {
        match node {
            Node::Term(op) => Ok(self.operand(op, negated)),
            Node::Source(glob) => Ok((self.source(glob)?, format!("source:{glob}"))),
            Node::Not(inner) => {
                let (q, text) = self.node(inner, !negated)?;
                let all = Box::new(tantivy::query::AllQuery);
                Ok((
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, all),
                        (Occur::MustNot, q),
                    ])),
                    format!("-{text}"),
                ))
            }
            Node::And(items) => self.and(items, negated),
            Node::Or(items) => {
                let mut clauses = Vec::new();
                let mut texts = Vec::new();
                for item in items {
                    let (q, t) = self.node(item, negated)?;
                    clauses.push((Occur::Should, q));
                    texts.push(t);
                }
                Ok((
                    Box::new(BooleanQuery::new(clauses)),
                    format!("({})", texts.join(" OR ")),
                ))
            }
        }
    }

    fn and(&mut self, items: &[Node], negated: bool) -> Result<Compiled> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut texts = Vec::new();
        let mut i = 0;
        while i < items.len() {
            if let Some(joined) = self.join(items.get(i), items.get(i + 1)) {
                let (a, ta) = self.node(&items[i], negated)?;
                let (b, tb) = self.node(&items[i + 1], negated)?;
                let both = BooleanQuery::new(vec![(Occur::Must, a), (Occur::Must, b)]);
                let alt = self.term_query(self.fields.body, &joined);
                if !negated {
                    self.terms.folded.insert(joined.clone());
                }
                clauses.push((
                    Occur::Must,
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Should, Box::new(both)),
                        (Occur::Should, alt),
                    ])),
                ));
                texts.push(format!("(({ta} {tb}) OR {joined})"));
                i += 2;
                continue;
            }
            match &items[i] {
                Node::Not(inner) => {
                    let (q, t) = self.node(inner, !negated)?;
                    clauses.push((Occur::MustNot, q));
                    texts.push(format!("-{t}"));
                }
                item => {
                    let (q, t) = self.node(item, negated)?;
                    // A source filter restricts without scoring.
                    let q: Box<dyn Query> = if matches!(item, Node::Source(_)) {
                        Box::new(ConstScoreQuery::new(q, 0.0))
                    } else {
                        q
                    };
                    clauses.push((Occur::Must, q));
                    texts.push(t);
                }
            }
            i += 1;
        }
        Ok((
            Box::new(BooleanQuery::new(clauses)),
            format!("({})", texts.join(" ")),
        ))
    }

    /// If `a` and `b` are two plain single words that the corpus also writes as one ("Viet Nam"
    /// and "Vietnam"), that one word.
    fn join(&self, a: Option<&Node>, b: Option<&Node>) -> Option<String> {
        if self.mode != Leaf::Folded {
            return None;
        }
        let single = |n: Option<&Node>| match n {
            Some(Node::Term(op)) if !op.prefix && op.fuzzy.is_none() => {
                let words = tokenizer::words(&op.text, Mode::Folded);
                match words.as_slice() {
                    [w] => Some(w.text.clone()),
                    _ => None,
                }
            }
            _ => None,
        };
        let (a, b) = (single(a)?, single(b)?);
        let joined = format!("{a}{b}");
        (tokenizer::joinable(&a, &b) && doc_freq(self.searcher, self.fields.body, &joined) > 0)
            .then_some(joined)
    }

    fn operand(&mut self, op: &Operand, negated: bool) -> Compiled {
        let exact_leaf = match self.mode {
            Leaf::Exact => true,
            Leaf::Tier => tokenizer::has_diacritics(&op.text),
            Leaf::Folded => false,
        };
        if exact_leaf && !op.prefix && op.fuzzy.is_none() {
            let toks = texts(&op.text, Mode::Exact);
            if !negated {
                self.terms.exact.extend(toks.iter().cloned());
            }
            return (
                self.sequence(self.fields.exact, &toks),
                describe(&toks, "exact:"),
            );
        }
        let words = tokenizer::words(&op.text, Mode::Folded);
        let toks: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
        if let (Some(fuzz), [tok]) = (op.fuzzy, toks.as_slice()) {
            return self.fuzzy(tok, fuzz, negated);
        }
        if op.prefix {
            return self.prefix(&toks, negated);
        }
        if !negated {
            self.terms.folded.extend(toks.iter().cloned());
        }
        let mut alternatives = vec![self.sequence(self.fields.body, &toks)];
        let mut text = describe(&toks, "");
        if let [tok] = toks.as_slice() {
            if doc_freq(self.searcher, self.fields.compound, tok) > 0 {
                alternatives.push(self.term_query(self.fields.compound, tok));
                if !negated {
                    self.terms.compound.insert(tok.clone());
                }
                text = format!("({text} OR compound:{tok})");
            }
        } else {
            for i in 0..toks.len() - 1 {
                let gap = &op.text[words[i].end..words[i + 1].start];
                let hyphen = matches!(gap, "-" | "\u{2010}" | "\u{2011}");
                if !hyphen && !tokenizer::joinable(&toks[i], &toks[i + 1]) {
                    continue;
                }
                let mut merged = toks.clone();
                let second = merged.remove(i + 1);
                merged[i].push_str(&second);
                if doc_freq(self.searcher, self.fields.body, &merged[i]) > 0 {
                    if !negated {
                        self.terms.folded.insert(merged[i].clone());
                    }
                    text = format!("{text} OR {}", describe(&merged, ""));
                    alternatives.push(self.sequence(self.fields.body, &merged));
                }
            }
            if alternatives.len() > 1 {
                text = format!("({text})");
            }
        }
        let query = if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            Box::new(BooleanQuery::new(
                alternatives
                    .into_iter()
                    .map(|q| (Occur::Should, q))
                    .collect(),
            ))
        };
        (query, text)
    }

    fn prefix(&mut self, toks: &[String], negated: bool) -> Compiled {
        let (last, head) = toks.split_last().expect("operands have words");
        let expansions = prefix_terms(self.searcher, self.fields.body, last);
        if !negated {
            self.terms.folded.extend(head.iter().cloned());
            self.terms.folded.extend(expansions.iter().cloned());
        }
        let text = format!(
            "{}*[{}]",
            describe(toks, ""),
            expansions
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(",")
        );
        let clauses: Vec<(Occur, Box<dyn Query>)> = expansions
            .iter()
            .map(|e| {
                let mut seq = head.to_vec();
                seq.push(e.clone());
                (Occur::Should, self.sequence(self.fields.body, &seq))
            })
            .collect();
        (or_nothing(clauses), text)
    }

    fn fuzzy(&mut self, tok: &str, fuzz: Fuzz, negated: bool) -> Compiled {
        let distance = match fuzz {
            Fuzz::Distance(d) => d,
            Fuzz::Auto if tok.chars().count() >= DISTANCE_TWO_CHARS => 2,
            Fuzz::Auto => 1,
        };
        let expansions = fuzzy_terms(self.searcher, self.fields.body, tok, distance);
        if !negated {
            self.terms
                .folded
                .extend(expansions.iter().map(|(t, _)| t.clone()));
        }
        let text = format!(
            "{tok}~{distance}[{}]",
            expansions
                .iter()
                .take(5)
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        let clauses = expansions
            .into_iter()
            .map(|(t, d)| {
                let q = self.term_query(self.fields.body, &t);
                let boosted: Box<dyn Query> = Box::new(BoostQuery::new(q, 1.0 / (1 + d) as f32));
                (Occur::Should, boosted)
            })
            .collect();
        (or_nothing(clauses), text)
    }

    /// Only passages of the files whose source matches `glob` (or contains it, without wildcards).
    fn source(&self, glob: &str) -> Result<Box<dyn Query>> {
        let matcher = if glob.contains(['*', '?', '[', '{']) {
            let g = globset::GlobBuilder::new(glob)
                .literal_separator(false)
                .build()
                .map_err(|e| Error::Query(format!("bad source glob `{glob}`: {e}")))?
                .compile_matcher();
            Box::new(move |s: &str| g.is_match(s)) as Box<dyn Fn(&str) -> bool>
        } else {
            let needle = glob.to_string();
            Box::new(move |s: &str| s.contains(needle.as_str()))
        };
        let clauses: Vec<(Occur, Box<dyn Query>)> = self
            .manifest
            .files
            .keys()
            .filter(|s| matcher(s))
            .map(|s| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.source, s),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        Ok(Box::new(ConstScoreQuery::new(or_nothing(clauses), 0.0)))
    }

    fn term_query(&self, field: Field, text: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// One word as a term query, several as a phrase.
    fn sequence(&self, field: Field, toks: &[String]) -> Box<dyn Query> {
        match toks {
            [one] => self.term_query(field, one),
            _ => Box::new(PhraseQuery::new(
                toks.iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            )),
        }
    }
}

fn or_nothing(clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if clauses.is_empty() {
        Box::new(EmptyQuery)
    } else {
        Box::new(BooleanQuery::new(clauses))
    }
}

fn texts(text: &str, mode: Mode) -> Vec<String> {
    tokenizer::words(text, mode)
        .into_iter()
        .map(|w| w.text)
        .collect()
}

fn describe(toks: &[String], prefix: &str) -> String {
    match toks {
        [one] => format!("{prefix}{one}"),
        _ => format!("{prefix}\"{}\"", toks.join(" ")),
    }
}

/// True if some word the query looks for carries diacritics (or another script).
fn has_diacritic_word(node: &Node) -> bool {
    match node {
        Node::Term(op) => !op.prefix && op.fuzzy.is_none() && tokenizer::has_diacritics(&op.text),
        Node::Source(_) | Node::Not(_) => false,
        Node::And(items) | Node::Or(items) => items.iter().any(has_diacritic_word),
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

fn doc_freq(searcher: &Searcher, field: Field, text: &str) -> u64 {
    searcher
        .doc_freq(&Term::from_field_text(field, text))
        .unwrap_or(0)
}

/// The words of `field` that start with `prefix`, the most frequent first.
fn prefix_terms(searcher: &Searcher, field: Field, prefix: &str) -> Vec<String> {
    let mut found: HashSet<String> = HashSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
            continue;
        };
        while stream.advance() {
            if !stream.key().starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                found.insert(term.to_string());
            }
        }
    }
    let mut ranked: Vec<(u64, String)> = found
        .into_iter()
        .map(|t| (doc_freq(searcher, field, &t), t))
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked
        .into_iter()
        .take(MAX_PREFIX_TERMS)
        .map(|(_, t)| t)
        .collect()
}

/// A Levenshtein automaton over term bytes, for tantivy's term dictionary.
struct Levenshtein<'a>(&'a DFA);

impl tantivy_fst::Automaton for Levenshtein<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

fn automaton_builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let d = distance.min(2);
    BUILDERS[d as usize].get_or_init(|| LevenshteinAutomatonBuilder::new(d, true))
}

/// The words of `field` within `distance` edits of `word` (a transposition is one edit), closest
/// first, then the most frequent.
fn fuzzy_terms(searcher: &Searcher, field: Field, word: &str, distance: u8) -> Vec<(String, u8)> {
    let dfa = automaton_builder(distance).build_dfa(word);
    let mut found: BTreeMap<String, u8> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().search(Levenshtein(&dfa)).into_stream() else {
            continue;
        };
        while stream.advance() {
            if let (Ok(term), Distance::Exact(d)) =
                (std::str::from_utf8(stream.key()), dfa.eval(stream.key()))
            {
                found.insert(term.to_string(), d);
            }
        }
    }
    let mut ranked: Vec<(u8, u64, String)> = found
        .into_iter()
        .map(|(t, d)| (d, doc_freq(searcher, field, &t), t))
        .collect();
    ranked.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    ranked
        .into_iter()
        .take(MAX_FUZZY_TERMS)
        .map(|(d, _, t)| (t, d))
        .collect()
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
