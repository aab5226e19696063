//! Accent-aware ranking, `--exact`, compounds and the query syntax, through the real binary.

use crate::util::{assert_contains, assert_offsets, decode, stderr, stdout, Env, JsonHit};

/// A temp dir whose `docs/` holds the given files, indexed into `index/`.
fn corpus(files: &[(&str, &str)]) -> Env {
    let env = Env::new();
    let docs = env.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for (name, text) in files {
        std::fs::write(docs.join(name), text).unwrap();
    }
    let out = env.run(&["index", "docs", "--index", "index", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    env
}

fn sources(env: &Env, query: &str, extra: &[&str]) -> Vec<String> {
    let (hits, out) = env.search(query, extra);
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{query}: {}",
        stderr(&out)
    );
    for h in &hits {
        assert_offsets(env.path(), h);
    }
    hits.into_iter().map(|h| h.source).collect()
}

/// Asserts the sources each query finds (with no flags), in rank order.
fn assert_ranks(env: &Env, cases: &[(&str, &[&str])]) {
    for (query, want) in cases {
        assert_eq!(sources(env, query, &[]), *want, "{query}");
    }
}

#[test]
fn exact_spelling_ranks_first_only_when_the_query_has_diacritics() {
    // The plain spelling is denser, so BM25 alone prefers it.
    let env = corpus(&[
        ("exact.txt", "President Trần Đức Lương spoke at length about trade, ports, oil and many other things."),
        ("plain.txt", "Tran Duc Luong. Tran Duc Luong again."),
    ]);
    assert_ranks(
        &env,
        &[
            ("Trần Đức Lương", &["exact.txt", "plain.txt"]),
            ("Tran Duc Luong", &["plain.txt", "exact.txt"]),
        ],
    );
    let (hits, _) = env.search("Trần Đức Lương", &[]);
    assert!(hits[0].exact && !hits[1].exact);
    assert_contains(&hits[0].query, "exact spelling first");
}

#[test]
fn exact_flag_tells_tones_apart() {
    let env = corpus(&[
        ("ma.txt", "con ma"),
        ("mà.txt", "nhưng mà"),
        ("má.txt", "má ơi"),
        ("mả.txt", "mồ mả"),
    ]);
    assert_eq!(sources(&env, "mà", &["--exact"]), ["mà.txt"]);
    assert_eq!(sources(&env, "ma", &["--exact"]), ["ma.txt"]);
    assert_eq!(sources(&env, "mà", &[]).len(), 4);
    assert_eq!(sources(&env, "mà", &[])[0], "mà.txt");
}

#[test]
fn old_and_new_tone_placement_and_nfd_text_are_the_same_spelling() {
    let nfd: String =
        unicode_normalization::UnicodeNormalization::nfd("Thủy điện Hòa Bình").collect();
    let env = corpus(&[
        ("old.txt", "Thuỷ điện Hoà Bình is a dam."),
        ("nfd.txt", nfd.as_str()),
        (
            "other.txt",
            "Thuy dien Hoa Binh, written plainly, twice: Thuy dien Hoa Binh.",
        ),
    ]);
    let got = sources(&env, "Thủy điện Hòa Bình", &["--exact"]);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.contains(&"old.txt".to_string()) && got.contains(&"nfd.txt".to_string()));
    let ranked = sources(&env, "Thủy điện Hòa Bình", &[]);
    assert_eq!(ranked.last().unwrap(), "other.txt", "{ranked:?}");
    assert_eq!(sources(&env, "thuy dien hoa binh", &[]).len(), 3);
}

#[test]
fn compounds_ignore_spacing_both_ways() {
    let env = corpus(&[
        ("joined.txt", "Hanoi and Saigon and Vietnam."),
        ("spaced.txt", "Hà Nội và Sài Gòn ở Việt Nam."),
        ("words.txt", "The ha ha noise. In to the river."),
    ]);
    for (q, both) in [
        ("Hà Nội", true),
        ("Hanoi", true),
        ("Sài Gòn", true),
        ("Saigon", true),
        ("Viet Nam", true),
        ("Vietnam", true),
    ] {
        let got = sources(&env, q, &[]);
        assert_eq!(got.len() == 2, both, "{q}: {got:?}");
        assert!(!got.contains(&"words.txt".to_string()), "{q}: {got:?}");
    }
    // Exact spelling still first.
    assert_eq!(sources(&env, "Hà Nội", &[])[0], "spaced.txt");
    // English words are never joined: "in to" does not find "into".
    let env2 = corpus(&[
        ("a.txt", "He went into the house."),
        ("b.txt", "Log in to the site."),
    ]);
    assert_eq!(sources(&env2, "in to", &[]), ["b.txt"]);
}

#[test]
fn issue_3_examples_on_the_seeds() {
    let env = Env::indexed();
    let got = sources(&env, "Bùi Thanh Sơn", &[]);
    assert!(got[0].starts_with("000"), "{got:?}");
    assert!(got.iter().any(|s| s.starts_with("004")), "{got:?}");
    let got = sources(&env, "Bui Thanh Son", &[]);
    assert!(got.iter().any(|s| s.starts_with("000")) && got.iter().any(|s| s.starts_with("004")));
    let (hits, _) = env.search("Lê Duẩn", &["--exact"]);
    let files: Vec<&str> = hits.iter().map(|h| &h.source[..3]).collect();
    assert!(
        files.contains(&"000") && files.contains(&"003"),
        "{files:?}"
    );
    assert!(
        hits.iter().all(|h| !h.text.contains("Le Duan")),
        "--exact found Le Duan"
    );
    let (all, _) = env.search("Lê Duẩn", &[]);
    assert!(
        all.iter().any(|h| h.text.contains("Le Duan")),
        "folded search should find Le Duan"
    );
    let (hits, _) = env.search("Hà Nội", &[]);
    assert!(!hits.is_empty() && hits.iter().all(|h| h.text.contains("Hanoi")));
}

#[test]
fn query_syntax_on_the_seeds() {
    let env = Env::indexed();
    let check = |q: &str, pred: &dyn Fn(&JsonHit) -> bool| {
        let (hits, out) = env.search(q, &[]);
        assert_eq!(out.status.code(), Some(0), "{q}: {}", stderr(&out));
        for h in &hits {
            assert!(pred(h), "{q}: {}", h.text);
            assert_offsets(env.path(), h);
        }
        hits.len()
    };
    check("\"Cam Ranh\" -Guam", &|h| {
        h.text.contains("Cam Ranh") && !h.text.contains("Guam")
    });
    let either = check("Kosygin OR Shevardnadze", &|h| {
        h.text.contains("Kosygin") || h.text.contains("Shevardnadze")
    });
    assert!(either > check("Kosygin", &|h| h.text.contains("Kosygin")));
    check("Varshav*", &|h| h.text.contains("Varshav"));
    check("Shevardnaze~", &|h| h.text.contains("Shevardnadze"));
    check("source:004* Putin", &|h| {
        h.source.starts_with("004") && h.text.contains("Putin")
    });
    check("Putin", &|_| true);
    let n = check("Putin", &|_| true);
    let (only_004, _) = env.search("Putin", &["--source", "004*"]);
    assert!(
        !only_004.is_empty()
            && only_004.len() < n
            && only_004.iter().all(|h| h.source.starts_with("004"))
    );
    check("(Kosygin OR Lavrov) Hanoi", &|h| {
        h.text.contains("Hanoi") && (h.text.contains("Kosygin") || h.text.contains("Lavrov"))
    });
    check("\"Su-30\"* OR Yak-130", &|h| {
        h.text.contains("Su-30") || h.text.contains("Yak-130")
    });
}

#[test]
fn typos_are_corrected_and_said_on_stderr() {
    let env = Env::indexed();
    for (typo, right) in [("Kosigin", "Kosygin"), ("Lavrof", "Lavrov")] {
        let (hits, out) = env.search(typo, &[]);
        assert_eq!(out.status.code(), Some(0));
        assert_contains(stderr(&out), &format!("showing results for {right}"));
        assert!(!hits.is_empty() && hits.iter().all(|h| h.text.contains(right)));
    }
    // Short words are not corrected; --no-correct turns it off.
    assert_eq!(
        env.search("Kosigin", &["--no-correct"]).1.status.code(),
        Some(1)
    );
    assert_eq!(env.search("Lam Son", &[]).1.status.code(), Some(1));
}

#[test]
fn cyrillic_text_is_found_in_cyrillic_and_in_latin() {
    let env = corpus(&[
        ("ru.txt", "Президент Путин прибыл в Ханой."),
        (
            "en.txt",
            "President Putin arrived in Hanoi, and Putin spoke.",
        ),
    ]);
    assert_eq!(sources(&env, "Путин", &[]), ["ru.txt", "en.txt"]);
    assert_eq!(sources(&env, "Putin", &[]).len(), 2);
    assert_eq!(sources(&env, "Путин", &["--exact"]), ["ru.txt"]);
    let (hits, _) = env.search("Путин", &[]);
    let ru = &hits[0];
    let [s, e] = ru.highlights[0];
    assert_eq!(&ru.text[s - ru.start..e - ru.start], "Путин");
}

#[test]
fn hyphenated_models_are_found_as_written_joined_and_by_parts() {
    let env = corpus(&[
        (
            "jets.txt",
            "Vietnam bought Su-30MK2 fighters and IL-28 bombers.",
        ),
        ("other.txt", "Su and the number 30 and MK2 in other words."),
    ]);
    for q in [
        "Su-30MK2",
        "Su30MK2",
        "su-30mk2",
        "30MK2",
        "IL-28",
        "IL28",
        "\"Su 30MK2\"",
    ] {
        let got = sources(&env, q, &[]);
        assert_eq!(
            got.first().map(String::as_str),
            Some("jets.txt"),
            "{q}: {got:?}"
        );
    }
    assert_eq!(
        sources(&env, "Su-30MK2", &[]),
        ["jets.txt"],
        "a phrase, not loose parts"
    );
}

#[test]
fn possessives_match_the_bare_name_and_the_s_is_not_highlighted() {
    let env = corpus(&[("a.txt", "Putin's visit and Vietnam’s role.")]);
    for (q, word) in [
        ("Putin", "Putin"),
        ("Vietnam", "Vietnam"),
        ("Putin's", "Putin"),
        ("Vietnam's", "Vietnam"),
    ] {
        let (hits, out) = env.search(q, &[]);
        assert_eq!(out.status.code(), Some(0), "{q}");
        let words: Vec<&str> = hits[0]
            .highlights
            .iter()
            .map(|&[s, e]| &hits[0].text[s - hits[0].start..e - hits[0].start])
            .collect();
        assert_eq!(words, [word], "{q}");
    }
    // "s" alone is not a word of that text.
    assert_eq!(env.search("s", &["--no-correct"]).1.status.code(), Some(1));
}

#[test]
fn exclusions_hold_for_exact_spellings_too() {
    let env = corpus(&[
        ("both.txt", "Trần Hưng Đạo and Le Loi."),
        ("only.txt", "Trần Hưng Đạo alone."),
    ]);
    // "-Lê" excludes "Le" as well (folded), even though the passage has the exact "Trần".
    assert_eq!(sources(&env, "Trần -Lê", &[]), ["only.txt"]);
    assert_eq!(sources(&env, "Trần", &[]).len(), 2);
}

#[test]
fn words_standing_together_outrank_scattered_ones_in_both_tiers() {
    // Both files hold every word; only one holds them together. The scattered one is shorter,
    // so BM25 alone would put it first.
    let env = corpus(&[
        (
            "together.txt",
            "The delegation met in Ngọc Thanh, a commune of Phúc Yên, to talk about rice, roads, schools and the new bridge over the river.",
        ),
        ("scattered.txt", "Cao Ngọc thuộc Ngọc Lặc, Thanh Hóa."),
    ]);
    let together = ["together.txt", "scattered.txt"];
    assert_ranks(
        &env,
        &[("Ngọc Thanh", &together), ("Ngoc Thanh", &together)],
    );
    // Two of three words together beat none together (passages of the same length).
    let env = corpus(&[
        ("two.txt", "Trần Đức came first and much later came Lương."),
        ("none.txt", "Lương came first and Đức later came with Trần."),
    ]);
    assert_eq!(
        sources(&env, "Tran Duc Luong", &[]),
        ["two.txt", "none.txt"]
    );
}

#[test]
fn explain_shows_bm25_proximity_and_tier() {
    let env = corpus(&[
        ("a.txt", "Trần Đức Lương visited Hanoi."),
        ("b.txt", "Lương Đức Trần visited Hanoi."),
        ("c.txt", "Tran Duc Luong visited Hanoi."),
    ]);
    let (hits, out) = env.search("Trần Đức Lương", &["--explain"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let explain: Vec<_> = hits.iter().map(|h| h.explain.clone().unwrap()).collect();
    assert_eq!(hits[0].source, "a.txt");
    assert_eq!(explain[0].tier, "exact");
    assert!(explain[0].proximity > 0.0, "{explain:?}");
    for (h, e) in hits.iter().zip(&explain) {
        assert!((e.bm25 + e.proximity - h.score).abs() < 1e-3, "{h:?}");
    }
    let b = hits.iter().position(|h| h.source == "b.txt").unwrap();
    assert_eq!(explain[b].proximity, 0.0, "reversed words stand apart");
    let c = hits.iter().position(|h| h.source == "c.txt").unwrap();
    assert_eq!(explain[c].tier, "folded");
    // Without --explain the JSON has no explain field; the human form prints one line per hit.
    let (plain, _) = env.search("Trần Đức Lương", &[]);
    assert!(plain.iter().all(|h| h.explain.is_none()));
    let human = env.run(&["search", "--explain", "--index", "index", "Trần Đức Lương"]);
    let text = stdout(&human);
    assert_contains(&text, "= bm25 ");
    assert_contains(&text, "; exact tier");
}

#[test]
fn phrases_stop_at_clause_punctuation_but_not_at_line_breaks_or_hyphens() {
    let env = corpus(&[
        ("comma.txt", "Quận Hà Đông, Thành phố Hà Nội"),
        ("wrapped.txt", "the pivot to the\nEast began"),
        ("hyphen.txt", "the Su-30MK2 fighter"),
        ("dot.txt", "He came home. Then he left"),
    ]);
    assert!(sources(&env, "\"dong thanh\"", &[]).is_empty());
    assert_eq!(sources(&env, "\"ha dong\"", &[]), ["comma.txt"]);
    // The query's own punctuation counts the same way, so a phrase typed with it still matches.
    assert_eq!(sources(&env, "\"Hà Đông, Thành phố\"", &[]), ["comma.txt"]);
    assert_eq!(sources(&env, "\"to the East\"", &[]), ["wrapped.txt"]);
    assert_eq!(sources(&env, "\"Su 30MK2 fighter\"", &[]), ["hyphen.txt"]);
    assert!(sources(&env, "\"home then\"", &[]).is_empty());
    assert_eq!(sources(&env, "\"home. Then\"", &[]), ["dot.txt"]);
}

#[test]
fn proximity_reorders_the_first_100_hits_and_pages_agree() {
    // 260 passages with both words: every 3rd has them side by side, the others apart; lengths
    // vary so that BM25 alone spreads them out.
    let files: Vec<(String, String)> = (0..260)
        .map(|i| {
            let filler = "lorem ".repeat(i % 17);
            let text = if i % 3 == 0 {
                format!("{filler}alpha beta gamma delta.")
            } else {
                format!("alpha {filler}gamma delta, beta.")
            };
            (format!("f{i:03}.txt"), text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let env = corpus(&refs);
    let page = |offset: usize, limit: usize| {
        let (o, l) = (offset.to_string(), limit.to_string());
        let out = env.run(&[
            "search",
            "--json",
            "--explain",
            "--offset",
            &o,
            "--limit",
            &l,
            "--",
            "alpha beta",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        decode(&out)
    };
    let all = page(0, 300);
    assert_eq!(all.len(), 260);
    // Inside the window, proximity counts: a passage with the words together outranks one
    // with a higher BM25 whose words stand apart.
    let explain = |h: &JsonHit| h.explain.clone().expect("explain");
    assert!(explain(&all[0]).proximity > 0.0, "{:?}", all[0]);
    let window = &all[..100];
    let overtaken = window.iter().enumerate().any(|(i, together)| {
        explain(together).proximity > 0.0
            && window[i + 1..].iter().any(|apart| {
                explain(apart).proximity == 0.0 && explain(apart).bm25 > explain(together).bm25
            })
    });
    assert!(
        overtaken,
        "some passage with the words apart and a higher BM25 ranks below one with them together"
    );
    // Beyond it, BM25 order and no proximity.
    for pair in all[100..].windows(2) {
        assert_eq!(explain(&pair[0]).proximity, 0.0);
        assert!(pair[0].score >= pair[1].score);
    }
    // Scores are what explain says, and every page is a slice of the one long list.
    for h in &all {
        let e = explain(h);
        assert_eq!(h.score, e.bm25 + e.proximity);
    }
    let key = |h: &JsonHit| (h.source.clone(), h.start, h.score.to_bits());
    for offset in [0, 10, 90, 95, 100, 250] {
        let got: Vec<_> = page(offset, 10).iter().map(key).collect();
        let want: Vec<_> = all[offset..(offset + 10).min(all.len())]
            .iter()
            .map(key)
            .collect();
        assert_eq!(got, want, "page at offset {offset}");
    }
}
