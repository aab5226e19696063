//! When no passage holds every word: the query asked again without some of its words, so that
//! a query of three or more words answers with the passages that hold the most of them, each hit
//! naming the words it lacks ([`super::Hit::missing`]), instead of answering nothing.
//!
//! It runs only after the query as typed, and its typo retry, found nothing, so a query whose
//! words all match somewhere means what it always meant; and it asks the query as typed, not as
//! the typo retry (or the reading of Telex and VNI keys) changed it, so such a word counts as in
//! no passage. The choices, in order:
//! - only a query of [`MIN_WORDS`] or more words and phrases joined by the implicit AND falls
//!   back; one that types `AND` (or `&&`) asks for every word, and one with `OR` at its top
//!   already takes either side;
//! - only plain words, and abbreviations (`Q.`, named by their full form, "Quận"), are left
//!   out: a `"phrase"`, a `+word`, a prefix `word*`, a typo-tolerant `word~`, a group in
//!   parentheses, an exclusion and a `source:` filter always stay;
//! - at least [`MIN_KEPT`] words and phrases stay;
//! - the words in no passage go first (nothing can match with them); then one more word at a
//!   time, the most frequent first (the rarer words say most about what is sought), of equal
//!   frequency the later one; each set of left-out words is one attempt, and the first attempt
//!   that matches answers, ranked as any query is. Every hit of it lacks the same words;
//! - at most [`MAX_ATTEMPTS`] attempts: a long query whose words never meet costs a bounded
//!   number of searches that find nothing.
//!
//! Several indexes searched together choose with frequencies summed over all of them, and take
//! the first attempt that matches in any ([`super::many`]), as one index over every corpus would.

use tantivy::Searcher;

use super::expand::doc_freq;
use super::query::{Node, Operand};
use super::{Engine, Outcome, SearchOptions, Windows};
use crate::error::Result;
use crate::text::{self, Mode};

/// A query falls back only with at least this many words and phrases.
pub const MIN_WORDS: usize = 3;
/// At least this many words and phrases stay in every attempt.
pub const MIN_KEPT: usize = 2;
/// At most this many attempts (searches) are made.
pub const MAX_ATTEMPTS: usize = 16;

/// The words a query may do without, and the order in which to try leaving them out.
#[derive(Debug)]
pub(crate) struct Fallback {
    /// The top-level items of the query (an implicit AND).
    items: Vec<Node>,
    /// Which items are plain words that may be left out.
    droppable: Vec<usize>,
    /// How many items look for something (not exclusions or filters).
    positive: usize,
}

/// One way of asking the query without some of its words.
#[derive(Debug, PartialEq)]
pub(crate) struct Attempt {
    /// The query without them.
    pub tree: Node,
    /// The words left out, as typed, in query order.
    pub missing: Vec<String>,
}

impl Fallback {
    /// The fallback of `ast`, the tree of `typed`; `None` if the query does not fall back.
    pub fn of(ast: &Node, typed: &str) -> Option<Fallback> {
        let Node::And(items) = ast else {
            return None;
        };
        if says_and(typed) {
            return None;
        }
        let positive = items
            .iter()
            .filter(|n| !matches!(n, Node::Not(_) | Node::Source(_)))
            .count();
        let droppable: Vec<usize> = (0..items.len())
            .filter(|&i| !forms(&items[i]).is_empty())
            .collect();
        (positive >= MIN_WORDS && !droppable.is_empty()).then(|| Fallback {
            items: items.clone(),
            droppable,
            positive,
        })
    }

    /// The words that may be left out, in query order, each as its forms (one, or an
    /// abbreviation's full form and short forms): [`Fallback::attempts`] takes their frequencies
    /// in this order.
    pub fn words(&self) -> impl Iterator<Item = Vec<&Operand>> {
        self.droppable.iter().map(|&i| forms(&self.items[i]))
    }

    /// The attempts in the order to try them, given how many passages hold each word of
    /// [`Fallback::words`].
    pub fn attempts(&self, freqs: &[u64]) -> Vec<Attempt> {
        let n = self.droppable.len().min(freqs.len());
        let absent: Vec<usize> = (0..n).filter(|&w| freqs[w] == 0).collect();
        let mut present: Vec<usize> = (0..n).filter(|&w| freqs[w] > 0).collect();
        // The most frequent first; of equal frequency, the later word.
        present.sort_by(|&a, &b| freqs[b].cmp(&freqs[a]).then(b.cmp(&a)));
        let most = n.min(self.positive.saturating_sub(MIN_KEPT));
        let mut attempts = Vec::new();
        for dropped in absent.len().max(1)..=most {
            for extra in combinations(present.len(), dropped - absent.len()) {
                if attempts.len() == MAX_ATTEMPTS {
                    return attempts;
                }
                let mut words = absent.clone();
                words.extend(extra.iter().map(|&k| present[k]));
                attempts.push(self.without(&words));
            }
        }
        attempts
    }

    /// The query without the words `words` (indexes into [`Fallback::words`]).
    fn without(&self, words: &[usize]) -> Attempt {
        let left_out: Vec<usize> = words.iter().map(|&w| self.droppable[w]).collect();
        let mut kept = Vec::new();
        let mut missing = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            match forms(item).first() {
                Some(word) if left_out.contains(&i) => missing.push(word.text.clone()),
                _ => kept.push(item.clone()),
            }
        }
        Attempt {
            tree: Node::And(kept),
            missing,
        }
    }
}

/// The forms of an item the fallback may leave out: a plain word, or an abbreviation (a choice
/// of its full form, first, and its short forms); none for anything else.
fn forms(node: &Node) -> Vec<&Operand> {
    match node {
        Node::Term(op) if plain(op) => vec![op],
        Node::Or(items) => {
            let ops: Vec<&Operand> = items
                .iter()
                .filter_map(|n| match n {
                    Node::Term(op) if op.expansion => Some(op),
                    _ => None,
                })
                .collect();
            if ops.len() == items.len() {
                ops
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// True if the operand is a plain word: no quotes, `+`, `*` or `~`.
fn plain(op: &Operand) -> bool {
    !op.quoted && !op.prefix && op.fuzzy.is_none() && !required(op)
}

/// True if the operand was typed `+word`: the word is required (it is searched as the word).
fn required(op: &Operand) -> bool {
    op.text.starts_with('+')
}

/// True if the query as typed says `AND` (or `&&`), which the parser reads as the default and
/// drops: such a query asks for every word. A quoted "AND" counts too (a query that never falls
/// back is the safe side).
fn says_and(typed: &str) -> bool {
    typed
        .split(|c: char| c.is_whitespace() || c.is_control() || c == '(' || c == ')')
        .any(|w| w == "AND" || w == "&&")
}

/// Every way of choosing `k` of `0..n`, in lexicographic order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    if k > n {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut pick: Vec<usize> = (0..k).collect();
    loop {
        out.push(pick.clone());
        // The rightmost index that can still move right.
        let Some(i) = (0..k).rev().find(|&i| pick[i] < n - k + i) else {
            return out;
        };
        pick[i] += 1;
        for j in i + 1..k {
            pick[j] = pick[j - 1] + 1;
        }
    }
}

/// Marks every hit of `outcome` as lacking `missing`.
pub(crate) fn mark(outcome: &mut Outcome, missing: &[String]) {
    for hit in &mut outcome.hits {
        hit.missing = missing.to_vec();
    }
    outcome.missing = missing.to_vec();
}

impl Engine {
    /// The first attempt of the fallback of `ast` (the tree of `typed`) that matches, with its
    /// outcome, hits marked; `None` if the query does not fall back or no attempt matches.
    pub(super) fn fall_back(
        &self,
        searcher: &Searcher,
        ast: &Node,
        typed: &str,
        options: &SearchOptions,
        windows: &mut Windows<'_>,
    ) -> Result<Option<(Node, Outcome)>> {
        let Some(fallback) = Fallback::of(ast, typed) else {
            return Ok(None);
        };
        let freqs = self.frequencies(searcher, &fallback, options.exact);
        for attempt in fallback.attempts(&freqs) {
            let mut outcome = self.run(searcher, &attempt.tree, options, windows)?;
            if outcome.total > 0 {
                mark(&mut outcome, &attempt.missing);
                return Ok(Some((attempt.tree, outcome)));
            }
        }
        Ok(None)
    }

    /// How many passages of this index hold each word of [`Fallback::words`] (folded, with its
    /// compound form, or in its exact spelling with `exact`); of a word the index cuts in
    /// several ("Su-30MK2"), the rarest piece, else the pieces written as one; of an
    /// abbreviation, its most frequent form.
    pub(super) fn frequencies(
        &self,
        searcher: &Searcher,
        fallback: &Fallback,
        exact: bool,
    ) -> Vec<u64> {
        let f = self.idx.fields;
        let (field, mode) = if exact {
            (f.exact, Mode::Exact)
        } else {
            (f.body, Mode::Folded)
        };
        let freq = |word: &str| {
            let mut n = doc_freq(searcher, field, word);
            if !exact {
                n = n.max(doc_freq(searcher, f.compound, word));
            }
            n
        };
        let of_form = |op: &Operand| {
            let words: Vec<String> = text::words(&op.text, mode)
                .into_iter()
                .map(|w| w.text)
                .collect();
            match words.iter().map(|w| freq(w)).min().unwrap_or(0) {
                0 if words.len() > 1 => freq(&words.concat()),
                n => n,
            }
        };
        fallback
            .words()
            .map(|forms| forms.into_iter().map(of_form).max().unwrap_or(0))
            .collect()
    }

    /// Runs the tree `ast` as it is (no typo retry, no fallback), naming this index in what
    /// goes wrong inside tantivy: the search of an attempt chosen over several indexes.
    pub(super) fn search_tree(
        &self,
        ast: &Node,
        options: &SearchOptions,
        windows: &mut Windows<'_>,
    ) -> Result<Outcome> {
        let searcher = self.reader.searcher();
        let started = std::time::Instant::now();
        self.guard(|| {
            let mut outcome = self.run(&searcher, ast, options, windows)?;
            outcome.timings.search = started.elapsed() - outcome.timings.fetch;
            Ok(outcome)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn fallback(typed: &str) -> Option<Fallback> {
        Fallback::of(&parse(typed).unwrap(), typed)
    }

    /// The words each attempt leaves out, in order.
    fn left_out(typed: &str, freqs: &[u64]) -> Vec<Vec<String>> {
        let fallback = fallback(typed).expect("falls back");
        fallback
            .attempts(freqs)
            .into_iter()
            .map(|a| a.missing)
            .collect()
    }

    #[test]
    fn a_word_in_no_passage_goes_first_and_the_rest_stays_as_typed() {
        let fallback = fallback("Hotel Trần Đức Lương").unwrap();
        let words: Vec<&str> = fallback.words().map(|w| w[0].text.as_str()).collect();
        assert_eq!(words, ["Hotel", "Trần", "Đức", "Lương"]);
        let attempts = fallback.attempts(&[0, 40, 30, 5]);
        assert_eq!(attempts[0].missing, ["Hotel"]);
        assert_eq!(attempts[0].tree, parse("Trần Đức Lương").unwrap());
        // Then Hotel and, one at a time, the others, the most frequent first.
        let rest: Vec<Vec<String>> = attempts[1..].iter().map(|a| a.missing.clone()).collect();
        assert_eq!(
            rest,
            [
                vec!["Hotel", "Trần"],
                vec!["Hotel", "Đức"],
                vec!["Hotel", "Lương"],
            ]
        );
    }

    #[test]
    fn the_most_frequent_words_go_first_and_two_always_stay() {
        // No word is absent: one word at a time, the most frequent first (ties: the later word),
        // then two, never leaving fewer than two.
        assert_eq!(
            left_out("a b c d", &[10, 50, 10, 7]),
            [
                vec!["b"],
                vec!["c"],
                vec!["a"],
                vec!["d"],
                vec!["b", "c"],
                vec!["a", "b"],
                vec!["b", "d"],
                vec!["a", "c"],
                vec!["c", "d"],
                vec!["a", "d"],
            ]
        );
        assert_eq!(left_out("a b c", &[3, 2, 1]).len(), 3);
        // Two absent words of three: keeping one word is never tried.
        assert!(left_out("a b c", &[0, 0, 1]).is_empty());
        // Two absent words of four: both go in the first attempt.
        assert_eq!(left_out("a b c d", &[0, 9, 0, 9]), [vec!["a", "c"]]);
    }

    #[test]
    fn explicit_operators_stay() {
        let attempts = left_out("\"Trần Đức\" +Lương Hotel Hanoi*", &[0]);
        assert_eq!(attempts, [vec!["Hotel"]]);
        let tree = &fallback("\"Trần Đức\" Lương Hotel -Lê")
            .unwrap()
            .attempts(&[9, 0])[0];
        assert_eq!(tree.tree, parse("\"Trần Đức\" Lương -Lê").unwrap());
        // Exclusions and filters are not words: two words and one exclusion do not fall back.
        assert!(fallback("Trần Lương -Hotel").is_none());
        assert!(fallback("source:00* Trần Lương").is_none());
        // Nothing plain to leave out.
        assert!(fallback("\"a b\" \"c d\" (e OR f)").is_none());
    }

    #[test]
    fn an_abbreviation_may_be_left_out_and_is_named_by_its_full_form() {
        let fallback = fallback("Phúc Xá Q. Ba Đình").unwrap();
        let words: Vec<&str> = fallback.words().map(|w| w[0].text.as_str()).collect();
        assert_eq!(words, ["Phúc", "Xá", "Quận", "Ba", "Đình"]);
        let attempt = &fallback.attempts(&[5, 5, 0, 9, 9])[0];
        assert_eq!(attempt.missing, ["Quận"]);
        assert_eq!(attempt.tree, parse("Phúc Xá Ba Đình").unwrap());
    }

    #[test]
    fn short_queries_typed_and_and_or_do_not_fall_back() {
        for typed in [
            "Trần Lương",
            "Hotel",
            "Hotel AND Trần Đức Lương",
            "Hotel && Trần Đức Lương",
            "(Hotel AND Trần) Đức Lương",
            "Hotel Trần OR Đức Lương",
        ] {
            assert!(fallback(typed).is_none(), "{typed}");
        }
        // The word "and" is a word.
        assert!(fallback("Hotel and Lương").is_some());
    }

    #[test]
    fn attempts_are_bounded() {
        let typed: Vec<String> = (0..20).map(|i| format!("w{i}")).collect();
        let freqs: Vec<u64> = (1..=20).collect();
        assert_eq!(left_out(&typed.join(" "), &freqs).len(), MAX_ATTEMPTS);
    }

    #[test]
    fn combinations_in_order() {
        assert_eq!(
            combinations(4, 2),
            [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]
        );
        assert_eq!(combinations(3, 0), [Vec::<usize>::new()]);
        assert!(combinations(2, 3).is_empty());
    }
}
