//! Source paths as the index stores them: a path relative to the corpus as a string, losslessly,
//! and back. Every reader of a stored source (search, show, freshness, check) decodes it here.
//!
//! The encoding: `/` between components, valid UTF-8 as it is, and each byte that is not valid
//! UTF-8 as U+0000 followed by two lower-case hex digits (NUL never occurs in a Unix file name,
//! so this cannot collide with a real name).

use std::path::{Path, PathBuf};

/// The stored form of `rel`, a path relative to the corpus.
pub fn encode(rel: &Path) -> String {
    let mut out = String::new();
    for (i, component) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_lossless(&mut out, component.as_os_str());
    }
    out
}

#[cfg(unix)]
fn push_lossless(out: &mut String, name: &std::ffi::OsStr) {
    use std::fmt::Write;
    use std::os::unix::ffi::OsStrExt;
    for chunk in name.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\0{b:02x}");
        }
    }
}

#[cfg(not(unix))]
fn push_lossless(out: &mut String, name: &std::ffi::OsStr) {
    out.push_str(&name.to_string_lossy());
}

/// The path [`encode`] encoded, byte for byte.
pub fn decode(source: &str) -> PathBuf {
    if !source.contains('\0') {
        return PathBuf::from(source);
    }
    let mut bytes = Vec::with_capacity(source.len());
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c == '\0' {
            let hex: String = chars.by_ref().take(2).collect();
            if let Ok(b) = u8::from_str_radix(&hex, 16) {
                bytes.push(b);
                continue;
            }
        }
        let mut buf = [0; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    path_from_bytes(bytes)
}

/// The file a stored source names under `corpus`.
pub fn in_corpus(corpus: &Path, source: &str) -> PathBuf {
    corpus.join(decode(source))
}

/// A stored source for people: each byte that is not UTF-8 shown as U+FFFD.
pub fn display(source: &str) -> String {
    if !source.contains('\0') {
        return source.to_string();
    }
    decode(source).to_string_lossy().into_owned()
}

/// A path's bytes (as the file naming the corpus holds them).
#[cfg(unix)]
pub fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

/// A path's bytes (as the file naming the corpus holds them).
#[cfg(not(unix))]
pub fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

/// The path whose bytes are `bytes`.
#[cfg(unix)]
pub fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

/// The path whose bytes are `bytes`.
#[cfg(not(unix))]
pub fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_round_trip_and_never_collide() {
        assert_eq!(encode(Path::new("a/Đức.txt")), "a/Đức.txt");
        assert_eq!(decode("a/Đức.txt"), PathBuf::from("a/Đức.txt"));
        assert_eq!(
            in_corpus(Path::new("/c"), "a/Đức.txt"),
            PathBuf::from("/c/a/Đức.txt")
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let ff = Path::new(std::ffi::OsStr::from_bytes(b"d/bad\xffname.txt"));
            let fe = Path::new(std::ffi::OsStr::from_bytes(b"d/bad\xfename.txt"));
            let (a, b) = (encode(ff), encode(fe));
            assert_eq!(a, "d/bad\u{0}ffname.txt");
            assert_ne!(a, b);
            assert_eq!(decode(&a), ff);
            assert_eq!(decode(&b), fe);
            assert_eq!(display(&a), "d/bad\u{FFFD}name.txt");
            // A lone byte in a multi-byte character, and at the end.
            let odd = Path::new(std::ffi::OsStr::from_bytes(b"\xc4x\xc4"));
            assert_eq!(decode(&encode(odd)), odd);
            assert_eq!(path_from_bytes(path_bytes(odd)), odd);
        }
    }
}
