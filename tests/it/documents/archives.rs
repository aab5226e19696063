//! Archives (`.zip`, `.tar`, `.tar.gz`, `.tgz`) indexed through the binary: members named
//! `archive!/member` in hits, `--files`, `show` and `source:`, read by their own format (a DOCX
//! in a `.VnTime` font inside a zip inside a tar), re-indexed with their archive, and bombs, deep
//! nesting and unreadable members skipped with one line each.

use super::make::{docx, docx_runs, gzip, tar, zip, NAME_TCVN3};
use super::{one_hit, search, search_and_show};
use crate::util::{assert_contains, assert_lacks, stderr, stdout, Env};

/// A bundle as an office shares it: a letter in `.VnTime`, a Unicode report, a web page.
fn bundle() -> Vec<u8> {
    let letter = docx_runs(
        &[
            ("Kính gửi ông Chủ tịch nước,", None),
            (NAME_TCVN3, Some(".VnTime")),
        ],
        None,
    );
    zip(&[
        ("2001/thu-moi.docx", &letter),
        (
            "2001/bao-cao.txt",
            "Báo cáo về chuyến thăm Moskva.\n".as_bytes(),
        ),
        (
            "web/trang.html",
            "<html><body><p>Sông Hồng chảy qua Hà Nội.</p></body></html>".as_bytes(),
        ),
    ])
}

#[test]
fn members_are_found_by_their_own_format_and_named_inside_their_archive() {
    let nested = tar(&[
        ("luu-tru/bundle.zip", &bundle()),
        (
            "luu-tru/ghi-chu.md",
            "# Ghi chú\n\nGặp ông Trần Đức Lương.\n".as_bytes(),
        ),
    ]);
    let env = Env::indexed_files(&[
        ("bundle.zip", bundle()),
        ("cu.tar.gz", gzip(&nested)),
        ("cu.tgz", gzip(&nested)),
        (
            "plain.tar",
            tar(&[("a.txt", "Trần Đức Lương ở Huế.\n".as_bytes())]),
        ),
    ]);
    for query in ["\"Tran Duc Luong\"", "\"Trần Đức Lương\""] {
        let hits = search_and_show(&env, query);
        let mut sources: Vec<&str> = hits
            .iter()
            .filter(|h| h.format == "docx")
            .map(|h| h.source.as_str())
            .collect();
        sources.sort();
        assert_eq!(
            sources,
            [
                "bundle.zip!/2001/thu-moi.docx",
                "cu.tar.gz!/luu-tru/bundle.zip!/2001/thu-moi.docx",
                "cu.tgz!/luu-tru/bundle.zip!/2001/thu-moi.docx",
            ],
            "{query}"
        );
        for hit in hits.iter().filter(|h| h.format == "docx") {
            assert_eq!(hit.paragraph, Some(2));
            assert_eq!(hit.text, "Trần Đức Lương");
            assert_eq!(hit.place.as_deref(), Some("paragraph 2"));
        }
        assert_eq!(hits.len(), 6, "{query}: {hits:?}");
    }
    let hit = one_hit(&env, "Hue", "text", "file");
    assert_eq!(hit.source, "plain.tar!/a.txt");
    assert_eq!((hit.line, hit.column), (1, 1));
    let hits = search(&env, "\"song Hong\"", &[]);
    assert_eq!(hits.len(), 3);
    assert!(hits
        .iter()
        .all(|h| h.format == "html" && h.offsets == "file"));

    // Human output, --files and show name the member the same way.
    let out = env.run(&[
        "search",
        "--color",
        "never",
        "Trần Đức Lương source:bundle.zip",
    ]);
    assert_contains(
        stdout(&out),
        "/bundle.zip!/2001/thu-moi.docx:paragraph 2: #1",
    );
    let out = env.run(&["search", "--files", "ghi chu"]);
    let files = stdout(&out);
    assert_contains(&files, "cu.tar.gz!/luu-tru/ghi-chu.md");
    assert_contains(&files, "cu.tgz!/luu-tru/ghi-chu.md");
    let shown = env.run(&[
        "show",
        "bundle.zip!/2001/thu-moi.docx:paragraph 1:",
        "0",
        "11",
    ]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert_eq!(stdout(&shown), "Kính gửi");
    let missing = env.run(&["show", "bundle.zip!/2001/nope.txt", "0", "1"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_contains(stderr(&missing), "bundle.zip holds no member 2001/nope.txt");

    // source: filters see members, and a glob that matches an archive matches its members.
    let only = |filter: &str| {
        let hits = search(&env, &format!("luong {filter}"), &[]);
        let mut sources: Vec<String> = hits.into_iter().map(|h| h.source).collect();
        sources.sort();
        sources
    };
    assert_eq!(
        only("source:*.tgz"),
        [
            "cu.tgz!/luu-tru/bundle.zip!/2001/thu-moi.docx",
            "cu.tgz!/luu-tru/ghi-chu.md",
        ]
    );
    assert_eq!(
        only("source:*.md"),
        [
            "cu.tar.gz!/luu-tru/ghi-chu.md",
            "cu.tgz!/luu-tru/ghi-chu.md"
        ]
    );
    assert_eq!(only("source:plain.tar"), ["plain.tar!/a.txt"]);
}

#[test]
fn a_changed_archive_is_indexed_again_with_its_members() {
    let env = Env::indexed_files(&[("hop.zip", bundle())]);
    assert_eq!(search(&env, "Moskva", &[]).len(), 1);
    let smaller = zip(&[("moi.txt", "Chỉ còn Đà Nẵng.\n".as_bytes())]);
    std::fs::write(env.path().join("seeds/hop.zip"), smaller).unwrap();
    let out = env.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let left = search(&env, "Moskva", &[]);
    assert!(left.is_empty(), "{}: {left:?}", stderr(&out));
    assert_eq!(
        one_hit(&env, "Da Nang", "text", "file").source,
        "hop.zip!/moi.txt"
    );
    std::fs::remove_file(env.path().join("seeds/hop.zip")).unwrap();
    let out = env.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(search(&env, "Da Nang", &[]).is_empty());
}

#[test]
fn bombs_deep_nesting_and_broken_members_are_one_line_each_and_stop_nothing() {
    // A member of 4 MiB of text in a few KiB, and a text bomb: 4 MiB of words over members.
    let zeros = zip(&[("zeros.txt", "0".repeat(4 << 20).as_bytes())]);
    let words = "lời nói gió bay ".repeat(70_000);
    let text_bomb = zip(&[
        ("a.txt", words.as_bytes()),
        ("b.txt", words.as_bytes()),
        ("c.txt", words.as_bytes()),
    ]);
    let mut deep = zip(&[("core.txt", "Quokka sâu thẳm.\n".as_bytes())]);
    for _ in 0..8 {
        deep = zip(&[("inner.zip", &deep)]);
    }
    let broken = zip(&[
        ("ok.txt", "Quokka ở đây.\n".as_bytes()),
        ("bad.docx", b"PK\x03\x04 not a docx"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0"),
    ]);
    let env = Env::with_files(&[
        ("zeros.zip", zeros),
        ("bomb.zip", text_bomb),
        ("deep.zip", deep),
        ("broken.zip", broken),
        ("truncated.zip", bundle()[..200].to_vec()),
        ("notes.txt", "Quokka cũng ở đây.\n".as_bytes().to_vec()),
    ]);
    let out = env.run(&["index", "--max-extract", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines = |name: &str| -> Vec<String> {
        err.lines()
            .filter(|l| l.contains(name))
            .map(str::to_string)
            .collect()
    };
    for (name, reason) in [
        ("zeros.zip!/zeros.txt", "bomb"),
        ("bomb.zip", "bomb"),
        (
            "inner.zip!/inner.zip!/inner.zip!/inner.zip!/inner.zip!/inner.zip",
            "nested",
        ),
        ("broken.zip!/bad.docx", "corrupt"),
        ("truncated.zip", "corrupt zip"),
    ] {
        let found = lines(name);
        assert_eq!(found.len(), 1, "{name}: {err}");
        assert_contains(&found[0], reason);
    }
    assert!(lines("photo.png").is_empty(), "{err}");
    // The run's summary counts the members it could not read apart from the files.
    assert_contains(&err, "2 skipped; 4 files inside archives or mail not read)");
    assert_lacks(&err, "panicked");
    let hits = search(&env, "Quokka", &[]);
    let mut sources: Vec<&str> = hits.iter().map(|h| h.source.as_str()).collect();
    sources.sort();
    assert_eq!(sources, ["broken.zip!/ok.txt", "notes.txt"]);
}

#[test]
fn a_docx_member_has_its_own_paragraphs() {
    let env = Env::indexed_files(&[(
        "thu.zip",
        zip(&[("a/b.docx", &docx(&["Một", "Trần Đức Lương"]))]),
    )]);
    let hit = one_hit(&env, "Luong", "docx", "extracted");
    assert_eq!(
        (hit.source.as_str(), hit.paragraph),
        ("thu.zip!/a/b.docx", Some(2))
    );
}
