//! EPUB: the XHTML chapters in spine order (`META-INF/container.xml` names the package file,
//! whose spine lists the chapters), each read by the HTML extractor. A chapter is a
//! [`Place::Chapter`] (its path inside the book) and ends a sentence; the book's `dc:title` is
//! the title.

use quick_xml::events::Event;

use super::office::{open_zip, read_entry, read_small};
use super::{contained, html, Extracted, Format, Limited, Options, Part, Place, Skip};

const NAME: &str = "EPUB book";

/// Extracts an EPUB file.
pub(super) fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let mut archive = open_zip(bytes, NAME)?;
    let container = read_small(&mut archive, "META-INF/container.xml", NAME)?
        .ok_or_else(|| Skip::corrupt(NAME, "no META-INF/container.xml"))?;
    let opf_path = first_attribute(&container, b"rootfile", b"full-path")
        .ok_or_else(|| Skip::corrupt(NAME, "no package file named in META-INF/container.xml"))?;
    let opf = read_small(&mut archive, &opf_path, NAME)?
        .ok_or_else(|| Skip::corrupt(NAME, format!("no {opf_path}")))?;
    let package = package(&opf)?;
    let base = match opf_path.rfind('/') {
        Some(i) => &opf_path[..=i],
        None => "",
    };
    let mut text = Limited::new(options);
    let mut breaks = Vec::new();
    let mut parts = Vec::new();
    for href in &package.spine {
        let path = join(base, &percent_decode(href));
        let remaining = options.max_extract().saturating_sub(text.len());
        // Markup is several times the text it holds: the text limit applies to the text.
        let Some(chapter) = read_entry(&mut archive, &path, remaining.saturating_mul(4), NAME)?
        else {
            continue;
        };
        let x = html::extract(&chapter, options)?;
        if x.text.trim().is_empty() {
            continue;
        }
        let start = text.len();
        parts.push(Part {
            start,
            place: Place::Chapter(path),
        });
        text.push_str(&x.text)?;
        breaks.extend(x.breaks.iter().map(|b| start + b));
        if !x.text.ends_with('\n') || breaks.last() != Some(&(text.len() - 1)) {
            breaks.push(text.len());
            text.push_str("\n")?;
        }
    }
    let mut x = contained(text.text, Format::Epub, breaks, parts);
    x.title = package.title;
    Ok(x)
}

/// What the package file says: the chapters in reading order, and the title.
struct Package {
    spine: Vec<String>,
    title: Option<String>,
}

fn package(opf: &[u8]) -> Result<Package, Skip> {
    let mut reader = quick_xml::Reader::from_reader(opf);
    let mut items = std::collections::HashMap::new();
    let mut idrefs = Vec::new();
    let mut title: Option<String> = None;
    let mut in_title = false;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| Skip::corrupt(NAME, e))?;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    b"item" => {
                        if let (Some(id), Some(href)) = (attr(e, b"id"), attr(e, b"href")) {
                            items.insert(id, href);
                        }
                    }
                    b"itemref" => {
                        if let Some(id) = attr(e, b"idref") {
                            idrefs.push(id);
                        }
                    }
                    b"title" if matches!(event, Event::Start(_)) && title.is_none() => {
                        in_title = true;
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"title" => in_title = false,
            Event::Text(t) if in_title => {
                if let Ok(s) = t.decode() {
                    title.get_or_insert_with(String::new).push_str(&s);
                }
            }
            _ => {}
        }
        buf.clear();
    }
    let spine = idrefs
        .iter()
        .filter_map(|id| items.get(id).cloned())
        .collect();
    Ok(Package {
        spine,
        title: title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
    })
}

fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// The value of attribute `name` on the first element `tag`.
fn first_attribute(xml: &[u8], tag: &[u8], name: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Eof => return None,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == tag => {
                return attr(&e, name);
            }
            _ => {}
        }
        buf.clear();
    }
}

/// `href` (relative, `/`-separated, may hold `..`) resolved against the folder `base`.
fn join(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or(href);
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for piece in href.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `%20` and the like decoded (hrefs are URLs).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
