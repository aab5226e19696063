//! The office archive's committed fixtures (tests/data/office/README.md says how each was made):
//! spreadsheets, presentations and mail (old Word and RTF: doc.rs, rtf.rs), with "Trần Đức Lương" typed in Unicode, in a `.VnTime`
//! (TCVN3) font and in a `VNI-Times` font, each found by the folded and the exact spelling with
//! its format and place, and read back by `tracuu show`.

use super::search_and_show;
use crate::util::{assert_contains, stdout, Env, JsonHit};

/// Each fixture, the source of the hit that holds the name, its format and its place.
const FIXTURES: &[(&str, &[u8], &str, &str, &str)] = &[
    fixture!("sheet.xlsx", "sheet.xlsx", "xlsx", "Danh sách!3"),
    fixture!(
        "sheet-vntime.xlsx",
        "sheet-vntime.xlsx",
        "xlsx",
        "Danh sách!3"
    ),
    fixture!("sheet-vni.xlsx", "sheet-vni.xlsx", "xlsx", "Danh sách!3"),
    fixture!("sheet.xls", "sheet.xls", "xls", "Danh sách!3"),
    fixture!("sheet-vntime.xls", "sheet-vntime.xls", "xls", "Danh sách!3"),
    fixture!("sheet-vni.xls", "sheet-vni.xls", "xls", "Danh sách!3"),
    fixture!("sheet.ods", "sheet.ods", "ods", "Danh sách!3"),
    fixture!("sheet-vntime.ods", "sheet-vntime.ods", "ods", "Danh sách!3"),
    fixture!("sheet-vni.ods", "sheet-vni.ods", "ods", "Danh sách!3"),
    fixture!("slides.pptx", "slides.pptx", "pptx", "slide 2"),
    fixture!(
        "slides-vntime.pptx",
        "slides-vntime.pptx",
        "pptx",
        "slide 2"
    ),
    fixture!("slides-vni.pptx", "slides-vni.pptx", "pptx", "slide 2"),
    fixture!("slides.odp", "slides.odp", "odp", "slide 2"),
    fixture!("slides-vntime.odp", "slides-vntime.odp", "odp", "slide 2"),
    fixture!("slides-vni.odp", "slides-vni.odp", "odp", "slide 2"),
    fixture!("thu.eml", "thu.eml", "eml", "message 1"),
    fixture!("thu-html.eml", "thu-html.eml", "eml", "message 1"),
    fixture!(
        "dinh-kem.eml",
        "dinh-kem.eml!/baocao.docx",
        "docx",
        "paragraph 3"
    ),
    fixture!("hop-thu.mbox", "hop-thu.mbox", "mbox", "message 2"),
    fixture!(
        "hop-thu.mbox",
        "hop-thu.mbox!/3/hoso.zip!/hoso/bienban.docx",
        "docx",
        "paragraph 3"
    ),
];

/// A row of [`FIXTURES`]: the file, its bytes, the hit's source, format and place.
macro_rules! fixture {
    ($file:literal, $source:literal, $format:literal, $place:literal) => {
        (
            $file,
            include_bytes!(concat!("../../data/office/", $file)),
            $source,
            $format,
            $place,
        )
    };
}
use fixture;

fn office() -> Env {
    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
    for (file, bytes, ..) in FIXTURES {
        if !files.iter().any(|(f, _)| f == file) {
            files.push((file, bytes.to_vec()));
        }
    }
    Env::indexed_files(&files)
}

fn by_source<'h>(hits: &'h [JsonHit], source: &str) -> Option<&'h JsonHit> {
    hits.iter().find(|h| h.source == source)
}

#[test]
fn the_name_is_found_in_every_fixture_in_either_spelling_with_its_format_and_place() {
    let env = office();
    for query in ["Tran Duc Luong", "Trần Đức Lương"] {
        // Every hit is read back by show (search_and_show) and its offsets checked.
        let hits = search_and_show(&env, query);
        for (_, _, source, format, place) in FIXTURES {
            let hit = by_source(&hits, source)
                .unwrap_or_else(|| panic!("{query}: no hit in {source}: {hits:#?}"));
            assert_eq!(
                (
                    hit.format.as_str(),
                    hit.place.as_deref(),
                    hit.offsets.as_str()
                ),
                (*format, Some(*place), "extracted"),
                "{query}: {source}"
            );
            // (An HTML mail writes the name with no-break spaces: `Trần&nbsp;Đức`.)
            assert_contains(hit.text.replace('\u{A0}', " "), "Trần Đức Lương");
            assert_eq!(hit.exact, query.contains('ầ'), "{query}: {source}");
        }
    }
}

#[test]
fn places_are_in_the_json_and_the_human_output_and_show_opens_them() {
    let env = office();
    let hits = search_and_show(&env, "\"Trần Đức Lương\"");
    let row = by_source(&hits, "sheet-vni.xls").unwrap();
    assert_eq!(
        (row.sheet.as_deref(), row.row),
        (Some("Danh sách"), Some(3))
    );
    let slide = by_source(&hits, "slides-vntime.pptx").unwrap();
    assert_eq!(slide.slide, Some(2));
    let mail = by_source(&hits, "hop-thu.mbox").unwrap();
    assert_eq!(mail.message, Some(2));
    // Notes are read with their slide.
    let notes = search_and_show(&env, "\"khanh thanh\" source:slides.odp");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].slide, Some(3));
    let out = env.run(&["search", "--color", "never", "-n", "100", "Trần Đức Lương"]);
    let human = stdout(&out);
    for expected in [
        "sheet-vntime.ods:Danh sách!3: #",
        "slides-vni.odp:slide 2: #",
        "hop-thu.mbox:message 2: #",
        "hop-thu.mbox!/3/hoso.zip!/hoso/bienban.docx:paragraph 3: #",
    ] {
        assert_contains(&human, expected);
    }
    // show takes the location search printed after the name.
    let (start, end) = (slide.start.to_string(), slide.end.to_string());
    let shown = env.run(&["show", "slides-vntime.pptx:slide 2:", &start, &end]);
    assert_eq!(stdout(&shown), slide.text);
    let (start, end) = (row.start.to_string(), row.end.to_string());
    let shown = env.run(&["show", "sheet-vni.xls:Danh sách!3:", &start, &end]);
    assert_eq!(stdout(&shown), row.text);
    let (start, end) = (mail.start.to_string(), mail.end.to_string());
    let shown = env.run(&["show", "hop-thu.mbox:message 2:", &start, &end]);
    assert_eq!(stdout(&shown), mail.text);
}

#[test]
fn a_row_is_a_record_whose_cells_do_not_run_together() {
    let env = office();
    let hits = search_and_show(&env, "\"Trần Đức Lương\" source:sheet.ods");
    assert_eq!(hits.len(), 1, "{hits:?}");
    // The row's cells in column order, apart: the name's cell and the next make no phrase.
    assert!(
        hits[0].text.contains("Trần Đức Lương\t"),
        "{:?}",
        hits[0].text
    );
    let next = hits[0].text.split('\t').nth(2).unwrap().to_string();
    let first_word = next.split_whitespace().next().unwrap();
    assert!(search_and_show(&env, &format!("\"Luong {first_word}\" source:sheet.ods")).is_empty());
}

#[test]
fn mail_headers_are_searchable_with_the_first_passage() {
    let env = office();
    let hits = search_and_show(&env, "Subject source:thu.eml");
    assert!(!hits.is_empty());
    assert_eq!(hits[0].place.as_deref(), Some("message 1"));
    assert_contains(&hits[0].text, "Subject:");
}
