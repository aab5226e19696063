//! Tests of the whole extraction: fixtures in every format and encoding, offsets checked.

use std::path::Path;

use proptest::prelude::*;

use super::encoding::tests::{encode, encode_1258};
use super::encoding::{decode_with, lookup, Enc};
use super::*;

const VIETNAMESE: &str = "Tiếng Việt là ngôn ngữ của người Việt. Chủ tịch nước Trần Đức Lương \
    tiếp đoàn đại biểu; Nguyễn Ái Quốc đã đi khắp thế giới. Đất nước, sông núi, những ngày \
    mưa bão, ở đâu cũng đẹp. ĐƯỜNG PHỐ HÀ NỘI rất đông vui.";

fn run(name: &str, bytes: &[u8]) -> Extracted {
    extract(Path::new(name), bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every word of the text, with its text range.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The source bytes of `text[s..e]`.
fn source<'a>(x: &Extracted, bytes: &'a [u8], s: usize, e: usize) -> &'a [u8] {
    &bytes[x.map.file_range(s..e)]
}

/// Checks every word of the text: its mapped bytes, decoded, are the word.
fn assert_words_round_trip(x: &Extracted, bytes: &[u8]) {
    let enc = lookup(x.encoding).expect("a known encoding");
    for (s, e) in words(&x.text) {
        let raw = source(x, bytes, s, e);
        assert_eq!(
            decode_with(raw, enc).text,
            &x.text[s..e],
            "{}: word at {s}..{e} maps to {raw:x?}",
            x.encoding
        );
    }
}

#[test]
fn vietnamese_in_seven_encodings_is_detected_and_every_word_maps_back() {
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(VIETNAMESE.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(VIETNAMESE.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    // TCVN3 files have no upper-case toned letters of their own (they used capital fonts).
    let tcvn_text = VIETNAMESE.replace("ĐƯỜNG PHỐ HÀ NỘI", "Đường phố Hà Nội");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf-8", VIETNAMESE.as_bytes().to_vec(), VIETNAMESE),
        ("utf-16le", utf16le, VIETNAMESE),
        ("utf-16be", utf16be, VIETNAMESE),
        ("windows-1258", encode_1258(VIETNAMESE), VIETNAMESE),
        ("viscii", encode(VIETNAMESE, Enc::Viscii), VIETNAMESE),
        ("tcvn3", encode(&tcvn_text, Enc::Tcvn3), &tcvn_text),
        ("vni", encode(VIETNAMESE, Enc::Vni), VIETNAMESE),
    ];
    for (name, bytes, expected) in cases {
        let x = run("doc.txt", &bytes);
        assert_eq!(x.encoding, name);
        assert_eq!(x.text, expected, "{name}");
        assert_eq!(x.format, Format::Text);
        assert_words_round_trip(&x, &bytes);
        let at = x.text.find("Tiếng Việt").unwrap();
        let raw = source(&x, &bytes, at, at + "Tiếng Việt".len());
        assert_eq!(decode_with(raw, lookup(name).unwrap()).text, "Tiếng Việt");
    }
}

#[test]
fn utf8_maps_as_identity_and_a_bom_shifts_offsets() {
    let x = run("a.txt", VIETNAMESE.as_bytes());
    assert!(x.map.is_identity());
    assert_eq!(x.map.segments(), 1);

    let bytes = [b"\xEF\xBB\xBF".as_slice(), VIETNAMESE.as_bytes()].concat();
    let x = run("a.txt", &bytes);
    assert_eq!(x.text, VIETNAMESE);
    assert!(!x.map.is_identity());
    assert_eq!(x.map.segments(), 1);
    assert_eq!(x.map.file_range(0..5), 3..8);
}

#[test]
fn latin1_french_is_windows_1252() {
    let text = "Les sociétés françaises ont signé un accord à Hanoï. Où en est-on ? \
        Le traité prévoit une coopération économique.";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let x = run("fr.txt", &bytes);
    assert_eq!(x.encoding, "windows-1252");
    assert_eq!(x.text, text);
    assert_words_round_trip(&x, &bytes);
    let at = x.text.find("sociétés").unwrap();
    assert_eq!(
        source(&x, &bytes, at, at + "sociétés".len()),
        b"soci\xe9t\xe9s"
    );
}

#[test]
fn valid_utf8_that_looks_like_mojibake_stays_utf8() {
    // "Ã©" is what "é" looks like read as Latin-1; as UTF-8 it is two real characters.
    let text = "Ã© Ã¨ TiÕng ViÖt â€™ soci\u{e9}t\u{e9}";
    let x = run("m.txt", text.as_bytes());
    assert_eq!((x.encoding, x.text.as_str()), ("utf-8", text));
    assert!(x.map.is_identity());
    // Forcing an encoding does not apply to valid UTF-8.
    let forced = Options {
        encoding: Some("vni".into()),
        ..Default::default()
    };
    let x = extract(Path::new("m.txt"), text.as_bytes(), &forced).unwrap();
    assert_eq!(x.text, text);
}

#[test]
fn a_short_ambiguous_file_is_skipped_with_candidates() {
    let e = extract(Path::new("x.txt"), b"x\xd5\xd5\xd5y", &Options::default()).unwrap_err();
    let Skip::UndecidedEncoding { candidates } = &e else {
        panic!("{e:?}")
    };
    assert!(candidates.len() >= 2, "{candidates:?}");
    assert!(e.to_string().contains("--encoding"), "{e}");
    // The same bytes, forced, are read.
    let forced = Options {
        encoding: Some("tcvn3".into()),
        ..Default::default()
    };
    assert_eq!(
        extract(Path::new("x.txt"), b"x\xd5\xd5\xd5y", &forced)
            .unwrap()
            .encoding,
        "tcvn3"
    );
}

#[test]
fn nul_bytes_mean_binary() {
    let e = extract(Path::new("x.bin"), b"\x7fELF\0\0\x01", &Options::default());
    assert_eq!(e.unwrap_err(), Skip::Binary);
}

/// Asserts that the extracted text holds none of `absent` and all of `present`.
fn assert_text(x: &Extracted, absent: &[&str], present: &[&str]) {
    for word in absent {
        assert!(!x.text.contains(word), "{word:?} in {:?}", x.text);
    }
    for word in present {
        assert!(x.text.contains(word), "{word:?} not in {:?}", x.text);
    }
}

const PAGE: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
<title>Tiếng Việt &amp; HTML</title>\
<style>p { color: red } .class { }</style>\
<script>var div = \"<p>not text</p>\"; if (a < b) {}</script>\
</head><body>\
<h1>Ti&#7871;ng Vi&#x1EC7;t</h1><p>Trần Đức Lương &eacute;t&eacute; &lt;code&gt; caf&eacute;\
<!-- a comment with words --> <b class=\"x\">đậm</b> <a href=\"http://example.com/link\">liên kết</a></p>\
<ul><li>một<li>hai</ul><div><div>lồng<br>nhau</div></div>\
<table><tr><td>ô</td><td>bảng</td></tr></table>\
</body></html>";

#[test]
fn html_keeps_only_visible_text_with_entities_decoded_and_mapped() {
    let bytes = PAGE.as_bytes();
    let x = run("page.html", bytes);
    assert_eq!(x.format, Format::Html);
    assert_eq!(x.title.as_deref(), Some("Tiếng Việt & HTML"));
    assert_text(
        &x,
        &[
            "color", "class", "var", "not text", "comment", "href", "http", "DOCTYPE", "HTML", "<p",
        ],
        &[
            "Tiếng Việt",
            "Trần Đức Lương été <code> café",
            "đậm liên kết",
            "một",
            "hai",
            "lồng",
            "nhau",
            "bảng",
        ],
    );
    // The entity-spelled word maps to all of its source bytes.
    let at = x.text.find("Tiếng").unwrap();
    assert_eq!(source(&x, bytes, at, at + "Tiếng".len()), b"Ti&#7871;ng");
    let at = x.text.find("Việt").unwrap();
    assert_eq!(source(&x, bytes, at, at + "Việt".len()), b"Vi&#x1EC7;t");
    let at = x.text.find("<code>").unwrap();
    assert_eq!(source(&x, bytes, at, at + 6), b"&lt;code&gt;");
    let at = x.text.find("Trần").unwrap();
    assert_eq!(source(&x, bytes, at, at + "Trần".len()), "Trần".as_bytes());
    // Blocks end sentences: the heading is cut from the paragraph, list items and cells apart.
    for (before, after) in [
        ("Việt", "Trần"),
        ("một", "hai"),
        ("lồng", "nhau"),
        ("ô", "bảng"),
    ] {
        let (a, b) = (x.text.find(before).unwrap(), x.text.find(after).unwrap());
        assert!(
            x.breaks.iter().any(|&k| k > a && k < b),
            "no break between {before} and {after}: {:?} {:?}",
            x.text,
            x.breaks
        );
    }
    assert!(x.breaks.windows(2).all(|w| w[0] < w[1]));
    assert!(x.breaks.iter().all(|&k| &x.text[k..k + 1] == "\n"));
}

#[test]
fn html_keeps_page_furniture_out_but_not_an_articles_own_header() {
    let page = "<!DOCTYPE html><html><head><title>Trang</title></head><body>\
<header id=\"top\"><p>Banner words</p></header>\
<div class=\"navheader\"><table><tr><th>Chapter title again</th></tr></table><div>nested div</div></div>\
<nav><ul><li>Menu item</li><nav>inner nav</nav><li>Menu two</li></ul></nav>\
<aside>Side panel</aside>\
<div role=\"search\"><input>Search box</div>\
<div class=\"toc\"><p>Contents list</p></div>\
<main><article><header><h1>Tiêu đề bài</h1></header>\
<p>Nội dung thật.</p><aside>Ghi chú bên lề</aside><footer>Tác giả</footer></article></main>\
<img src=\"x.png\"/><p>After the article.</p>\
<footer><p>Page footer words</p></footer></body></html>";
    let bytes = page.as_bytes();
    let x = run("page.html", bytes);
    assert_text(
        &x,
        &[
            "Banner",
            "Chapter title",
            "nested div",
            "Menu",
            "inner nav",
            "Side panel",
            "Search box",
            "Contents list",
            "Page footer",
        ],
        &[
            "Tiêu đề bài",
            "Nội dung thật.",
            "Ghi chú bên lề",
            "Tác giả",
            "After the article.",
        ],
    );
    // Offsets still lead back to the file.
    let at = x.text.find("Nội").unwrap();
    assert_eq!(source(&x, bytes, at, at + "Nội".len()), "Nội".as_bytes());
    // Furniture that never closes (a broken page) does not hide the rest: the page is read whole.
    let broken = "<html><body><nav>Menu<p>All the real text.</p></body></html>";
    let x = run("broken.html", broken.as_bytes());
    assert!(x.text.contains("All the real text."), "{:?}", x.text);
    assert!(x.text.contains("Menu"), "{:?}", x.text);
    // A page's header that holds a heading holds the page's title: kept.
    let titled =
        "<html><body><header><h1>Hướng dẫn</h1><p>Phụ đề</p></header><p>Body.</p></body></html>";
    let x = run("titled.html", titled.as_bytes());
    assert!(
        x.text.contains("Hướng dẫn") && x.text.contains("Phụ đề"),
        "{:?}",
        x.text
    );
}

#[test]
fn postscript_is_skipped_by_name_by_content_and_compressed() {
    let ps = b"%!PS-Adobe-3.0\n%%Title: manual\n/Times-Roman findfont 12 scalefont setfont\n(Hello) show\n";
    for name in ["manual.ps", "figure.EPS", "manual"] {
        let e = extract(Path::new(name), ps, &Options::default());
        assert_eq!(e.unwrap_err(), Skip::Program("PostScript"), "{name}");
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, ps).unwrap();
    let gz = gz.finish().unwrap();
    let e = extract(Path::new("manual.ps.gz"), &gz, &Options::default());
    assert_eq!(e.unwrap_err(), Skip::Program("PostScript"));
    // Text that merely mentions PostScript is text.
    let x = run("notes.txt", b"%!PS is how PostScript files start.");
    assert_eq!(x.format, Format::Text);
}

#[test]
fn html_is_sniffed_and_its_declared_legacy_charset_is_used() {
    let page = "  <html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\
        <title>Société</title></head><body><p>Les sociétés &eacute;crivent.</p></body></html>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(page);
    let x = run("page", &bytes);
    assert_eq!((x.format, x.encoding), (Format::Html, "windows-1252"));
    assert_eq!(x.title.as_deref(), Some("Société"));
    assert_eq!(x.text.trim(), "Les sociétés écrivent.");
    let at = x.text.find("sociétés").unwrap();
    assert_eq!(
        source(&x, &bytes, at, at + "sociétés".len()),
        b"soci\xe9t\xe9s"
    );
    let at = x.text.find("écrivent").unwrap();
    assert_eq!(
        source(&x, &bytes, at, at + "écrivent".len()),
        b"&eacute;crivent"
    );
}

const MARKDOWN: &str = "---\ntitle: front matter\n---\n\
# Tiếng Việt\n\
Xem [trang chủ](https://example.com/trang-chu \"Tiêu đề\") và ![ảnh bìa](images/bia.png).\n\
Chữ <span class=\"x\">đẹp</span> &amp; `mã nguồn` \\*không\\* nghiêng.\n\n\
<div class=\"box\">\n<p>Hộp HTML</p>\n</div>\n\n\
## Mục hai\n- một\n- hai\n\n\
<https://autolink.example>\n";

#[test]
fn markdown_drops_targets_and_tags_keeps_text_and_breaks_at_headings() {
    let bytes = MARKDOWN.as_bytes();
    let x = run("notes.md", bytes);
    assert_eq!(x.format, Format::Markdown);
    assert_eq!(x.title.as_deref(), Some("Tiếng Việt"));
    for hidden in [
        "example.com/trang",
        "bia.png",
        "images",
        "span",
        "class",
        "div",
        "front matter",
        "Tiêu đề",
        "<",
    ] {
        assert!(!x.text.contains(hidden), "{hidden:?} in {:?}", x.text);
    }
    for visible in [
        "Tiếng Việt",
        "Xem trang chủ và ảnh bìa.",
        "Chữ đẹp & mã nguồn *không* nghiêng.",
        "Hộp HTML",
        "Mục hai",
        "một",
        "https://autolink.example",
    ] {
        assert!(x.text.contains(visible), "{visible:?} not in {:?}", x.text);
    }
    let (h, p) = (x.text.find("Việt").unwrap(), x.text.find("Xem").unwrap());
    assert!(x.breaks.iter().any(|&k| k > h && k < p), "{:?}", x.breaks);
    for (s, e) in words(&x.text) {
        let raw = std::str::from_utf8(source(&x, bytes, s, e)).unwrap();
        assert_eq!(raw, &x.text[s..e]);
    }
    let at = x.text.find("& mã").unwrap();
    assert_eq!(source(&x, bytes, at, at + 1), b"&amp;");
    let at = x.text.find("mã nguồn").unwrap();
    assert_eq!(
        source(&x, bytes, at, at + "mã nguồn".len()),
        "mã nguồn".as_bytes()
    );
}

#[test]
fn dispatch_by_extension_then_content() {
    let html = b"<p>a</p>";
    assert_eq!(run("x.HTM", html).format, Format::Html);
    assert_eq!(run("x.txt", html).format, Format::Text);
    assert_eq!(run("x", b"<!doctype html><p>a</p>").format, Format::Html);
    assert_eq!(run("x.markdown", b"# a").format, Format::Markdown);
    assert_eq!(run("x", b"# a").format, Format::Text);
    let json = serde_json::to_string(&[Format::Text, Format::Html, Format::Markdown]).unwrap();
    assert_eq!(json, r#"["text","html","markdown"]"#);
}

/// Every offset the map gives is inside the file, and `file_range` grows with the text range.
fn assert_map_in_range(x: &Extracted, len: usize) {
    assert_eq!(x.map.text_len(), x.text.len());
    let mut last_end = 0;
    for (i, _) in x
        .text
        .char_indices()
        .chain(std::iter::once((x.text.len(), ' ')))
    {
        let r = x.map.file_range(0..i);
        assert!(r.start <= r.end && r.end <= len, "{r:?} for {i} in {len}");
        assert!(r.end >= last_end);
        last_end = r.end;
        let s = x.map.file_start(i);
        assert!(s <= len);
    }
    assert!(x.breaks.windows(2).all(|w| w[0] < w[1]));
    assert!(x.breaks.iter().all(|&b| b < x.text.len()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic_and_map_inside_the_file(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        ext in prop_oneof![Just("txt"), Just("html"), Just("md"), Just("")],
    ) {
        let path = format!("f.{ext}");
        if let Ok(x) = extract(Path::new(&path), &bytes, &Options::default()) {
            assert_map_in_range(&x, bytes.len());
        }
        for enc in ["vni", "viscii", "tcvn3", "windows-1258", "utf-16be"] {
            let o = Options { encoding: Some(enc.into()), ..Default::default() };
            if let Ok(x) = extract(Path::new(&path), &bytes, &o) {
                assert_map_in_range(&x, bytes.len());
            }
        }
    }

    #[test]
    fn markup_soup_never_panics(
        s in "(<[a-z!/]{0,6}( [a-z]+=\"?[^<>]{0,5})?>|&#?[a-z0-9]{0,6};?|[a-zé ]{0,8}|`|\\*|\\[|\\]\\(|\r\n|#|<!--|-->){0,40}"
    ) {
        for name in ["f.html", "f.md"] {
            match extract(Path::new(name), s.as_bytes(), &Options::default()) {
                Ok(x) => assert_map_in_range(&x, s.len()),
                Err(e) => prop_assert_eq!(e, Skip::Binary),
            }
        }
    }
}

#[test]
fn other_western_and_cyrillic_legacy_files_are_read() {
    let de = "Die Größe der Straße überrascht. Schöne Grüße aus München, äußerst fröhlich.";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(de);
    let x = run("de.txt", &bytes);
    assert_eq!((x.encoding, x.text.as_str()), ("windows-1252", de));
    let ru = "Путин встретился с президентом Вьетнама в Москве. Стороны обсудили сотрудничество.";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(ru);
    let x = run("ru.txt", &bytes);
    assert_eq!((x.encoding, x.text.as_str()), ("windows-1251", ru));
    assert_words_round_trip(&x, &bytes);
}

#[test]
fn a_large_legacy_file_is_detected_from_its_start_and_decoded_whole() {
    let text = format!("{VIETNAMESE}\n").repeat(2500);
    let bytes = encode(&text, Enc::Vni);
    assert!(bytes.len() > 256 * 1024);
    let x = run("big.txt", &bytes);
    assert_eq!(x.encoding, "vni");
    assert_eq!(x.text, text);
    let at = x.text.rfind("Lương").unwrap();
    assert_eq!(source(&x, &bytes, at, at + "Lương".len()), b"L\xf6\xf4ng");
}

/// A zip of `(name, bytes)` files, deflated: for the tests of the extractors that read zips.
pub(super) fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}
