//! Images, sound, video and archives, known by their first bytes: never text, so skipped
//! without a warning of their own (the indexer's summary counts them). One line per format.

/// `bytes` hold `what` at offset `at`.
fn at(bytes: &[u8], at: usize, what: &[u8]) -> bool {
    bytes.get(at..at + what.len()) == Some(what)
}

/// An ISO base media file (MP4, MOV, M4A, HEIC, AVIF) whose brand is one of `brands`, or any
/// brand when `brands` is empty.
fn iso_media(bytes: &[u8], brands: &[&[u8]]) -> bool {
    at(bytes, 4, b"ftyp") && (brands.is_empty() || brands.iter().any(|b| at(bytes, 8, b)))
}

/// A test of a file's first bytes.
type Test = fn(&[u8]) -> bool;

/// Every format known by its first bytes, the more specific first: what it is called, and a
/// test of the file's first bytes. Magic numbers of fewer than three bytes are left out: text in
/// a legacy encoding could start with them.
const FORMATS: &[(&str, Test)] = &[
    ("a PNG image", |b| at(b, 0, b"\x89PNG\r\n\x1a\n")),
    ("a JPEG image", |b| at(b, 0, b"\xFF\xD8\xFF")),
    ("a GIF image", |b| {
        at(b, 0, b"GIF87a") || at(b, 0, b"GIF89a")
    }),
    ("a WebP image", |b| at(b, 0, b"RIFF") && at(b, 8, b"WEBP")),
    ("a TIFF image", |b| at(b, 0, b"II*\0") || at(b, 0, b"MM\0*")),
    ("a Photoshop image", |b| at(b, 0, b"8BPS")),
    // An icon: reserved 0, type 1 (icon) or 2 (cursor), at least one image, whose entry's
    // reserved byte is 0.
    ("an icon", |b| {
        (at(b, 0, b"\0\0\x01\0") || at(b, 0, b"\0\0\x02\0"))
            && b.len() > 9
            && (b[4], b[5]) != (0, 0)
            && b[9] == 0
    }),
    ("a HEIF or AVIF image", |b| {
        iso_media(b, &[b"heic", b"heix", b"mif1", b"avif"])
    }),
    ("an MP3 file", |b| at(b, 0, b"ID3")),
    ("a FLAC file", |b| at(b, 0, b"fLaC")),
    ("an Ogg file", |b| at(b, 0, b"OggS")),
    ("a WAV file", |b| at(b, 0, b"RIFF") && at(b, 8, b"WAVE")),
    ("an AIFF file", |b| at(b, 0, b"FORM") && at(b, 8, b"AIFF")),
    ("a MIDI file", |b| at(b, 0, b"MThd")),
    ("an M4A file", |b| iso_media(b, &[b"M4A ", b"M4B "])),
    ("an MP4 or QuickTime video", |b| iso_media(b, &[])),
    ("a Matroska or WebM video", |b| {
        at(b, 0, b"\x1A\x45\xDF\xA3")
    }),
    ("an AVI video", |b| at(b, 0, b"RIFF") && at(b, 8, b"AVI ")),
    ("a Flash video", |b| at(b, 0, b"FLV\x01")),
    ("an MPEG video", |b| at(b, 0, b"\0\0\x01\xBA")),
    ("a Windows Media file", |b| {
        at(b, 0, b"\x30\x26\xB2\x75\x8E\x66\xCF\x11")
    }),
    ("a zip archive", |b| {
        at(b, 0, b"PK\x03\x04") || at(b, 0, b"PK\x05\x06")
    }),
    ("a 7-Zip archive", |b| at(b, 0, b"7z\xBC\xAF\x27\x1C")),
    ("a RAR archive", |b| at(b, 0, b"Rar!\x1A\x07")),
    ("a tar archive", |b| at(b, 257, b"ustar")),
];

/// What `bytes` are, if they start as an image, sound, video or archive.
pub(super) fn kind(bytes: &[u8]) -> Option<&'static str> {
    FORMATS
        .iter()
        .find(|(_, test)| test(bytes))
        .map(|&(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_known_by_their_first_bytes_and_text_is_not_one() {
        for (bytes, name) in [
            (&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], "a PNG image"),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF\0", "a JPEG image"),
            (b"ID3\x03\0\0\0\0\x01\x00", "an MP3 file"),
            (b"\0\0\0\x18ftypmp42\0\0\0\0", "an MP4 or QuickTime video"),
            (b"\0\0\0\x18ftypheic\0\0\0\0", "a HEIF or AVIF image"),
            (b"RIFF\x24\0\0\0WAVEfmt ", "a WAV file"),
            (b"PK\x03\x04\x14\0\0\0", "a zip archive"),
            (b"\0\0\x01\0\x01\0\x10\x10\0\0\x01\0", "an icon"),
        ] {
            assert_eq!(kind(bytes), Some(name), "{bytes:x?}");
        }
        let mut tar = vec![0u8; 512];
        tar[257..263].copy_from_slice(b"ustar\0");
        assert_eq!(kind(&tar), Some("a tar archive"));
        for text in [
            &b""[..],
            b"ID",
            b"Plain text, nothing more.",
            b"\xEF\xBB\xBFUTF-8 with a BOM",
            b"\xFF\xFEU\0T\0F\0",
            b"\xFE\xFF\0U\0T\0F",
            b"\x7fELF\x02\x01\x01",
        ] {
            assert_eq!(kind(text), None, "{text:x?}");
        }
    }
}
