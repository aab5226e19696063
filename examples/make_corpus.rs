//! Makes a large, realistic, deterministic corpus from the seeds, for benchmarks at scale:
//! seed sentences recombined into paragraphs and files, with Vietnamese names mixed in, spelled
//! with diacritics or plainly, and made-up names so the vocabulary keeps growing like real text.
//!
//! ```sh
//! cargo run --release --example make_corpus -- --mb 100 /tmp/corpus100 [--seed 42] [--seeds seeds]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use unicode_segmentation::UnicodeSegmentation;

/// SplitMix64: a tiny, well-known PRNG; the same seed always gives the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
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

fn seed_sentences(dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let flat = text.replace(['\n', '\r'], " ");
        for s in flat.split_sentence_bounds() {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if s.unicode_words().count() >= 4 {
                out.push(s);
            }
        }
    }
    if out.is_empty() {
        return Err(format!("no sentences in {}", dir.display()));
    }
    Ok(out)
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut mb, mut seed, mut seeds, mut out) = (10.0f64, 42u64, PathBuf::from("seeds"), None);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--mb" => mb = value("--mb")?.parse().map_err(|e| format!("--mb: {e}"))?,
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--seeds" => seeds = PathBuf::from(value("--seeds")?),
            "-h" | "--help" => {
                println!("usage: make_corpus [--mb MB] [--seed N] [--seeds DIR] OUT_DIR");
                return Ok(());
            }
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}; see --help")),
        }
    }
    let out = out.ok_or("give the folder to write, e.g. make_corpus --mb 100 /tmp/corpus")?;
    if mb.is_nan() || mb <= 0.0 {
        return Err("--mb must be positive".into());
    }
    let sentences = seed_sentences(&seeds)?;
    let mut rng = Rng(seed);
    let target = (mb * 1_000_000.0) as usize;
    let file_size = 256 * 1024;
    let (mut written, mut n) = (0usize, 0usize);
    while written < target {
        let dir = out.join(format!("part{:03}", n / 100));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut text = String::with_capacity(file_size + 4096);
        let size = file_size.min(target - written);
        while text.len() < size {
            let paragraph_len = 3 + rng.below(6);
            for k in 0..paragraph_len {
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
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        written += text.len();
        n += 1;
    }
    eprintln!(
        "make_corpus: wrote {n} files, {:.1} MB, to {}",
        written as f64 / 1e6,
        out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_corpus: {e}");
            ExitCode::from(2)
        }
    }
}
