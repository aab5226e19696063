//! The presentation fixtures of `tests/data/office/`, and small decks built here: PPTX and ODP.

use crate::extract::tests::zip_of;

use super::pptx::resolve;
use super::*;

const NAME: &str = "Trần Đức Lương";

fn fixture(name: &str) -> &'static [u8] {
    match name {
        "slides.pptx" => include_bytes!("../../../tests/data/office/slides.pptx"),
        "slides-vntime.pptx" => include_bytes!("../../../tests/data/office/slides-vntime.pptx"),
        "slides-vni.pptx" => include_bytes!("../../../tests/data/office/slides-vni.pptx"),
        "slides.odp" => include_bytes!("../../../tests/data/office/slides.odp"),
        "slides-vntime.odp" => include_bytes!("../../../tests/data/office/slides-vntime.odp"),
        "slides-vni.odp" => include_bytes!("../../../tests/data/office/slides-vni.odp"),
        _ => unreachable!("{name}"),
    }
}

fn extract(name: &str, bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    if name.ends_with(".pptx") {
        extract_pptx(bytes, options)
    } else {
        extract_odp(bytes, options)
    }
}

/// The slide whose part holds text offset `at`.
fn slide_at(x: &Extracted, at: usize) -> Place {
    let part = x.parts.iter().rev().find(|p| p.start <= at).unwrap();
    part.place.clone()
}

#[test]
fn every_deck_reads_three_slides_in_order_with_the_name_on_slide_2() {
    for name in [
        "slides.pptx",
        "slides-vntime.pptx",
        "slides-vni.pptx",
        "slides.odp",
        "slides-vntime.odp",
        "slides-vni.odp",
    ] {
        let x = extract(name, fixture(name), &Options::default()).unwrap();
        let places: Vec<_> = x.parts.iter().map(|p| p.place.clone()).collect();
        assert_eq!(
            places,
            [Place::Slide(1), Place::Slide(2), Place::Slide(3)],
            "{name}"
        );
        let first = "Báo cáo tổng kết công tác năm 2024\n";
        assert!(x.text.starts_with(first), "{name}: {}", x.text);
        let line = format!("Ông {NAME}, Chủ tịch Ủy ban nhân dân xã\n");
        let at = x
            .text
            .find(&line)
            .unwrap_or_else(|| panic!("{name}: {}", x.text));
        assert_eq!(slide_at(&x, at), Place::Slide(2), "{name}");
        // Table cells are paragraphs of their own; the notes come after the slide's text.
        let cells = x.text.find("Hạng mục\nKế hoạch (triệu đồng)\n").unwrap();
        let notes = x.text.find("khánh thành").unwrap();
        assert!(cells < notes, "{name}");
        assert_eq!(slide_at(&x, notes), Place::Slide(3), "{name}");
        // Every paragraph ends with a break.
        let newlines: Vec<usize> = x.text.match_indices('\n').map(|(i, _)| i).collect();
        assert_eq!(x.breaks, newlines, "{name}");
        assert!(x.text.ends_with("trước Tết.\n"), "{name}");
        assert_eq!(
            x.format,
            if name.ends_with("pptx") {
                Format::Pptx
            } else {
                Format::Odp
            }
        );
        assert_eq!(x.offsets, super::super::Offsets::Extracted);
    }
}

#[test]
fn a_truncated_deck_is_one_line_of_corrupt() {
    for name in ["slides.pptx", "slides.odp"] {
        let bytes = fixture(name);
        for len in [0, 10, bytes.len() / 2, bytes.len() - 30] {
            let skip = extract(name, &bytes[..len], &Options::default()).unwrap_err();
            assert!(matches!(skip, Skip::Corrupt { .. }), "{name} {len}: {skip}");
            assert!(!skip.to_string().contains('\n'));
        }
    }
}

#[test]
fn the_text_limit_holds() {
    let options = Options {
        max_extract: Some(100),
        ..Options::default()
    };
    for name in ["slides.pptx", "slides.odp"] {
        let skip = extract(name, fixture(name), &options).unwrap_err();
        assert_eq!(skip, Skip::TooLarge { limit: 100 }, "{name}");
    }
}

/// A PPTX of slides given as their `p:spTree` content (the third slide missing from the
/// package), the second with notes, and a theme whose minor font is `.VnTime`.
fn pptx(slides: &[&str], notes: &str) -> Vec<u8> {
    let ids: String = (0..=slides.len())
        .map(|i| format!("<p:sldId id=\"{}\" r:id=\"rId{i}\"/>", 256 + i))
        .collect();
    let main = format!("<p:presentation><p:sldIdLst>{ids}</p:sldIdLst></p:presentation>");
    let mut rels: String = (0..=slides.len())
        .map(|i| {
            format!(
                "<Relationship Id=\"rId{i}\" Type=\"http://x/relationships/slide\" \
                 Target=\"slides/slide{i}.xml\"/>"
            )
        })
        .collect();
    rels.push_str(
        "<Relationship Id=\"rT\" Type=\"http://x/relationships/theme\" \
         Target=\"/ppt/theme/theme1.xml\"/>",
    );
    let theme = "<a:theme><a:themeElements><a:fontScheme><a:majorFont><a:latin \
        typeface=\"Arial\"/></a:majorFont><a:minorFont><a:latin typeface=\".VnTime\"/>\
        </a:minorFont></a:fontScheme></a:themeElements></a:theme>";
    let tree = |t: &str| format!("<p:sld><p:cSld><p:spTree>{t}</p:spTree></p:cSld></p:sld>");
    let layout_rel = "<Relationship Id=\"rL\" Type=\"http://x/relationships/slideLayout\" \
        Target=\"../slideLayouts/l.xml\"/>";
    let notes_rel = "<Relationship Id=\"rN\" Type=\"http://x/relationships/notesSlide\" \
        Target=\"../notesSlides/n.xml\"/>";
    let master_rel = "<Relationships><Relationship Id=\"rM\" \
        Type=\"http://x/relationships/slideMaster\" Target=\"../slideMasters/m.xml\"/>\
        </Relationships>";
    let style = |name: &str, font: &str| {
        format!(
            "<p:{name}><a:lvl1pPr><a:defRPr><a:latin typeface=\"{font}\"/></a:defRPr>\
             </a:lvl1pPr></p:{name}>"
        )
    };
    let master = format!(
        "<p:sldMaster><p:txStyles>{}{}<p:otherStyle/></p:txStyles></p:sldMaster>",
        style("titleStyle", "+mj-lt"),
        style("bodyStyle", "+mn-lt")
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("ppt/presentation.xml".into(), main.into_bytes()),
        (
            "ppt/_rels/presentation.xml.rels".into(),
            format!("<Relationships>{rels}</Relationships>").into_bytes(),
        ),
        ("ppt/theme/theme1.xml".into(), theme.as_bytes().to_vec()),
        ("ppt/notesSlides/n.xml".into(), tree(notes).into_bytes()),
        (
            "ppt/slideLayouts/_rels/l.xml.rels".into(),
            master_rel.into(),
        ),
        ("ppt/slideMasters/m.xml".into(), master.into_bytes()),
    ];
    for (i, s) in slides.iter().enumerate() {
        files.push((format!("ppt/slides/slide{i}.xml"), tree(s).into_bytes()));
        let notes = if i == 1 { notes_rel } else { "" };
        let rels = format!("<Relationships>{layout_rel}{notes}</Relationships>");
        files.push((format!("ppt/slides/_rels/slide{i}.xml.rels"), rels.into()));
    }
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(&files)
}

/// A shape of one text body.
fn sp(body: &str) -> String {
    format!("<p:sp><p:txBody><a:bodyPr/>{body}</p:txBody></p:sp>")
}

fn run(font: Option<&str>, t: &str) -> String {
    let latin = font.map_or(String::new(), |f| format!("<a:latin typeface=\"{f}\"/>"));
    format!("<a:r><a:rPr lang=\"vi-VN\">{latin}</a:rPr><a:t>{t}</a:t></a:r>")
}

#[test]
fn pptx_fonts_come_from_the_run_the_paragraph_the_list_style_or_the_theme() {
    let tcvn3 = "§øc";
    let lst = "<a:lstStyle><a:lvl2pPr><a:defRPr><a:latin typeface=\".VnArial\"/>\
        </a:defRPr></a:lvl2pPr></a:lstStyle>";
    let para_default = "<a:pPr><a:defRPr><a:latin typeface=\".VnTime\"/></a:defRPr></a:pPr>";
    let slide = [
        sp(&format!("<a:p>{}</a:p>", run(Some(".VnTime"), tcvn3))),
        // a:cs and a:ea are not the Latin font.
        sp(&format!(
            "<a:p><a:r><a:rPr><a:latin typeface=\"Arial\"/><a:cs typeface=\".VnTime\"/>\
             </a:rPr><a:t>{tcvn3}</a:t></a:r></a:p>"
        )),
        sp(&format!("<a:p>{para_default}{}</a:p>", run(None, tcvn3))),
        sp(&format!(
            "{lst}<a:p><a:pPr lvl=\"1\"/>{}</a:p><a:p>{}</a:p>",
            run(None, tcvn3),
            run(None, tcvn3)
        )),
        sp(&format!("<a:p>{}</a:p>", run(Some("+mn-lt"), tcvn3))),
        sp(&format!("<a:p>{}</a:p>", run(Some("+mj-lt"), tcvn3))),
    ]
    .concat();
    let x = extract_pptx(&pptx(&[&slide], ""), &Options::default()).unwrap();
    assert_eq!(x.text, "Đức\n§øc\nĐức\nĐức\n§øc\nĐức\n§øc\n");
}

#[test]
fn pptx_placeholders_take_the_masters_title_or_body_font() {
    let ph = |ph: &str, p: &str| {
        format!("<p:sp><p:nvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:txBody>{p}</p:txBody></p:sp>")
    };
    let p = format!("<a:p>{}</a:p>", run(None, "§øc"));
    let p2 = format!("<a:p><a:pPr lvl=\"1\"/>{}</a:p>", run(None, "§øc"));
    let slide = [
        ph("<p:ph type=\"title\"/>", &p),
        ph("<p:ph idx=\"1\"/>", &format!("{p}{p2}")),
        ph("", &p),
    ]
    .concat();
    let x = extract_pptx(&pptx(&[&slide], ""), &Options::default()).unwrap();
    assert_eq!(x.text, "§øc\nĐức\n§øc\n§øc\n");
}

#[test]
fn pptx_numbers_slides_in_the_show_and_reads_notes_without_slide_numbers_or_dates() {
    // Slide 1 has no text; slide 2 has a table, a line break and notes; slide 3 is missing.
    let table = "<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr>\
        <a:tc><a:txBody><a:p><a:r><a:t>Ô một</a:t></a:r></a:p></a:txBody></a:tc>\
        <a:tc><a:txBody><a:p><a:r><a:t>Ô hai</a:t></a:r></a:p></a:txBody></a:tc>\
        </a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>";
    let text = sp(
        "<a:p><a:r><a:t>Dòng một</a:t></a:r><a:br/><a:r><a:t>dòng hai</a:t></a:r>\
        <a:fld type=\"slidenum\"><a:t>2</a:t></a:fld></a:p>",
    );
    let number = "<p:sp><p:nvSpPr><p:nvPr><p:ph type=\"sldNum\" idx=\"5\"/></p:nvPr>\
        </p:nvSpPr><p:txBody><a:p><a:fld type=\"slidenum\"><a:t>2</a:t></a:fld></a:p>\
        </p:txBody></p:sp>";
    let slide = format!("{text}{table}{}", number.replace("sldNum", "dt"));
    let notes = format!("{}{number}", sp("<a:p><a:r><a:t>Ghi chú</a:t></a:r></a:p>"));
    let x = extract_pptx(&pptx(&["<p:sp/>", &slide], &notes), &Options::default()).unwrap();
    assert_eq!(x.text, "Dòng một\ndòng hai2\nÔ một\nÔ hai\nGhi chú\n");
    assert_eq!(
        x.parts,
        [Part {
            start: 0,
            place: Place::Slide(2)
        }]
    );
    assert_eq!(x.breaks, [22, 31, 38, 47]);
}

#[test]
fn pptx_reads_markup_compatibility_content_once_and_vni_letters_across_runs() {
    let choice = "<mc:AlternateContent><mc:Choice Requires=\"p14\">{}</mc:Choice>\
        <mc:Fallback>{}</mc:Fallback></mc:AlternateContent>";
    let shape = sp("<a:p><a:r><a:t>Một lần</a:t></a:r></a:p>");
    let twice = choice.replacen("{}", &shape, 1).replacen("{}", &shape, 1);
    // "Traàn": the tone byte of "ầ" in a run of its own.
    let vni = sp(&format!(
        "<a:p>{}{}</a:p>",
        run(Some("VNI-Times"), "Tra"),
        run(Some("VNI-Times"), "àn")
    ));
    let x = extract_pptx(&pptx(&[&(twice + &vni)], ""), &Options::default()).unwrap();
    assert_eq!(x.text, "Một lần\nTrần\n");
}

#[test]
fn markup_without_text_is_bounded() {
    let empty = "<a:p></a:p>".repeat(20_000);
    let bytes = pptx(&[&sp(&empty)], "");
    let options = Options {
        max_extract: Some(1000),
        ..Options::default()
    };
    assert_eq!(
        extract_pptx(&bytes, &options).unwrap_err(),
        Skip::TooLarge { limit: 1000 }
    );
    let content = format!(
        "<office:document-content><office:body><office:presentation><draw:page>{}\
         </draw:page></office:presentation></office:body></office:document-content>",
        "<text:p/>".repeat(20_000)
    );
    let odp = zip_of(&[("content.xml", content.as_bytes())]);
    assert_eq!(
        extract_odp(&odp, &options).unwrap_err(),
        Skip::TooLarge { limit: 1000 }
    );
    assert!(extract_odp(&odp, &Options::default())
        .unwrap()
        .text
        .is_empty());
}

#[test]
fn odp_counts_empty_pages_and_reads_spaces_tabs_and_legacy_spans() {
    let styles = "<office:document-styles><office:font-face-decls><style:font-face \
        style:name=\"V\" svg:font-family=\"&apos;VNI-Times&apos;\"/></office:font-face-decls>\
        </office:document-styles>";
    let content = "<office:document-content><office:automatic-styles>\
        <style:style style:name=\"T1\" style:family=\"text\">\
        <style:text-properties style:font-name=\"V\"/></style:style>\
        </office:automatic-styles><office:body><office:presentation>\
        <draw:page draw:name=\"a\"/><draw:page><draw:frame><draw:text-box><text:p>\
        <text:s text:c=\"3\"/><text:tab/></text:p></draw:text-box></draw:frame><draw:frame><draw:text-box>\
        <text:p>Ông<text:s text:c=\"2\"/><text:span text:style-name=\"T1\">Tra</text:span>\
        <text:span text:style-name=\"T1\">àn</text:span><text:tab/>x<text:line-break/>y</text:p>\
        </draw:text-box></draw:frame></draw:page><draw:page><svg:title>no</svg:title>\
        <presentation:notes><draw:frame><draw:text-box><text:h>Ghi &amp; chú</text:h>\
        </draw:text-box></draw:frame></presentation:notes></draw:page>\
        </office:presentation></office:body></office:document-content>";
    let odp = zip_of(&[
        ("styles.xml", styles.as_bytes()),
        ("content.xml", content.as_bytes()),
    ]);
    let x = extract_odp(&odp, &Options::default()).unwrap();
    assert_eq!(x.text, "Ông  Trần\tx\ny\nGhi & chú\n");
    let places: Vec<_> = x.parts.iter().map(|p| (p.start, p.place.clone())).collect();
    assert_eq!(places, [(0, Place::Slide(2)), (17, Place::Slide(3))]);
    assert_eq!(x.breaks, [16, 27]);
}

#[test]
fn an_encrypted_odp_is_named() {
    let manifest = "<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\">\
        <manifest:encryption-data/></manifest:file-entry></manifest:manifest>";
    let odp = zip_of(&[
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", b"\x01\x02garbage"),
    ]);
    assert_eq!(
        extract_odp(&odp, &Options::default()).unwrap_err(),
        Skip::Encrypted(ODP)
    );
}

#[test]
fn relationship_targets_resolve_against_their_part() {
    assert_eq!(
        resolve("ppt/presentation.xml", "slides/slide1.xml"),
        "ppt/slides/slide1.xml"
    );
    assert_eq!(
        resolve("ppt/slides/slide1.xml", "../notesSlides/notesSlide1.xml"),
        "ppt/notesSlides/notesSlide1.xml"
    );
    assert_eq!(resolve("ppt/slides/slide1.xml", "/ppt/x.xml"), "ppt/x.xml");
    assert_eq!(resolve("a.xml", "../../b.xml"), "b.xml");
}
