//! Vietnamese legacy fonts inside DOCX and ODT: runs, spans and styles set in a TCVN3 font
//! (`.VnTime`) or a VNI font (`VNI-Times`) are read as the Vietnamese they draw; the same
//! characters in any other font are left as they are.

use super::make::{docx_runs, docx_styled, docx_styles, odt_fonts, NAME_TCVN3, NAME_VNI};
use super::search_and_show;
use crate::util::{assert_contains, assert_lacks, Env, JsonHit};

const NAME: &str = "Trần Đức Lương";

/// The name's TCVN3 characters in a font that is not TCVN3, after a word to find them by.
fn roman() -> String {
    format!("Roman {NAME_TCVN3}")
}

/// The hits of the name, folded and exact, the same files both ways: each of `format`, in
/// paragraph `paragraph`, its text (printed by `show`) holding the name.
fn name_hits(env: &Env, format: &str, paragraph: u64) -> Vec<String> {
    let mut sources: Option<Vec<String>> = None;
    for query in ["Tran Duc Luong", NAME] {
        let hits: Vec<JsonHit> = search_and_show(env, query);
        for hit in &hits {
            assert_eq!(hit.format, format, "{query}: {}", hit.source);
            assert_eq!(hit.paragraph, Some(paragraph), "{query}: {}", hit.source);
            assert_contains(&hit.text, NAME);
        }
        let mut found: Vec<String> = hits.into_iter().map(|h| h.source).collect();
        found.sort();
        if let Some(before) = &sources {
            assert_eq!(&found, before, "{query}");
        }
        sources = Some(found);
    }
    sources.unwrap()
}

#[test]
fn docx_runs_in_vntime_and_vni_read_as_vietnamese() {
    let roman = roman();
    let env = Env::indexed_files(&[
        (
            "tcvn3.docx",
            docx_runs(&[("Giấy mời", None), (NAME_TCVN3, Some(".VnTime"))], None),
        ),
        (
            "vni.docx",
            docx_runs(&[("Giấy mời", None), (NAME_VNI, Some("VNI-Times"))], None),
        ),
        (
            "roman.docx",
            docx_runs(
                &[("Giấy mời", None), (&roman, Some("Times New Roman"))],
                None,
            ),
        ),
    ]);
    assert_eq!(name_hits(&env, "docx", 2), ["tcvn3.docx", "vni.docx"]);
    // The same characters in Times New Roman are what they are.
    let hits = search_and_show(&env, "Roman");
    let hit = hits.iter().find(|h| h.source == "roman.docx").unwrap();
    assert_contains(&hit.text, NAME_TCVN3);
    assert_lacks(&hit.text, NAME);
}

#[test]
fn docx_fonts_of_document_defaults_and_styles_are_followed() {
    // The defaults are in .VnTime, "Heading1" is based on a style in VNI-Times.
    let styles = docx_styles(".VnTime", "VNI-Times");
    let roman = roman();
    let env = Env::indexed_files(&[
        (
            "defaults.docx",
            docx_styled(&[("Giấy mời", Some("Other")), (NAME_TCVN3, None)], &styles),
        ),
        (
            "heading.docx",
            docx_styled(&[("Giấy mời", None), (NAME_VNI, Some("Heading1"))], &styles),
        ),
        (
            "override.docx",
            docx_runs(
                &[("Giấy mời", None), (&roman, Some("Times New Roman"))],
                Some(&styles),
            ),
        ),
    ]);
    assert_eq!(
        name_hits(&env, "docx", 2),
        ["defaults.docx", "heading.docx"]
    );
    // A run's own font wins over the defaults.
    let hits = search_and_show(&env, "Roman");
    let own = hits.iter().find(|h| h.source == "override.docx").unwrap();
    assert_contains(&own.text, NAME_TCVN3);
}

#[test]
fn odt_spans_and_paragraphs_in_legacy_fonts_read_as_vietnamese() {
    let roman = roman();
    let env = Env::indexed_files(&[
        (
            "span-tcvn3.odt",
            odt_fonts(&[("Giấy mời", None), (NAME_TCVN3, Some(".VnTime"))], false),
        ),
        (
            "span-vni.odt",
            odt_fonts(&[("Giấy mời", None), (NAME_VNI, Some("VNI-Times"))], false),
        ),
        (
            "para-tcvn3.odt",
            odt_fonts(&[("Giấy mời", None), (NAME_TCVN3, Some(".VnTimeH"))], true),
        ),
        (
            "roman.odt",
            odt_fonts(
                &[("Giấy mời", None), (&roman, Some("Times New Roman"))],
                false,
            ),
        ),
    ]);
    assert_eq!(
        name_hits(&env, "odt", 2),
        ["para-tcvn3.odt", "span-tcvn3.odt", "span-vni.odt"]
    );
    let hits = search_and_show(&env, "Roman");
    let hit = hits.iter().find(|h| h.source == "roman.odt").unwrap();
    assert_contains(&hit.text, NAME_TCVN3);
}

#[test]
fn committed_office_fixtures_in_legacy_fonts_are_found() {
    let env = Env::indexed_files(&[
        (
            "vntime.docx",
            include_bytes!("../../data/office/vntime.docx").to_vec(),
        ),
        (
            "vni.odt",
            include_bytes!("../../data/office/vni.odt").to_vec(),
        ),
    ]);
    let mut found = Vec::new();
    for format in ["docx", "odt"] {
        let hits = search_and_show(&env, "\"Tran Duc Luong\"");
        let hit = hits.iter().find(|h| h.format == format).unwrap();
        assert_eq!(hit.paragraph, Some(2));
        assert_contains(&hit.text, "Kính gửi ông Trần Đức Lương, Chủ tịch hội đồng.");
        found.push(hit.source.clone());
    }
    assert_eq!(found, ["vntime.docx", "vni.odt"]);
}
