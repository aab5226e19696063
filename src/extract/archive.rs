//! Archives (`.zip`, `.tar`, and through [`super::compressed`] `.tar.gz`, `.tgz`, `.tar.xz`,
//! `.tar.zst`, `.tar.bz2`): every regular file inside is a [`Member`] read by its own format,
//! recursively. The archive itself has no text.
//!
//! Limits, for the whole nesting: the text of all members counts against
//! [`Options::max_extract`] (past it the outermost file is skipped as a bomb); no member unpacks
//! to more than that many bytes (that member alone is skipped), and all members together to no
//! more than [`UNPACK_FACTOR`] times it (past it the archive is skipped: inflating takes time even
//! when it gives no text). Nesting deeper than [`super::MAX_NESTING`] skips the member.

use std::io::{Cursor, Read};

use super::{contained, Extracted, Format, Member, Options, Skip};

/// How many bytes an archive may unpack in all, as a multiple of the text limit: members that
/// give no text (images, binaries) still cost the time to inflate them.
const UNPACK_FACTOR: usize = 4;

/// Reads members one after another within one limit of text, and one of unpacked bytes.
struct Members<'o> {
    options: &'o Options,
    /// Text the members may still yield.
    left: usize,
    /// Bytes the members may still unpack to.
    unpack_left: usize,
    members: Vec<Member>,
}

impl<'o> Members<'o> {
    fn new(options: &'o Options) -> Self {
        Members {
            options,
            left: options.max_extract(),
            unpack_left: options.max_extract().saturating_mul(UNPACK_FACTOR),
            members: Vec::new(),
        }
    }

    /// The limit for one member's unpacked bytes: the text limit, or what the archive may still
    /// unpack if that is less.
    fn unpack_limit(&self) -> usize {
        self.options.max_extract().min(self.unpack_left)
    }

    /// A member that unpacked past [`Self::unpack_limit`] (`limit`): skipped alone when it is
    /// too large by itself, else the archive unpacks too much in all and is skipped.
    fn too_big(&mut self, name: &str, limit: usize) -> Result<(), Skip> {
        if limit < self.options.max_extract() {
            return Err(self.too_large());
        }
        self.skip(name, Skip::TooLarge { limit });
        Ok(())
    }

    /// Reads the member `name` from its `bytes`. Too much text in all stops the whole archive.
    fn push(&mut self, name: &str, bytes: Vec<u8>) -> Result<(), Skip> {
        let name = clean_name(name);
        if name.is_empty() {
            return Ok(());
        }
        let options = Options {
            max_extract: Some(self.left),
            ..self.options.clone()
        };
        self.unpack_left = self.unpack_left.saturating_sub(bytes.len());
        let member = Member::read(name, bytes, &options);
        // Text formats do not look at the limit themselves: their text is counted here.
        if matches!(member.content, Err(Skip::TooLarge { .. })) || member.text_len() > self.left {
            return Err(self.too_large());
        }
        self.left = self.left.saturating_sub(member.text_len());
        self.members.push(member);
        Ok(())
    }

    /// A member whose bytes cannot be read (encrypted, damaged, too large on its own).
    fn skip(&mut self, name: &str, reason: Skip) {
        let name = clean_name(name);
        if !name.is_empty() {
            self.members.push(Member {
                name,
                content: Err(reason),
                bytes: None,
            });
        }
    }

    fn too_large(&self) -> Skip {
        Skip::TooLarge {
            limit: self.options.max_extract(),
        }
    }

    fn finish(self, format: Format) -> Extracted {
        let mut x = contained(String::new(), format, Vec::new(), Vec::new());
        x.members = self.members;
        x
    }
}

/// A member's name as tracuu shows it: `/` separators, no leading `/` or `./`, no NUL.
fn clean_name(name: &str) -> String {
    let name = name.replace('\\', "/");
    let parts: Vec<&str> = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    parts.join("/")
}

/// Reads at most `limit` bytes of `reader`; `None` when there are more.
fn read_at_most(reader: impl Read, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut out)?;
    Ok((out.len() <= limit).then_some(out))
}

/// Extracts a zip archive: its files, in the order of its central directory.
pub(super) fn extract_zip(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Skip::corrupt("zip", e))?;
    let mut members = Members::new(options);
    for i in 0..archive.len() {
        let (name, is_file, encrypted) = match archive.by_index_raw(i) {
            Ok(entry) => {
                let name = match entry.name() {
                    Ok(name) => name.into_owned(),
                    Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
                };
                (name, entry.is_file(), entry.encrypted())
            }
            Err(e) => return Err(Skip::corrupt("zip", e)),
        };
        if !is_file {
            continue;
        }
        if encrypted {
            members.skip(&name, Skip::Encrypted("zip member"));
            continue;
        }
        let limit = members.unpack_limit();
        let read = match archive.by_index(i) {
            Ok(entry) => read_at_most(entry, limit).map_err(|e| Skip::corrupt("zip", e)),
            Err(e) => Err(Skip::corrupt("zip", e)),
        };
        match read {
            Ok(Some(data)) => members.push(&name, data)?,
            Ok(None) => members.too_big(&name, limit)?,
            Err(reason) => members.skip(&name, reason),
        }
    }
    Ok(members.finish(Format::Zip))
}

/// Extracts a tar archive: its regular files, in order.
pub(super) fn extract_tar(bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let mut archive = tar::Archive::new(Cursor::new(bytes));
    let entries = archive.entries().map_err(|e| Skip::corrupt("tar", e))?;
    let mut members = Members::new(options);
    for entry in entries {
        let entry = entry.map_err(|e| Skip::corrupt("tar", e))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let limit = members.unpack_limit();
        match read_at_most(entry, limit) {
            Ok(Some(data)) => members.push(&name, data)?,
            Ok(None) => members.too_big(&name, limit)?,
            Err(e) => return Err(Skip::corrupt("tar", e)),
        }
    }
    if members.members.is_empty() && !looks_like_tar(bytes) {
        return Err(Skip::corrupt("tar", "not a tar archive"));
    }
    Ok(members.finish(Format::Tar))
}

/// A POSIX or GNU tar header at the start.
fn looks_like_tar(bytes: &[u8]) -> bool {
    bytes.get(257..262) == Some(b"ustar")
}

#[cfg(test)]
mod tests {
    use super::super::tests::zip_of;
    use super::*;

    fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
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

    fn names(x: &Extracted) -> Vec<(String, Option<String>)> {
        x.members
            .iter()
            .map(|m| {
                let text = m.content.as_ref().ok().map(|c| c.text.clone());
                (m.name.clone(), text)
            })
            .collect()
    }

    #[test]
    fn zip_members_are_read_by_their_own_format_and_nest() {
        let inner = zip_of(&[("c.html", b"<p>Tr\xe1\xba\xa7n</p>")]);
        let outer = zip_of(&[
            ("./a/b.txt", "Trần Đức Lương".as_bytes()),
            ("inner.zip", &inner),
        ]);
        let x = extract_zip(&outer, &Options::default()).unwrap();
        assert_eq!(x.format, Format::Zip);
        assert!(x.text.is_empty());
        assert_eq!(
            names(&x),
            [
                ("a/b.txt".to_string(), Some("Trần Đức Lương".to_string())),
                ("inner.zip".to_string(), Some(String::new())),
            ]
        );
        let nested = x.members[1].content.as_ref().unwrap();
        assert_eq!(nested.members[0].name, "c.html");
        let html = nested.members[0].content.as_ref().unwrap();
        assert_eq!(html.format, Format::Html);
        assert!(html.text.contains("Trần"));
        // An HTML member keeps its bytes, for its lines; plain UTF-8 text does not need them.
        assert!(nested.members[0].bytes.is_some());
        assert!(x.members[0].bytes.is_none());
    }

    #[test]
    fn tar_members_are_read_and_a_text_bomb_stops_the_archive() {
        let t = tar_of(&[("d/x.txt", b"one"), ("d/y.md", b"# two")]);
        let x = extract_tar(&t, &Options::default()).unwrap();
        assert_eq!(
            names(&x),
            [
                ("d/x.txt".to_string(), Some("one".to_string())),
                ("d/y.md".to_string(), Some("two\n".to_string())),
            ]
        );
        let small = Options {
            max_extract: Some(6),
            ..Options::default()
        };
        assert_eq!(
            extract_tar(&t, &small).unwrap_err(),
            Skip::TooLarge { limit: 6 }
        );
        assert!(extract_tar(b"not a tar at all", &Options::default()).is_err());
    }

    #[test]
    fn members_that_unpack_too_much_in_all_stop_the_archive() {
        // Five members of binary (no text), each within the limit alone: 5 x 30 > 4 x 32.
        let zeros = [0u8; 30];
        let files: Vec<(String, &[u8])> =
            (0..5).map(|i| (format!("{i}.bin"), &zeros[..])).collect();
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        let limited = Options {
            max_extract: Some(32),
            ..Options::default()
        };
        assert_eq!(
            extract_zip(&zip_of(&files), &limited).unwrap_err(),
            Skip::TooLarge { limit: 32 }
        );
        // Four are fine.
        assert!(extract_zip(&zip_of(&files[..4]), &limited).is_ok());
    }

    #[test]
    fn a_member_too_big_alone_is_skipped_and_deep_nesting_stops() {
        let big = vec![b'a'; 64];
        let z = zip_of(&[("big.txt", &big), ("small.txt", b"ok")]);
        let limited = Options {
            max_extract: Some(32),
            ..Options::default()
        };
        let x = extract_zip(&z, &limited).unwrap();
        assert_eq!(x.members[0].content, Err(Skip::TooLarge { limit: 32 }));
        assert_eq!(x.members[1].content.as_ref().unwrap().text, "ok");

        let mut z = zip_of(&[("core.txt", b"deep")]);
        for _ in 0..super::super::MAX_NESTING + 1 {
            z = zip_of(&[("z.zip", &z)]);
        }
        let mut x = extract_zip(&z, &Options::default()).unwrap();
        let mut depth = 0;
        loop {
            match &x.members[0].content {
                Ok(inner) if !inner.members.is_empty() => {
                    x = inner.clone();
                    depth += 1;
                }
                other => {
                    assert_eq!(
                        *other,
                        Err(Skip::TooDeep {
                            limit: super::super::MAX_NESTING
                        })
                    );
                    break;
                }
            }
        }
        assert_eq!(depth, super::super::MAX_NESTING);
    }
}
