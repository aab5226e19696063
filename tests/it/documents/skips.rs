//! Files that are not indexed: hostile documents (truncated, encrypted, bombs) skipped with one
//! warning each and remembered, images, sounds, videos and archives counted without a warning.

use std::io::Write;

use super::make::{
    bz2_bomb_10_gib, deflate_zeros, docx, docx_bomb_10_gib, encrypt_flags, gzip, pdf, tar, zip,
    PAGE_ONE, PAGE_TWO,
};
use super::search_and_show;
use crate::util::{assert_contains, assert_lacks, edit_manifest, stderr, Env};

#[test]
fn hostile_files_are_skipped_with_one_warning_each_and_the_rest_is_indexed() {
    let good = pdf(&[PAGE_ONE, PAGE_TWO]);
    let truncated = good[..good.len() / 2].to_vec();
    let mut gz_bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..8 {
        gz_bomb.write_all(&zeros).unwrap();
    }
    let gz_bomb = gz_bomb.finish().unwrap();
    // The good PDF with an /Encrypt dictionary in its trailer (RC4, 128 bits) whose user password
    // is not empty: it cannot be opened without the password.
    let encrypted = String::from_utf8(good.clone()).unwrap().replace(
        "/Root 1 0 R >>",
        "/Root 1 0 R /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O <0000000000000000000000000000000000000000000000000000000000000000> \
         /U <0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF> /P -4 >> \
         /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] >>",
    );
    // The stream is what it says: its first MiB inflates to '0's.
    let mut head = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            flate2::read::DeflateDecoder::new(&deflate_zeros(10_000)[..]),
            1 << 20,
        ),
        &mut head,
    )
    .unwrap();
    assert_eq!(head, vec![b'0'; 1 << 20]);
    let bomb = docx_bomb_10_gib();
    assert!(bomb.len() < 11 << 20, "{} bytes", bomb.len());
    let bz2_bomb = bz2_bomb_10_gib();
    assert!(bz2_bomb.len() < 32 << 10, "{} bytes", bz2_bomb.len());
    let env = Env::with_files(&[
        ("good.pdf", good),
        ("truncated.pdf", truncated),
        ("locked.pdf", encrypted.into_bytes()),
        ("bomb.docx", bomb),
        ("bomb.txt.gz", gz_bomb),
        ("bomb.txt.bz2", bz2_bomb),
        ("locked.docx", encrypt_flags(docx(&["Bí mật quốc gia"]))),
        ("garbage.epub", b"PK\x03\x04 not really a zip".to_vec()),
        ("notes.txt", "Sông Hồng vẫn chảy.\n".as_bytes().to_vec()),
    ]);
    let out = env.run(&["index", "--max-extract", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for (name, reason) in [
        ("truncated.pdf", "corrupt PDF"),
        ("locked.pdf", "encrypted PDF"),
        ("bomb.docx", "bomb"),
        ("bomb.txt.gz", "bomb"),
        ("bomb.txt.bz2", "bomb"),
        ("locked.docx", "encrypted"),
        ("garbage.epub", "corrupt EPUB"),
    ] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: {err}");
        assert!(lines[0].contains(reason), "{name}: {}", lines[0]);
    }
    assert_lacks(&err, "panicked");
    let (hits, _) = env.search("song Hong", &[]);
    let mut sources: Vec<&str> = hits.iter().map(|h| h.source.as_str()).collect();
    sources.sort();
    assert_eq!(sources, ["good.pdf", "notes.txt"]);
}

#[test]
fn an_unchanged_file_skipped_for_what_it_holds_is_skipped_again_unread_and_unwarned() {
    let good = pdf(&[PAGE_ONE, PAGE_TWO]);
    // 1.5 MiB of text: too much for --max-extract 1, enough for 2.
    let mut big = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    big.write_all("lorem ipsum dolor. ".repeat(80_000).as_bytes())
        .unwrap();
    let env = Env::with_files(&[
        ("truncated.pdf", good[..good.len() / 2].to_vec()),
        ("garbage.epub", b"PK\x03\x04 not really a zip".to_vec()),
        ("tool.bin", b"\x7fELF\x00\x01\x02 Hanoi".to_vec()),
        ("big.txt.gz", big.finish().unwrap()),
        ("notes.txt", "Sông Hồng vẫn chảy.\n".as_bytes().to_vec()),
    ]);
    let index = |max_extract: &str, args: &[&str]| {
        let out = env.run(&[&["index", "--max-extract", max_extract], args].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    let warned = |err: &str, name: &str| err.lines().filter(|l| l.contains(name)).count();
    let first = index("1", &[]);
    for name in ["truncated.pdf", "garbage.epub", "tool.bin", "big.txt.gz"] {
        assert_eq!(warned(&first, name), 1, "{name}: {first}");
    }
    assert!(first.contains("4 skipped)"), "{first}");

    // Unchanged: the corrupt and binary files are not read again, and not warned about again;
    // too much text is worth another try (--max-extract may be raised), so it is.
    let second = index("1", &[]);
    for name in ["truncated.pdf", "garbage.epub", "tool.bin"] {
        assert_eq!(warned(&second, name), 0, "{name}: {second}");
    }
    assert_eq!(warned(&second, "big.txt.gz"), 1, "{second}");
    assert_contains(&second, "4 skipped (3 as before)");
    // Still known: they do not make the index look stale.
    let out = env.run(&["search", "Hồng"]);
    assert_lacks(stderr(&out), "changed since");
    // Another version of tracuu (its extractors may read them now) tries them all again.
    edit_manifest(&env.path().join("index"), |manifest| {
        assert_eq!(manifest["build"], env!("CARGO_PKG_VERSION"));
        manifest["build"] = serde_json::json!("0.0.0");
    });
    let upgraded = index("1", &[]);
    for name in ["truncated.pdf", "garbage.epub", "tool.bin", "big.txt.gz"] {
        assert_eq!(warned(&upgraded, name), 1, "{name}: {upgraded}");
    }
    assert!(upgraded.contains("4 skipped)"), "{upgraded}");

    // Repaired, the PDF is read and indexed; the big file, given room, is indexed too.
    std::fs::write(env.path().join("seeds/truncated.pdf"), &good).unwrap();
    let third = index("2", &[]);
    assert_eq!(warned(&third, "truncated.pdf"), 0, "{third}");
    assert_eq!(warned(&third, "big.txt.gz"), 0, "{third}");
    assert_contains(&third, "2 skipped as before");
    let hits = search_and_show(&env, "Trang hai");
    assert!(hits.iter().any(|h| h.source == "truncated.pdf"), "{hits:?}");
    // A rebuild reads every file again, and says why each is skipped.
    let rebuilt = index("2", &["--rebuild"]);
    for name in ["garbage.epub", "tool.bin"] {
        assert_eq!(warned(&rebuilt, name), 1, "{name}: {rebuilt}");
    }
}

#[test]
fn images_sound_video_and_archives_are_counted_not_warned_and_quiet_is_quiet() {
    let with_zeros = |head: &[u8]| [head, &[0u8; 200][..], b"Quokka"].concat();
    let env = Env::with_files(&[
        ("photo.png", with_zeros(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")),
        ("scan.jpg", with_zeros(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0")),
        ("song.mp3", with_zeros(b"ID3\x03\0\0\0\0\x01\x00")),
        ("clip.mp4", with_zeros(b"\0\0\0\x18ftypmp42")),
        // Archives that tracuu does not open: a Java archive, a tar without its extension.
        ("old.jar", zip(&[("a.bin", b"\0\0\0Quokka")])),
        ("backup.gz", gzip(&tar(&[("notes.txt", b"Quokka")]))),
        // Neither a known format nor text: maybe UTF-16 without a BOM (--encoding utf-16le).
        ("tool.bin", b"\x7fELF\x00\x01\x02 Quokka".to_vec()),
        // A file the user can do something about: said even to a quiet run.
        ("locked.docx", encrypt_flags(docx(&["Bí mật quốc gia"]))),
        ("notes.txt", "Quokka ở đây.\n".as_bytes().to_vec()),
    ]);
    let media = [
        "photo.png",
        "scan.jpg",
        "song.mp3",
        "clip.mp4",
        "old.jar",
        "backup.gz",
    ];
    let warned = |err: &str, name: &str| err.lines().filter(|l| l.contains(name)).count();
    let out = env.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for name in media {
        assert_eq!(warned(&err, name), 0, "{name}: {err}");
    }
    assert_eq!(warned(&err, "tool.bin"), 1, "{err}");
    assert_eq!(warned(&err, "locked.docx"), 1, "{err}");
    assert_contains(&err, ", 8 skipped (6 images, sounds, videos or archives)");
    assert_eq!(err.lines().count(), 3, "{err}");

    let out = env.run(&["index", "--rebuild", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(warned(&err, "locked.docx"), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let (hits, _) = env.search("Quokka", &[]);
    assert_eq!(hits.len(), 1, "{hits:?}");
}
