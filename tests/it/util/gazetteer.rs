//! A synthetic gazetteer for ranking tests and measurements: one-line records of wards, in the
//! shape of Vietnam's list of administrative units, whose names are made of the few very common
//! syllables real names use, so that one folded name has several spellings ("Hòa An", "Hòa Ân",
//! "Hóa An") and the words of a name also occur scattered in other records. The same seed always
//! gives the same list.

use super::synth::Rng;

/// Syllables of ward names: each folded syllable with the spellings it takes, the first the
/// most common.
const SYLLABLES: &[&[&str]] = &[
    &["An", "Ân", "Án"],
    &["Hòa", "Hóa", "Hoa", "Họa"],
    &["Thanh", "Thành", "Thạnh"],
    &["Sơn", "Son"],
    &["Quang", "Quảng"],
    &["Tân", "Tấn"],
    &["Bình"],
    &["Phú", "Phù", "Phụ"],
    &["Ngọc"],
    &["Đức", "Dục"],
    &["Long", "Lòng"],
    &["Hải", "Hai"],
    &["Trung", "Trừng"],
    &["Đông", "Đồng", "Dông"],
    &["Nam"],
    &["Tây"],
    &["Phước", "Phược"],
    &["Lộc", "Lốc"],
    &["Hưng", "Hùng"],
    &["Mỹ", "My"],
    &["Vinh", "Vĩnh"],
    &["Xuân"],
    &["Thuận"],
    &["Cẩm", "Cam"],
    &["Hà", "Hạ"],
    &["Lâm", "Lam"],
    &["Kim"],
    &["Tiên", "Tiến"],
    &["Nghĩa"],
    &["Hiệp"],
    &["Thủy", "Thụy"],
    &["Minh"],
    &["Quý", "Quy"],
    &["Cao"],
    &["Yên", "Yến"],
    &["Trường"],
    &["Hoàng"],
    &["Lạc"],
];

/// Provinces, as written in full.
const PROVINCES: &[&str] = &[
    "Hà Nội",
    "Hà Tĩnh",
    "Hà Nam",
    "Hà Giang",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Quảng Nam",
    "Quảng Ninh",
    "Quảng Bình",
    "Quảng Ngãi",
    "Quảng Trị",
    "Thanh Hóa",
    "Nghệ An",
    "Long An",
    "Phú Yên",
    "Phú Thọ",
    "Vĩnh Phúc",
    "Vĩnh Long",
    "Hải Dương",
    "Hưng Yên",
    "Nam Định",
    "Ninh Bình",
    "Thái Bình",
    "Tây Ninh",
    "Đồng Nai",
    "Đồng Tháp",
    "An Giang",
    "Kiên Giang",
    "Lâm Đồng",
    "Đắk Lắk",
    "Gia Lai",
    "Kon Tum",
    "Sơn La",
    "Lào Cai",
    "Yên Bái",
    "Tuyên Quang",
    "Cao Bằng",
    "Lạng Sơn",
];

/// One record of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The ward's kind of unit: "Phường", "Xã" or "Thị trấn".
    pub kind: &'static str,
    /// The ward's name, as spelled in the record ("Hòa An").
    pub name: String,
    /// Its district's kind of unit: "Quận", "Huyện", "Thị xã" or "Thành phố".
    pub district_kind: &'static str,
    /// Its district, as spelled in the record.
    pub district: String,
    /// Its province's kind of unit: "Thành phố" for Hà Nội, else "Tỉnh".
    pub province_kind: &'static str,
    /// Its province, as spelled in the record.
    pub province: String,
    /// The record, one line without its line break.
    pub line: String,
}

/// Syllables that district names use besides those of [`SYLLABLES`].
const DISTRICT_SYLLABLES: &[&str] = &[
    "Ba", "Đình", "Hoàn", "Kiếm", "Hồ", "Biên", "Cầu", "Giấy", "Đống", "Đa", "Mai", "Sóc", "Anh",
    "Gia", "Từ", "Liêm", "Thọ", "Xương", "Mê", "Linh", "Chương", "Mỹ", "Ứng", "Hòe", "Krông",
    "Buôn", "Đôn", "Cư", "Kỳ", "Cẩm", "Diễn", "Quỳnh", "Lưu", "Vạn", "Ninh", "Diên",
];

/// `n` records from the random `seed`: wards in about one district per 14 wards, as in the real
/// list, each district in one province.
pub fn records(n: usize, seed: u64) -> Vec<Record> {
    let mut rng = Rng(seed);
    // Names are drawn from a limited set so that many recur with other spellings.
    let syllable = |rng: &mut Rng| {
        // Skewed towards the first (most common) syllables.
        let i = rng.below(SYLLABLES.len()).min(rng.below(SYLLABLES.len()));
        let spellings = SYLLABLES[i];
        if rng.chance(70) {
            spellings[0]
        } else {
            spellings[rng.below(spellings.len())]
        }
    };
    let districts: Vec<(String, &str, &str)> = (0..n.div_ceil(14))
        .map(|_| {
            let part = |rng: &mut Rng| {
                if rng.chance(50) {
                    rng.pick(DISTRICT_SYLLABLES).to_string()
                } else {
                    syllable(rng).to_string()
                }
            };
            let name = format!("{} {}", part(&mut rng), part(&mut rng));
            let kind = *rng.pick(&["Quận", "Huyện", "Thị xã", "Thành phố"]);
            (name, kind, *rng.pick(PROVINCES))
        })
        .collect();
    (0..n)
        .map(|k| {
            let name = format!("{} {}", syllable(&mut rng), syllable(&mut rng));
            let (district, district_kind, province) = rng.pick(&districts).clone();
            let kind = *rng.pick(&["Phường", "Xã", "Thị trấn"]);
            let province_kind = if province == "Hà Nội" {
                "Thành phố"
            } else {
                "Tỉnh"
            };
            let line = format!(
                "{kind} {name} thuộc {district_kind} {district}, {province_kind} {province}, mã {:05}.",
                k + 1
            );
            Record {
                kind,
                name,
                district_kind,
                district,
                province_kind,
                province: province.to_string(),
                line,
            }
        })
        .collect()
}

/// The text of a list: one record per line.
pub fn text(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records {
        out.push_str(&r.line);
        out.push('\n');
    }
    out
}

/// A list written to a temp dir as one file and indexed, searched in-process.
pub struct Indexed {
    _dir: tempfile::TempDir,
    /// The index, open.
    pub engine: tracuu::Engine,
    /// The records of the list, in its order.
    pub records: Vec<Record>,
}

/// The list of `n` records from `seed`, indexed with the default options.
pub fn indexed(n: usize, seed: u64) -> Indexed {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let records = records(n, seed);
    std::fs::write(corpus.join("wards.txt"), text(&records)).unwrap();
    let index = dir.path().join("index");
    let options = tracuu::IndexOptions::default();
    tracuu::build(&corpus, &index, &options, &mut |w: &str| panic!("{w}")).unwrap();
    Indexed {
        engine: tracuu::Engine::open(&index).unwrap(),
        _dir: dir,
        records,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use tracuu::text::{fold, words, Mode};

    #[test]
    fn names_have_several_spellings_and_the_list_is_deterministic() {
        let list = records(2000, 1);
        assert_eq!(list, records(2000, 1));
        assert_ne!(list, records(2000, 2));
        let mut spellings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for r in &list {
            let folded: Vec<String> = words(&r.name, Mode::Folded)
                .into_iter()
                .map(|w| w.text)
                .collect();
            spellings.entry(folded.join(" ")).or_default().insert(
                words(&r.name, Mode::Exact)
                    .into_iter()
                    .map(|w| w.text)
                    .collect(),
            );
        }
        let several = spellings.values().filter(|s| s.len() >= 2).count();
        assert!(several >= 100, "{several} folded names with 2+ spellings");
        assert!(list[0].line.ends_with("mã 00001."));
        assert_eq!(fold("Đức"), "duc");
    }
}
