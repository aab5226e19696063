//! tracuu's query plan in the search DSL of OpenSearch/Elasticsearch: the syntax tree of
//! [`crate::search::query`] compiled as [`crate::search`] compiles it for tantivy, clause for
//! clause, into `bool`/`term`/`match_phrase` over the pre-analysed fields `folded`, `exact` and
//! `compound` (BM25 summed over the clauses, as tantivy sums it), so that the engine ranks as
//! local search does.
//!
//! - A word is a `term`; several words a `match_phrase` of tracuu's own tokens, with a `_`
//!   wherever tracuu's positions leave a gap (the field's analyser drops `_` and keeps the gap).
//! - The alternatives local search adds when the index has them (a compound, words joined, a
//!   hyphenated word as one) are asked of a [`Dictionary`]: the engine's, or a fixed one in tests.
//! - A prefix expands to the most frequent words that the [`Dictionary`] finds for it, each a
//!   scored `term`, as tantivy expands it (an engine's `prefix` query scores every match alike).
//! - `word~` is an engine `fuzzy` query (its scores differ from local search's).
//! - `source:` is a `filter`: `prefix` for `GLOB*`, else `wildcard` (on the path and on the file
//!   that holds a member), which an engine answers but the Lucene test server does not.
//! - Proximity pairs of the top-level words are returned apart, for the request's `rescore`.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::search::counts_as_typed;
use crate::search::query::{Fuzz, Node, Operand};
use crate::search::Terms;
use crate::search::{also_as, describe, Also};
use crate::text::{self, Mode};

/// The field of folded words.
pub const FOLDED: &str = "folded";
/// The field of exact spellings.
pub const EXACT: &str = "exact";
/// The field of compounds.
pub const COMPOUND: &str = "compound";
/// The token the exported fields carry wherever tracuu leaves a position gap.
pub const GAP: &str = "_";
/// Words shorter than this get distance 2 only when asked (`word~2`), as locally.
const DISTANCE_TWO_CHARS: usize = 9;

/// What the translation needs to know of the engine's words: what local search reads from its
/// dictionary.
pub trait Dictionary {
    /// How many passages have `term` in `field` ([`FOLDED`], [`EXACT`] or [`COMPOUND`]).
    fn doc_freq(&mut self, field: &str, term: &str) -> Result<u64>;
    /// The folded words that start with `prefix`, the most frequent first (at most 64).
    fn prefix_terms(&mut self, prefix: &str) -> Result<Vec<String>>;
}

/// How leaves are read (as [`crate::search`] reads them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leaf {
    /// Folded words, with compounds and expansions.
    Folded,
    /// Exact spellings only.
    Exact,
    /// Exact spellings for the words typed with diacritics, folded for the rest.
    Tier,
}

/// A translated query.
pub struct Plan {
    /// The DSL query.
    pub query: Value,
    /// Its description, as local search gives it (`query` in JSON hits).
    pub text: String,
    /// The words to highlight in hits.
    pub terms: Terms,
    /// The `match_phrase` of each proximity pair of the top-level words, for the rescore.
    pub pairs: Vec<Value>,
}

/// Translates `ast` with leaves read as `mode`, and only passages of `source` if given.
pub fn plan(
    dict: &mut dyn Dictionary,
    ast: &Node,
    mode: Leaf,
    source: Option<&str>,
) -> Result<Plan> {
    let mut t = Translator {
        dict,
        mode,
        terms: Terms::default(),
        pairs: Vec::new(),
        depth: 0,
    };
    let (mut query, mut text) = t.node(ast, false)?;
    if let Some(glob) = source {
        query = json!({"bool": {"must": [query], "filter": [source_filter(glob)?]}});
        text = format!("{text} source:{glob}");
    }
    Ok(Plan {
        query,
        text,
        terms: t.terms,
        pairs: t.pairs,
    })
}

struct Translator<'a> {
    dict: &'a mut dyn Dictionary,
    mode: Leaf,
    terms: Terms,
    pairs: Vec<Value>,
    depth: usize,
}

type Translated = (Value, String);

fn bool_of(clauses: Vec<(&'static str, Value)>) -> Value {
    let mut b = serde_json::Map::new();
    for (occur, q) in clauses {
        b.entry(occur)
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .expect("an array")
            .push(q);
    }
    json!({ "bool": b })
}

fn term(field: &str, text: &str) -> Value {
    json!({"term": {field: text}})
}

/// One word as a `term`, several as a `match_phrase` at tracuu's positions: a [`GAP`] token
/// stands for each position skipped.
fn sequence(field: &str, toks: &[String], positions: &[usize]) -> Value {
    if let [one] = toks {
        return term(field, one);
    }
    let mut words: Vec<&str> = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        if i > 0 {
            let gap = positions[i].saturating_sub(positions[i - 1] + 1);
            words.extend(std::iter::repeat_n(GAP, gap));
        }
        words.push(tok);
    }
    json!({"match_phrase": {field: words.join(" ")}})
}

fn or_nothing(clauses: Vec<Value>) -> Value {
    if clauses.is_empty() {
        json!({"match_none": {}})
    } else {
        bool_of(clauses.into_iter().map(|q| ("should", q)).collect())
    }
}

impl Translator<'_> {
    fn node(&mut self, node: &Node, negated: bool) -> Result<Translated> {
        self.depth += 1;
        let out = self.node_at_depth(node, negated);
        self.depth -= 1;
        out
    }

    fn node_at_depth(&mut self, node: &Node, negated: bool) -> Result<Translated> {
        match node {
            Node::Term(op) => self.operand(op, negated),
            Node::Source(glob) => Ok((source_filter(glob)?, format!("source:{glob}"))),
            Node::Not(inner) => {
                let (q, text) = self.node(inner, !negated)?;
                let all = json!({"match_all": {}});
                Ok((
                    bool_of(vec![("must", all), ("must_not", q)]),
                    format!("-{text}"),
                ))
            }
            Node::And(items) => self.and(items, negated),
            Node::Or(items) => {
                let mut clauses = Vec::new();
                let mut texts = Vec::new();
                for item in items {
                    let (q, t) = self.node(item, negated)?;
                    clauses.push(("should", q));
                    texts.push(t);
                }
                Ok((bool_of(clauses), format!("({})", texts.join(" OR "))))
            }
        }
    }

    fn and(&mut self, items: &[Node], negated: bool) -> Result<Translated> {
        let mut clauses: Vec<(&'static str, Value)> = Vec::new();
        let mut texts = Vec::new();
        let mut i = 0;
        while i < items.len() {
            if let Some(joined) = self.join(items.get(i), items.get(i + 1))? {
                let (a, ta) = self.node(&items[i], negated)?;
                let (b, tb) = self.node(&items[i + 1], negated)?;
                let both = bool_of(vec![("must", a), ("must", b)]);
                if !negated {
                    self.terms.folded.insert(joined.clone());
                }
                let alt = term(FOLDED, &joined);
                clauses.push(("must", bool_of(vec![("should", both), ("should", alt)])));
                texts.push(format!("(({ta} {tb}) OR {joined})"));
                i += 2;
                continue;
            }
            match &items[i] {
                Node::Not(inner) => {
                    let (q, t) = self.node(inner, !negated)?;
                    clauses.push(("must_not", q));
                    texts.push(format!("-{t}"));
                }
                item => {
                    let (q, t) = self.node(item, negated)?;
                    // A source filter restricts without scoring.
                    let occur = if matches!(item, Node::Source(_)) {
                        "filter"
                    } else {
                        "must"
                    };
                    clauses.push((occur, q));
                    texts.push(t);
                }
            }
            i += 1;
        }
        if !negated {
            for pair in items.windows(2) {
                if let Some((q, t)) = self.adjacent_pair(&pair[0], &pair[1]) {
                    if self.depth == 1 {
                        self.pairs.push(q);
                    } else {
                        clauses.push(("should", q));
                    }
                    texts.push(t);
                }
            }
        }
        Ok((bool_of(clauses), format!("({})", texts.join(" "))))
    }

    fn exact_leaf(&self, op: &Operand) -> bool {
        match self.mode {
            Leaf::Exact => true,
            Leaf::Tier => counts_as_typed(&op.text),
            Leaf::Folded => false,
        }
    }

    /// The phrase of the last word of `a` and the first of `b`, if both are plain words or
    /// phrases: what local search adds to passages where they stand together.
    fn adjacent_pair(&self, a: &Node, b: &Node) -> Option<Translated> {
        let plain = |n: &Node| match n {
            Node::Term(op) if !op.prefix && op.fuzzy.is_none() => Some(op.clone()),
            _ => None,
        };
        let (a, b) = (plain(a)?, plain(b)?);
        let (field, mode, label) = if self.exact_leaf(&a) && self.exact_leaf(&b) {
            (EXACT, Mode::Exact, "exact:")
        } else {
            (FOLDED, Mode::Folded, "")
        };
        let x = text::words(&a.text, mode).pop()?.text;
        let y = text::words(&b.text, mode).into_iter().next()?.text;
        let text = format!("near:{label}\"{x} {y}\"");
        Some((json!({"match_phrase": {field: format!("{x} {y}")}}), text))
    }

    /// The one word that two adjacent plain words make, if the corpus writes them so.
    fn join(&mut self, a: Option<&Node>, b: Option<&Node>) -> Result<Option<String>> {
        if self.mode != Leaf::Folded {
            return Ok(None);
        }
        let single = |n: Option<&Node>| match n {
            Some(Node::Term(op)) if !op.prefix && op.fuzzy.is_none() => {
                match text::words(&op.text, Mode::Folded).as_slice() {
                    [w] => Some(w.text.clone()),
                    _ => None,
                }
            }
            _ => None,
        };
        let (Some(a), Some(b)) = (single(a), single(b)) else {
            return Ok(None);
        };
        let joined = format!("{a}{b}");
        Ok((text::joinable(&a, &b) && self.dict.doc_freq(FOLDED, &joined)? > 0).then_some(joined))
    }

    fn operand(&mut self, op: &Operand, negated: bool) -> Result<Translated> {
        if self.exact_leaf(op) && !op.prefix && op.fuzzy.is_none() {
            let words = text::words(&op.text, Mode::Exact);
            let positions = text::positions(&op.text, &words);
            let toks: Vec<String> = words.into_iter().map(|w| w.text).collect();
            if !negated {
                self.terms.exact.extend(toks.iter().cloned());
            }
            return Ok((
                sequence(EXACT, &toks, &positions),
                describe(&toks, "exact:"),
            ));
        }
        let words = text::words(&op.text, Mode::Folded);
        let positions = text::positions(&op.text, &words);
        let toks: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
        if let (Some(fuzz), [tok]) = (op.fuzzy, toks.as_slice()) {
            return Ok(self.fuzzy(tok, fuzz, negated));
        }
        if op.prefix {
            return self.prefix(&toks, &positions, negated);
        }
        if !negated {
            self.terms.folded.extend(toks.iter().cloned());
        }
        let dict = &mut *self.dict;
        let (also, text) = also_as(
            op,
            &words,
            &toks,
            &positions,
            negated,
            &mut self.terms,
            &mut |field, tok| match field {
                Also::Compound => dict.doc_freq(COMPOUND, tok),
                Also::Folded => dict.doc_freq(FOLDED, tok),
            },
        )?;
        let mut alternatives = vec![sequence(FOLDED, &toks, &positions)];
        if also.compound {
            alternatives.push(term(COMPOUND, &toks[0]));
        }
        for (merged, merged_positions) in &also.joined {
            alternatives.push(sequence(FOLDED, merged, merged_positions));
        }
        let query = if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            or_nothing(alternatives)
        };
        Ok((query, text))
    }

    fn prefix(
        &mut self,
        toks: &[String],
        positions: &[usize],
        negated: bool,
    ) -> Result<Translated> {
        let Some((last, head)) = toks.split_last() else {
            return Ok((json!({"match_none": {}}), String::new()));
        };
        let expansions = self.dict.prefix_terms(last)?;
        if !negated {
            self.terms.folded.extend(head.iter().cloned());
            self.terms.folded.extend(expansions.iter().cloned());
        }
        let shown: Vec<&str> = expansions.iter().take(5).map(String::as_str).collect();
        let text = format!("{}*[{}]", describe(toks, ""), shown.join(","));
        let clauses = expansions
            .iter()
            .map(|e| {
                let mut seq = head.to_vec();
                seq.push(e.clone());
                sequence(FOLDED, &seq, positions)
            })
            .collect();
        Ok((or_nothing(clauses), text))
    }

    fn fuzzy(&mut self, tok: &str, fuzz: Fuzz, negated: bool) -> Translated {
        let distance = match fuzz {
            Fuzz::Distance(d) => d.min(2),
            Fuzz::Auto if tok.chars().count() >= DISTANCE_TWO_CHARS => 2,
            Fuzz::Auto => 1,
        };
        if !negated {
            self.terms.folded.insert(tok.to_string());
        }
        let query = json!({"fuzzy": {FOLDED: {
            "value": tok, "fuzziness": distance, "max_expansions": 16, "transpositions": true
        }}});
        (query, format!("{tok}~{distance}[]"))
    }
}

/// The filter of `source:GLOB`: `prefix` for a glob whose only wildcard is a final `*`, else a
/// `wildcard` (a glob without wildcards means "contains"); on the passage's path, or on the file
/// that holds it (`source:'*.zip'` finds `a.zip!/b.docx`).
pub fn source_filter(glob: &str) -> Result<Value> {
    let wild = glob.contains(['*', '?', '[', '{']);
    if glob.contains(['[', '{']) {
        return Err(Error::Query(format!(
            "`source:{glob}`: with --engine a source glob may use `*` and `?` only"
        )));
    }
    let literal = glob.strip_suffix('*').filter(|p| !p.contains(['*', '?']));
    let one = |field: &str| match literal {
        Some(p) => json!({"prefix": {field: p}}),
        None if wild => json!({"wildcard": {field: glob}}),
        None => json!({"wildcard": {field: format!("*{}*", escape_wildcard(glob))}}),
    };
    Ok(json!({"bool": {"should": [one("source"), one("file")]}}))
}

fn escape_wildcard(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('*', "\\*")
        .replace('?', "\\?")
}

/// The words of a plan's terms, for tests and the golden files: sorted, by field.
pub fn highlight_words(terms: &Terms) -> Value {
    let sorted = |s: &HashSet<String>| {
        let mut v: Vec<&String> = s.iter().collect();
        v.sort();
        json!(v)
    };
    json!({"folded": sorted(&terms.folded), "exact": sorted(&terms.exact), "compound": sorted(&terms.compound)})
}
