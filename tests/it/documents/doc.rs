//! Old Word documents (`.doc`, Word 97–2003) made by LibreOffice (tests/data/office/README.md):
//! the piece table's UTF-16 and 8-bit runs, paragraphs, table cells and fields, found by folded
//! and exact queries and read back by `show`; broken files skipped with one warning each.

use super::{one_hit, search_and_show};
use crate::util::{assert_contains, assert_lacks, stderr, stdout, Env};

const THU: &[u8] = include_bytes!("../../data/office/thu.doc");
const EIGHT_BIT: &[u8] = include_bytes!("../../data/office/thu-8bit.doc");
const VNTIME: &[u8] = include_bytes!("../../data/office/thu-vntime.doc");
const VNI: &[u8] = include_bytes!("../../data/office/thu-vni.doc");
const NORMAL_VNTIME: &[u8] = include_bytes!("../../data/office/thu-normal-vntime.doc");

fn letters() -> Env {
    Env::indexed_files(&[("thu.doc", THU.to_vec()), ("plain.doc", EIGHT_BIT.to_vec())])
}

#[test]
fn doc_paragraphs_are_found_folded_and_exact_and_shown() {
    let env = Env::indexed_files(&[("thu.doc", THU.to_vec())]);
    for query in [
        "\"Tran Duc Luong\" gui",
        "\"Trần Đức Lương\"",
        "Trần Đức Lương kính",
    ] {
        let hit = one_hit(&env, query, "doc", "extracted");
        assert_eq!(hit.source, "thu.doc");
        assert_eq!(hit.paragraph, Some(1), "{query}");
        assert_eq!(hit.text, "Kính gửi anh Trần Đức Lương,");
        assert_eq!(hit.exact, query.contains('ầ'), "{query}");
    }
    let hit = one_hit(&env, "\"song Cuu Long\"", "doc", "extracted");
    assert_eq!(hit.paragraph, Some(2));
    let out = env.run(&["search", "--color", "never", "\"Trần Đức Lương\" kinh"]);
    assert_contains(stdout(&out), "thu.doc:paragraph 1: #1");
    let (start, end) = (hit.start.to_string(), hit.end.to_string());
    let shown = env.run(&["show", "thu.doc", "0", "38"]);
    assert_eq!(stdout(&shown), "Kính gửi anh Trần Đức Lương,");
    let shown = env.run(&["show", "thu.doc", &start, &end]);
    assert_contains(stdout(&shown), "Cửu Long");
}

#[test]
fn doc_fields_keep_their_result_and_cells_do_not_run_together() {
    let env = letters();
    // A hyperlink field: its text is found, its instructions (the address) are not.
    let hit = one_hit(&env, "\"xem ban do dong bang\"", "doc", "extracted");
    assert_eq!(hit.paragraph, Some(3));
    assert_lacks(&hit.text, "HYPERLINK");
    assert!(search_and_show(&env, "quokka").is_empty());
    assert!(search_and_show(&env, "HYPERLINK").is_empty());
    // Each table cell is a paragraph: no phrase runs from one cell into the next.
    let hit = one_hit(&env, "\"Ha Noi\"", "doc", "extracted");
    assert_eq!((hit.paragraph, hit.text.as_str()), (Some(4), "Hà Nội"));
    assert_eq!(one_hit(&env, "Huế", "doc", "extracted").paragraph, Some(5));
    assert!(search_and_show(&env, "\"Noi Hue\"").is_empty());
    assert_eq!(
        one_hit(&env, "\"hen gap\"", "doc", "extracted").paragraph,
        Some(6)
    );
}

#[test]
fn doc_8_bit_pieces_read_as_windows_1252() {
    let env = letters();
    let hit = one_hit(&env, "\"cafe creme\"", "doc", "extracted");
    assert_eq!((hit.source.as_str(), hit.paragraph), ("plain.doc", Some(2)));
    assert_eq!(
        hit.text,
        "This letter is stored in eight bit pieces: café crème."
    );
    let hit = one_hit(&env, "\"Tran Duc Luong\" dear", "doc", "extracted");
    assert_eq!((hit.source.as_str(), hit.paragraph), ("plain.doc", Some(1)));
}

#[test]
fn doc_runs_in_vntime_and_vni_fonts_are_found_as_vietnamese() {
    for (name, bytes, text) in [
        ("vntime.doc", VNTIME, "Trần Đức Lương,"),
        // The font ends at the name: " kính." is in a Unicode font and stays as it is.
        ("vni.doc", VNI, "Trần Đức Lương kính."),
    ] {
        let env = Env::indexed_files(&[(name, bytes.to_vec())]);
        for query in ["\"Tran Duc Luong\"", "\"Trần Đức Lương\""] {
            let hit = one_hit(&env, query, "doc", "extracted");
            assert_eq!(
                (hit.paragraph, hit.text.as_str()),
                (Some(2), text),
                "{name}"
            );
            assert_eq!(hit.exact, query.contains('ầ'), "{name} {query}");
        }
        // The Unicode paragraph before it is not decoded as the legacy font.
        one_hit(&env, "\"Kính gửi\"", "doc", "extracted");
        let out = env.run(&[
            "show",
            name,
            "28",
            &(28 + "Trần Đức Lương".len()).to_string(),
        ]);
        assert_eq!(stdout(&out), "Trần Đức Lương", "{name}");
    }
}

#[test]
fn doc_paragraphs_in_a_style_set_in_vntime_are_found_as_vietnamese() {
    // No run names a font: "Normal" is set in .VnTime, the heading's style in Arial.
    let env = Env::indexed_files(&[("thu.doc", NORMAL_VNTIME.to_vec())]);
    for query in ["\"Tran Duc Luong\"", "\"Trần Đức Lương\""] {
        let hit = one_hit(&env, query, "doc", "extracted");
        assert_eq!(
            (hit.paragraph, hit.text.as_str()),
            (Some(2), "Kính gửi ông Trần Đức Lương,")
        );
    }
    let hit = one_hit(&env, "\"Hà Nội\" 1998", "doc", "extracted");
    assert_eq!(hit.text, "Hà Nội, ngày 15 tháng 1 năm 1998");
    // The heading, typed in Unicode in its Arial style, is not decoded.
    let hit = one_hit(&env, "\"Báo cáo\"", "doc", "extracted");
    assert_eq!(
        (hit.paragraph, hit.text.as_str()),
        (Some(1), "Báo cáo năm 1998")
    );
}

#[test]
fn broken_doc_files_are_skipped_with_one_warning_each() {
    let env = Env::with_files(&[
        ("good.doc", THU.to_vec()),
        ("truncated.doc", THU[..THU.len() / 3].to_vec()),
        (
            "garbage.doc",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not a compound file".to_vec(),
        ),
        ("words.doc", b"plain words, not a document\n".to_vec()),
        // A Graphviz graph shares Word templates' extension.
        (
            "deps.dot",
            b"digraph deps { tracuu -> tantivy; }\n".to_vec(),
        ),
    ]);
    let out = env.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    // Text that is not a compound file is read as text.
    for (query, source) in [("\"plain words\"", "words.doc"), ("tantivy", "deps.dot")] {
        let hit = one_hit(&env, query, "text", "file");
        assert_eq!(hit.source, source);
    }
    assert_lacks(&err, "words.doc");
    assert_lacks(&err, "deps.dot");
    for name in ["truncated.doc", "garbage.doc"] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: {err}");
        assert_contains(lines[0], "corrupt Word document");
    }
    assert_lacks(err, "panicked");
    let hits = search_and_show(&env, "\"Tran Duc Luong\"");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].source, "good.doc");
}
