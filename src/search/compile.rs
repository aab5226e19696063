//! Syntax tree -> tantivy query: one compiler for the three ways leaves are read (folded,
//! exact, exact-where-accented), with compound alternatives ("Hà Nội" or "Hanoi"), prefix and
//! typo expansions, and the set of words to highlight in hits.

use std::collections::HashSet;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::expand::{doc_freq, fuzzy_terms, prefix_terms};
use super::quantize::Quantized;
use super::DISTANCE_TWO_CHARS;
use crate::error::{Error, Result};
use crate::search::query::{Fuzz, Node, Operand};
use crate::store::Fields;
use crate::text::{self, Mode};

/// How leaves are compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Leaf {
    /// Folded words, with compounds and expansions.
    Folded,
    /// Exact spellings only.
    Exact,
    /// Exact spellings for words with diacritics, folded for the rest.
    Tier,
}

/// A compiled query, its description, and the words to highlight.
pub(crate) struct Plan {
    /// The tantivy query.
    pub query: Box<dyn Query>,
    /// Its description, for `--json`.
    pub text: String,
    /// The words to highlight.
    pub terms: Terms,
    /// The proximity pairs of the top-level words (see [`super::rank`]).
    pub pairs: Vec<Pair>,
}

/// The words a query looks for, by field, to highlight in hits.
#[derive(Default, Debug)]
pub struct Terms {
    /// Folded words.
    pub folded: HashSet<String>,
    /// Exact spellings.
    pub exact: HashSet<String>,
    /// Compounds.
    pub compound: HashSet<String>,
}

impl Terms {
    /// Byte ranges in `text` of the words to highlight, sorted, overlaps merged.
    pub fn highlights(&self, text: &str) -> Vec<(usize, usize)> {
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for (mode, set) in [(Mode::Folded, &self.folded), (Mode::Exact, &self.exact)] {
            if !set.is_empty() {
                // Borrowed forms: most words are ASCII and need no allocation.
                text::for_each_piece(text, |start, end| {
                    if set.contains(text::normalize(&text[start..end], mode).as_ref()) {
                        ranges.push((start, end));
                    }
                });
            }
        }
        if !self.compound.is_empty() {
            ranges.extend(
                text::compounds(text)
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

/// Compiles one tree in one [`Leaf`] mode, collecting the words to highlight.
pub(crate) struct Compiler<'a> {
    /// For dictionary lookups.
    pub searcher: &'a Searcher,
    /// The index fields.
    pub fields: Fields,
    /// How leaves are read.
    pub mode: Leaf,
    /// Words to highlight, filled while compiling.
    pub terms: Terms,
    /// Add proximity clauses: adjacent query words standing together score more.
    pub proximity: bool,
    /// The proximity pairs of the top-level words, filled while compiling: they are scored
    /// apart, on the best passages only (see [`super::rank`]). Pairs in nested groups stay
    /// `should` clauses of their group.
    pub pairs: Vec<Pair>,
    /// How deep in the tree the compiler is (1 at the top).
    pub depth: usize,
}

/// A proximity pair: a two-word phrase whose score is added to passages that have it.
pub(crate) struct Pair {
    /// The phrase, its score rounded like every leaf.
    pub query: Box<dyn Query>,
}

type Compiled = (Box<dyn Query>, String);

impl Compiler<'_> {
    /// Compiles `node` (under an exclusion if `negated`).
    pub fn node(&mut self, node: &Node, negated: bool) -> Result<Compiled> {
        self.depth += 1;
        let compiled = self.node_at_depth(node, negated);
        self.depth -= 1;
        compiled
    }

    fn node_at_depth(&mut self, node: &Node, negated: bool) -> Result<Compiled> {
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
        if self.proximity && !negated {
            for pair in items.windows(2) {
                if let Some((pair, t)) = self.adjacent_pair(&pair[0], &pair[1]) {
                    if self.depth == 1 {
                        self.pairs.push(pair);
                    } else {
                        clauses.push((Occur::Should, pair.query));
                    }
                    texts.push(t);
                }
            }
        }
        Ok((
            Box::new(BooleanQuery::new(clauses)),
            format!("({})", texts.join(" ")),
        ))
    }

    /// True if `op` is read in its exact spelling in this mode.
    fn exact_leaf(&self, op: &Operand) -> bool {
        match self.mode {
            Leaf::Exact => true,
            Leaf::Tier => counts_as_typed(&op.text),
            Leaf::Folded => false,
        }
    }

    /// Proximity: if `a` and `b` are plain words or phrases next to each other in the query,
    /// a phrase of the last word of `a` and the first word of `b`, to add to the score of
    /// passages where they stand together in that order. In the exact spelling when both are
    /// read exactly, else folded.
    fn adjacent_pair(&self, a: &Node, b: &Node) -> Option<(Pair, String)> {
        let plain = |n: &Node| match n {
            Node::Term(op) if !op.prefix && op.fuzzy.is_none() => Some(op.clone()),
            _ => None,
        };
        let (a, b) = (plain(a)?, plain(b)?);
        let (field, mode, label) = if self.exact_leaf(&a) && self.exact_leaf(&b) {
            (self.fields.exact, Mode::Exact, "exact:")
        } else {
            (self.fields.body, Mode::Folded, "")
        };
        let x = text::words(&a.text, mode).pop()?.text;
        let y = text::words(&b.text, mode).into_iter().next()?.text;
        let text = format!("near:{label}\"{x} {y}\"");
        let phrase = PhraseQuery::new(vec![
            Term::from_field_text(field, &x),
            Term::from_field_text(field, &y),
        ]);
        let query = Box::new(Quantized(Box::new(phrase)));
        Some((Pair { query }, text))
    }

    /// If `a` and `b` are two plain single words that the corpus also writes as one ("Viet Nam"
    /// and "Vietnam"), that one word.
    fn join(&self, a: Option<&Node>, b: Option<&Node>) -> Option<String> {
        if self.mode != Leaf::Folded {
            return None;
        }
        let single = |n: Option<&Node>| match n {
            Some(Node::Term(op)) if !op.prefix && op.fuzzy.is_none() => {
                let words = text::words(&op.text, Mode::Folded);
                match words.as_slice() {
                    [w] => Some(w.text.clone()),
                    _ => None,
                }
            }
            _ => None,
        };
        let (a, b) = (single(a)?, single(b)?);
        let joined = format!("{a}{b}");
        (text::joinable(&a, &b) && doc_freq(self.searcher, self.fields.body, &joined) > 0)
            .then_some(joined)
    }

    fn operand(&mut self, op: &Operand, negated: bool) -> Compiled {
        let exact_leaf = self.exact_leaf(op);
        if exact_leaf && !op.prefix && op.fuzzy.is_none() {
            let (toks, positions) = sequence_of(&op.text, Mode::Exact);
            if !negated {
                self.terms.exact.extend(toks.iter().cloned());
            }
            return (
                self.sequence(self.fields.exact, &toks, &positions),
                describe(&toks, "exact:"),
            );
        }
        let words = text::words(&op.text, Mode::Folded);
        let positions = text::positions(&op.text, &words);
        let toks: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
        if let (Some(fuzz), [tok]) = (op.fuzzy, toks.as_slice()) {
            return self.fuzzy(tok, fuzz, negated);
        }
        if op.prefix {
            return self.prefix(&toks, &positions, negated);
        }
        if !negated {
            self.terms.folded.extend(toks.iter().cloned());
        }
        let (searcher, fields) = (self.searcher, self.fields);
        let (also, text) = also_as(
            op,
            &words,
            &toks,
            &positions,
            negated,
            &mut self.terms,
            &mut |field, tok| {
                let field = match field {
                    Also::Compound => fields.compound,
                    Also::Folded => fields.body,
                };
                Ok(doc_freq(searcher, field, tok))
            },
        )
        .expect("the index answers without failing");
        let mut alternatives = vec![self.sequence(self.fields.body, &toks, &positions)];
        if also.compound {
            alternatives.push(self.term_query(self.fields.compound, &toks[0]));
        }
        for (merged, merged_positions) in &also.joined {
            alternatives.push(self.sequence(self.fields.body, merged, merged_positions));
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

    fn prefix(&mut self, toks: &[String], positions: &[usize], negated: bool) -> Compiled {
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
                (
                    Occur::Should,
                    self.sequence(self.fields.body, &seq, positions),
                )
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
                let boosted: Box<dyn Query> = Box::new(Quantized(Box::new(BoostQuery::new(
                    q,
                    1.0 / (1 + d) as f32,
                ))));
                (Occur::Should, boosted)
            })
            .collect();
        (or_nothing(clauses), text)
    }

    /// Only passages of the files whose source matches `glob` (or contains it, without
    /// wildcards). A glob that matches an archive or mail matches its members too
    /// (`source:'*.zip'` finds `a.zip!/b.docx`).
    pub fn source(&self, glob: &str) -> Result<Box<dyn Query>> {
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
        let sep = crate::extract::MEMBER_SEPARATOR;
        let container_matches = |s: &str| s.match_indices(sep).any(|(at, _)| matcher(&s[..at]));
        let sources = crate::store::indexed_sources(self.searcher, self.fields.source)?;
        let clauses: Vec<(Occur, Box<dyn Query>)> = sources
            .iter()
            .filter(|s| matcher(s) || container_matches(s))
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
        Box::new(Quantized(Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))))
    }

    /// One word as a term query, several as a phrase at the given token positions (see
    /// [`text::positions`]).
    fn sequence(&self, field: Field, toks: &[String], positions: &[usize]) -> Box<dyn Query> {
        match toks {
            [one] => self.term_query(field, one),
            _ => Box::new(Quantized(Box::new(PhraseQuery::new_with_offset(
                toks.iter()
                    .zip(positions)
                    .map(|(t, &p)| (p, Term::from_field_text(field, t)))
                    .collect(),
            )))),
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

/// Which field [`also_as`] asks how many passages hold a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Also {
    Folded,
    Compound,
}

/// What a folded operand may also be found as, besides its words in sequence.
#[derive(Debug, Default)]
pub(crate) struct AlsoAs {
    /// Its one word is also a compound the index holds ("hanoi" for "Hà Nội").
    pub compound: bool,
    /// Two adjacent words (hyphenated, or joinable: "su 30" as "su30") joined into one that
    /// the index holds: the tokens and positions of each such reading.
    pub joined: Vec<(Vec<String>, Vec<usize>)>,
}

/// The readings of the folded operand `op` (its `words`, `toks` and `positions`) besides its
/// words in sequence, asking `doc_freq` which words the index holds, and how `--explain` shows
/// them all; records the words it finds in `terms` unless `negated`. Local search and the
/// engine's translation ([`crate::engine`]) both build their alternatives from this.
pub(crate) fn also_as(
    op: &Operand,
    words: &[text::Word],
    toks: &[String],
    positions: &[usize],
    negated: bool,
    terms: &mut Terms,
    doc_freq: &mut dyn FnMut(Also, &str) -> Result<u64>,
) -> Result<(AlsoAs, String)> {
    let mut also = AlsoAs::default();
    let mut text = describe(toks, "");
    if let [tok] = toks {
        if doc_freq(Also::Compound, tok)? > 0 {
            also.compound = true;
            if !negated {
                terms.compound.insert(tok.clone());
            }
            text = format!("({text} OR compound:{tok})");
        }
        return Ok((also, text));
    }
    for i in 0..toks.len().saturating_sub(1) {
        let gap = &op.text[words[i].end..words[i + 1].start];
        if !text::is_hyphen(gap) && !text::joinable(&toks[i], &toks[i + 1]) {
            continue;
        }
        let mut merged = toks.to_vec();
        let second = merged.remove(i + 1);
        merged[i].push_str(&second);
        // The joined word takes one position: the words after it move up by one.
        let mut merged_positions = positions.to_vec();
        merged_positions.remove(i + 1);
        for p in &mut merged_positions[i + 1..] {
            *p -= 1;
        }
        if doc_freq(Also::Folded, &merged[i])? > 0 {
            if !negated {
                terms.folded.insert(merged[i].clone());
            }
            text = format!("{text} OR {}", describe(&merged, ""));
            also.joined.push((merged, merged_positions));
        }
    }
    if !also.joined.is_empty() {
        text = format!("({text})");
    }
    Ok((also, text))
}

/// The words of `text` in `mode` and their token positions.
fn sequence_of(text: &str, mode: Mode) -> (Vec<String>, Vec<usize>) {
    let words = text::words(text, mode);
    let positions = text::positions(text, &words);
    (words.into_iter().map(|w| w.text).collect(), positions)
}

pub(crate) fn describe(toks: &[String], prefix: &str) -> String {
    match toks {
        [one] => format!("{prefix}{one}"),
        _ => format!("{prefix}\"{}\"", toks.join(" ")),
    }
}

/// In the exact tier of a query typed with diacritics, true if the operand counts as typed: it
/// carries diacritics itself, or each of its words is a Vietnamese syllable typed without marks,
/// which then means the level tone ("Quang Sơn": Quang, not Quảng). Other words (English words,
/// names like "Putin") stay folded.
pub fn counts_as_typed(text: &str) -> bool {
    if text::has_diacritics(text) {
        return true;
    }
    let words = text::words(text, Mode::Folded);
    !words.is_empty() && words.iter().all(|w| text::is_syllable(&w.text))
}

/// True if some word the query looks for carries diacritics (or another script).
pub(crate) fn has_diacritic_word(node: &Node) -> bool {
    match node {
        // An abbreviation's full form carries the table's marks, not the user's.
        Node::Term(op) => {
            !op.expansion && !op.prefix && op.fuzzy.is_none() && text::has_diacritics(&op.text)
        }
        Node::Source(_) | Node::Not(_) => false,
        Node::And(items) | Node::Or(items) => items.iter().any(has_diacritic_word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    #[test]
    fn an_abbreviations_full_form_is_no_word_typed_with_diacritics() {
        // "Phường", "Quận 1" and "Hà Nội" come from the table: a query typed without marks
        // keeps no exact-spelling tier.
        assert!(!has_diacritic_word(&parse("P. Phuc Xa, Q1, HN").unwrap()));
        assert!(has_diacritic_word(&parse("P. Phúc Xá").unwrap()));
        assert!(has_diacritic_word(&parse("Hà Nội").unwrap()));
    }
}
