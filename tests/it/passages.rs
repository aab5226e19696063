//! The passage splitter on every seed file: exact byte ranges, no word lost, sentence-sized.

use tracuu::passage::{split, MAX_WORDS};
use unicode_segmentation::UnicodeSegmentation;

fn seed_files() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    files
}

#[test]
fn passages_cover_every_word_and_only_white_space_is_left_between() {
    for (name, text) in seed_files() {
        let passages = split(&text);
        assert!(!passages.is_empty(), "{name}");
        let mut covered = 0;
        for p in &passages {
            assert!(
                p.start >= covered && p.start < p.end,
                "{name}: overlapping or empty {p:?}"
            );
            assert!(
                text[covered..p.start].trim().is_empty(),
                "{name}: text lost before {p:?}"
            );
            let slice = &text.as_bytes()[p.start..p.end];
            assert_eq!(std::str::from_utf8(slice).unwrap(), &text[p.start..p.end]);
            assert_eq!(
                text[p.start..p.end].trim(),
                &text[p.start..p.end],
                "{name}: untrimmed"
            );
            covered = p.end;
        }
        assert!(
            text[covered..].trim().is_empty(),
            "{name}: text lost at the end"
        );
        // Every word lies inside one passage.
        for (i, w) in text.unicode_word_indices() {
            assert!(
                passages
                    .iter()
                    .any(|p| p.start <= i && i + w.len() <= p.end),
                "{name}: word {w:?} at {i} is cut or lost"
            );
        }
    }
}

#[test]
fn passages_are_a_few_sentences_even_in_hard_wrapped_text() {
    for (name, text) in seed_files() {
        let passages = split(&text);
        let counts: Vec<usize> = passages
            .iter()
            .map(|p| text[p.start..p.end].unicode_words().count())
            .collect();
        assert!(counts.iter().all(|&n| n <= MAX_WORDS), "{name}: {counts:?}");
        let total: usize = counts.iter().sum();
        // Most passages are at least 40 words; short ones are headings or file ends.
        let short = counts.iter().filter(|&&n| n < 40).count();
        assert!(short * 4 <= counts.len().max(4), "{name}: {counts:?}");
        assert!(passages.len() >= total / MAX_WORDS, "{name}");
    }
    // Seed 001 has a line break and a blank line after almost every line: passages still span
    // many lines, and end at sentence ends.
    let (_, text) = &seed_files()[1];
    let passages = split(text);
    assert!(passages.len() > 30, "{}", passages.len());
    let ends_at_sentence = passages
        .iter()
        .filter(|p| text[..p.end].ends_with(['.', '?', '!', ')', '"', '”']))
        .count();
    assert!(
        ends_at_sentence * 10 >= passages.len() * 8,
        "{ends_at_sentence} of {}",
        passages.len()
    );
}

/// The passages of `text` split sequentially and split by threads in pieces of every size
/// of `chunks` bytes: identical, with and without block breaks and parts.
fn assert_chunked_split_is_sequential(name: &str, text: &str, chunks: &[usize]) {
    use tracuu::passage::split_in_chunks;
    let lines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let every_third: Vec<usize> = lines.iter().copied().step_by(3).collect();
    let parts: Vec<usize> = lines.iter().copied().step_by(40).map(|i| i + 1).collect();
    for (breaks, parts) in [
        (&[][..], &[][..]),
        (&lines[..], &[][..]),
        (&every_third[..], &parts[..]),
    ] {
        let sequential = split_in_chunks(text, breaks, parts, usize::MAX);
        assert!(!sequential.is_empty(), "{name}");
        for &chunk in chunks {
            let chunked = split_in_chunks(text, breaks, parts, chunk);
            assert_eq!(chunked, sequential, "{name}: pieces of {chunk} bytes");
        }
    }
    assert_eq!(split_in_chunks(text, &[], &[], usize::MAX), split(text));
}

#[test]
fn a_split_by_threads_gives_the_passages_of_a_sequential_split() {
    for (name, text) in seed_files() {
        assert_chunked_split_is_sequential(&name, &text, &[97, 4096]);
    }
    // A record list (one passage per line), CRLF, and a sentence that never ends.
    let records: String = (0..300)
        .map(|i| format!("Phường số {i} thuộc Quận Ba Đình, Thành phố Hà Nội, mã {i:05}.\r\n"))
        .collect();
    assert_chunked_split_is_sequential("records", &records, &[1, 5, 64, 999]);
    assert_chunked_split_is_sequential("endless", &"word älpha ".repeat(2000), &[1, 5, 64, 999]);
}
