//! The tantivy adapter: a `Tokenizer` and `TokenStream` per indexed field, over one [`Analysis`].

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::analysis::{Analysis, Mode, TokenList};

/// What a [`TracuuTokenizer`] emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// Every word in the given mode.
    Words(Mode),
    /// Only compounds (see [`compounds`](super::compounds)).
    Compounds,
}

/// A tantivy tokenizer over [`words`](super::words) or [`compounds`](super::compounds).
///
/// The three are made in one [`Analysis`]: the folded tokenizer, which tantivy runs first on a
/// passage (the body field comes before the exact and compound fields), analyses the whole text
/// and leaves the exact and compound tokens with the thread; the other two take them when they
/// are given the same text, and analyse it themselves otherwise.
#[derive(Clone, Debug)]
pub struct TracuuTokenizer {
    emit: Emit,
    analysis: Analysis,
}

/// The exact and compound tokens of the text the folded tokenizer last analysed on this thread.
#[derive(Default)]
struct Memo {
    text: String,
    exact: Option<TokenList>,
    compounds: Option<TokenList>,
}

thread_local! {
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
}

impl TracuuTokenizer {
    /// A tokenizer that emits `emit`.
    pub fn new(emit: Emit) -> Self {
        TracuuTokenizer {
            emit,
            analysis: Analysis::default(),
        }
    }

    /// The tokens of `text`, from the memo when the folded tokenizer left them for this text.
    fn tokens(&mut self, text: &str) -> &mut TokenList {
        let a = &mut self.analysis;
        match self.emit {
            Emit::Words(Mode::Folded) => {
                a.run(text);
                MEMO.with_borrow_mut(|memo| {
                    memo.text.clear();
                    memo.text.push_str(text);
                    // Hand the lists over, taking back the ones handed over last time.
                    let mut exact = memo.exact.take().unwrap_or_default();
                    let mut compounds = memo.compounds.take().unwrap_or_default();
                    std::mem::swap(&mut exact, &mut a.exact);
                    std::mem::swap(&mut compounds, &mut a.compounds);
                    memo.exact = Some(exact);
                    memo.compounds = Some(compounds);
                });
                &mut a.folded
            }
            Emit::Words(Mode::Exact) => from_memo(a, text, |m| &mut m.exact, |a| &mut a.exact),
            Emit::Compounds => from_memo(a, text, |m| &mut m.compounds, |a| &mut a.compounds),
        }
    }
}

/// The list `list` of `a` for `text`: the one the memo holds for `held`, if the memo is about
/// `text`, else analysed here.
fn from_memo<'a>(
    a: &'a mut Analysis,
    text: &str,
    held: fn(&mut Memo) -> &mut Option<TokenList>,
    list: fn(&mut Analysis) -> &mut TokenList,
) -> &'a mut TokenList {
    let taken =
        MEMO.with_borrow_mut(|memo| (memo.text == text).then(|| held(memo).take()).flatten());
    match taken {
        Some(tokens) => *list(a) = tokens,
        None => a.run(text),
    }
    list(a)
}

/// The tokens of one text, handed out one at a time.
pub struct TracuuTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for TracuuTokenizer {
    type TokenStream<'a> = TracuuTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        TracuuTokenStream {
            tokens: self.tokens(text).as_mut_slice(),
            next: 0,
        }
    }
}

impl TokenStream for TracuuTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::assert_token;
    use super::*;

    /// The tokens `emit` gives for `text`, through tantivy's interface.
    fn stream(emit: Emit, text: &str) -> Vec<Token> {
        let mut tok = TracuuTokenizer::new(emit);
        let mut stream = tok.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    #[test]
    fn tantivy_stream_keeps_positions_and_offsets() {
        let tokens = stream(Emit::Words(Mode::Folded), "Lê Duẩn, 1964");
        assert_eq!(tokens.len(), 3);
        assert_token(&tokens[0], 0, "le", 0, 3);
        assert_token(&tokens[1], 1, "duan", 4, 10);
        assert_token(&tokens[2], 3, "1964", 12, 16);
    }

    #[test]
    fn each_field_gets_its_tokens_with_or_without_the_folded_pass_before() {
        let text = "Hoà ở Hà Nội";
        // The folded pass before over the same text leaves the others its tokens; over another
        // text, they analyse the text themselves.
        for before in [text, "another text"] {
            stream(Emit::Words(Mode::Folded), before);
            let exact = stream(Emit::Words(Mode::Exact), text);
            assert_eq!(exact.len(), 4);
            assert_token(&exact[0], 0, "hoà", 0, 4);
            let compounds = stream(Emit::Compounds, text);
            assert_eq!(compounds.len(), 1);
            assert_token(&compounds[0], 0, "hanoi", 9, text.len());
        }
    }
}
