//! PDF: the text of each page in the order the content stream draws it, through `pdf-extract`
//! (glyphs to Unicode via the fonts' ToUnicode maps and encodings). Each page starts a
//! [`Place::Page`] and ends a sentence. Ligatures are expanded, soft hyphens dropped, and a word
//! hyphenated across a line (`-` at the end of a line, lower-case letters on both sides) joined.
//!
//! PDF parsers panic and loop on hostile input: extraction runs on a worker thread, behind
//! `catch_unwind`, and is given up after [`TIME_BUDGET`] (the thread is left to finish alone).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use super::{contained, Extracted, Format, Limited, Options, Part, Place, Skip};

/// How long one PDF may take.
pub(super) const TIME_BUDGET: Duration = Duration::from_secs(30);

const NAME: &str = "PDF";

pub(super) fn sniff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Extracts a PDF on a worker thread, within the time budget.
pub(super) fn extract(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let (send, receive) = mpsc::channel();
    let owned = bytes.to_vec();
    let options = options.clone();
    let worker = std::thread::Builder::new()
        .name("tracuu-pdf".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| pages(&owned, &options)));
            let _ = send.send(result);
        });
    if let Err(e) = worker {
        return Err(Skip::corrupt(NAME, format!("no thread to read it: {e}")));
    }
    match receive.recv_timeout(TIME_BUDGET) {
        Ok(Ok(result)) => result,
        Ok(Err(_panic)) => Err(Skip::corrupt(NAME, "the PDF reader failed on it")),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Skip::Timeout {
            format: NAME,
            seconds: TIME_BUDGET.as_secs(),
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(Skip::corrupt(NAME, "the PDF reader failed on it"))
        }
    }
}

/// The text of every page, each page a part.
fn pages(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let doc = pdf_extract::Document::load_mem(bytes).map_err(|e| {
        let reason = e.to_string();
        let lower = reason.to_lowercase();
        if ["encrypt", "decrypt", "password"]
            .iter()
            .any(|w| lower.contains(w))
        {
            Skip::Encrypted(NAME)
        } else {
            Skip::corrupt(NAME, reason)
        }
    })?;
    // A PDF with an empty user password (only its owner's rights protected) was decrypted on
    // load and is read; one that still needs a password is skipped.
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err(Skip::Encrypted(NAME));
    }
    let count = doc.get_pages().len() as u32;
    let mut text = Limited::new(options);
    let mut breaks = Vec::new();
    let mut parts = Vec::new();
    let mut failed = 0;
    for n in 1..=count {
        let mut raw = String::new();
        let drawn = {
            let mut output = pdf_extract::PlainTextOutput::new(&mut raw);
            pdf_extract::output_doc_page(&doc, &mut output, n)
        };
        if drawn.is_err() {
            failed += 1;
            continue;
        }
        let page = repair(raw.trim_matches(|c: char| c.is_whitespace()));
        if page.is_empty() {
            continue;
        }
        parts.push(Part {
            start: text.len(),
            place: Place::Page(n),
        });
        text.push_str(&page)?;
        breaks.push(text.len());
        text.push_str("\n")?;
    }
    if failed == count && count > 0 {
        return Err(Skip::corrupt(NAME, "no page could be read"));
    }
    Ok(contained(text.text, Format::Pdf, breaks, parts))
}

/// Ligatures expanded, soft hyphens dropped, words hyphenated at a line end joined, and the
/// text in NFC (Vietnamese letters drawn as a base glyph and a combining mark become one).
fn repair(page: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(page.len());
    let chars: Vec<char> = page.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00AD}' => {
                // A soft hyphen: at a line end it joins the word; elsewhere it is invisible.
                if chars.get(i + 1) == Some(&'\n') {
                    i += 1;
                }
            }
            '-' if chars.get(i + 1) == Some(&'\n')
                && i > 0
                && chars[i - 1].is_lowercase()
                && chars.get(i + 2).is_some_and(|c| c.is_lowercase()) =>
            {
                i += 1;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if unicode_normalization::is_nfc_quick(out.chars()) == unicode_normalization::IsNormalized::Yes
    {
        out
    } else {
        out.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn ligatures_soft_hyphens_and_line_end_hyphens_are_repaired() {
        assert_eq!(repair("\u{FB01}le e\u{FB00}ect"), "file effect");
        assert_eq!(repair("ngu\u{00AD}\nồn"), "nguồn");
        assert_eq!(
            repair("pack-\nage Debian-\nBased"),
            "package Debian-\nBased"
        );
        assert_eq!(repair("Vie\u{0323}\u{0302}t"), "Việt");
    }
}
