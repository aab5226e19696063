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
    tracuu::extract::assemble_pdf(&objects)
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
    let env = Env::indexed_files(&[("doc.pdf", pdf(&[PAGE_ONE, PAGE_TWO]))]);
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
    let env = Env::indexed_files(&[(
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
    let env = Env::indexed_files(&[
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
        let hits = search(&env, query);
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
    common::assert_one_clean_error_line(&out);
    let err = stderr(&out);
    let nearest = format!("{d}..{}", o + 'ơ'.len_utf8());
    assert!(err.contains("splits a character"), "{err}");
    assert!(err.contains(&nearest), "{nearest}: {err}");
    assert!(!err.contains("not a range"), "{err}");
    // A plain text file too, with or without context (bytes 1..4 are `ộ`).
    for extra in [&[][..], &["--context", "2"]] {
        let out = env.run(&[&["show", "plain.txt", "2", "3"][..], extra].concat());
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stdout(&out));
        common::assert_one_clean_error_line(&out);
        assert!(stderr(&out).contains("1..4"), "{}", stderr(&out));
    }
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

/// Bits of a deflate stream, least significant first (RFC 1951, 3.1.1).
struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    /// `n` bits of `value`, its lowest first (header fields, extra bits).
    fn int(&mut self, value: u64, n: usize) {
        for i in 0..n {
            self.bit(value >> i & 1 == 1);
        }
    }

    /// A Huffman code of `n` bits, its highest first.
    fn code(&mut self, code: u64, n: usize) {
        for i in (0..n).rev() {
            self.bit(code >> i & 1 == 1);
        }
    }

    fn bit(&mut self, one: bool) {
        if self.len.is_multiple_of(8) {
            self.bytes.push(0);
        }
        if one {
            *self.bytes.last_mut().unwrap() |= 1 << (self.len % 8);
        }
        self.len += 1;
    }

    /// `n` zero bits at once.
    fn zeros(&mut self, n: usize) {
        self.len += n;
        self.bytes.resize(self.len.div_ceil(8), 0);
    }
}

/// A raw deflate stream that inflates to `1 + 258 * matches` bytes of `b'0'`, at deflate's
/// best ratio (1032:1), written directly rather than compressed (which would take minutes for
/// gigabytes): one dynamic-Huffman block whose literal/length code has three symbols ('0',
/// end of block, and length 258 as a 1-bit code) and whose distance code has one (distance 1,
/// 1 bit). After one literal '0', each copy of the last 258 bytes is two zero bits.
fn deflate_zeros(matches: usize) -> Vec<u8> {
    let mut b = Bits {
        bytes: Vec::with_capacity(matches / 4 + 64),
        len: 0,
    };
    b.int(1, 1); // the last block
    b.int(2, 2); // dynamic Huffman codes
    b.int(29, 5); // HLIT: 286 literal/length codes
    b.int(0, 5); // HDIST: 1 distance code
    b.int(14, 4); // HCLEN: 18 code-length codes, in the order below
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        // For 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1: 18 (a run of 11-138 zero
        // lengths) gets code 0, the lengths 1 and 2 get codes 10 and 11.
        b.int(len, 3);
    }
    let zeros = |b: &mut Bits, n: u64| {
        b.code(0, 1);
        b.int(n - 11, 7);
    };
    zeros(&mut b, 48); // symbols 0-47 unused
    b.code(0b11, 2); // '0' (48): length 2
    zeros(&mut b, 138); // 49-186
    zeros(&mut b, 69); // 187-255
    b.code(0b11, 2); // end of block (256): length 2
    zeros(&mut b, 28); // lengths 3-257 (257-284) unused
    b.code(0b10, 2); // length 258 (285): length 1
    b.code(0b10, 2); // distance 1 (0): length 1
                     // Canonical codes: 285 -> 0, '0' -> 10, end of block -> 11; distance 1 -> 0.
    b.code(0b10, 2);
    b.zeros(2 * matches);
    b.code(0b11, 2);
    b.bytes
}

/// A DOCX whose `word/document.xml` inflates to 10 GiB of '0' for real (its sizes in Zip64
/// fields), about 10 MB and made in milliseconds: deflate cannot pack more than 1032 bytes
/// into one, so a 10 GiB part of a zip cannot be smaller. The CRC is left 0: a reader that
/// went to the end would call the part corrupt, not a bomb.
fn docx_bomb_10_gib() -> Vec<u8> {
    let matches = (10usize << 30) / 258;
    let data = deflate_zeros(matches);
    let size = 1 + 258 * matches as u64;
    let name = b"word/document.xml";
    let zip64 = |out: &mut Vec<u8>| {
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    };
    let mut out = Vec::with_capacity(data.len() + 256);
    // Local header: version 4.5, no flags, deflate, sizes in the Zip64 extra field.
    out.extend_from_slice(b"PK\x03\x04\x2d\x00\x00\x00\x08\x00\x00\x00\x21\x00");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&[0xff; 8]);
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(name);
    zip64(&mut out);
    out.extend_from_slice(&data);
    let directory = out.len();
    out.extend_from_slice(b"PK\x01\x02\x2d\x00\x2d\x00\x00\x00\x08\x00\x00\x00\x21\x00");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&[0xff; 8]);
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(&[0; 14]); // comment, disk, attributes, local header at 0
    out.extend_from_slice(name);
    zip64(&mut out);
    let directory_size = out.len() - directory;
    out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00");
    out.extend_from_slice(&(directory_size as u32).to_le_bytes());
    out.extend_from_slice(&(directory as u32).to_le_bytes());
    out.extend_from_slice(&[0; 2]);
    out
}

/// A `.bz2` that decompresses to 10 GiB of zeros for real, in 18 KB: 231 copies of one bzip2
/// stream of 46.5 MB of zeros (bzip2 packs runs before the block sort, so one 900 KB block
/// holds them in 80 bytes; a decoder reads concatenated streams as one file, as `bzip2 -d`
/// does). The stream is tests/data/zeros-46500000.bz2, made with
/// `head -c 46500000 /dev/zero | bzip2 -9` (compressing it here takes half a minute in a
/// debug build); the test checks that it starts with zeros.
fn bz2_bomb_10_gib() -> Vec<u8> {
    let one = include_bytes!("data/zeros-46500000.bz2");
    let mut head = Vec::new();
    let mut decoder = bzip2::read::BzDecoder::new(&one[..]);
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut decoder, 1 << 20), &mut head).unwrap();
    assert_eq!(head, vec![0; 1 << 20]);
    one.repeat((10usize << 30).div_ceil(46_500_000))
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
    // The stream is what it says: its first MiB inflates to '0's.
    let mut head = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            flate2::read::DeflateDecoder::new(&deflate_zeros(10_000)[..]),
            1 << 20,
        ),
        &mut head,
    )
    .unwrap();
    assert_eq!(head, vec![b'0'; 1 << 20]);
    let bomb = docx_bomb_10_gib();
    assert!(bomb.len() < 11 << 20, "{} bytes", bomb.len());
    let bz2_bomb = bz2_bomb_10_gib();
    assert!(bz2_bomb.len() < 32 << 10, "{} bytes", bz2_bomb.len());
    let env = Env::with_files(&[
        ("good.pdf", good),
        ("truncated.pdf", truncated),
        ("locked.pdf", encrypted.into_bytes()),
        ("bomb.docx", bomb),
        ("bomb.txt.gz", gz_bomb),
        ("bomb.txt.bz2", bz2_bomb),
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
        ("bomb.txt.bz2", "bomb"),
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
fn an_unchanged_file_skipped_for_what_it_holds_is_skipped_again_unread_and_unwarned() {
    let good = pdf(&[PAGE_ONE, PAGE_TWO]);
    // 1.5 MiB of text: too much for --max-extract 1, enough for 2.
    let mut big = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    big.write_all("lorem ipsum dolor. ".repeat(80_000).as_bytes())
        .unwrap();
    let env = Env::with_files(&[
        ("truncated.pdf", good[..good.len() / 2].to_vec()),
        ("garbage.epub", b"PK\x03\x04 not really a zip".to_vec()),
        ("tool.bin", b"\x7fELF\x00\x01\x02 Hanoi".to_vec()),
        ("big.txt.gz", big.finish().unwrap()),
        ("notes.txt", "Sông Hồng vẫn chảy.\n".as_bytes().to_vec()),
    ]);
    let index = |max_extract: &str, args: &[&str]| {
        let out = env.run(&[&["index", "--max-extract", max_extract], args].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    let warned = |err: &str, name: &str| err.lines().filter(|l| l.contains(name)).count();
    let first = index("1", &[]);
    for name in ["truncated.pdf", "garbage.epub", "tool.bin", "big.txt.gz"] {
        assert_eq!(warned(&first, name), 1, "{name}: {first}");
    }
    assert!(first.contains("4 skipped)"), "{first}");

    // Unchanged: the corrupt and binary files are not read again, and not warned about again;
    // too much text is worth another try (--max-extract may be raised), so it is.
    let second = index("1", &[]);
    for name in ["truncated.pdf", "garbage.epub", "tool.bin"] {
        assert_eq!(warned(&second, name), 0, "{name}: {second}");
    }
    assert_eq!(warned(&second, "big.txt.gz"), 1, "{second}");
    assert!(second.contains("4 skipped (3 as before)"), "{second}");
    // Still known: they do not make the index look stale.
    let out = env.run(&["search", "Hồng"]);
    assert!(!stderr(&out).contains("changed since"), "{}", stderr(&out));
    // Another version of tracuu (its extractors may read them now) tries them all again.
    let meta_path = env.path().join("index/meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let mut manifest: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    assert_eq!(manifest["build"], env!("CARGO_PKG_VERSION"));
    manifest["build"] = serde_json::json!("0.0.0");
    meta["payload"] = serde_json::json!(manifest.to_string());
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    let upgraded = index("1", &[]);
    for name in ["truncated.pdf", "garbage.epub", "tool.bin", "big.txt.gz"] {
        assert_eq!(warned(&upgraded, name), 1, "{name}: {upgraded}");
    }
    assert!(upgraded.contains("4 skipped)"), "{upgraded}");

    // Repaired, the PDF is read and indexed; the big file, given room, is indexed too.
    std::fs::write(env.path().join("seeds/truncated.pdf"), &good).unwrap();
    let third = index("2", &[]);
    assert_eq!(warned(&third, "truncated.pdf"), 0, "{third}");
    assert_eq!(warned(&third, "big.txt.gz"), 0, "{third}");
    assert!(third.contains("2 skipped as before"), "{third}");
    let hits = search(&env, "Trang hai");
    assert!(hits.iter().any(|h| h.source == "truncated.pdf"), "{hits:?}");
    // A rebuild reads every file again, and says why each is skipped.
    let rebuilt = index("2", &["--rebuild"]);
    for name in ["garbage.epub", "tool.bin"] {
        assert_eq!(warned(&rebuilt, name), 1, "{name}: {rebuilt}");
    }
}

/// A tar archive of one file: a 512-byte header (`ustar` at 257), the data, two empty blocks.
fn tar(name: &str, data: &[u8]) -> Vec<u8> {
    let mut header = vec![0u8; 512];
    header[..name.len()].copy_from_slice(name.as_bytes());
    header[100..107].copy_from_slice(b"0000644");
    header[124..135].copy_from_slice(format!("{:011o}", data.len()).as_bytes());
    header[257..263].copy_from_slice(b"ustar\0");
    let mut out = header;
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512 + 1024, 0);
    out
}

#[test]
fn images_sound_video_and_archives_are_counted_not_warned_and_quiet_is_quiet() {
    let with_zeros = |head: &[u8]| [head, &[0u8; 200][..], b"Quokka"].concat();
    let env = Env::with_files(&[
        ("photo.png", with_zeros(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")),
        ("scan.jpg", with_zeros(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0")),
        ("song.mp3", with_zeros(b"ID3\x03\0\0\0\0\x01\x00")),
        ("clip.mp4", with_zeros(b"\0\0\0\x18ftypmp42")),
        ("old.zip", zip(&[("a.bin", b"\0\0\0Quokka")])),
        ("backup.tar.gz", gzip(&tar("notes.txt", b"Quokka"))),
        // Neither a known format nor text: maybe UTF-16 without a BOM (--encoding utf-16le).
        ("tool.bin", b"\x7fELF\x00\x01\x02 Quokka".to_vec()),
        // A file the user can do something about: said even to a quiet run.
        ("locked.docx", encrypt_flags(docx(&["Bí mật quốc gia"]))),
        ("notes.txt", "Quokka ở đây.\n".as_bytes().to_vec()),
    ]);
    let media = [
        "photo.png",
        "scan.jpg",
        "song.mp3",
        "clip.mp4",
        "old.zip",
        "backup.tar.gz",
    ];
    let warned = |err: &str, name: &str| err.lines().filter(|l| l.contains(name)).count();
    let out = env.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for name in media {
        assert_eq!(warned(&err, name), 0, "{name}: {err}");
    }
    assert_eq!(warned(&err, "tool.bin"), 1, "{err}");
    assert_eq!(warned(&err, "locked.docx"), 1, "{err}");
    assert!(
        err.contains(", 8 skipped (6 images, sounds, videos or archives)"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 3, "{err}");

    let out = env.run(&["index", "--rebuild", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(warned(&err, "locked.docx"), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let (hits, _) = env.search("Quokka", &[]);
    assert_eq!(hits.len(), 1, "{hits:?}");
}

#[test]
fn documents_are_indexed_again_only_when_they_change() {
    let env = Env::indexed_files(&[
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
