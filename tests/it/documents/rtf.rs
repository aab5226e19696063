//! RTF letters indexed and searched through the binary: "Trần Đức Lương" written as Word's
//! `\uN?`, as `\'xx` bytes of Windows-1258, and in `.VnTime` (TCVN3) and `VNI-Times` runs, each
//! found folded and exact in its paragraph and shown back; control words never searchable.

use super::{search, search_and_show};
use crate::util::{assert_contains, assert_lacks, stderr, stdout, Env};

/// The RTF fixtures of `tests/data/office/`, by name.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/office");
    ["letter.rtf", "letter-1258.rtf", "vntime.rtf", "vni.rtf"]
        .into_iter()
        .map(|name| (name, std::fs::read(dir.join(name)).unwrap()))
        .collect()
}

#[test]
fn rtf_letters_are_found_by_the_name_in_every_encoding_and_font() {
    let env = Env::indexed_files(&fixtures());
    for query in [
        "Tran Duc Luong",
        "\"Tran Duc Luong\"",
        "Trần Đức Lương",
        "\"Trần Đức Lương\"",
    ] {
        let hits = search_and_show(&env, query);
        let mut found: Vec<&str> = hits.iter().map(|h| h.source.as_str()).collect();
        found.sort();
        assert_eq!(
            found,
            ["letter-1258.rtf", "letter.rtf", "vni.rtf", "vntime.rtf"],
            "{query}"
        );
        for hit in &hits {
            let what = format!("{query}: {}", hit.source);
            assert_eq!(hit.format, "rtf", "{what}");
            assert_eq!(hit.offsets, "extracted", "{what}");
            assert_eq!(hit.paragraph, Some(2), "{what}");
            assert_eq!(hit.title.as_deref(), Some("Thư gửi anh Lương"), "{what}");
            assert_contains(&hit.text, "Tôi là Trần Đức Lương, viết thư này từ");
            let (start, end) = (hit.start.to_string(), hit.end.to_string());
            let shown = env.run(&["show", &hit.source, &start, &end]);
            assert_contains(stdout(&shown), "Trần Đức Lương");
        }
    }
    let out = env.run(&["search", "--color", "never", "\"Tran Duc Luong\""]);
    assert_contains(stdout(&out), "vntime.rtf:paragraph 2: #");
    // The other paragraphs are apart: a phrase never runs from one into the next.
    assert!(search(&env, "\"anh toi\"", &[]).is_empty());
    assert_eq!(search(&env, "\"tran trong\"", &[]).len(), 4);
}

#[test]
fn rtf_control_words_and_skipped_destinations_are_not_searchable() {
    let env = Env::indexed_files(&fixtures());
    for query in [
        "rtf1",
        "fonttbl",
        "ansicpg",
        "ansicpg1258",
        "deff0",
        "fcharset",
        "colortbl",
        "Riched20",
        "generator",
        "\"Times New Roman\"",
        "VnTime",
        "u7847",
        "par",
        "Van phong",
    ] {
        let hits = search(&env, query, &[]);
        assert!(hits.is_empty(), "{query}: {hits:?}");
    }
}

#[test]
fn a_truncated_or_garbage_rtf_is_skipped_with_one_warning() {
    let mut files = fixtures();
    let letter = files[0].1.clone();
    files.push(("truncated.rtf", letter[..letter.len() / 2].to_vec()));
    files.push((
        "garbage.rtf",
        b"{\\rtf1 {{{\\'zz\\u99999999999 \xff\xfe".to_vec(),
    ));
    files.push(("notrtf.rtf", b"PK\x03\x04 not RTF at all".to_vec()));
    let env = Env::with_files(&files);
    let out = env.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for name in ["truncated.rtf", "garbage.rtf", "notrtf.rtf"] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: {err}");
        assert_contains(lines[0], "corrupt RTF");
    }
    assert_lacks(&err, "panicked");
    let hits = search(&env, "Tran Duc Luong", &[]);
    assert_eq!(hits.len(), 4, "{hits:?}");
}
