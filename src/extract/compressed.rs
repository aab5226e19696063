//! Compressed single files (`.gz`, `.bz2`, `.xz`, `.zst`; `.tgz` and its kin are `.tar.gz`):
//! decompressed up to the extraction
//! limit, then read as the format of the inner name (`guide.html.gz` is HTML, `notes.txt.gz`
//! plain text). Offsets count the extracted text: bytes of the compressed file mean nothing.

use std::io::Read;
use std::path::Path;

use super::{Extracted, OffsetMap, Offsets, Options, Skip};

/// The extensions of compressed files.
pub(super) const EXTENSIONS: &[&str] = &["gz", "bz2", "xz", "zst", "tgz", "tbz2", "txz", "tzst"];

/// The short names of compressed tar archives, and the compression each stands for.
const TARS: &[(&str, &str)] = &[
    ("tgz", "gz"),
    ("tbz2", "bz2"),
    ("txz", "xz"),
    ("tzst", "zst"),
];

/// Magic numbers, for a compressed file without its extension.
const MAGIC: &[(&str, &[u8])] = &[
    ("gz", b"\x1f\x8b"),
    ("bz2", b"BZh"),
    ("xz", b"\xfd7zXZ\x00"),
    ("zst", b"\x28\xb5\x2f\xfd"),
];

pub(super) fn sniff(bytes: &[u8]) -> bool {
    MAGIC.iter().any(|(_, m)| bytes.starts_with(m))
}

/// Decompresses `bytes` and extracts the inner file.
pub(super) fn extract(path: &Path, bytes: &[u8], options: &Options) -> Result<Extracted, Skip> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| EXTENSIONS.contains(&e.as_str()));
    let (kind, inner) = match ext {
        Some(ext) => match TARS.iter().find(|(short, _)| *short == ext) {
            Some((_, kind)) => (kind.to_string(), path.with_extension("tar")),
            None => (ext, path.with_extension("")),
        },
        None => {
            let kind = MAGIC
                .iter()
                .find(|(_, m)| bytes.starts_with(m))
                .map_or("gz", |(k, _)| k);
            (kind.to_string(), path.to_path_buf())
        }
    };
    let data = decompress(&kind, bytes, options.max_extract())?;
    // A compressed file inside a compressed file is read as one layer only.
    if EXTENSIONS
        .iter()
        .any(|e| inner.extension().is_some_and(|x| x.eq_ignore_ascii_case(e)))
        || sniff(&data)
    {
        return Err(Skip::corrupt(
            "archive",
            "a compressed file inside a compressed file",
        ));
    }
    let mut x = super::extract(&inner, &data, options)?;
    if x.offsets == Offsets::File {
        // Offsets into the decompressed bytes would not open anything: count the text instead.
        x.map = OffsetMap::identity(x.text.len());
        x.offsets = Offsets::Extracted;
    }
    Ok(x)
}

/// The decompressed bytes, at most `limit` of them.
pub(super) fn decompress(kind: &str, bytes: &[u8], limit: usize) -> Result<Vec<u8>, Skip> {
    let name: &'static str = match kind {
        "gz" => "gzip file",
        "bz2" => "bzip2 file",
        "xz" => "xz file",
        _ => "zstd file",
    };
    let mut out = Vec::new();
    let result = match kind {
        "gz" => read_limited(flate2::read::MultiGzDecoder::new(bytes), limit, &mut out),
        "bz2" => read_limited(bzip2::read::MultiBzDecoder::new(bytes), limit, &mut out),
        "xz" => {
            let mut writer = LimitedWriter {
                out: &mut out,
                limit,
                over: false,
            };
            let r = lzma_rs::xz_decompress(&mut std::io::BufReader::new(bytes), &mut writer);
            if writer.over {
                return Err(Skip::TooLarge { limit });
            }
            r.map_err(|e| std::io::Error::other(e.to_string()))
        }
        _ => match ruzstd::decoding::StreamingDecoder::new(bytes) {
            Ok(d) => read_limited(d, limit, &mut out),
            Err(e) => Err(std::io::Error::other(e.to_string())),
        },
    };
    match result {
        Ok(()) => Ok(out),
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => Err(Skip::TooLarge { limit }),
        Err(e) => Err(Skip::corrupt(name, e)),
    }
}

/// Reads all of `reader` into `out`, failing with `FileTooLarge` past `limit` bytes.
pub(super) fn read_limited(
    reader: impl Read,
    limit: usize,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    reader.take(limit as u64 + 1).read_to_end(out)?;
    if out.len() > limit {
        out.clear();
        return Err(std::io::ErrorKind::FileTooLarge.into());
    }
    Ok(())
}

/// A writer that stops taking bytes past a limit.
struct LimitedWriter<'a> {
    out: &'a mut Vec<u8>,
    limit: usize,
    over: bool,
}

impl std::io::Write for LimitedWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.out.len() + buf.len() > self.limit {
            self.over = true;
            return Err(std::io::ErrorKind::FileTooLarge.into());
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
