//! Real documents, part 2: PDF, DOCX, ODT, EPUB and compressed files, built here, indexed and
//! searched through the binary; every hit's span checked with `tracuu show`, and hostile files
//! (a truncated PDF, a zip bomb, an encrypted archive) skipped with one warning each.

mod common;

use std::io::Write;

use common::{assert_offsets, stderr, stdout, Env, JsonHit};

const PAGE_ONE: &str =
    "Trang một nói về sông Hồng và phố cổ Hà Nội. Người dân ở đây rất hiếu khách.";
const PAGE_TWO: &str =
    "Trang hai kể chuyện Nguyễn Ái Quốc đi khắp thế giới. Đường phố Sài Gòn đông vui.";

/// A temp dir whose `seeds/` holds only `files` (path, bytes), not indexed yet.
fn unindexed(files: &[(&str, Vec<u8>)]) -> Env {
    let env = Env {
        dir: tempfile::tempdir().unwrap(),
    };
    for (name, bytes) in files {
        let path = env.path().join("seeds").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    env
}

/// A temp dir whose `seeds/` holds only `files`, indexed with nothing skipped.
fn corpus(files: &[(&str, Vec<u8>)]) -> Env {
    let env = unindexed(files);
    let out = env.run(&["index"]);
    assert!(out.status.success(), "index failed: {}", stderr(&out));
    assert!(!stderr(&out).contains("skipped"), "{}", stderr(&out));
    env
}

/// Hits of `query`, each one's offsets checked, and `tracuu show` of each exactly its text.
fn search(env: &Env, query: &str) -> Vec<JsonHit> {
    let (hits, out) = env.search(query, &[]);
    assert!(out.status.code() != Some(2), "{}", stderr(&out));
    for hit in &hits {
        assert_offsets(env.path(), hit);
        let (start, end) = (hit.start.to_string(), hit.end.to_string());
        let shown = env.run(&["show", &hit.source, &start, &end]);
        assert!(shown.status.success(), "{}", stderr(&shown));
        assert_eq!(
            stdout(&shown),
            hit.text,
            "show of {} {start} {end}",
            hit.source
        );
    }
    hits
}

/// A PDF of one page per string, in Helvetica with a ToUnicode map: each character that is not
/// ASCII gets a code of its own from 0x80 on, so the text is Vietnamese while the file stays
/// small and needs no font program.
fn pdf(pages: &[&str]) -> Vec<u8> {
    let mut codes: Vec<char> = (0x20u8..0x7f).map(char::from).collect();
    for page in pages {
        for c in page.chars() {
            if !codes.contains(&c) {
                codes.push(c);
            }
        }
    }
    assert!(codes.len() <= 256 - 0x20);
    let code = |c: char| 0x20 + codes.iter().position(|&x| x == c).unwrap();
    let mut objects: Vec<String> = Vec::new();
    // 1 catalog, 2 pages, 3 font, 4 ToUnicode, then a page and its contents per page.
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 5 + 2 * i))
        .collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    ));
    let last = 0x20 + codes.len() - 1;
    let widths = vec!["500"; codes.len()].join(" ");
    objects.push(format!(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar {last} \
         /Widths [{widths}] /ToUnicode 4 0 R >>"
    ));
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<00> <FF>\nendcodespacerange\n",
    );
    for chunk in codes.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for &c in chunk {
            cmap.push_str(&format!("<{:02X}> <{:04X}>\n", code(c), c as u32));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    objects.push(format!(
        "<< /Length {} >>\nstream\n{cmap}endstream",
        cmap.len()
    ));
    for (i, page) in pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            6 + 2 * i
        ));
        let hex: String = page.chars().map(|c| format!("{:02X}", code(c))).collect();
        let content = format!("BT /F1 12 Tf 72 720 Td <{hex}> Tj ET\n");
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A zip of `(name, bytes)` entries, deflated.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ô một</w:t></w:r></w:p></w:tc>\
         <w:tc><w:p><w:r><w:t>Ô hai</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    );
    zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", xml.as_bytes()),
    ])
}

fn odt(heading: &str, paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<text:p>{p}</text:p>"))
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>\
         <office:text><text:h text:outline-level=\"1\">{heading}</text:h>{body}\
         </office:text></office:body></office:document-content>"
    );
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", xml.as_bytes()),
    ])
}

fn epub(chapters: &[(&str, &str)]) -> Vec<u8> {
    let container = b"<?xml version=\"1.0\"?><container version=\"1.0\" \
        xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles>\
        <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\
        </rootfiles></container>";
    let items: String = chapters
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            format!("<item id=\"c{i}\" href=\"{name}\" media-type=\"application/xhtml+xml\"/>")
        })
        .collect();
    // The spine reads the chapters backwards: reading order is the spine's, not the manifest's.
    let spine: String = (0..chapters.len())
        .rev()
        .map(|i| format!("<itemref idref=\"c{i}\"/>"))
        .collect();
    let opf = format!(
        "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">\
         <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Sách thử</dc:title>\
         </metadata><manifest>{items}</manifest><spine>{spine}</spine></package>"
    );
    let pages: Vec<(String, String)> = chapters
        .iter()
        .map(|(name, text)| {
            (
                format!("OEBPS/{name}"),
                format!(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><html \
                     xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>{name}</title></head>\
                     <body><p>{text}</p></body></html>"
                ),
            )
        })
        .collect();
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", container),
        ("OEBPS/content.opf", opf.as_bytes()),
    ];
    for (name, page) in &pages {
        entries.push((name, page.as_bytes()));
    }
    zip(&entries)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    lzma_rs::xz_compress(&mut std::io::BufReader::new(bytes), &mut out).unwrap();
    out
}

#[test]
fn pdf_pages_keep_vietnamese_and_hits_carry_the_page() {
    let env = corpus(&[("doc.pdf", pdf(&[PAGE_ONE, PAGE_TWO]))]);
    let hits = search(&env, "\"Nguyễn Ái Quốc\"");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(
        (hit.format.as_str(), hit.offsets.as_str()),
        ("pdf", "extracted")
    );
    assert_eq!(hit.page, Some(2));
    assert!(
        hit.text.contains("Nguyễn Ái Quốc đi khắp thế giới"),
        "{}",
        hit.text
    );
    let hits = search(&env, "song Hong");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].page, Some(1));
    // A page ends a passage: nothing of page one is in page two's passage.
    assert!(!hits[0].text.contains("Trang hai"), "{}", hits[0].text);
    let out = env.run(&["search", "--color", "never", "Sai Gon"]);
    assert!(
        stdout(&out).contains("doc.pdf:page 2: #1"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn docx_and_odt_paragraphs_are_numbered_and_end_sentences() {
    let env = corpus(&[
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
    let hits = search(&env, "\"goi nguon\"");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(
        (hit.format.as_str(), hit.offsets.as_str()),
        ("docx", "extracted")
    );
    assert_eq!(hit.paragraph, Some(2));
    assert!(hit.text.contains("về & gói nguồn"), "{}", hit.text);
    // The heading paragraph and the next do not make one phrase; table cells neither.
    assert!(search(&env, "\"Luong toi\"").is_empty());
    assert!(search(&env, "\"mot o hai\"").is_empty());
    let hits = search(&env, "\"mua bao\"");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].format.as_str(), hits[0].paragraph),
        ("odt", Some(3))
    );
    assert!(search(&env, "\"nam song\"").is_empty());
    let out = env.run(&["search", "--color", "never", "mua bao"]);
    assert!(
        stdout(&out).contains("report.odt:paragraph 3: #1"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn epub_chapters_in_spine_order_carry_their_path() {
    let env = corpus(&[(
        "book.epub",
        epub(&[
            ("ch1.xhtml", "Chương một: phố cổ Hà Nội."),
            ("ch2.xhtml", "Chương hai: đồng bằng sông Cửu Long."),
        ]),
    )]);
    let hits = search(&env, "\"Cuu Long\"");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(
        (hit.format.as_str(), hit.offsets.as_str()),
        ("epub", "extracted")
    );
    assert_eq!(hit.chapter.as_deref(), Some("OEBPS/ch2.xhtml"));
    assert_eq!(hit.title.as_deref(), Some("Sách thử"));
    // The spine puts chapter two first.
    assert_eq!(hit.start, 0);
    let hits = search(&env, "\"Ha Noi\"");
    assert_eq!(hits[0].chapter.as_deref(), Some("OEBPS/ch1.xhtml"));
    assert!(hits[0].start > 0);
}

#[test]
fn compressed_files_are_read_as_their_inner_format() {
    let html =
        "<html><head><title>Nén</title></head><body><p>Gói nguồn nén bằng gzip.</p></body></html>";
    let env = corpus(&[
        ("guide.html.gz", gzip(html.as_bytes())),
        (
            "notes.txt.xz",
            xz("Ghi chú: sông Đà nén bằng xz.\n".as_bytes()),
        ),
    ]);
    let hits = search(&env, "gzip");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].format, "html");
    assert_eq!(hits[0].offsets, "extracted");
    assert_eq!(hits[0].title.as_deref(), Some("Nén"));
    let hits = search(&env, "\"song Da\"");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].format.as_str(), hits[0].offsets.as_str()),
        ("text", "extracted")
    );
}

#[test]
fn show_prints_spans_with_context_and_refuses_bad_ranges() {
    let env = corpus(&[
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
    let hits = search(&env, "bon nam");
    assert_eq!(hits[0].offsets, "file");
    // HTML and Markdown hits count bytes of the file, and show prints their extracted text.
    let hits = search(&env, "bon chu");
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
    assert!(stderr(&out).contains("nothere.txt"), "{}", stderr(&out));
    let out = env.run(&["show", "doc.pdf", "0", "5"]);
    assert_eq!(stdout(&out), "Trang");
}

/// Sets the "encrypted" flag of every entry of a zip, in the local headers and the central
/// directory: what a reader sees of a password-protected archive.
fn encrypt_flags(mut bytes: Vec<u8>) -> Vec<u8> {
    for i in 0..bytes.len().saturating_sub(10) {
        if bytes[i..].starts_with(b"PK\x03\x04") {
            bytes[i + 6] |= 1;
        } else if bytes[i..].starts_with(b"PK\x01\x02") {
            bytes[i + 8] |= 1;
        }
    }
    bytes
}

/// A DOCX whose document part is `megabytes` MB of zeros, deflated as it is written (a few KB).
fn docx_bomb(megabytes: usize) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("word/document.xml", options).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..megabytes {
        w.write_all(&zeros).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn hostile_files_are_skipped_with_one_warning_each_and_the_rest_is_indexed() {
    let good = pdf(&[PAGE_ONE, PAGE_TWO]);
    let truncated = good[..good.len() / 2].to_vec();
    let mut gz_bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..8 {
        gz_bomb.write_all(&zeros).unwrap();
    }
    let gz_bomb = gz_bomb.finish().unwrap();
    // The good PDF with an /Encrypt dictionary in its trailer (RC4, 128 bits) whose user password
    // is not empty: it cannot be opened without the password.
    let encrypted = String::from_utf8(good.clone()).unwrap().replace(
        "/Root 1 0 R >>",
        "/Root 1 0 R /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O <0000000000000000000000000000000000000000000000000000000000000000> \
         /U <0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF> /P -4 >> \
         /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] >>",
    );
    let bomb = docx_bomb(12);
    assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
    let env = unindexed(&[
        ("good.pdf", good),
        ("truncated.pdf", truncated),
        ("locked.pdf", encrypted.into_bytes()),
        ("bomb.docx", bomb),
        ("bomb.txt.gz", gz_bomb),
        ("locked.docx", encrypt_flags(docx(&["Bí mật quốc gia"]))),
        ("garbage.epub", b"PK\x03\x04 not really a zip".to_vec()),
        ("notes.txt", "Sông Hồng vẫn chảy.\n".as_bytes().to_vec()),
    ]);
    let out = env.run(&["index", "--max-extract", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for (name, reason) in [
        ("truncated.pdf", "corrupt PDF"),
        ("locked.pdf", "encrypted PDF"),
        ("bomb.docx", "bomb"),
        ("bomb.txt.gz", "bomb"),
        ("locked.docx", "encrypted"),
        ("garbage.epub", "corrupt EPUB"),
    ] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: {err}");
        assert!(lines[0].contains(reason), "{name}: {}", lines[0]);
    }
    assert!(!err.contains("panicked"), "{err}");
    let (hits, _) = env.search("song Hong", &[]);
    let mut sources: Vec<&str> = hits.iter().map(|h| h.source.as_str()).collect();
    sources.sort();
    assert_eq!(sources, ["good.pdf", "notes.txt"]);
}

#[test]
fn documents_are_indexed_again_only_when_they_change() {
    let env = corpus(&[
        ("letter.docx", docx(&["Kính gửi anh Trần Đức Lương"])),
        ("doc.pdf", pdf(&[PAGE_ONE, PAGE_TWO])),
    ]);
    let out = env.run(&["index"]);
    assert!(stderr(&out).contains("2 unchanged"), "{}", stderr(&out));
    std::fs::write(
        env.path().join("seeds/letter.docx"),
        docx(&["Kính gửi chị Nguyễn Thị Bình"]),
    )
    .unwrap();
    let out = env.run(&["index"]);
    assert!(stderr(&out).contains("1 updated"), "{}", stderr(&out));
    assert_eq!(search(&env, "Binh").len(), 1);
    let (hits, _) = env.search("Luong", &["--no-correct"]);
    assert!(hits.is_empty(), "{hits:?}");
    let (hits, _) = env.search("trang", &["--source", "*.pdf"]);
    assert_eq!(hits.len(), 2);
    let out = env.run(&["search", "--files", "trang"]);
    assert_eq!(stdout(&out).trim(), "seeds/doc.pdf");
}
