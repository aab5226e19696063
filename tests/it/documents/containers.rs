//! PDF, DOCX, ODT, EPUB and compressed files indexed and searched through the binary; every
//! hit's span checked with `tracuu show`, and documents indexed again only when they change.

use super::make::{docx, epub, gzip, odt, pdf, xz, PAGE_ONE, PAGE_TWO};
use super::{one_hit, search_and_show};
use crate::util::{
    assert_contains, assert_lacks, assert_one_clean_error_line, stderr, stdout, Env, JsonHit,
};

#[test]
fn pdf_pages_keep_vietnamese_and_hits_carry_the_page() {
    let env = Env::indexed_files(&[("doc.pdf", pdf(&[PAGE_ONE, PAGE_TWO]))]);
    let hit = one_hit(&env, "\"Nguyễn Ái Quốc\"", "pdf", "extracted");
    assert_eq!(hit.page, Some(2));
    assert_contains(&hit.text, "Nguyễn Ái Quốc đi khắp thế giới");
    let hits = search_and_show(&env, "song Hong");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].page, Some(1));
    // A page ends a passage: nothing of page one is in page two's passage.
    assert_lacks(&hits[0].text, "Trang hai");
    let out = env.run(&["search", "--color", "never", "Sai Gon"]);
    assert_contains(stdout(&out), "doc.pdf:page 2: #1");
}

#[test]
fn docx_and_odt_paragraphs_are_numbered_and_end_sentences() {
    let env = Env::indexed_files(&[
        (
            "letter.docx",
            docx(&[
                "Kính gửi anh Trần Đức Lương",
                "Tôi viết thư này về &amp; gói nguồn.",
            ]),
        ),
        (
            "report.odt",
            odt(
                "Báo cáo năm",
                &["Sông Cửu Long chảy qua nhiều tỉnh.", "Mùa mưa bão đã qua."],
            ),
        ),
    ]);
    let hit = one_hit(&env, "\"goi nguon\"", "docx", "extracted");
    assert_eq!(hit.paragraph, Some(2));
    assert_contains(&hit.text, "về & gói nguồn");
    // The heading paragraph and the next do not make one phrase; table cells neither.
    assert!(search_and_show(&env, "\"Luong toi\"").is_empty());
    assert!(search_and_show(&env, "\"mot o hai\"").is_empty());
    let hits = search_and_show(&env, "\"mua bao\"");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].format.as_str(), hits[0].paragraph),
        ("odt", Some(3))
    );
    assert!(search_and_show(&env, "\"nam song\"").is_empty());
    let out = env.run(&["search", "--color", "never", "mua bao"]);
    assert_contains(stdout(&out), "report.odt:paragraph 3: #1");
}

#[test]
fn epub_chapters_in_spine_order_carry_their_path() {
    let env = Env::indexed_files(&[(
        "book.epub",
        epub(&[
            ("ch1.xhtml", "Chương một: phố cổ Hà Nội."),
            ("ch2.xhtml", "Chương hai: đồng bằng sông Cửu Long."),
        ]),
    )]);
    let hit = one_hit(&env, "\"Cuu Long\"", "epub", "extracted");
    assert_eq!(hit.chapter.as_deref(), Some("OEBPS/ch2.xhtml"));
    assert_eq!(hit.title.as_deref(), Some("Sách thử"));
    // The spine puts chapter two first.
    assert_eq!(hit.start, 0);
    let hits = search_and_show(&env, "\"Ha Noi\"");
    assert_eq!(hits[0].chapter.as_deref(), Some("OEBPS/ch1.xhtml"));
    assert!(hits[0].start > 0);
}

#[test]
fn compressed_files_are_read_as_their_inner_format() {
    let html =
        "<html><head><title>Nén</title></head><body><p>Gói nguồn nén bằng gzip.</p></body></html>";
    let env = Env::indexed_files(&[
        ("guide.html.gz", gzip(html.as_bytes())),
        (
            "notes.txt.xz",
            xz("Ghi chú: sông Đà nén bằng xz.\n".as_bytes()),
        ),
    ]);
    let hit = one_hit(&env, "gzip", "html", "extracted");
    assert_eq!(hit.title.as_deref(), Some("Nén"));
    one_hit(&env, "\"song Da\"", "text", "extracted");
}

#[test]
fn show_prints_spans_with_context_and_refuses_bad_ranges() {
    let env = Env::indexed_files(&[
        (
            "plain.txt",
            "Một hai ba. Bốn năm sáu.\n".as_bytes().to_vec(),
        ),
        ("doc.pdf", pdf(&[PAGE_ONE, PAGE_TWO])),
        (
            "page.html",
            b"<p>Ti&#7871;ng Vi&#7879;t &amp; b\xe1\xbb\x91n ch\xe1\xbb\xaf.</p>".to_vec(),
        ),
        (
            "guide.md",
            "# Tựa

Bốn *chữ* [liên kết](x.md) cuối.
"
            .as_bytes()
            .to_vec(),
        ),
    ]);
    let hits = search_and_show(&env, "bon nam");
    assert_eq!(hits[0].offsets, "file");
    // HTML and Markdown hits count bytes of the file, and show prints their extracted text.
    let hits = search_and_show(&env, "bon chu");
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits.iter().all(|h| h.offsets == "file"));
    let html: Vec<&JsonHit> = hits.iter().filter(|h| h.format == "html").collect();
    assert_eq!(html[0].text, "Tiếng Việt & bốn chữ.");
    let out = env.run(&["show", "plain.txt", "0", "5"]);
    assert_eq!(stdout(&out), "Một");
    let out = env.run(&["show", "plain.txt", "6", "9", "--context", "2"]);
    assert_eq!(stdout(&out), "t hai b");
    let out = env.run(&["show", "plain.txt", "0", "999"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    let out = env.run(&["show", "nothere.txt", "0", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(stderr(&out), "nothere.txt");
    let out = env.run(&["show", "doc.pdf", "0", "5"]);
    assert_eq!(stdout(&out), "Trang");
}

#[test]
fn show_takes_the_location_search_printed_for_every_format() {
    let env = Env::indexed_files(&[
        ("doc.pdf", pdf(&[PAGE_ONE, PAGE_TWO])),
        ("thu.docx", docx(&["Kính gửi Quokka Trần Đức Lương"])),
        ("bao.odt", odt("Báo cáo", &["Quokka ở sông Cửu Long."])),
        (
            "book.epub",
            epub(&[("ch1.xhtml", "Chương một: Quokka ở Hà Nội.")]),
        ),
        ("notes.txt", "Ghi chú:\nQuokka ở đây.\n".as_bytes().to_vec()),
    ]);
    for query in ["Quokka", "Sai Gon"] {
        let hits = search_and_show(&env, query);
        let out = env.run(&["search", "--color", "never", query]);
        let printed = stdout(&out);
        // Each hit's first line: `LOCATION #RANK score S bytes START..END`.
        let headers: Vec<&str> = printed.lines().filter(|l| l.contains(" #")).collect();
        assert_eq!(headers.len(), hits.len(), "{printed}");
        for (header, hit) in headers.iter().zip(&hits) {
            let location = &header[..header.find(" #").unwrap()];
            let (start, end) = (hit.start.to_string(), hit.end.to_string());
            let out = env.run(&["show", location, &start, &end]);
            assert_eq!(out.status.code(), Some(0), "{location}: {}", stderr(&out));
            assert_eq!(stdout(&out), hit.text, "{location}");
        }
        let places: Vec<&str> = headers
            .iter()
            .map(|h| h.split(':').nth(1).unwrap().split(' ').next().unwrap())
            .collect();
        if query == "Quokka" {
            for place in ["paragraph", "chapter", "2"] {
                assert!(places.contains(&place), "{place}: {printed}");
            }
        } else {
            assert_eq!(places, ["page"], "{printed}");
        }
    }
}

#[test]
fn show_says_which_character_a_range_splits() {
    let letter = docx(&["Kính gửi anh Trần Đức Lương"]);
    let env = Env::indexed_files(&[
        ("thu.docx", letter.clone()),
        ("plain.txt", "Một hai ba.\n".as_bytes().to_vec()),
    ]);
    let name = std::path::Path::new("thu.docx");
    let text = tracuu::extract::extract(name, &letter, &Default::default())
        .unwrap()
        .text;
    // Inside the two bytes of `Đ` .. inside the three of `ơ`.
    let (d, o) = (text.find('Đ').unwrap(), text.find('ơ').unwrap());
    let (start, end) = ((d + 1).to_string(), (o + 1).to_string());
    let out = env.run(&["show", "thu.docx", &start, &end]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_one_clean_error_line(&out);
    let err = stderr(&out);
    let nearest = format!("{d}..{}", o + 'ơ'.len_utf8());
    assert_contains(&err, "splits a character");
    assert!(err.contains(&nearest), "{nearest}: {err}");
    assert_lacks(&err, "not a range");
    // A plain text file too, with or without context (bytes 1..4 are `ộ`).
    for extra in [&[][..], &["--context", "2"]] {
        let out = env.run(&[&["show", "plain.txt", "2", "3"][..], extra].concat());
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stdout(&out));
        assert_one_clean_error_line(&out);
        assert_contains(stderr(&out), "1..4");
    }
}

#[test]
fn documents_are_indexed_again_only_when_they_change() {
    let env = Env::indexed_files(&[
        ("letter.docx", docx(&["Kính gửi anh Trần Đức Lương"])),
        ("doc.pdf", pdf(&[PAGE_ONE, PAGE_TWO])),
    ]);
    let out = env.run(&["index"]);
    assert_contains(stderr(&out), "2 unchanged");
    std::fs::write(
        env.path().join("seeds/letter.docx"),
        docx(&["Kính gửi chị Nguyễn Thị Bình"]),
    )
    .unwrap();
    let out = env.run(&["index"]);
    assert_contains(stderr(&out), "1 updated");
    assert_eq!(search_and_show(&env, "Binh").len(), 1);
    let (hits, _) = env.search("Luong", &["--no-correct"]);
    assert!(hits.is_empty(), "{hits:?}");
    let (hits, _) = env.search("trang", &["--source", "*.pdf"]);
    assert_eq!(hits.len(), 2);
    let out = env.run(&["search", "--files", "trang"]);
    assert_eq!(stdout(&out).trim(), "seeds/doc.pdf");
}
