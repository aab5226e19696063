//! Mail (`.eml`, mbox): the text a reader sees of each message (its Subject, From, To, Cc and
//! Date lines, then its body) and its attachments as members, all within one limit of text.
//!
//! Parsing, MIME, encoded words, transfer encodings and charsets are `mail-parser`'s. The body
//! is the message's text/plain parts, else its text/html parts read as HTML; every other part
//! (a `.docx`, a `.zip`, a forwarded `message/rfc822`, an inline image, a `.txt` attachment) is
//! a [`Member`] read by its own format, named by its file name (`N/name` in an mbox, `N` the
//! message number), else `attachment-K` (K its rank among the message's attachments) with an
//! extension from its content type; a second `a.docx` in one message is `a (2).docx`.
//! A message of an mbox that is not mail is the member `N` with its reason (a warning); the
//! others are kept.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Cursor;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::{Address, Encoding, HeaderName, Message, MessageParser};
use mail_parser::{MessagePart, MimeHeaders, PartType};
use unicode_normalization::UnicodeNormalization;

use super::{
    contained, encoding, html, Extracted, Format, Limited, Member, Options, Part, Place, Skip,
};

/// Extracts one message (`.eml`).
pub(super) fn extract_eml(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let message = parse(bytes).map_err(|reason| Skip::corrupt("mail", reason))?;
    let mut mail = Mail::new(options);
    mail.message(&message, 1, None)?;
    Ok(mail.finish(Format::Eml))
}

/// Extracts an mbox file: its messages in order, each a [`Place::Message`] from 1.
pub(super) fn extract_mbox(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let mut mail = Mail::new(options);
    let mut n = 0;
    // Reading from memory never fails.
    for raw in MessageIterator::new(Cursor::new(bytes)).map_while(Result::ok) {
        n += 1;
        match parse(raw.contents()) {
            Ok(message) => mail.message(&message, n, Some(n))?,
            Err(reason) => mail.members.push(Member {
                name: n.to_string(),
                content: Err(Skip::corrupt("mail message", reason)),
                bytes: None,
            }),
        }
    }
    if n == 0 {
        return Err(Skip::corrupt("mbox", "no line starts with \"From \""));
    }
    Ok(mail.finish(Format::Mbox))
}

/// An mbox file without its extension: a `From sender date` line, then a header line.
pub(super) fn sniff_mbox(bytes: &[u8]) -> bool {
    let mut lines = bytes.split(|&b| b == b'\n');
    let from_line = lines.next().and_then(|l| l.strip_prefix(b"From "));
    let Some(line) = from_line else {
        return false;
    };
    let sender_len = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
    let date = &line[sender_len..];
    sender_len > 0 && date.iter().any(u8::is_ascii_digit) && lines.next().is_some_and(is_header)
}

/// A header line: a name of printable ASCII without space, then a colon.
fn is_header(line: &[u8]) -> bool {
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon].iter().all(|&b| b.is_ascii_graphic()),
        _ => false,
    }
}

/// The message in `bytes`, or why it is not mail. The parser runs behind a panic wall.
fn parse(bytes: &[u8]) -> Result<Message<'_>, &'static str> {
    let parsed = std::panic::catch_unwind(|| MessageParser::new().parse(bytes))
        .map_err(|_| "the mail parser failed")?;
    let message = parsed.ok_or("no header")?;
    // A text file would pass for a message whose header is its first line: a message has at
    // least one header that mail defines.
    let headers = message.parts.first().map_or(&[][..], |p| &p.headers[..]);
    if !headers.iter().any(|h| !h.name.is_other()) {
        return Err("no mail header (From, To, Subject, Date, …)");
    }
    Ok(message)
}

/// The text of the messages and their attachments, read within one limit.
struct Mail<'o> {
    options: &'o Options,
    /// The messages' text; its limit is what the attachments read so far left.
    text: Limited,
    breaks: Vec<usize>,
    parts: Vec<Part>,
    members: Vec<Member>,
}

impl<'o> Mail<'o> {
    fn new(options: &'o Options) -> Self {
        Mail {
            options,
            text: Limited::new(options),
            breaks: Vec::new(),
            parts: Vec::new(),
            members: Vec::new(),
        }
    }

    /// Message `n`: its headers, body and attachments (named `prefix/…` if there is a prefix).
    fn message(&mut self, message: &Message<'_>, n: u32, prefix: Option<u32>) -> Result<(), Skip> {
        self.parts.push(Part {
            start: self.text.len(),
            place: Place::Message(n),
        });
        for line in header_lines(message) {
            self.line(&line)?;
        }
        self.body(message)?;
        self.attachments(message, prefix)
    }

    /// One line of text, ending a sentence.
    fn line(&mut self, line: &str) -> Result<(), Skip> {
        self.push(line)?;
        self.end_block()
    }

    fn push(&mut self, s: &str) -> Result<(), Skip> {
        self.text.push_str(s).map_err(|_| self.too_large())
    }

    /// A `\n` that ends a sentence: the text's last one, or a new one.
    fn end_block(&mut self) -> Result<(), Skip> {
        let len = self.text.len();
        if self.text.text.ends_with('\n') {
            if self.breaks.last() != Some(&(len - 1)) {
                self.breaks.push(len - 1);
            }
            return Ok(());
        }
        if len == 0 {
            return Ok(());
        }
        self.breaks.push(len);
        self.push("\n")
    }

    /// The body: the text/plain parts, else the text/html parts read as HTML.
    fn body(&mut self, message: &Message<'_>) -> Result<(), Skip> {
        let texts = body_parts(message, &message.text_body);
        let parts = if texts.is_empty() {
            body_parts(message, &message.html_body)
        } else {
            texts
        };
        for part in parts {
            match &part.body {
                PartType::Text(text) => {
                    self.plain(&undeclared(message, part, text, self.options))?
                }
                PartType::Html(source) => {
                    self.html(&undeclared(message, part, source, self.options))?
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A text/plain body: its lines as written; a sentence ends where a paragraph does (before
    /// a blank line) and at the end of a short line (a greeting, a signature, a list item).
    fn plain(&mut self, text: &str) -> Result<(), Skip> {
        let text: String = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .nfc()
            .collect();
        let text = text.trim();
        let start = self.text.len();
        self.push(text)?;
        let mut offset = start;
        let mut lines = text.split_inclusive('\n').peekable();
        while let Some(line) = lines.next() {
            let written = line.trim();
            let next_blank = lines.peek().is_none_or(|l| l.trim().is_empty());
            let short = written.chars().count() < 40 && !line.trim_end_matches('\n').ends_with(' ');
            if line.ends_with('\n') && !written.is_empty() && (next_blank || short) {
                self.breaks.push(offset + line.len() - 1);
            }
            offset += line.len();
        }
        self.end_block()
    }

    /// A text/html body, read as an HTML page (its title left out).
    fn html(&mut self, source: &str) -> Result<(), Skip> {
        // Markup is ASCII: composing the source composes the text and keeps the breaks.
        let source: String = source.nfc().collect();
        let visible = html::visible_text(&source);
        // White space around the text (between the tags of the page) is left out.
        let lead = visible.text.len() - visible.text.trim_start().len();
        let text = visible.text.trim();
        let start = self.text.len();
        self.push(text)?;
        let inside = visible
            .breaks
            .iter()
            .filter(|&&b| b >= lead && b - lead < text.len());
        self.breaks.extend(inside.map(|b| b - lead + start));
        self.end_block()
    }

    /// Every attachment of the message, a member read by its own format.
    fn attachments(&mut self, message: &Message<'_>, prefix: Option<u32>) -> Result<(), Skip> {
        let mut names = HashSet::new();
        for (k, &id) in message.attachments.iter().enumerate() {
            let Some(part) = message.parts.get(id as usize) else {
                continue;
            };
            let Some(bytes) = attachment_bytes(message, part) else {
                continue;
            };
            let name = unique(attachment_name(part, k + 1), &mut names);
            let name = match prefix {
                Some(n) => format!("{n}/{name}"),
                None => name,
            };
            self.member(name, bytes.into_owned())?;
        }
        Ok(())
    }

    /// Reads the member `name` within what is left of the limit; too much text in all stops
    /// the whole file.
    fn member(&mut self, name: String, bytes: Vec<u8>) -> Result<(), Skip> {
        let left = self.text.limit.saturating_sub(self.text.len());
        let options = Options {
            max_extract: Some(left),
            ..self.options.clone()
        };
        let member = Member::read(name, bytes, &options);
        if matches!(member.content, Err(Skip::TooLarge { .. })) || member.text_len() > left {
            return Err(self.too_large());
        }
        self.text.limit -= member.text_len();
        self.members.push(member);
        Ok(())
    }

    fn too_large(&self) -> Skip {
        Skip::TooLarge {
            limit: self.options.max_extract(),
        }
    }

    fn finish(self, format: Format) -> Extracted {
        let mut x = contained(self.text.text, format, self.breaks, self.parts);
        x.members = self.members;
        x
    }
}

/// The parts `ids` of the message that hold text or HTML.
fn body_parts<'m, 'x>(message: &'m Message<'x>, ids: &[u32]) -> Vec<&'m MessagePart<'x>> {
    ids.iter()
        .filter_map(|&id| message.parts.get(id as usize))
        .filter(|p| matches!(p.body, PartType::Text(_) | PartType::Html(_)))
        .collect()
}

/// The text of a body part. One that names no charset and is not UTF-8 (the parser then has
/// U+FFFD for its bytes) is decoded again from its bytes as a text file is: legacy Vietnamese
/// and Western encodings are detected (an HTML part's `<meta charset>` is read), and
/// `--encoding` applies.
fn undeclared<'t>(
    message: &Message<'_>,
    part: &MessagePart<'_>,
    text: &'t str,
    options: &Options,
) -> Cow<'t, str> {
    let declared = part.content_type().and_then(|ct| ct.attribute("charset"));
    if declared.is_some() || !text.contains('\u{FFFD}') {
        return Cow::Borrowed(text);
    }
    let range = part.offset_body as usize..part.offset_end as usize;
    let bytes = message
        .raw_message
        .get(range)
        .and_then(|raw| match part.encoding {
            Encoding::None => Some(raw.to_vec()),
            Encoding::QuotedPrintable => quoted_printable_decode(raw),
            Encoding::Base64 => base64_decode(raw),
        });
    let decoded = bytes.and_then(|bytes| {
        let meta = match part.body {
            PartType::Html(_) => html::declared_charset(&bytes),
            _ => None,
        };
        encoding::decode(&bytes, options.encoding.as_deref(), meta).ok()
    });
    decoded.map_or(Cow::Borrowed(text), |d| Cow::Owned(d.text))
}

/// The header lines a reader sees: Subject, From, To, Cc and Date, those the message has.
fn header_lines(message: &Message<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut add = |name: &str, value: Option<String>| {
        if let Some(value) = value.map(|v| one_line(&v)).filter(|v| !v.is_empty()) {
            lines.push(format!("{name}: {value}"));
        }
    };
    add("Subject", message.subject().map(str::to_string));
    add("From", message.from().map(addresses));
    add("To", message.to().map(addresses));
    add("Cc", message.cc().map(addresses));
    let date = match message.date() {
        Some(date) if date.is_valid() => Some(date.to_rfc3339()),
        _ => raw_header(message, &HeaderName::Date),
    };
    add("Date", date);
    lines
}

/// An address list as written: `Name <a@x.vn>, b@y.vn`; a group as `Group: a@x.vn, …`.
fn addresses(address: &Address<'_>) -> String {
    let one = |name: Option<&str>, address: Option<&str>| match (name, address) {
        (Some(name), Some(address)) => format!("{name} <{address}>"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => String::new(),
    };
    let list = |addrs: &[mail_parser::Addr<'_>]| {
        let all = addrs
            .iter()
            .map(|a| one(a.name.as_deref(), a.address.as_deref()));
        all.filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
    };
    match address {
        Address::List(addrs) => list(addrs),
        Address::Group(groups) => groups
            .iter()
            .map(|g| match &g.name {
                Some(name) => format!("{name}: {}", list(&g.addresses)),
                None => list(&g.addresses),
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The value of the message's header `name` as written (unfolded), if it is UTF-8.
fn raw_header(message: &Message<'_>, name: &HeaderName<'_>) -> Option<String> {
    let header = message
        .parts
        .first()?
        .headers
        .iter()
        .find(|h| h.name == *name)?;
    let range = header.offset_start as usize..header.offset_end as usize;
    let raw = message.raw_message.get(range)?;
    std::str::from_utf8(raw).ok().map(str::to_string)
}

/// `s` on one line: white space and control characters as single spaces, NFC.
fn one_line(s: &str) -> String {
    let words = s.split(|c: char| c.is_whitespace() || c.is_control());
    let joined = words
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    joined.nfc().collect()
}

/// The decoded bytes of an attachment; `None` for a multipart container.
fn attachment_bytes<'m>(
    message: &'m Message<'_>,
    part: &'m MessagePart<'_>,
) -> Option<Cow<'m, [u8]>> {
    match &part.body {
        PartType::Binary(b) | PartType::InlineBinary(b) => Some(Cow::Borrowed(b.as_ref())),
        PartType::Text(t) | PartType::Html(t) => Some(Cow::Borrowed(t.as_bytes())),
        PartType::Message(inner) => {
            // A message sent as is lies in the outer message's bytes (the parser gives the inner
            // one the outer's bytes); one sent in base64 or quoted-printable is its own bytes.
            let range = part.offset_body as usize..part.offset_end as usize;
            let outer = message.raw_message.get(range);
            match (part.encoding, outer) {
                (Encoding::None, Some(raw)) => Some(Cow::Borrowed(raw)),
                _ => Some(Cow::Borrowed(inner.raw_message.as_ref())),
            }
        }
        PartType::Multipart(_) => None,
    }
}

/// The attachment's file name (its last path component), else `attachment-K` with an
/// extension from its content type.
fn attachment_name(part: &MessagePart<'_>, k: usize) -> String {
    let named = part.attachment_name().map(|name| {
        let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
        one_line(last)
    });
    if let Some(name) = named.filter(|n| !n.is_empty() && n != "." && n != "..") {
        return name;
    }
    let ext = part.content_type().and_then(|ct| {
        let subtype = ct.c_subtype.as_deref().unwrap_or_default();
        extension_of(
            &ct.c_type.to_ascii_lowercase(),
            &subtype.to_ascii_lowercase(),
        )
    });
    match ext {
        Some(ext) => format!("attachment-{k}.{ext}"),
        None => format!("attachment-{k}"),
    }
}

/// The usual extension of a content type, for the types tracuu reads (and images, so that they
/// are counted as such).
fn extension_of(c_type: &str, subtype: &str) -> Option<&'static str> {
    Some(match (c_type, subtype) {
        ("text", "plain") => "txt",
        ("text", "html") => "html",
        ("text", "markdown") => "md",
        ("text" | "application", "rtf") => "rtf",
        ("message", "rfc822") => "eml",
        ("application", "mbox") => "mbox",
        ("application", "pdf") => "pdf",
        ("application", "msword") => "doc",
        ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document") => "docx",
        ("application", "vnd.ms-excel") => "xls",
        ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet") => "xlsx",
        ("application", "vnd.openxmlformats-officedocument.presentationml.presentation") => "pptx",
        ("application", "vnd.oasis.opendocument.text") => "odt",
        ("application", "vnd.oasis.opendocument.spreadsheet") => "ods",
        ("application", "vnd.oasis.opendocument.presentation") => "odp",
        ("application", "epub+zip") => "epub",
        ("application", "zip" | "x-zip-compressed" | "x-zip") => "zip",
        ("application", "x-tar") => "tar",
        ("application", "gzip" | "x-gzip") => "gz",
        ("image", "png") => "png",
        ("image", "jpeg" | "jpg" | "pjpeg") => "jpg",
        ("image", "gif") => "gif",
        _ => return None,
    })
}

/// `name`, or `name (2)`, `name (3)`, … (before the extension) if the message already has it.
fn unique(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name.as_str(), ""),
    };
    let mut i = 2;
    loop {
        let candidate = format!("{stem} ({i}){ext}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THU: &[u8] = include_bytes!("../../tests/data/office/thu.eml");
    const THU_HTML: &[u8] = include_bytes!("../../tests/data/office/thu-html.eml");
    const DINH_KEM: &[u8] = include_bytes!("../../tests/data/office/dinh-kem.eml");
    const HOP_THU: &[u8] = include_bytes!("../../tests/data/office/hop-thu.mbox");

    const NAME: &str = "Trần Đức Lương";

    fn eml(bytes: &[u8]) -> Extracted {
        extract_eml(bytes, &Options::default()).unwrap()
    }

    /// Every break is a `\n` of the text, in order.
    fn check_breaks(x: &Extracted) {
        assert!(x.breaks.windows(2).all(|w| w[0] < w[1]), "{:?}", x.breaks);
        assert!(x
            .breaks
            .iter()
            .all(|&b| x.text.as_bytes().get(b) == Some(&b'\n')));
    }

    fn member<'x>(x: &'x Extracted, name: &str) -> &'x Extracted {
        let m = x.members.iter().find(|m| m.name == name);
        m.unwrap_or_else(|| panic!("no member {name}"))
            .content
            .as_ref()
            .unwrap()
    }

    #[test]
    fn an_eml_is_its_headers_then_its_plain_body_in_windows_1258() {
        let x = eml(THU);
        assert_eq!(
            (x.format, x.offsets),
            (Format::Eml, super::super::Offsets::Extracted)
        );
        assert_eq!(
            x.parts,
            [Part {
                start: 0,
                place: Place::Message(1)
            }]
        );
        let head = "Subject: Thư mời họp giao ban tháng 3\n\
            From: Nguyễn Thị Hoa <hoa.nt@sokhdt.hanoi.gov.vn>\n\
            To: Phạm Minh Tuấn <tuan.pm@sokhdt.hanoi.gov.vn>\n\
            Cc: Lê Thị Lan <lan.lt@sokhdt.hanoi.gov.vn>\n\
            Date: 2024-03-05T09:15:42+07:00\n\
            Kính gửi các đồng chí trưởng phòng,\n";
        assert!(x.text.starts_with(head), "{}", x.text);
        // The text/plain part only: the HTML alternative is not read too.
        assert_eq!(x.text.matches(NAME).count(), 1, "{}", x.text);
        assert!(x
            .text
            .contains("do đồng chí Trần Đức Lương, Phó Giám đốc Sở, chủ trì.\n"));
        assert!(!x.text.contains('\r') && !x.text.contains("<p>"));
        check_breaks(&x);
        // Each header line ends a sentence; so does a paragraph and a short line.
        let line_ends: Vec<usize> = head.match_indices('\n').map(|(i, _)| i).collect();
        assert_eq!(x.breaks[..6], line_ends[..]);
        let signature = x.text.find("Trân trọng,\n").unwrap() + "Trân trọng,".len();
        assert!(x.breaks.contains(&signature));
        assert!(x.members.is_empty());
    }

    #[test]
    fn a_body_without_a_charset_is_decoded_as_a_text_file_is() {
        let undeclared = String::from_utf8_lossy(THU)
            .replace("text/plain; charset=\"windows-1258\"", "text/plain")
            .into_bytes();
        assert_ne!(undeclared, THU);
        let x = eml(&undeclared);
        assert!(
            x.text.contains("do đồng chí Trần Đức Lương, Phó"),
            "{}",
            x.text
        );
        assert!(!x.text.contains('\u{FFFD}'));
    }

    #[test]
    fn an_html_only_eml_is_read_as_html() {
        let x = eml(THU_HTML);
        assert!(x
            .text
            .starts_with("Subject: Re: Thư mời họp giao ban tháng 3\n"));
        assert!(x
            .text
            .contains("Date: 2024-03-05T10:02:11+07:00\nChào chị Hoa,\n"));
        assert!(x.text.contains("Trần\u{a0}Đức\u{a0}Lương."), "{}", x.text);
        assert!(x.text.ends_with("Kính mời các đồng chí dự họp.\n"));
        assert!(!x.text.contains("<p>") && !x.text.contains("<br>") && !x.text.contains("&nbsp;"));
        check_breaks(&x);
        let greeting = x.text.find("Chào chị Hoa,").unwrap() + "Chào chị Hoa,".len();
        assert!(x.breaks.contains(&greeting));
    }

    #[test]
    fn attachments_are_members_read_by_their_format() {
        let x = eml(DINH_KEM);
        let names: Vec<&str> = x.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["baocao.docx", "ghichu.txt"]);
        let docx = member(&x, "baocao.docx");
        assert_eq!(docx.format, Format::Docx);
        assert!(docx.text.contains(NAME));
        assert!(member(&x, "ghichu.txt")
            .text
            .starts_with("Ghi chú: số liệu"));
        // The attachments' text is theirs, not the message's.
        assert!(!x.text.contains(NAME) && !x.text.contains("Ghi chú"));
        assert!(x.text.contains("Em gửi chị báo cáo công tác quý I"));
    }

    #[test]
    fn an_mbox_is_its_messages_in_order_with_their_attachments() {
        let x = extract_mbox(HOP_THU, &Options::default()).unwrap();
        assert_eq!(x.format, Format::Mbox);
        let places: Vec<&Place> = x.parts.iter().map(|p| &p.place).collect();
        assert_eq!(
            places,
            [&Place::Message(1), &Place::Message(2), &Place::Message(3)]
        );
        let second = &x.text[x.parts[1].start..x.parts[2].start];
        assert!(
            second.starts_with("Subject: Re: Lịch trực tháng 3\n"),
            "{second}"
        );
        assert!(second.contains(NAME));
        assert_eq!(x.text.matches(NAME).count(), 1);
        // ">From " quoting is undone.
        assert!(x.text.contains("\nFrom now on, mọi thay đổi"));
        check_breaks(&x);
        assert_eq!(x.members.len(), 1);
        let zip = member(&x, "3/hoso.zip");
        assert_eq!(zip.format, Format::Zip);
        let docx = member(zip, "hoso/bienban.docx");
        assert!(docx.text.contains(NAME), "{}", docx.text);
    }

    #[test]
    fn an_mbox_is_sniffed_by_its_from_line_and_header() {
        assert!(sniff_mbox(HOP_THU));
        assert!(sniff_mbox(
            b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nReturn-Path: <a@x.vn>\n"
        ));
        assert!(!sniff_mbox(
            b"From the river to the sea, 1948.\nIt was a long way.\n"
        ));
        assert!(!sniff_mbox(b"From the start: a story\nOnce upon a time\n"));
        assert!(!sniff_mbox(b"From 2024\nSubject: x\n"));
        assert!(!sniff_mbox(b""));
    }

    #[test]
    fn what_is_not_mail_is_skipped_and_an_mbox_keeps_its_other_messages() {
        let prose = b"Note: buy milk\n\nand bread\n";
        assert!(matches!(
            extract_eml(prose, &Options::default()),
            Err(Skip::Corrupt { .. })
        ));
        assert!(extract_eml(b"just some words\n", &Options::default()).is_err());
        assert!(extract_mbox(b"no separator\n", &Options::default()).is_err());
        let mbox = b"From a@x.vn Mon Mar  4 08:01:00 2024\nSubject: one\n\nfirst\n\n\
            From b@x.vn Mon Mar  4 08:02:00 2024\nthis is no header, only words\n\n\
            From c@x.vn Mon Mar  4 08:03:00 2024\nSubject: three\n\nthird\n";
        let x = extract_mbox(mbox, &Options::default()).unwrap();
        assert_eq!(x.text, "Subject: one\nfirst\nSubject: three\nthird\n");
        let places: Vec<&Place> = x.parts.iter().map(|p| &p.place).collect();
        assert_eq!(places, [&Place::Message(1), &Place::Message(3)]);
        assert_eq!(x.members.len(), 1);
        assert_eq!(x.members[0].name, "2");
        assert!(matches!(x.members[0].content, Err(Skip::Corrupt { .. })));
    }

    #[test]
    fn charsets_names_and_forwarded_messages() {
        let forwarded = format!("From: a@x.vn\r\nSubject: chuyển tiếp\r\n\r\nGặp anh {NAME}.\r\n");
        let mail = format!(
            "From: =?koi8-r?B?98HT0Q==?= <vasya@x.ru>\r\n\
             Subject: =?iso-8859-1?Q?caf=E9?=\r\n\
             Date: sometime   last week\r\n\
             MIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
             --b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\
             Content-Transfer-Encoding: quoted-printable\r\n\r\ncr=E8me br=FBl=E9e\r\n\
             --b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\none\r\n\
             --b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"../a.txt\"\r\n\r\ntwo\r\n\
             --b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nbm90IGEgcGRm\r\n\
             --b\r\nContent-Type: message/rfc822\r\n\r\n{forwarded}\r\n\
             --b--\r\n"
        );
        let x = eml(mail.as_bytes());
        assert_eq!(
            x.text,
            "Subject: café\nFrom: Вася <vasya@x.ru>\nDate: sometime last week\ncrème brûlée\n"
        );
        let names: Vec<&str> = x.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            ["a.txt", "a (2).txt", "attachment-3.pdf", "attachment-4.eml"]
        );
        assert_eq!(member(&x, "a (2).txt").text, "two");
        let inner = member(&x, "attachment-4.eml");
        assert_eq!(inner.format, Format::Eml);
        assert!(
            inner.text.contains(&format!("Gặp anh {NAME}.")),
            "{}",
            inner.text
        );
    }

    #[test]
    fn the_limit_holds_for_messages_and_attachments_together() {
        let whole = eml(DINH_KEM);
        let all = whole.text_len();
        let limited = |n| Options {
            max_extract: Some(n),
            ..Options::default()
        };
        assert!(extract_eml(DINH_KEM, &limited(all)).is_ok());
        // Room for the message's text but not for all of its attachments' text.
        assert_eq!(
            extract_eml(DINH_KEM, &limited(all - 1)).unwrap_err(),
            Skip::TooLarge { limit: all - 1 }
        );
        assert_eq!(
            extract_mbox(HOP_THU, &limited(100)).unwrap_err(),
            Skip::TooLarge { limit: 100 }
        );
    }
}
