//! HTML, Markdown and every encoding Vietnamese text has been stored in, indexed and searched
//! through the binary, every offset checked against the original bytes.

use std::collections::HashMap;
use std::path::Path;

use tracuu::extract::{extract, Options};

use super::search;
use crate::util::legacy::encode_1258;
use crate::util::{assert_contains, stderr, stdout, Env, JsonHit};

const VIETNAMESE: &str = "Tiếng Việt là ngôn ngữ của người Việt. Chủ tịch nước Trần Đức Lương \
    tiếp đoàn đại biểu; Nguyễn Ái Quốc đã đi khắp thế giới. Đất nước, sông núi, những ngày \
    mưa bão, ở đâu cũng đẹp. ĐƯỜNG PHỐ HÀ NỘI rất đông vui.";

const HTML: &str = "<!DOCTYPE html>\n<html><head><title>Trang thử nghiệm</title>\n\
    <style>.class { color: red }</style>\n\
    <script>var klass = \"class\";</script></head>\n\
    <body><!-- a comment about class and secrets -->\n\
    <h1 class=\"heading\">Giới thiệu chung</h1>\n\
    <p class=\"para\">Ti&#7871;ng Vi&#7879;t l&agrave; ng&ocirc;n ng&#x1EEF; c&#7911;a ng&#432;&#7901;i \
    Vi&#7879;t, v&#7899;i nhi&#7873;u thanh &#273;i&#7879;u.</p>\n</body></html>\n";

const MARKDOWN: &str = "# Hướng dẫn cài đặt\n\n\
    Xem [trang chủ](https://example.com/zebrafish) để biết thêm chi tiết. \
    ![ảnh minh họa](hinh/quokka.png) và <span class=\"x\">gói nguồn</span>.\n";

/// The bytes of `hit`'s `i`-th highlight in its file.
fn highlight_bytes(env: &Env, hit: &JsonHit, i: usize) -> Vec<u8> {
    let bytes = std::fs::read(env.path().join(&hit.path)).unwrap();
    let [s, e] = hit.highlights[i];
    bytes[s..e].to_vec()
}

#[test]
fn html_indexes_what_a_reader_sees_and_highlights_entities_in_the_file() {
    let env = Env::indexed_files(&[("page.html", HTML.as_bytes().to_vec())]);
    for hidden in [
        "class", "klass", "color", "secrets", "heading", "para", "DOCTYPE",
    ] {
        assert!(
            search(&env, hidden, &[]).is_empty(),
            "{hidden} matched markup"
        );
    }
    let hits = search(&env, "Tieng Viet", &[]);
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit.format, "html");
    assert_eq!(hit.encoding, "utf-8");
    assert_eq!(hit.title.as_deref(), Some("Trang thử nghiệm"));
    assert_contains(&hit.text, "Tiếng Việt là ngôn ngữ của người Việt");
    assert!(
        !hit.text.contains('<') && !hit.text.contains('&'),
        "{}",
        hit.text
    );
    assert_eq!(highlight_bytes(&env, hit, 0), b"Ti&#7871;ng");
    assert_eq!(highlight_bytes(&env, hit, 1), b"Vi&#7879;t");
    // The heading and the paragraph are separate sentences: no phrase runs across them.
    assert_eq!(search(&env, "\"gioi thieu chung\"", &[]).len(), 1);
    assert!(search(&env, "\"chung tieng viet\"", &[]).is_empty());
    // The title is searchable too, but no phrase runs from it into the text.
    let by_title = search(&env, "\"trang thu nghiem\"", &[]);
    assert_eq!(by_title.len(), 1);
    assert!(search(&env, "\"nghiem gioi\"", &[]).is_empty());
    // The human output shows the title and no markup.
    let out = env.run(&["search", "--color", "never", "Tieng Viet"]);
    let human = stdout(&out);
    assert_contains(&human, "    — Trang thử nghiệm\n");
    assert!(!human.contains('<') && !human.contains("&#"), "{human}");
}

#[test]
fn markdown_link_targets_and_tags_are_not_words() {
    let env = Env::indexed_files(&[("guide.md", MARKDOWN.as_bytes().to_vec())]);
    for hidden in ["zebrafish", "example", "quokka", "span"] {
        assert!(
            search(&env, hidden, &[]).is_empty(),
            "{hidden} matched a target"
        );
    }
    let hits = search(&env, "trang chu", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].format, "markdown");
    assert_eq!(hits[0].title.as_deref(), Some("Hướng dẫn cài đặt"));
    assert_eq!(search(&env, "\"goi nguon\"", &[]).len(), 1);
}

/// An encoder for a single-byte encoding tracuu reads, built by inverting its decoder: every byte
/// and (for VNI) every letter + accent byte pair that decodes to one character.
fn encoder(name: &str) -> HashMap<char, Vec<u8>> {
    let forced = Options {
        encoding: Some(name.to_string()),
        ..Default::default()
    };
    // 0xC0 is never UTF-8, so the decoder is always the forced one.
    let decode = |seq: &[u8]| -> Option<char> {
        let bytes = [seq, b" \xC0"].concat();
        let text = extract(Path::new("x.txt"), &bytes, &forced).ok()?.text;
        let (head, _) = text.rsplit_once(' ')?;
        let mut chars = head.chars();
        let c = chars.next()?;
        chars.next().is_none().then_some(c)
    };
    let mut map = HashMap::new();
    for b in 1..=255u8 {
        if let Some(c) = decode(&[b]).filter(|c| !c.is_ascii()) {
            map.entry(c).or_insert(vec![b]);
        }
    }
    if name == "vni" {
        let firsts = (b'A'..=b'Z').chain(b'a'..=b'z').chain(0x80..=0xFF);
        for a in firsts {
            for b in 0x80..=0xFFu8 {
                if let Some(c) = decode(&[a, b]).filter(|c| !c.is_ascii()) {
                    map.entry(c).or_insert(vec![a, b]);
                }
            }
        }
    }
    map
}

fn encode(text: &str, name: &str) -> Vec<u8> {
    let table = encoder(name);
    text.chars()
        .flat_map(|c| {
            if c.is_ascii() {
                vec![c as u8]
            } else {
                table
                    .get(&c)
                    .unwrap_or_else(|| panic!("{c} not in {name}"))
                    .clone()
            }
        })
        .collect()
}

#[test]
fn one_paragraph_in_seven_encodings_is_found_alike_and_every_highlight_decodes_to_its_word() {
    let utf16 = |be: bool| -> Vec<u8> {
        let bom: [u8; 2] = if be { [0xFE, 0xFF] } else { [0xFF, 0xFE] };
        bom.into_iter()
            .chain(VIETNAMESE.encode_utf16().flat_map(move |u| {
                if be {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            }))
            .collect()
    };
    // TCVN3 has no upper-case toned letters of its own (capital fonts were used).
    let tcvn_text = VIETNAMESE.replace("ĐƯỜNG PHỐ HÀ NỘI", "Đường phố Hà Nội");
    let files = [
        ("vi/utf-8.txt", VIETNAMESE.as_bytes().to_vec()),
        ("vi/utf-16le.txt", utf16(false)),
        ("vi/utf-16be.txt", utf16(true)),
        ("vi/windows-1258.txt", encode_1258(VIETNAMESE)),
        ("vi/viscii.txt", encode(VIETNAMESE, "viscii")),
        ("vi/tcvn3.txt", encode(&tcvn_text, "tcvn3")),
        ("vi/vni.txt", encode(VIETNAMESE, "vni")),
    ];
    let env = Env::indexed_files(&files);
    for query in ["Tieng Viet", "Tiếng Việt"] {
        let hits = search(&env, query, &[]);
        let mut found: Vec<(String, String)> = hits
            .iter()
            .map(|h| (h.source.clone(), h.encoding.clone()))
            .collect();
        found.sort();
        let mut expected: Vec<(String, String)> = files
            .iter()
            .map(|(name, _)| {
                let enc = name.trim_start_matches("vi/").trim_end_matches(".txt");
                (name.to_string(), enc.to_string())
            })
            .collect();
        expected.sort();
        assert_eq!(found, expected, "{query}");
        for hit in &hits {
            assert_eq!(
                hit.exact,
                query == "Tiếng Việt",
                "{query} in {}",
                hit.source
            );
            assert!(hit.highlights.len() >= 2, "{query} in {}", hit.source);
            assert!(hit.text.starts_with("Tiếng Việt là"), "{}", hit.text);
        }
    }
}

#[test]
fn a_byte_order_mark_is_no_column() {
    // The same first line in every file: a UTF-8 or UTF-16 BOM is no character of it, in plain
    // text as in HTML.
    let line = "Một hai ba bốn năm sáu bảy tám chín mười Quokka là tên.\nDòng hai.\n";
    let quokka = line[..line.find("Quokka").unwrap()].chars().count() + 1;
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(line.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let env = Env::indexed_files(&[
        ("plain.txt", line.as_bytes().to_vec()),
        ("bom8.txt", [b"\xEF\xBB\xBF", line.as_bytes()].concat()),
        ("bom16.txt", utf16le),
        (
            "bom8.html",
            [b"\xEF\xBB\xBF", format!("<p>{line}</p>").as_bytes()].concat(),
        ),
    ]);
    let hits = search(&env, "Quokka", &[]);
    assert_eq!(hits.len(), 4, "{hits:?}");
    // `<p>` is three characters of the HTML file's line.
    let markup = |source: &str| if source.ends_with(".html") { 3 } else { 0 };
    for hit in &hits {
        assert_eq!(
            (hit.line, hit.column),
            (1, 1 + markup(&hit.source)),
            "{}",
            hit.source
        );
    }
    let out = env.run(&["search", "Quokka"]);
    let printed = stdout(&out);
    for name in ["plain.txt", "bom8.txt", "bom16.txt", "bom8.html"] {
        let location = format!("seeds/{name}:1:{}: ", quokka + markup(name));
        assert!(printed.contains(&location), "{location}: {printed}");
    }
}

#[test]
fn a_latin1_french_file_is_indexed_not_skipped() {
    let french = "Les sociétés françaises ont présenté leurs résultats annuels. \
        Les sociétés étrangères, elles, attendent l'été.";
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(french);
    assert!(!bad);
    let env = Env::indexed_files(&[("fr.txt", bytes.into_owned())]);
    let hits = search(&env, "societes", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].encoding, "windows-1252");
    assert_eq!(hits[0].highlights.len(), 2);
    assert_eq!(highlight_bytes(&env, &hits[0], 0), b"soci\xe9t\xe9s");
}

#[test]
fn source_files_incremental_indexing_and_the_stale_check_work_on_html() {
    let env = Env::indexed_files(&[
        ("web/page.html", HTML.as_bytes().to_vec()),
        ("notes.txt", b"Tieng Viet in a note.".to_vec()),
    ]);
    assert_eq!(search(&env, "Tieng Viet", &[]).len(), 2);
    let only = search(&env, "Tieng Viet", &["--source", "web/"]);
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].source, "web/page.html");
    let files = stdout(&env.run(&["search", "--files", "thanh dieu"]));
    assert_eq!(files.trim(), "seeds/web/page.html");

    // Touched, not changed: nothing to re-index.
    let page = env.path().join("seeds/web/page.html");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let err = stderr(&env.run(&["index"]));
    assert_contains(&err, "0 added, 0 updated, 0 removed, 2 unchanged");

    // Edited: the stale check notices, and the index follows.
    let edited = HTML.replace("thanh &#273;i&#7879;u", "qu&aacute; kh&#7913; Zanzibar");
    std::fs::write(&page, edited).unwrap();
    let out = env.run(&["search", "Zanzibar"]);
    assert_eq!(out.status.code(), Some(1));
    assert_contains(stderr(&out), "0 new, 1 changed, 0 removed");
    let err = stderr(&env.run(&["index"]));
    assert_contains(&err, "0 added, 1 updated, 0 removed, 1 unchanged");
    let hits = search(&env, "qua khu", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(highlight_bytes(&env, &hits[0], 0), b"qu&aacute;");
    assert!(search(&env, "thanh dieu", &[]).is_empty());
}

#[test]
fn a_forced_encoding_is_used_and_a_change_of_it_re_indexes() {
    let env = Env::with_files(&[("fr.txt", b"Caf\xe9 cr\xe8me".to_vec())]);
    let out = env.run(&["index", "--encoding", "windows-1258"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(stderr(&out), "1 added");
    let hits = search(&env, "creme", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].encoding, "windows-1258");
    let out = env.run(&["index", "--encoding", "latin1"]);
    assert_contains(stderr(&out), "1 added");
    assert_eq!(search(&env, "creme", &[])[0].encoding, "windows-1252");
    let out = env.run(&["index", "--encoding", "nonsense"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(stderr(&out), "unknown encoding");
}

/// The encoding an index was built with is kept by every later run that does not name another:
/// a search with `--refresh` and a plain `tracuu index` (a watcher: tests/it/watch.rs);
/// `--encoding auto` goes back to detection.
#[test]
fn an_index_keeps_the_encoding_it_was_built_with() {
    let latin1 = |s: &str| s.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>();
    let env = Env::with_files(&[("a.txt", latin1("Crème brûlée at the Zebrafinch café.\n"))]);
    let out = env.run(&["index", "--encoding", "windows-1258", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let encodings = |extra: &[&str]| -> Vec<String> {
        let hits = search(&env, "zebrafinch", extra);
        hits.iter().map(|h| h.encoding.clone()).collect()
    };
    assert_eq!(encodings(&[]), ["windows-1258"]);
    let write = |name: &str, text: &str| {
        std::fs::write(env.path().join("seeds").join(name), latin1(text)).unwrap()
    };
    write("b.txt", "Zebrafinch crème, again.\n");
    assert_eq!(encodings(&["--refresh"]), ["windows-1258"; 2]);
    write("c.txt", "Zebrafinch brûlée, once more.\n");
    let out = env.run(&["index", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(encodings(&[]), ["windows-1258"; 3]);
    let out = env.run(&["index", "--encoding", "auto", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(encodings(&[]), ["windows-1252"; 3]);
}
