//! Documents built here, byte by byte: PDF pages, DOCX, ODT and EPUB zips, gzip, xz and tar,
//! and hostile files (encrypted entries, deflate and bzip2 bombs of 10 GiB).

use std::io::Write;

pub const PAGE_ONE: &str =
    "Trang một nói về sông Hồng và phố cổ Hà Nội. Người dân ở đây rất hiếu khách.";
pub const PAGE_TWO: &str =
    "Trang hai kể chuyện Nguyễn Ái Quốc đi khắp thế giới. Đường phố Sài Gòn đông vui.";

/// A PDF of one page per string, in Helvetica with a ToUnicode map: each character that is not
/// ASCII gets a code of its own from 0x80 on, so the text is Vietnamese while the file stays
/// small and needs no font program.
pub fn pdf(pages: &[&str]) -> Vec<u8> {
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
pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
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

/// The name "Trần Đức Lương" as Word and LibreOffice store it in a TCVN3 font (`.VnTime`): the
/// TCVN3 bytes, each as its Windows-1252 character.
pub const NAME_TCVN3: &str = "TrÇn §øc L\u{AD}¬ng";
/// The same in a VNI font (`VNI-Times`).
pub const NAME_VNI: &str = "Traàn Ñöùc Löông";

const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A DOCX of one paragraph per `(text, font)`: the text in one run whose `w:rFonts` names the
/// font, if any; `styles` is `word/styles.xml`, if any.
pub fn docx_runs(paragraphs: &[(&str, Option<&str>)], styles: Option<&str>) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|(text, font)| {
            let rpr = font.map_or(String::new(), |f| {
                format!("<w:rPr><w:rFonts w:ascii=\"{f}\" w:hAnsi=\"{f}\"/></w:rPr>")
            });
            format!("<w:p><w:r>{rpr}<w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
        })
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:document {W_NS}><w:body>{body}\
         </w:body></w:document>"
    );
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", xml.as_bytes()),
    ];
    if let Some(styles) = styles {
        entries.push(("word/styles.xml", styles.as_bytes()));
    }
    zip(&entries)
}

/// A `word/styles.xml` whose document defaults are in `default` and whose paragraph style
/// "Heading1", based on "Base", has its font from "Base", in `heading`.
pub fn docx_styles(default: &str, heading: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:styles {W_NS}><w:docDefaults>\
         <w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{default}\" w:hAnsi=\"{default}\"/></w:rPr>\
         </w:rPrDefault><w:pPrDefault><w:pPr><w:rPr><w:rFonts w:ascii=\"Arial\"/></w:rPr></w:pPr>\
         </w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>\
         </w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Base\"><w:rPr><w:rFonts w:ascii=\"{heading}\"/>\
         </w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:basedOn w:val=\"Base\"/></w:style>\
         </w:styles>"
    )
}

/// A DOCX of one paragraph per `(text, style)`, without run fonts, with `styles`.
pub fn docx_styled(paragraphs: &[(&str, Option<&str>)], styles: &str) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|(text, style)| {
            let ppr = style.map_or(String::new(), |s| {
                format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")
            });
            format!("<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>")
        })
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:document {W_NS}><w:body>{body}\
         </w:body></w:document>"
    );
    zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", xml.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
    ])
}

/// An ODT of one paragraph per `(text, font)`: the font, if any, set by an automatic style on
/// a span around the text, or (`on_paragraph`) on the paragraph. Fonts are named through font
/// faces (`style:font-face`), as LibreOffice writes them, quoted as it quotes them.
pub fn odt_fonts(paragraphs: &[(&str, Option<&str>)], on_paragraph: bool) -> Vec<u8> {
    let mut faces = String::new();
    let mut styles = String::new();
    let mut body = String::new();
    let family = if on_paragraph { "paragraph" } else { "text" };
    for (i, (text, font)) in paragraphs.iter().enumerate() {
        let Some(font) = font else {
            body.push_str(&format!(
                "<text:p text:style-name=\"Standard\">{text}</text:p>"
            ));
            continue;
        };
        faces.push_str(&format!(
            "<style:font-face style:name=\"{font}{i}\" svg:font-family=\"&apos;{font}&apos;\" \
             style:font-family-generic=\"roman\"/>"
        ));
        styles.push_str(&format!(
            "<style:style style:name=\"S{i}\" style:family=\"{family}\">\
             <style:text-properties style:font-name=\"{font}{i}\"/></style:style>"
        ));
        if on_paragraph {
            body.push_str(&format!("<text:p text:style-name=\"S{i}\">{text}</text:p>"));
        } else {
            body.push_str(&format!(
                "<text:p text:style-name=\"Standard\"><text:span text:style-name=\"S{i}\">\
                 {text}</text:span></text:p>"
            ));
        }
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
         xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\">\
         <office:font-face-decls>{faces}</office:font-face-decls>\
         <office:automatic-styles>{styles}</office:automatic-styles><office:body>\
         <office:text>{body}</office:text></office:body></office:document-content>"
    );
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", xml.as_bytes()),
    ])
}

pub fn odt(heading: &str, paragraphs: &[&str]) -> Vec<u8> {
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

pub fn epub(chapters: &[(&str, &str)]) -> Vec<u8> {
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

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

pub fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    lzma_rs::xz_compress(&mut std::io::BufReader::new(bytes), &mut out).unwrap();
    out
}

/// Sets the "encrypted" flag of every entry of a zip, in the local headers and the central
/// directory: what a reader sees of a password-protected archive.
pub fn encrypt_flags(mut bytes: Vec<u8>) -> Vec<u8> {
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
pub fn deflate_zeros(matches: usize) -> Vec<u8> {
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
pub fn docx_bomb_10_gib() -> Vec<u8> {
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
pub fn bz2_bomb_10_gib() -> Vec<u8> {
    let one = include_bytes!("../../data/zeros-46500000.bz2");
    let mut head = Vec::new();
    let mut decoder = bzip2::read::BzDecoder::new(&one[..]);
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut decoder, 1 << 20), &mut head).unwrap();
    assert_eq!(head, vec![0; 1 << 20]);
    one.repeat((10usize << 30).div_ceil(46_500_000))
}

/// A tar archive of `(name, bytes)` files, as GNU tar writes it.
pub fn tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}
