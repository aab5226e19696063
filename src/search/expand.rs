//! Term expansion over the index's dictionary: document frequencies, prefix completions and
//! the words within an edit distance (a Levenshtein automaton run over tantivy's term FST).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// A prefix expands to at most this many words (the most frequent).
const MAX_PREFIX_TERMS: usize = 64;
/// A typo-tolerant word expands to at most this many words (the closest, then most frequent).
const MAX_FUZZY_TERMS: usize = 16;

/// Passages whose `field` has the word `text`.
pub(crate) fn doc_freq(searcher: &Searcher, field: Field, text: &str) -> u64 {
    searcher
        .doc_freq(&Term::from_field_text(field, text))
        .unwrap_or(0)
}

/// The words of `field` that start with `prefix`, the most frequent first.
pub(crate) fn prefix_terms(searcher: &Searcher, field: Field, prefix: &str) -> Vec<String> {
    // Each segment's dictionary stream carries the word's document frequency: summing those
    // costs nothing more, where a lookup per word cost seconds for a one-letter prefix.
    let mut found: HashMap<String, u64> = HashMap::new();
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
                let doc_freq = u64::from(stream.value().doc_freq);
                match found.get_mut(term) {
                    Some(n) => *n += doc_freq,
                    None => {
                        found.insert(term.to_string(), doc_freq);
                    }
                }
            }
        }
    }
    let mut ranked: Vec<(u64, String)> = found.into_iter().map(|(t, n)| (n, t)).collect();
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
pub(crate) fn fuzzy_terms(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
) -> Vec<(String, u8)> {
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
