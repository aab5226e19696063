//! The query language: text a user types -> a checked syntax tree. Pure; knows nothing of tantivy.
//!
//! ```text
//! Cam Ranh            both words (AND is the default; the word AND is accepted and ignored)
//! "pivot to the East" an exact phrase; "Su-30"* a phrase whose last word is a prefix
//! Kosygin OR Lavrov   either; binds looser than AND: a b OR c = (a b) OR c
//! (Kosygin OR Lavrov) Hanoi
//! -Guam  -"Cam Ranh"  NOT Guam     exclusion
//! Varshav*            prefix, on a single word too
//! Kosygin~  Kosygin~2 typo tolerance (edit distance 1, or 2 for words of 9+ letters; or as given)
//! source:004*         only passages of files whose path matches the glob (no wildcard: substring)
//! P. Phúc Xá, Q.1     administrative abbreviations: (Phường OR P) "Phúc Xá", (Quận 1 OR Q.1 OR Q1)
//! ```
//! Control characters count as spaces. Anything else odd is an error with a hint, never a panic.
//!
//! An abbreviation of the table in [`super::abbrev`] (read by its rule there) becomes one
//! required choice: its full form or any of its short forms, never the letters alone, so that
//! `P. Phúc Xá` finds "Phường Phúc Xá" and "P. Phúc Xá" alike. Quoted text is never read so.

use super::abbrev::{self, Expansion, Reading};
use crate::error::{Error, Result};
use crate::text::{self, Mode};

/// A query longer than this (in bytes) is refused.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// Parentheses nested deeper than this are refused.
pub const MAX_DEPTH: usize = 32;
/// A query asking for more distinct words and phrases than this is refused: each one is a
/// posting list to read, and no one types that many.
pub const MAX_OPERANDS: usize = 256;

/// Typo tolerance asked for with `~`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fuzz {
    /// `word~`: distance 1, or 2 for words of 9 letters or more.
    Auto,
    /// `word~N`.
    Distance(u8),
}

/// A word or phrase to look for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operand {
    /// The text as typed, without quotes and operator suffixes.
    pub text: String,
    /// Typed in double quotes.
    pub quoted: bool,
    /// Ends with `*`: the last word is a prefix.
    pub prefix: bool,
    /// Ends with `~` or `~N`.
    pub fuzzy: Option<Fuzz>,
    /// Part of an abbreviation's expansion (its full form or a short form), not typed as such:
    /// its marks never make the query one typed with diacritics (in a query that is, the
    /// exact-spelling tier reads the full form in the table's spelling).
    pub expansion: bool,
}

/// The syntax tree of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A word or phrase.
    Term(Operand),
    /// `source:PATTERN`.
    Source(String),
    /// Exclusion.
    Not(Box<Node>),
    /// All of these.
    And(Vec<Node>),
    /// Any of these.
    Or(Vec<Node>),
}

/// Parses and checks a query.
pub fn parse(input: &str) -> Result<Node> {
    if input.len() > MAX_QUERY_BYTES {
        return Err(Error::Query(format!(
            "the query is {} bytes long; the most is {MAX_QUERY_BYTES}: search for a few distinctive words",
            input.len()
        )));
    }
    let tokens = abbreviations(lex(input)?);
    let mut parser = Parser { tokens, at: 0 };
    let node = parser.or(0)?;
    if parser.at < parser.tokens.len() {
        return Err(Error::Query(
            "unbalanced parenthesis: remove the extra `)` or add a matching `(`".into(),
        ));
    }
    let Some(node) = simplify(node) else {
        return Err(Error::Query(
            "the query has no words to search for; type at least one word, e.g. `tracuu search Hanoi`"
                .into(),
        ));
    };
    check_positive(&node)?;
    let n = operands(&node);
    if n > MAX_OPERANDS {
        return Err(Error::Query(format!(
            "the query asks for {n} different words and phrases; the most is {MAX_OPERANDS}: search for a few distinctive words"
        )));
    }
    Ok(node)
}

#[derive(Clone, Debug, PartialEq)]
enum Lexeme {
    Open,
    Close,
    Or,
    Not,
    Quoted {
        text: String,
        prefix: bool,
    },
    Bare(String),
    /// An abbreviation, and the rest of its word if it was glued to a name (`P.Phúc`).
    Alias(Expansion, Option<String>),
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

fn lex(input: &str) -> Result<Vec<Lexeme>> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_space(c) {
            i += 1;
        } else if c == '(' {
            out.push(Lexeme::Open);
            i += 1;
        } else if c == ')' {
            out.push(Lexeme::Close);
            i += 1;
        } else if c == '-' {
            if chars.get(i + 1).is_some_and(|&n| !is_space(n) && n != ')') {
                out.push(Lexeme::Not);
            }
            i += 1;
        } else if c == '"' {
            let Some(len) = chars[i + 1..].iter().position(|&c| c == '"') else {
                return Err(Error::Query(
                    "unbalanced quote: add the closing `\"` or remove the opening one".into(),
                ));
            };
            let text: String = chars[i + 1..i + 1 + len]
                .iter()
                .map(|&c| if is_space(c) { ' ' } else { c })
                .collect();
            i += len + 2;
            let prefix = chars.get(i) == Some(&'*');
            if prefix {
                i += 1;
            }
            out.push(Lexeme::Quoted { text, prefix });
        } else {
            let start = i;
            while i < chars.len() && !is_space(chars[i]) && !matches!(chars[i], '(' | ')' | '"') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(match word.as_str() {
                "OR" | "||" => Lexeme::Or,
                "NOT" => Lexeme::Not,
                "AND" | "&&" => continue,
                _ => Lexeme::Bare(word),
            });
        }
    }
    Ok(out)
}

/// Reads the bare words of a query against the abbreviation table ([`abbrev`] has the rule):
/// an abbreviation becomes a [`Lexeme::Alias`]; a unit's letters alone only before a
/// capitalised word or a number in a query that looks like an address (a comma, or another
/// abbreviation); a numbered unit takes the number after it (`Q. 1`); Thành phố before a city
/// acronym is dropped (`TP HCM` is `HCM`).
fn abbreviations(tokens: Vec<Lexeme>) -> Vec<Lexeme> {
    let address = tokens.iter().any(|t| match t {
        Lexeme::Bare(w) => w.contains(',') || abbrev::read(w).is_sure(),
        _ => false,
    });
    let mut out: Vec<Lexeme> = Vec::with_capacity(tokens.len());
    let mut tokens = tokens.into_iter().peekable();
    while let Some(tok) = tokens.next() {
        let Lexeme::Bare(word) = &tok else {
            out.push(tok);
            continue;
        };
        let next = match tokens.peek() {
            Some(Lexeme::Bare(w)) => Some(w.as_str()),
            _ => None,
        };
        let (mut expansion, rest) = match abbrev::read(word) {
            Reading::Plain => {
                out.push(tok);
                continue;
            }
            Reading::Glued(e, rest) => (e, Some(rest.to_string())),
            Reading::Sure(e) => (e, None),
            Reading::Candidate(unit) => {
                let e = unit.expansion();
                let named = next.is_some_and(|n| {
                    n.starts_with(char::is_uppercase) || e.with_number(n).is_some()
                });
                if !(address && named) {
                    out.push(tok);
                    continue;
                }
                (e, None)
            }
        };
        if rest.is_none() {
            if let Some(numbered) = next.and_then(|n| expansion.with_number(n)) {
                expansion = numbered;
                tokens.next();
            }
        }
        if matches!(out.last(), Some(Lexeme::Alias(prev, None)) if prev.absorbed_by(&expansion)) {
            out.pop();
        }
        out.push(Lexeme::Alias(expansion, rest));
    }
    out
}

struct Parser {
    tokens: Vec<Lexeme>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.tokens.get(self.at)
    }

    fn or(&mut self, depth: usize) -> Result<Node> {
        if depth > MAX_DEPTH {
            return Err(Error::Query(format!(
                "parentheses are nested more than {MAX_DEPTH} deep; flatten the query"
            )));
        }
        let mut branches = vec![self.and(depth)?];
        while self.peek() == Some(&Lexeme::Or) {
            self.at += 1;
            branches.push(self.and(depth)?);
        }
        Ok(Node::Or(branches))
    }

    fn and(&mut self, depth: usize) -> Result<Node> {
        let mut items = Vec::new();
        while let Some(tok) = self.peek() {
            match tok {
                Lexeme::Close | Lexeme::Or => break,
                Lexeme::Not => {
                    self.at += 1;
                    let mut nodes = self.primary(depth)?;
                    match nodes.len() {
                        0 => {}
                        1 => items.push(Node::Not(Box::new(nodes.remove(0)))),
                        _ => items.push(Node::Not(Box::new(Node::And(nodes)))),
                    }
                }
                _ => items.extend(self.primary(depth)?),
            }
        }
        Ok(Node::And(items))
    }

    /// The next operand: one node, or two for an abbreviation glued to a word (`P.Phúc`).
    fn primary(&mut self, depth: usize) -> Result<Vec<Node>> {
        let Some(tok) = self.tokens.get(self.at).cloned() else {
            return Ok(Vec::new());
        };
        self.at += 1;
        match tok {
            Lexeme::Open => {
                let inner = self.or(depth + 1)?;
                if self.peek() != Some(&Lexeme::Close) {
                    return Err(Error::Query(
                        "unbalanced parenthesis: add the closing `)`".into(),
                    ));
                }
                self.at += 1;
                Ok(vec![inner])
            }
            Lexeme::Quoted { text, prefix } => Ok(vec![Node::Term(Operand {
                text,
                quoted: true,
                prefix,
                fuzzy: None,
                expansion: false,
            })]),
            Lexeme::Bare(word) => Ok(vec![bare(&word)?]),
            Lexeme::Alias(expansion, rest) => {
                let mut nodes = vec![alias(&expansion)];
                if let Some(rest) = rest {
                    nodes.push(bare(&rest)?);
                }
                Ok(nodes)
            }
            // A second NOT is dropped; an OR or `)` where a word should be is left to the caller.
            Lexeme::Not => Ok(Vec::new()),
            Lexeme::Or | Lexeme::Close => {
                self.at -= 1;
                Ok(Vec::new())
            }
        }
    }
}

/// A bare word: maybe `field:value`, maybe with a `*` or `~N` suffix.
fn bare(word: &str) -> Result<Node> {
    if let Some((name, value)) = word.split_once(':') {
        if value.is_empty() && name.eq_ignore_ascii_case("source") {
            return Err(Error::Query(
                "`source:` needs a file glob right after it, without a space: `source:004*`, `source:notes/`; to search for the word, put it in quotes: \"source:\"".into(),
            ));
        }
        if !name.is_empty() && !value.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) {
            if name.eq_ignore_ascii_case("source") {
                return Ok(Node::Source(value.to_string()));
            }
            return Err(Error::Query(format!(
                "unknown field `{name}:`; the only field is `source:` (a file glob). To search for the text, put it in quotes: \"{word}\""
            )));
        }
    }
    let mut text = word;
    let mut fuzzy = None;
    if let Some((head, digits)) = text.rsplit_once('~') {
        if !head.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            fuzzy = Some(match digits {
                "" => Fuzz::Auto,
                "0" | "1" | "2" => Fuzz::Distance(digits.parse().unwrap_or(1)),
                _ => {
                    return Err(Error::Query(format!(
                        "typo distance `~{digits}` is too large; use `~1` or `~2`"
                    )))
                }
            });
            text = head;
        }
    }
    let prefix = text.len() > 1 && text.ends_with('*');
    let text = text.trim_end_matches('*');
    Ok(Node::Term(Operand {
        text: text.to_string(),
        quoted: false,
        prefix,
        fuzzy,
        expansion: false,
    }))
}

/// An abbreviation's node: any one of its full form and its short forms.
fn alias(expansion: &Expansion) -> Node {
    let forms = std::iter::once(&expansion.full).chain(&expansion.short);
    Node::Or(
        forms
            .map(|text| {
                Node::Term(Operand {
                    text: text.clone(),
                    quoted: false,
                    prefix: false,
                    fuzzy: None,
                    expansion: true,
                })
            })
            .collect(),
    )
}

/// Drops operands without words and groups left empty; unwraps groups of one.
/// The nodes without repeats: `the the the` asks for `the` once, so a query's cost follows its
/// distinct words, not its length.
fn distinct(nodes: impl Iterator<Item = Node>) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    for node in nodes {
        if !out.contains(&node) {
            out.push(node);
        }
    }
    out
}

/// How many words and phrases the query asks for (exclusions included).
fn operands(node: &Node) -> usize {
    match node {
        Node::Term(_) | Node::Source(_) => 1,
        Node::Not(inner) => operands(inner),
        Node::And(items) | Node::Or(items) => items.iter().map(operands).sum(),
    }
}

fn simplify(node: Node) -> Option<Node> {
    match node {
        Node::Term(op) => {
            (!text::words(&op.text, Mode::Folded).is_empty()).then_some(Node::Term(op))
        }
        Node::Source(p) => Some(Node::Source(p)),
        Node::Not(inner) => simplify(*inner).map(|n| Node::Not(Box::new(n))),
        Node::And(items) => {
            let mut items = distinct(items.into_iter().filter_map(simplify));
            match items.len() {
                0 => None,
                1 => items.pop(),
                _ => Some(Node::And(items)),
            }
        }
        Node::Or(items) => {
            let mut items = distinct(items.into_iter().filter_map(simplify));
            match items.len() {
                0 => None,
                1 => items.pop(),
                _ => Some(Node::Or(items)),
            }
        }
    }
}

/// True if the node asks for something (a word or phrase), not only excludes or filters.
fn looks_for_something(node: &Node) -> bool {
    match node {
        Node::Term(_) => true,
        Node::Source(_) | Node::Not(_) => false,
        Node::And(items) => items.iter().any(looks_for_something),
        Node::Or(items) => items.iter().all(looks_for_something),
    }
}

fn check_positive(node: &Node) -> Result<()> {
    if !looks_for_something(node) {
        return Err(Error::Query(
            "the query only excludes or filters; add a word to look for, e.g. `Putin -Lavrov` or `source:004* Putin`"
                .into(),
        ));
    }
    match node {
        Node::And(items) | Node::Or(items) => items.iter().try_for_each(check_nested),
        _ => Ok(()),
    }
}

fn check_nested(node: &Node) -> Result<()> {
    match node {
        Node::Not(_) | Node::Source(_) | Node::Term(_) => Ok(()),
        _ => check_positive(node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_words_count_once_and_too_many_words_are_refused() {
        let node = parse(&"the ".repeat(4000)).unwrap();
        assert_eq!(node, parse("the").unwrap());
        assert_eq!(parse("a b a").unwrap(), parse("a b").unwrap());
        let many: Vec<String> = (0..=MAX_OPERANDS).map(|i| format!("w{i}")).collect();
        let err = parse(&many.join(" ")).unwrap_err().to_string();
        assert!(err.contains("the most is 256"), "{err}");
        assert!(parse(&many[..MAX_OPERANDS].join(" ")).is_ok());
    }

    fn word(t: &str) -> Node {
        Node::Term(Operand {
            text: t.into(),
            quoted: false,
            prefix: false,
            fuzzy: None,
            expansion: false,
        })
    }

    fn phrase(t: &str) -> Node {
        Node::Term(Operand {
            text: t.into(),
            quoted: true,
            prefix: false,
            fuzzy: None,
            expansion: false,
        })
    }

    #[test]
    fn words_phrases_and_exclusions() {
        assert_eq!(
            parse("\"Cam Ranh\" -Guam").unwrap(),
            Node::And(vec![phrase("Cam Ranh"), Node::Not(Box::new(word("Guam")))])
        );
        assert_eq!(parse("Su-30MK2").unwrap(), word("Su-30MK2"));
        assert_eq!(
            parse("NOT Guam Hanoi").unwrap(),
            parse("-Guam Hanoi").unwrap()
        );
        assert_eq!(parse("a AND b").unwrap(), parse("a b").unwrap());
    }

    #[test]
    fn or_binds_looser_than_and_and_groups_nest() {
        assert_eq!(
            parse("a b OR c").unwrap(),
            Node::Or(vec![Node::And(vec![word("a"), word("b")]), word("c")])
        );
        assert_eq!(
            parse("(Kosygin OR Lavrov) Hanoi").unwrap(),
            Node::And(vec![
                Node::Or(vec![word("Kosygin"), word("Lavrov")]),
                word("Hanoi")
            ])
        );
    }

    #[test]
    fn suffixes_and_fields() {
        let Node::Term(op) = parse("Varshav*").unwrap() else {
            panic!()
        };
        assert!(op.prefix && op.text == "Varshav");
        let Node::Term(op) = parse("Shevardnaze~").unwrap() else {
            panic!()
        };
        assert_eq!(op.fuzzy, Some(Fuzz::Auto));
        let Node::Term(op) = parse("Lavrof~2").unwrap() else {
            panic!()
        };
        assert_eq!(
            (op.text.as_str(), op.fuzzy),
            ("Lavrof", Some(Fuzz::Distance(2)))
        );
        assert_eq!(
            parse("source:004* Putin").unwrap(),
            Node::And(vec![Node::Source("004*".into()), word("Putin")])
        );
        // Not a field: digits before the colon.
        assert_eq!(parse("10:30").unwrap(), word("10:30"));
    }

    #[test]
    fn bad_queries_are_errors_with_hints() {
        for (q, hint) in [
            ("", "no words"),
            ("   ", "no words"),
            ("OR ( ) - *", "no words"),
            ("-Guam", "only excludes"),
            ("-a -\"b c\"", "only excludes"),
            ("source:004*", "only excludes or filters"),
            ("\"Cam Ranh", "unbalanced quote"),
            ("(Kosygin OR Lavrov", "closing `)`"),
            ("Kosygin)", "extra `)`"),
            ("author:Tolstoy", "unknown field `author:`"),
            ("source:", "`source:` needs a file glob"),
            ("Putin SOURCE:", "`source:` needs a file glob"),
            ("word~7", "too large"),
        ] {
            let err = parse(q).unwrap_err().to_string();
            assert!(err.contains(hint), "{q:?}: {err}");
        }
        let long = "a ".repeat(MAX_QUERY_BYTES);
        assert!(parse(&long).unwrap_err().to_string().contains("bytes long"));
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(parse(&deep).unwrap_err().to_string().contains("nested"));
    }

    #[test]
    fn control_characters_are_spaces() {
        assert_eq!(
            parse("Cam\u{7}Ranh\u{0}").unwrap(),
            parse("Cam Ranh").unwrap()
        );
    }

    #[test]
    fn or_with_an_empty_side_is_forgiven() {
        assert_eq!(parse("OR Kosygin").unwrap(), word("Kosygin"));
        assert_eq!(parse("Kosygin OR").unwrap(), word("Kosygin"));
    }

    /// An abbreviation's node: its full form or any of `short`.
    fn either(full: &str, short: &[&str]) -> Node {
        let term = |t: &str| {
            Node::Term(Operand {
                text: t.into(),
                quoted: false,
                prefix: false,
                fuzzy: None,
                expansion: true,
            })
        };
        Node::Or(
            std::iter::once(full)
                .chain(short.iter().copied())
                .map(term)
                .collect(),
        )
    }

    fn words(ws: &[&str]) -> Vec<Node> {
        ws.iter().map(|w| word(w)).collect()
    }

    #[test]
    fn an_address_in_abbreviations_asks_for_each_unit_in_full_or_abbreviated() {
        let mut want = vec![either("Phường", &["P"])];
        want.extend(words(&["Phúc", "Xá,"]));
        want.push(either("Quận", &["Q"]));
        want.extend(words(&["Ba", "Đình,"]));
        want.push(either("Thành phố", &["TP"]));
        want.extend(words(&["Hà", "Nội"]));
        assert_eq!(
            parse("P. Phúc Xá, Q. Ba Đình, TP. Hà Nội").unwrap(),
            Node::And(want)
        );
        // Compact, lower case, without marks: the same units.
        assert_eq!(
            parse("P.Phúc Xá Q.Ba Đình TP.Hà Nội").unwrap(),
            parse("P. Phúc Xá Q. Ba Đình TP. Hà Nội").unwrap()
        );
        assert_eq!(
            parse("p.phuc xa tx.son tay").unwrap(),
            Node::And(vec![
                either("Phường", &["P"]),
                word("phuc"),
                word("xa"),
                either("Thị xã", &["TX"]),
                word("son"),
                word("tay"),
            ])
        );
    }

    #[test]
    fn numbered_units_and_city_acronyms() {
        let quan1 = either("Quận 1", &["Q.1", "Q1"]);
        for q in ["Q1", "Q.1", "q1", "Q. 1", "Q.1,"] {
            assert_eq!(parse(q).unwrap(), quan1, "{q}");
        }
        assert_eq!(
            parse("P.12").unwrap(),
            either("Phường 12", &["P.12", "P12"])
        );
        let hcm = either("Hồ Chí Minh", &["HCM", "TPHCM"]);
        for q in [
            "HCM", "hcm", "TPHCM", "TP.HCM", "Tp.HCM", "TP HCM", "TP. HCM",
        ] {
            assert_eq!(parse(q).unwrap(), hcm, "{q}");
        }
        assert_eq!(parse("HN").unwrap(), either("Hà Nội", &["HN"]));
        assert_eq!(
            parse("P.12 Q1, HN").unwrap(),
            Node::And(vec![
                either("Phường 12", &["P.12", "P12"]),
                quan1,
                either("Hà Nội", &["HN"]),
            ])
        );
    }

    #[test]
    fn a_bare_unit_letter_is_a_unit_only_before_a_name_in_an_address() {
        // No dot, not an address: plain words.
        assert_eq!(
            parse("P Phúc Xá").unwrap(),
            Node::And(words(&["P", "Phúc", "Xá"]))
        );
        assert_eq!(parse("Q 1").unwrap(), Node::And(words(&["Q", "1"])));
        assert_eq!(
            parse("vitamin H").unwrap(),
            Node::And(words(&["vitamin", "H"]))
        );
        // An address (a comma, or another abbreviation), before a capitalised name or a number.
        let Node::And(items) = parse("P Phúc Xá, Q Ba Đình").unwrap() else {
            panic!()
        };
        assert_eq!(
            (&items[0], &items[3]),
            (&either("Phường", &["P"]), &either("Quận", &["Q"]))
        );
        let Node::And(items) = parse("P 12, TP HCM").unwrap() else {
            panic!()
        };
        assert_eq!(items[0], either("Phường 12", &["P.12", "P12"]));
        // Before a word in lower case, even in an address: a plain word.
        let Node::And(items) = parse("T tỉnh, HN").unwrap() else {
            panic!()
        };
        assert_eq!(items[0], word("T"));
    }

    #[test]
    fn quoted_words_and_other_words_are_never_abbreviations() {
        assert_eq!(parse("\"Q1\"").unwrap(), phrase("Q1"));
        for q in [
            "Q1*",
            "HN~",
            "H.264",
            "T-34",
            "U.S.",
            "Sputnik V vaccine",
            "X5 TPH",
        ] {
            assert!(!has_expansion(&parse(q).unwrap()), "{q}");
        }
        for set in [
            include_str!("../../tests/data/queries.tsv"),
            include_str!("../../tests/data/more_queries.tsv"),
        ] {
            for line in set.lines().filter(|l| !l.starts_with('#')) {
                let q = line.split('\t').nth(2).unwrap_or_default();
                if let Ok(node) = parse(q) {
                    assert!(!has_expansion(&node), "{q}");
                }
            }
        }
    }

    fn has_expansion(node: &Node) -> bool {
        match node {
            Node::Term(op) => op.expansion,
            Node::Source(_) => false,
            Node::Not(inner) => has_expansion(inner),
            Node::And(items) | Node::Or(items) => items.iter().any(has_expansion),
        }
    }

    #[test]
    fn an_excluded_abbreviation_glued_to_a_name_excludes_both() {
        assert_eq!(
            parse("Xá -P.Phúc").unwrap(),
            Node::And(vec![
                word("Xá"),
                Node::Not(Box::new(Node::And(vec![
                    either("Phường", &["P"]),
                    word("Phúc")
                ])))
            ])
        );
    }
}
