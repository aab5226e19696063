//! The pre-analysed token strings of a passage for an engine: tracuu's own folded, exact and
//! compound tokens joined by single spaces, with one `_` token for each position tracuu leaves
//! empty (across clause punctuation, a tab), so that an engine's `whitespace` tokenizer followed by
//! a `stop` filter on `_` ([`crate::export::mapping`]) gives every token the position tantivy gives
//! it. Tokens never hold white space or `_`: they are letters, digits and marks only.

use tantivy::tokenizer::Token;

use crate::text::Analysis;

/// The token that marks an empty position; the engine's `tracuu_gap` filter removes it and
/// keeps the gap.
pub const GAP: &str = "_";

/// The three pre-analysed strings of one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldTokens {
    /// Folded words (the `folded` field), gaps marked.
    pub folded: String,
    /// Exact words (the `exact` field), gaps marked.
    pub exact: String,
    /// Compounds (the `compound` field; indexed without positions).
    pub compound: String,
}

/// The tokens of `indexed` (a passage's text as the indexer indexes it) for the three fields,
/// made by the one analysis pass the indexer's tokenizers use.
pub fn field_tokens(indexed: &str) -> FieldTokens {
    let mut analysis = Analysis::default();
    field_tokens_with(&mut analysis, indexed)
}

/// [`field_tokens`] with an analysis whose buffers are reused from one passage to the next.
pub fn field_tokens_with(analysis: &mut Analysis, indexed: &str) -> FieldTokens {
    analysis.run(indexed);
    FieldTokens {
        folded: pretokenized(analysis.folded.as_slice()),
        exact: pretokenized(analysis.exact.as_slice()),
        compound: pretokenized(analysis.compounds.as_slice()),
    }
}

/// `tokens` (in order, positions increasing) as one string: their texts separated by spaces,
/// with a [`GAP`] for every position no token holds.
pub fn pretokenized(tokens: &[Token]) -> String {
    let mut out = String::with_capacity(tokens.iter().map(|t| t.text.len() + 1).sum());
    let mut next = 0;
    for t in tokens {
        for _ in next..t.position {
            push_word(&mut out, GAP);
        }
        push_word(&mut out, &t.text);
        next = t.position + 1;
    }
    out
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::{register_tokenizers, schema, FOLDED_TOKENIZER};
    use tantivy::tokenizer::{TextAnalyzer, TokenStream};

    /// What an engine indexes from a pre-analysed string: Lucene's `whitespace` tokenizer, then
    /// `stop` on `_` with position increments kept (each token one past the last, plus one for
    /// every `_` removed before it).
    pub(crate) fn lucene(s: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut pos: isize = -1;
        let mut skipped = 0;
        for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
            if word == GAP {
                skipped += 1;
                continue;
            }
            pos += 1 + skipped;
            skipped = 0;
            out.push((word.to_string(), pos as usize));
        }
        out
    }

    /// The tokens and positions tantivy indexes for `text` through tracuu's registered
    /// tokenizer `name`.
    fn tantivy(name: &str, text: &str) -> Vec<(String, usize)> {
        let (schema, _) = schema();
        let index = tantivy::Index::create_in_ram(schema);
        register_tokenizers(&index);
        let mut analyzer: TextAnalyzer = index.tokenizers().get(name).unwrap();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position));
        }
        out
    }

    const TRICKY: &[&str] = &[
        "Hà Đông, Thành phố Hà Nội; (thủ đô) [1] và... Sài Gòn!",
        "Tiêu đề trang\tĐoạn đầu tiên. Đoạn hai:\tmột ô | ô khác",
        "Путин и Нгуен Фу Чонг — Российско-вьетнамские отношения, 1950",
        "Su-30MK2 và Yak-130: máy bay; IL-28.",
        "Hà Nội\nHoà Bình\n\nThuỷ\t\tđiện",
        "dh_make, Vietnam's 3.0 release… U.S. level.Nguyen 北京 ½ ＡＢＣ，ｘ",
        "a . . . b ,, c",
        "",
        "  ,  ",
    ];

    /// For every tricky text, the pre-analysed folded and exact strings give an engine the
    /// tokens and positions tantivy indexes with tracuu's tokenizers.
    #[test]
    fn pre_analysed_positions_equal_tantivy_positions() {
        for text in TRICKY {
            let t = field_tokens(text);
            assert_eq!(
                lucene(&t.folded),
                tantivy(FOLDED_TOKENIZER, text),
                "{text:?}"
            );
            assert_eq!(
                lucene(&t.exact),
                tantivy(crate::store::EXACT_TOKENIZER, text),
                "{text:?}"
            );
            let compounds: Vec<String> = tantivy(crate::store::COMPOUND_TOKENIZER, text)
                .into_iter()
                .map(|(w, _)| w)
                .collect();
            assert_eq!(t.compound, compounds.join(" "), "{text:?}");
        }
    }

    #[test]
    fn gaps_are_marked_and_compounds_joined() {
        let t = field_tokens("Hà Đông, Thành phố; Su-30MK2");
        assert_eq!(t.folded, "ha dong _ thanh pho _ su 30mk2");
        assert_eq!(t.exact, "hà đông _ thành phố _ su 30mk2");
        assert!(
            t.compound.split(' ').any(|c| c == "su30mk2"),
            "{}",
            t.compound
        );
        // A tab (a block break made one by the indexer) is a gap; a line feed is not.
        assert_eq!(field_tokens("Hà\tNội").folded, "ha _ noi");
        assert_eq!(field_tokens("Hà\nNội").folded, "ha noi");
    }

    #[test]
    fn tokens_never_hold_white_space_or_the_gap_marker() {
        for text in TRICKY {
            let t = field_tokens(text);
            for s in [&t.folded, &t.exact, &t.compound] {
                assert!(!s.starts_with(' ') && !s.ends_with(' ') && !s.contains("  "));
                for w in s.split(' ').filter(|w| *w != GAP) {
                    assert!(
                        !w.contains('_') && !w.contains(char::is_whitespace),
                        "{w:?}"
                    );
                }
            }
        }
    }
}
