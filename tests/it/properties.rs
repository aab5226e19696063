//! Property tests on arbitrary Unicode: the tokenizer, the passage splitter and the query parser
//! never panic, offsets fall on char boundaries, passages cover every word, folding is idempotent.

use proptest::prelude::*;
use tracuu::passage;
use tracuu::text::{compounds, normalize, words, Mode};

/// Text that looks like the corpus: Vietnamese letters NFC and NFD, combining marks alone,
/// Cyrillic, hyphens, apostrophes, full stops without spaces, line breaks.
fn corpus_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z]{1,8}",
        "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđĐ]{1,4}",
        "[aeiouy][\u{0300}\u{0301}\u{0303}\u{0309}\u{0323}\u{0302}\u{0306}\u{031B}]{1,2}",
        "[а-яА-ЯёЁьъ]{1,6}",
        "[0-9]{1,4}",
        "[ .,;:!?'’\"()\\[\\]–—-]{1,2}",
        "[\n\r\t ]{1,3}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

/// Short strings dense in what decides word boundaries: apostrophes, full stops, colons,
/// underscores, marks, format characters, digits, the letter s.
fn tricky() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = "aAsSđĐưẩйЯ19 \n.,:;'’‘_·-–\u{301}\u{302}\u{323}\u{488}\u{ad}\u{200b}\u{200d}\u{2060}()\"²µªé"
        .chars()
        .collect();
    prop::collection::vec(prop::sample::select(alphabet), 0..24)
        .prop_map(|v| v.into_iter().collect())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![corpus_like(), any::<String>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn words_have_valid_increasing_offsets_and_idempotent_forms(text in any_text()) {
        for mode in [Mode::Folded, Mode::Exact] {
            let mut last_end = 0;
            for w in words(&text, mode) {
                prop_assert!(text.is_char_boundary(w.start) && text.is_char_boundary(w.end));
                prop_assert!(last_end <= w.start && w.start < w.end && w.end <= text.len());
                prop_assert!(!w.text.is_empty());
                let again = normalize(&w.text, mode).into_owned();
                prop_assert_eq!(&again, &w.text, "not idempotent");
                last_end = w.end;
            }
        }
        for c in compounds(&text) {
            prop_assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
            prop_assert!(c.start < c.end && c.end <= text.len());
        }
    }

    #[test]
    fn nfc_and_nfd_fold_alike(text in corpus_like()) {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = text.nfd().collect();
        let a: Vec<String> = words(&text, Mode::Folded).into_iter().map(|w| w.text).collect();
        let b: Vec<String> = words(&nfd, Mode::Folded).into_iter().map(|w| w.text).collect();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn passages_cover_every_word_on_char_boundaries(text in any_text()) {
        let passages = passage::split(&text);
        let mut covered = 0;
        for p in &passages {
            prop_assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
            prop_assert!(covered <= p.start && p.start < p.end && p.end <= text.len());
            prop_assert!(text[covered..p.start].trim().is_empty());
            covered = p.end;
        }
        prop_assert!(text[covered..].trim().is_empty());
        // Every piece the tokenizer would index lies inside one passage. (Raw UAX #29 segments
        // are not the yardstick: "\t\u{d00}" is one, because that mark is alphabetic.)
        let mut lost = None;
        tracuu::text::for_each_piece(&text, |s, e| {
            if !passages.iter().any(|p| p.start <= s && e <= p.end) {
                lost.get_or_insert((s, e));
            }
        });
        prop_assert!(lost.is_none(), "word {:?} lost", lost.map(|(s, e)| &text[s..e]));
    }


    #[test]
    fn the_query_parser_never_panics(query in prop_oneof![any_text(), "[a-z \"()*~:-]{0,40}", "(OR|AND|NOT|-|\\(|\\)|\"|\\*|~2|source:|x| ){0,20}"]) {
        let _ = tracuu::search::query::parse(&query);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn the_fast_path_cuts_words_exactly_like_uax29(
        text in prop_oneof![tricky(), corpus_like(), "[a-zA-Z0-9sS .,:;'_\n-]{0,30}"]
    ) {
        if let Some(fast) = tracuu::text::pieces_by(&text, true) {
            let uax = tracuu::text::pieces_by(&text, false).unwrap();
            prop_assert_eq!(fast, uax, "{:?}", text);
        }
    }
}

#[test]
fn the_fast_path_and_uax29_agree_on_every_seed_passage() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut fast_passages = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for p in passage::split(&text) {
            let t = &text[p.start..p.end];
            if let Some(fast) = tracuu::text::pieces_by(t, true) {
                assert_eq!(fast, tracuu::text::pieces_by(t, false).unwrap(), "{t}");
                fast_passages += 1;
            }
        }
    }
    assert!(
        fast_passages > 80,
        "only {fast_passages} seed passages take the fast path"
    );
}

/// Words and separators that make compounds and phrase gaps: Vietnamese names with and without
/// capitals, hyphenated models, English words that look like syllables, clause punctuation.
fn compound_like() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "Hà",
        "Nội",
        "ha",
        "noi",
        "Sài",
        "Gòn",
        "Việt",
        "Nam",
        "Su",
        "30MK2",
        "IL",
        "In",
        "To",
        "the",
        "Nguyễn",
        "NGUYỄN",
        "Trần",
        "Ƛ",
        "Путин",
        "x",
        "Ngh",
        "Putin's",
        "đ",
        "Đông",
    ]);
    let gap = prop::sample::select(vec![
        " ", " ", "-", "\u{2010}", "\n", "\n \n", "\n\n\n", ", ", "\t", ". ", "  ", "",
    ]);
    prop::collection::vec((word, gap), 0..30)
        .prop_map(|v| v.into_iter().flat_map(|(w, g)| [w, g]).collect())
}

/// Tokens as (start, end, position, text).
type Toks = Vec<(usize, usize, usize, String)>;

fn listed(tokens: &[tantivy::tokenizer::Token]) -> Toks {
    tokens
        .iter()
        .map(|t| (t.offset_from, t.offset_to, t.position, t.text.clone()))
        .collect()
}

/// The tokens of the three fields as the per-field functions make them, one pass each.
fn per_field(text: &str) -> [Toks; 3] {
    use tracuu::text::positions;
    let words_at = |mode| {
        let w = words(text, mode);
        let at = positions(text, &w);
        w.into_iter()
            .zip(at)
            .map(|(w, p)| (w.start, w.end, p, w.text))
            .collect()
    };
    let compounds = compounds(text)
        .into_iter()
        .enumerate()
        .map(|(i, w)| (w.start, w.end, i, w.text))
        .collect();
    [words_at(Mode::Folded), words_at(Mode::Exact), compounds]
}

/// The tokens of the three fields as tantivy gets them, the tokenizers run in the order
/// tantivy runs them on a document (folded, exact, compound) unless `alone`.
fn through_tantivy(text: &str, alone: bool) -> [Toks; 3] {
    use tantivy::tokenizer::{TokenStream, Tokenizer};
    use tracuu::text::{Emit, TracuuTokenizer};
    let run = |emit, text: &str| {
        let mut tok = TracuuTokenizer::new(emit);
        let mut stream = tok.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        listed(&out)
    };
    if alone {
        // Another text analysed last on this thread: nothing to take over.
        run(Emit::Words(Mode::Folded), "unrelated Hà Nội");
        let exact = run(Emit::Words(Mode::Exact), text);
        let compound = run(Emit::Compounds, text);
        return [run(Emit::Words(Mode::Folded), text), exact, compound];
    }
    let folded = run(Emit::Words(Mode::Folded), text);
    [
        folded,
        run(Emit::Words(Mode::Exact), text),
        run(Emit::Compounds, text),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn one_analysis_gives_the_tokens_of_the_per_field_tokenizers(
        text in prop_oneof![compound_like(), corpus_like(), tricky(), any::<String>()]
    ) {
        let want = per_field(&text);
        let mut a = tracuu::text::Analysis::default();
        // Twice into the same lists: what the first text left must not leak into the second.
        a.run("Sài Gòn-x, the Su-27 ĐÔNG");
        a.run(&text);
        let got = [listed(a.folded.as_slice()), listed(a.exact.as_slice()), listed(a.compounds.as_slice())];
        prop_assert_eq!(&got, &want, "{:?}", text);
        prop_assert_eq!(&through_tantivy(&text, false), &want, "{:?}", text);
        prop_assert_eq!(&through_tantivy(&text, true), &want, "{:?}", text);
    }
}

#[test]
fn one_analysis_gives_the_per_field_tokens_of_every_seed_passage() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut a = tracuu::text::Analysis::default();
    let mut compounds_seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for p in passage::split(&text) {
            let t = &text[p.start..p.end];
            a.run(t);
            let got = [
                listed(a.folded.as_slice()),
                listed(a.exact.as_slice()),
                listed(a.compounds.as_slice()),
            ];
            assert_eq!(got, per_field(t), "{t}");
            compounds_seen += got[2].len();
        }
    }
    assert!(compounds_seen > 50, "only {compounds_seen} compounds");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn a_split_by_threads_gives_the_passages_of_a_sequential_split(
        text in prop_oneof![
            prop::collection::vec(prop_oneof![corpus_like(), compound_like()], 1..12).prop_map(|v| v.concat()),
            any::<String>(),
        ],
        chunk in 1usize..400,
        every in 1usize..6,
    ) {
        use tracuu::passage::split_in_chunks;
        let breaks: Vec<usize> = text.match_indices(['\n', '.']).map(|(i, _)| i).step_by(every).collect();
        let parts: Vec<usize> = breaks.iter().copied().step_by(4).collect();
        for (b, p) in [(&[][..], &[][..]), (&breaks[..], &[][..]), (&breaks[..], &parts[..])] {
            let sequential = split_in_chunks(&text, b, p, usize::MAX);
            prop_assert_eq!(split_in_chunks(&text, b, p, chunk), sequential, "{:?}", text);
        }
    }
}

/// Text dense in what decides sentence boundaries: terminators of several scripts, closing
/// quotes and brackets, spaces, letters of both cases, digits, runs of four letters.
fn sentence_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z]{1,6}",
        "[A-Z][a-z]{0,5}",
        "[àáạđĐưẩéÉ]{1,3}",
        "[a-z][\u{0300}\u{0301}\u{0323}]",
        "[0-9]{1,3}",
        "[.!?]{1,3}",
        "[ \t]{1,2}",
        "[\"'’”»)\\]]{1,2}",
        "[,;:—-]",
        "[…。！？।؟¿¡·•]",
        "\\PC{1,2}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// The sentence starts found by segmenting only around terminators are UAX #29's, and a
    /// text cut into pieces right after four ASCII letters gives them too, piece by piece.
    #[test]
    fn sentence_starts_around_terminators_are_those_of_a_whole_run(
        text in prop_oneof![sentence_like(), any::<String>()],
        cut_every in 1usize..40,
    ) {
        use unicode_segmentation::UnicodeSegmentation;
        // The splitter segments text whose line breaks are spaces.
        let flat: String = text
            .chars()
            .map(|c| if matches!(c, '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}') { ' ' } else { c })
            .collect();
        let whole: Vec<usize> = flat.split_sentence_bound_indices().map(|(i, _)| i).collect();
        prop_assert_eq!(&passage::sentence_starts(&flat, 0, flat.len()), &whole, "{:?}", flat);
        let bytes = flat.as_bytes();
        let mut cuts: Vec<usize> = (4..flat.len())
            .filter(|&c| bytes[c - 4..c].iter().all(u8::is_ascii_alphabetic))
            .step_by(cut_every)
            .collect();
        cuts.insert(0, 0);
        cuts.push(flat.len());
        cuts.dedup();
        let pieces: Vec<usize> = cuts
            .windows(2)
            .flat_map(|w| passage::sentence_starts(&flat, w[0], w[1]))
            .collect();
        prop_assert_eq!(&pieces, &whole, "{:?} cut at {:?}", flat, cuts);
    }
}
