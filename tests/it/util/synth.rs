//! A synthetic corpus for benchmarks at scale: seed sentences recombined into paragraphs and
//! files, with Vietnamese names mixed in, spelled with diacritics or plainly, and made-up names
//! so the vocabulary keeps growing like real text. The same seed always gives the same bytes.

use std::io;
use std::path::{Path, PathBuf};

use unicode_segmentation::UnicodeSegmentation;

/// Size of each generated file.
const FILE_SIZE: usize = 256 * 1024;

/// What [`generate`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: usize,
}

/// The shape of a corpus to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// About how many bytes of text in all.
    pub bytes: usize,
    /// Exactly this many files (of about `bytes / files` each), or `None` for files of 256 KiB.
    pub files: Option<usize>,
    /// Files to a folder.
    pub per_dir: usize,
}

impl Shape {
    /// About `bytes` bytes of text in files of 256 KiB, 100 to a folder.
    pub fn bytes(bytes: usize) -> Shape {
        Shape {
            bytes,
            files: None,
            per_dir: 100,
        }
    }
}

/// An I/O error on `path`, naming it.
fn at(path: &Path) -> impl FnOnce(io::Error) -> io::Error + '_ {
    move |e| io::Error::other(format!("{}: {e}", path.display()))
}

/// Writes a corpus of the given `shape` made from the seed files in `seeds` into `out`, from the
/// random `seed`: many small files when `shape.files` is set (each cut at a sentence once it
/// reaches its share of the bytes), else files of 256 KiB (cut at a paragraph).
pub fn generate(seeds: &Path, out: &Path, shape: &Shape, seed: u64) -> io::Result<Generated> {
    let sentences = seed_sentences(seeds)?;
    let mut rng = Rng(seed);
    let (mut written, mut n) = (0usize, 0usize);
    let per_dir = shape.per_dir.max(1);
    let file_size = shape
        .files
        .map_or(FILE_SIZE, |f| shape.bytes.div_ceil(f.max(1)).max(1));
    let more = |written: usize, n: usize| match shape.files {
        Some(files) => n < files,
        None => written < shape.bytes,
    };
    while more(written, n) {
        let dir = out.join(format!("part{:03}", n / per_dir));
        if n % per_dir == 0 {
            std::fs::create_dir_all(&dir).map_err(at(&dir))?;
        }
        let mut text = String::with_capacity(file_size + 4096);
        let size = match shape.files {
            Some(_) => file_size,
            None => FILE_SIZE.min(shape.bytes - written),
        };
        while text.len() < size {
            let paragraph_len = 3 + rng.below(6);
            for k in 0..paragraph_len {
                if shape.files.is_some() && text.len() >= size {
                    break;
                }
                if k > 0 {
                    text.push(' ');
                }
                if rng.chance(20) {
                    text.push_str(&sentence(&mut rng));
                } else {
                    let s: &String = rng.pick(&sentences);
                    text.push_str(s);
                }
            }
            text.push_str("\n\n");
        }
        let path = dir.join(format!("doc{n:05}.txt"));
        std::fs::write(&path, &text).map_err(at(&path))?;
        written += text.len();
        n += 1;
    }
    Ok(Generated {
        files: n,
        bytes: written,
    })
}

/// SplitMix64: a tiny, well-known PRNG; the same seed always gives the same corpus.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const NAMES: &[&str] = &[
    "Trần Đức Lương",
    "Nguyễn Phú Trọng",
    "Võ Nguyên Giáp",
    "Hồ Chí Minh",
    "Lê Duẩn",
    "Phạm Văn Đồng",
    "Nguyễn Xuân Phúc",
    "Bùi Thanh Sơn",
    "Tô Lâm",
    "Phan Bội Châu",
    "Tôn Đức Thắng",
    "Võ Văn Kiệt",
    "Nguyễn Ái Quốc",
    "Trường Chinh",
    "Đỗ Mười",
];
const PLACES: &[&str] = &[
    "Hà Nội",
    "Sài Gòn",
    "Việt Nam",
    "Đà Nẵng",
    "Huế",
    "Hải Phòng",
    "Cam Ranh",
];
const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s",
    "t", "th", "tr", "v", "x",
];
const RIMES: &[&str] = &[
    "a", "à", "á", "ạ", "ăn", "ân", "anh", "ao", "ầu", "ê", "ết", "iên", "inh", "ọc", "ông", "ơn",
    "ước", "ương", "uy", "ú", "ưng", "ai", "ảo", "ệt", "ĩnh",
];
const TEMPLATES: &[&str] = &[
    "In {year}, {name} visited {place} to discuss cooperation with Russia.",
    "{name} met the Russian ambassador in {place} in {year}.",
    "According to {name}, the relations between Moscow and {place} grew stronger after {year}.",
    "A delegation led by {name} arrived in {place} in {year}.",
];

fn made_up_name(rng: &mut Rng) -> String {
    let syllable = |rng: &mut Rng| {
        let s = format!("{}{}", rng.pick(ONSETS), rng.pick(RIMES));
        let mut c = s.chars();
        c.next()
            .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
    };
    format!("{} {} {}", rng.pick(SURNAMES), syllable(rng), syllable(rng))
}

fn sentence(rng: &mut Rng) -> String {
    let name = if rng.chance(60) {
        rng.pick(NAMES).to_string()
    } else {
        made_up_name(rng)
    };
    let place = rng.pick(PLACES).to_string();
    let text = rng
        .pick(TEMPLATES)
        .replace("{name}", &name)
        .replace("{place}", &place)
        .replace("{year}", &(1950 + rng.below(75)).to_string());
    if rng.chance(45) {
        // Plain spelling, as English sources often write names.
        let plain = deunicode::deunicode(&text);
        plain
            .replace("Ha Noi", "Hanoi")
            .replace("Sai Gon", "Saigon")
            .replace("Viet Nam", "Vietnam")
    } else {
        text
    }
}

fn seed_sentences(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(at(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(at(&f))?;
        let flat = text.replace(['\n', '\r'], " ");
        for s in flat.split_sentence_bounds() {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if s.unicode_words().count() >= 4 {
                out.push(s);
            }
        }
    }
    if out.is_empty() {
        return Err(io::Error::other(format!(
            "no sentences in {}",
            dir.display()
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
        let shape = Shape::bytes(300_000);
        let a = generate(&seeds, dirs[0].path(), &shape, 7).unwrap();
        let b = generate(&seeds, dirs[1].path(), &shape, 7).unwrap();
        let c = generate(&seeds, dirs[2].path(), &shape, 8).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.files, 2);
        assert!(a.bytes >= 300_000 && a.bytes < 310_000, "{a:?}");
        assert!(c.bytes >= 300_000);
        let read =
            |d: &tempfile::TempDir| std::fs::read(d.path().join("part000/doc00001.txt")).unwrap();
        assert_eq!(read(&dirs[0]), read(&dirs[1]));
        assert_ne!(read(&dirs[0]), read(&dirs[2]));
        // Many small files: exactly as many as asked, about their share of the bytes each.
        let small = tempfile::tempdir().unwrap();
        let shape = Shape {
            bytes: 60_000,
            files: Some(25),
            per_dir: 10,
        };
        let g = generate(&seeds, small.path(), &shape, 7).unwrap();
        assert_eq!(g.files, 25);
        assert!(g.bytes >= 60_000 && g.bytes < 90_000, "{g:?}");
        assert!(small.path().join("part002/doc00024.txt").is_file());
        assert!(!small.path().join("part003").exists());
        let text = String::from_utf8(read(&dirs[0])).unwrap();
        assert!(text.contains('Đ') || text.contains('ư'), "no diacritics");
        assert!(
            text.contains("Nguyen") || text.contains("Tran"),
            "no plain spellings"
        );
    }
}
